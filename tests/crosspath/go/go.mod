module github.com/port-secret/port-secret/tests/crosspath/go

go 1.24

require github.com/port-secret/port-secret/go v0.0.0

replace github.com/port-secret/port-secret/go => ../../../go
