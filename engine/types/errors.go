package types

import "fmt"

func typeErr(t *TypeInfo, format string, args ...any) error {
	return fmt.Errorf("type %q %s", t.T, fmt.Sprintf(format, args...))
}
