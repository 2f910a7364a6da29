//go:build !asan

package portsecret

const asanBuild = false
