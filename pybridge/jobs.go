package pybridge

import (
	"fmt"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/local"
)

// Submit decodes a msgpack job plan (engine/plan/PLAN.md), starts the job on
// the process-wide engine and returns its handle.
func Submit(plan []byte) (job int64, err error) {
	defer recoverInto("Submit", &err)
	if len(plan) == 0 {
		return 0, fmt.Errorf("pybridge.Submit: empty plan")
	}
	job, err = local.Default().Submit(plan)
	if err != nil {
		return 0, fmt.Errorf("pybridge.Submit: %w", err)
	}
	return job, nil
}

// Poll waits up to timeoutMs milliseconds for news from the job and returns it
// as a msgpack map (see engine/local). Python polls in short slices so that
// Ctrl-C and kernel interrupts land between calls.
func Poll(job int64, timeoutMs int) (out []byte, err error) {
	defer recoverInto("Poll", &err)
	if timeoutMs < 0 {
		timeoutMs = 0
	}
	b, err := local.Default().Poll(job, time.Duration(timeoutMs)*time.Millisecond)
	return nonEmpty("Poll", b, err)
}

// Cancel asks the job to stop; a later Poll reports CANCELED.
func Cancel(job int64) (err error) {
	defer recoverInto("Cancel", &err)
	if err = local.Default().Cancel(job); err != nil {
		return fmt.Errorf("pybridge.Cancel: job %d: %w", job, err)
	}
	return nil
}

// Status returns the job's state and per-operator metrics as a msgpack map.
func Status(job int64) (out []byte, err error) {
	defer recoverInto("Status", &err)
	b, err := local.Default().Status(job)
	return nonEmpty("Status", b, err)
}

// Release forgets a finished job so its buffers can be freed. The error result
// only reports a panic inside the engine.
func Release(job int64) (err error) {
	defer recoverInto("Release", &err)
	local.Default().Release(job)
	return nil
}

// Savepoint takes a savepoint of a running job into dir (empty: the job's
// configured savepoint directory) and returns its path; with stop the job
// then stops (stop-with-savepoint); with drain its sources end as at the end
// of their input and the job finishes (stop --drain).
func Savepoint(job int64, dir string, stop, drain bool) (path string, err error) {
	defer recoverInto("Savepoint", &err)
	path, err = local.Default().Savepoint(job, dir, stop, drain)
	if err != nil {
		return "", fmt.Errorf("pybridge.Savepoint: %w", err)
	}
	return path, nil
}
