module github.com/port-secret/port-secret/go

go 1.24
