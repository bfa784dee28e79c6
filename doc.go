// Package pyflinkgo is the root of a stream-processing engine written in Go
// that runs PyFlink DataStream programs. See README.md and ARCHITECTURE.md.
package pyflinkgo
