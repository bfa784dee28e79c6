package rest

import (
	"errors"
	"time"
)

// Engine is what the endpoint serves: the jobs of one engine. engine/local
// implements it; handler tests use a fake. Job ids are Flink's 32-hex job ids.
type Engine interface {
	// Jobs returns every job the engine knows: running ones and the ended
	// ones it still remembers.
	Jobs() []Job
	// Job returns the job with the given id; false when the engine does not know it.
	Job(id string) (Job, bool)
	// Cancel asks a running job to stop. It returns ErrNotFound for an
	// unknown job and ErrNotRunning for one that has already ended.
	Cancel(id string) error
	// Savepoint takes a savepoint of a running job into dir (empty: the job's
	// configured savepoint directory) and returns its location; with stop the
	// job stops after it (stop-with-savepoint), with drain once event time
	// has advanced to its end. It blocks until the savepoint is durable or
	// has failed.
	Savepoint(id, dir string, stop, drain bool) (string, error)
}

// ErrNotFound is returned by an Engine for a job id it does not know (HTTP 404).
var ErrNotFound = errors.New("job not found")

// ErrNotRunning is returned by an Engine for an operation that needs a
// running job when the job has ended (HTTP 409).
var ErrNotRunning = errors.New("job is not running")

// Job is what the endpoint shows of one job.
type Job struct {
	ID    string
	Name  string
	State string // Flink's job status: CREATED, RUNNING, FINISHED, FAILED, CANCELED
	// Type is STREAMING or BATCH.
	Type string
	// Start is when the job started running; End when it ended (zero while it runs).
	Start, End     time.Time
	MaxParallelism int
	// Operators are the job's operators in plan order, with their record counts summed over subtasks.
	Operators []Operator
	// Checkpoints is nil for a job without checkpointing.
	Checkpoints *CheckpointStats
}

// subtasks is the number of subtasks over all the job's operators.
func (j Job) subtasks() int {
	n := 0
	for _, op := range j.Operators {
		n += op.Parallelism
	}
	return n
}

// Operator is one operator of a job: a vertex of Flink's job details.
type Operator struct {
	ID          int // the plan node id
	Name        string
	Parallelism int
	RecordsIn   int64
	RecordsOut  int64
}

// CheckpointStats counts a job's checkpoints and describes the newest
// completed one.
type CheckpointStats struct {
	Completed, Failed int64
	// LastID is 0 until a checkpoint has completed.
	LastID         int64
	LastDurationMs int64
	LastSize       int64
	// LastPath is the newest completed checkpoint's directory.
	LastPath string
}

// terminal reports whether a job status is final (Flink's globally terminal states).
func terminal(state string) bool {
	return state == "FINISHED" || state == "FAILED" || state == "CANCELED"
}
