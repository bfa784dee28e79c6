package runtime

import (
	"context"
	"time"
)

// Clock tells the time; tests inject a manual one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Env is what every task of a job shares.
type Env struct {
	JobName string
	Mode    string // STREAMING or BATCH
	Config  map[string]string
	// JobParameters are the global job parameters user functions can read.
	JobParameters map[string]string
	Clock         Clock
	// Services holds job-wide collaborators by name (the Python worker pool,
	// the print and collect outputs, ...), set up by whoever submits the job.
	Services map[string]any
}

// AsyncHandler handles an event posted to a task from another goroutine.
type AsyncHandler interface {
	HandleAsync(payload any) error
}

type asyncEvent struct {
	h       AsyncHandler
	payload any
}

// Context is a task's view of the job: who it is, the job environment, and
// the task's mailbox for results that arrive from other goroutines.
type Context struct {
	Env          *Env
	TaskName     string // the vertex's name, e.g. "Source: Collection Source -> Map"
	OperatorName string // the node being instantiated
	NodeID       int
	// OperatorID names the operator's state in checkpoints (see OperatorID).
	OperatorID     string
	Subtask        int // 0-based
	Parallelism    int
	MaxParallelism int
	Attempt        int
	// Checkpointing is true when the job takes checkpoints: two-phase sinks
	// then commit at the end of input only through a final checkpoint.
	Checkpointing bool
	Metrics       *OperatorMetrics

	ctx   context.Context
	async chan asyncEvent
	task  *task
}

// Done is closed when the job is cancelled or failed.
func (c *Context) Done() <-chan struct{} { return c.ctx.Done() }

// Ctx returns the task's context.Context, cancelled with the job.
func (c *Context) Ctx() context.Context { return c.ctx }

// Post hands an event to the task's goroutine. It blocks while the mailbox is
// full and returns false when the job has ended.
func (c *Context) Post(h AsyncHandler, payload any) bool {
	select {
	case c.async <- asyncEvent{h, payload}:
		return true
	case <-c.ctx.Done():
		return false
	}
}

// Await handles one posted event, waiting for it. Operators call it on the
// task goroutine when they must wait for asynchronous results.
func (c *Context) Await() error {
	select {
	case ev := <-c.async:
		return ev.h.HandleAsync(ev.payload)
	case <-c.ctx.Done():
		return context.Cause(c.ctx)
	}
}

// Drain handles every event already posted, without waiting.
func (c *Context) Drain() error {
	for {
		select {
		case ev := <-c.async:
			if err := ev.h.HandleAsync(ev.payload); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// Tick runs due periodic work (operator ticks, output flushes). Sources call
// it between batches; it is cheap when nothing is due.
func (c *Context) Tick() error {
	if err := c.Drain(); err != nil {
		return err
	}
	return c.task.maybeTick()
}

// NewStandaloneContext returns a context for running one operator or source
// outside a job, in tests: no other tasks, no checkpoints, ticks are no-ops
// apart from posted events, and the context is cancelled with ctx.
func NewStandaloneContext(ctx context.Context, env *Env, subtask, parallelism, maxParallelism int) *Context {
	if env.Clock == nil {
		env.Clock = SystemClock{}
	}
	t := &task{name: "standalone", subtask: subtask, par: parallelism, clock: env.Clock, tickEvery: DefaultTickInterval}
	c := &Context{Env: env, TaskName: "standalone", OperatorID: OperatorID("", 0), Subtask: subtask, Parallelism: parallelism,
		MaxParallelism: maxParallelism, ctx: ctx, async: make(chan asyncEvent, 64), task: t}
	t.ctx = c
	return c
}
