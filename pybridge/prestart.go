package pybridge

import (
	"fmt"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/local"
)

// pathSep ends each entry of Prestart's pathJoined argument. gopy passes
// strings as C strings, so a list has to travel as one string; the ASCII unit
// separator cannot occur in a path that Python puts on sys.path.
const pathSep = "\x1f"

// Prestart starts n Python worker processes in the background, using the
// interpreter python and the module search path pathJoined (each sys.path
// entry followed by "\x1f"), so that the first job does not wait for them.
func Prestart(python string, pathJoined string, n int) (err error) {
	defer recoverInto("Prestart", &err)
	if python == "" {
		return fmt.Errorf("pybridge.Prestart: no Python interpreter given")
	}
	if n < 0 {
		return fmt.Errorf("pybridge.Prestart: negative worker count %d", n)
	}
	local.Default().Prestart(python, splitPath(pathJoined), n)
	return nil
}

// splitPath undoes the Python side's "".join(p + "\x1f" for p in sys.path).
// A missing final terminator is tolerated, so plain "\x1f"-joined strings
// split the same way; empty entries (Python's "current directory") are kept.
func splitPath(joined string) []string {
	if joined == "" {
		return nil
	}
	parts := strings.Split(joined, pathSep)
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}
