package local

import (
	"errors"
	"time"
)

// Engine runs jobs in this process. It is safe for concurrent use.
type Engine struct{}

var defaultEngine = &Engine{}

// Default returns the process-wide engine used by the Python bridge.
func Default() *Engine { return defaultEngine }

// Submit decodes and validates a msgpack plan (engine/plan/PLAN.md), starts the
// job and returns its handle.
func (e *Engine) Submit(plan []byte) (int64, error) { return 0, errors.New("not implemented yet") }

// Poll reports what happened in the job since the last Poll, waiting up to timeout.
func (e *Engine) Poll(job int64, timeout time.Duration) ([]byte, error) {
	return nil, errors.New("not implemented yet")
}

// Cancel asks the job to stop; Poll reports CANCELED once it has.
func (e *Engine) Cancel(job int64) error { return errors.New("not implemented yet") }

// Status returns the job's state and per-operator metrics as a msgpack map.
func (e *Engine) Status(job int64) ([]byte, error) { return nil, errors.New("not implemented yet") }

// Release forgets a finished job.
func (e *Engine) Release(job int64) {}

// Prestart starts n Python workers in the background so the first job does not wait for them.
func (e *Engine) Prestart(python string, path []string, n int) {}

// ExecutionPlanJSON returns Flink's execution-plan JSON for a msgpack plan.
func ExecutionPlanJSON(plan []byte) ([]byte, error) { return nil, errors.New("not implemented yet") }
