package pybridge

// The generated extension imports gopy's handle package. Importing it here as
// well makes github.com/go-python/gopy a direct requirement of the module, so
// `go mod tidy` keeps it as such and gopy's `go build -mod=mod` has no reason
// to rewrite go.mod during `pip install .`.
import _ "github.com/go-python/gopy/gopyh"
