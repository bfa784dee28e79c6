package watermark

import "github.com/pyflink-go/pyflink-go/engine/watermark/valve"

// Valve combines the watermarks and idle statuses of a task's input channels
// (see package valve, where it lives so the runtime can use it).
type Valve = valve.Valve

// NewValve returns a valve over n input channels, all active, with no
// watermark yet.
func NewValve(n int) *Valve { return valve.NewValve(n) }
