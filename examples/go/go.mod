module github.com/port-secret/port-secret/examples/go

go 1.24

require github.com/port-secret/port-secret/go v0.0.0

// This example builds against the module in this repository (and its static library,
// ../../target/release/libport_secret.a). Elsewhere: drop this line and see go/README.md.
replace github.com/port-secret/port-secret/go => ../../go
