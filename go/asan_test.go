//go:build asan

package portsecret

// asanBuild: built with -asan (Go's FIPS 140-3 mode refuses to start under ASan).
const asanBuild = true
