package udf

import (
	"errors"
	"fmt"
)

// ErrPoolClosed is returned by Open after the pool was closed.
var ErrPoolClosed = errors.New("udf: worker pool is closed")

// ErrStreamClosed is returned by Submit after Close.
var ErrStreamClosed = errors.New("udf: stream is closed")

// WorkerCrashedError reports a Python worker process that died (or never
// started listening): every stream it served fails with this error, so a
// crash shows up as an error naming the worker rather than a hang.
type WorkerCrashedError struct {
	Worker int    // the pool's id for the worker
	Pid    int    // its process id (0 if it never started)
	Status string // how it ended, e.g. "exit status 1" or "signal: killed"
	Stderr string // the last lines it wrote to stderr
}

// Error names the worker, its pid and how it ended, followed by its last stderr lines.
func (e *WorkerCrashedError) Error() string {
	msg := fmt.Sprintf("python worker %d (pid %d) died: %s", e.Worker, e.Pid, e.Status)
	if e.Stderr != "" {
		msg += "\nlast stderr lines of the worker:\n" + e.Stderr
	}
	return msg
}

// ProtocolError reports a message from a worker that breaks the protocol of SPEC.md.
type ProtocolError struct {
	Worker int
	Detail string
}

// Error names the worker and what it got wrong.
func (e *ProtocolError) Error() string {
	return fmt.Sprintf("python worker %d broke the udf protocol: %s", e.Worker, e.Detail)
}
