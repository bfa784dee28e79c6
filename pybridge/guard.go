package pybridge

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// recoverInto turns a panic in a bridge function into an error stored in *err,
// so Python sees a RuntimeError instead of the interpreter aborting. It must be
// called directly by a deferred function: `defer recoverInto("Submit", &err)`.
func recoverInto(fn string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("pybridge.%s: engine panic: %v\n%s", fn, r, debug.Stack())
	}
}

// errEmpty reports an engine call that returned no bytes where the bridge
// contract requires a non-empty msgpack document.
func errEmpty(fn string) error {
	return errors.New("pybridge." + fn + ": engine returned an empty result")
}

// nonEmpty checks an engine result before it crosses to Python: an empty slice
// would panic in gopy's generated Slice_byte_to_bytes.
func nonEmpty(fn string, b []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, fmt.Errorf("pybridge.%s: %w", fn, err)
	}
	if len(b) == 0 {
		return nil, errEmpty(fn)
	}
	return b, nil
}
