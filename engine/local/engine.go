package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/connector/collect"
	"github.com/pyflink-go/pyflink-go/engine/connector/printsink"
	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/plan"
	"github.com/pyflink-go/pyflink-go/engine/pyop"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/udf"
)

// Engine runs jobs in this process. It is safe for concurrent use.
type Engine struct {
	mu    sync.Mutex
	next  int64
	jobs  map[int64]*job
	pools map[string]*udf.Pool
	web   restState // the REST endpoint (rest.go)
}

var defaultEngine = &Engine{jobs: map[int64]*job{}, pools: map[string]*udf.Pool{}}

// Default returns the process-wide engine used by the Python bridge.
func Default() *Engine { return defaultEngine }

// pool returns the worker pool for a Python interpreter and path, starting it
// on first use. Pools live as long as the process, so later jobs reuse warm workers.
func (e *Engine) pool(python string, path []string) *udf.Pool {
	key := python + "\x00" + strings.Join(path, "\x1f")
	e.mu.Lock()
	defer e.mu.Unlock()
	if p, ok := e.pools[key]; ok {
		return p
	}
	p := udf.NewPool(udf.Config{Python: python, Path: path, Workers: runtime.NumCPU(), Log: e.log})
	e.pools[key] = p
	return p
}

// jobList copies the engine's jobs out from under its lock.
func (e *Engine) jobList() []*job {
	e.mu.Lock()
	defer e.mu.Unlock()
	jobs := make([]*job, 0, len(e.jobs))
	for _, j := range e.jobs {
		jobs = append(jobs, j)
	}
	return jobs
}

// anyRunning reports whether one of jobs has not reached a terminal state.
func anyRunning(jobs []*job) bool {
	for _, j := range jobs {
		j.mu.Lock()
		ended := terminal(j.state)
		j.mu.Unlock()
		if !ended {
			return true
		}
	}
	return false
}

// log hands worker output to every running job, so the client that waits for
// it shows it.
func (e *Engine) log(line string) {
	for _, j := range e.jobList() {
		j.addLog(line)
	}
}

// Prestart starts n Python workers in the background so the first job does not wait for them.
func (e *Engine) Prestart(python string, path []string, n int) {
	if python == "" || n <= 0 {
		return
	}
	e.pool(python, path).Prestart(n)
}

// Submit decodes and validates a msgpack plan (engine/plan/PLAN.md), starts the
// job and returns its handle.
func (e *Engine) Submit(planBytes []byte) (int64, error) {
	p, err := plan.Decode(planBytes)
	if err != nil {
		return 0, err
	}
	c, err := compile(p, graph.Options{})
	if err != nil {
		return 0, err
	}
	j := newJob(p.JobName, p.JobID)
	env := &rt.Env{JobName: p.JobName, Mode: p.Mode, Config: p.Config, JobParameters: p.JobParameters, Services: map[string]any{
		printsink.ServiceName: printsink.Lines(j.addOut),
		collect.ServiceName:   collect.Rows(j.addRows),
	}}
	if c.usesPython {
		if p.Python.Executable == "" {
			return 0, fmt.Errorf("plan: python.executable is needed to run Python operators")
		}
		env.Services[pyop.ServiceName] = e.pool(p.Python.Executable, p.Python.Path)
	}
	j.rt = &rt.Job{Graph: c.graph, Env: env, TickInterval: c.tick,
		Hasher: func(id int) rt.KeyHasher { return c.hashers[id] }}
	cleanup, err := setupCheckpoints(j, p.Config)
	if err != nil {
		return 0, err
	}
	j.cleanup = cleanup
	if err := e.serveREST(j, p.Config); err != nil {
		cleanup()
		return 0, err
	}
	e.mu.Lock()
	e.next++
	id := e.next
	e.jobs[id] = j
	e.mu.Unlock()
	go j.run()
	return id, nil
}

func (e *Engine) get(id int64) (*job, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j, ok := e.jobs[id]
	if !ok {
		return nil, fmt.Errorf("no job with handle %d", id)
	}
	return j, nil
}

// Poll reports what happened in the job since the last Poll, waiting up to timeout.
func (e *Engine) Poll(id int64, timeout time.Duration) ([]byte, error) {
	j, err := e.get(id)
	if err != nil {
		return nil, err
	}
	return j.poll(timeout)
}

// Cancel asks the job to stop; Poll reports CANCELED once it has.
func (e *Engine) Cancel(id int64) error {
	j, err := e.get(id)
	if err != nil {
		return err
	}
	j.cancel()
	return nil
}

// Status returns the job's state and per-operator metrics as a msgpack map.
func (e *Engine) Status(id int64) ([]byte, error) {
	j, err := e.get(id)
	if err != nil {
		return nil, err
	}
	return j.status()
}

// Release forgets a job, cancelling it if it still runs.
func (e *Engine) Release(id int64) {
	e.mu.Lock()
	j := e.jobs[id]
	delete(e.jobs, id)
	e.mu.Unlock()
	if j != nil {
		j.cancel()
		e.remember(j)
	}
}

// job is one submitted job and the output it has not yet handed out.
type job struct {
	name  string
	jobID string
	rt    *rt.Job

	mu           sync.Mutex
	notify       chan struct{}
	state        string
	out          []string
	rows         []value.Raw
	logs         []string
	err          error
	started      time.Time
	finished     time.Time
	reported     bool
	ctx          context.Context
	stop         context.CancelFunc
	savepointDir string
	cleanup      func()
}

func newJob(name, jobID string) *job {
	if len(jobID) != 32 {
		var id [16]byte
		_, _ = rand.Read(id[:])
		jobID = hex.EncodeToString(id[:])
	}
	ctx, stop := context.WithCancel(context.Background())
	return &job{name: name, jobID: jobID, notify: make(chan struct{}, 1), state: "CREATED", ctx: ctx, stop: stop}
}

func (j *job) signal() {
	select {
	case j.notify <- struct{}{}:
	default:
	}
}

func (j *job) addOut(lines []string) {
	j.mu.Lock()
	j.out = append(j.out, lines...)
	j.mu.Unlock()
	j.signal()
}

func (j *job) addRows(rows []value.Raw) {
	j.mu.Lock()
	j.rows = append(j.rows, rows...)
	j.mu.Unlock()
	j.signal()
}

func (j *job) addLog(line string) {
	j.mu.Lock()
	j.logs = append(j.logs, line)
	j.mu.Unlock()
	j.signal()
}

func (j *job) cancel() {
	j.stop()
	j.rt.Cancel()
}

func (j *job) run() {
	j.mu.Lock()
	j.state = "RUNNING"
	j.started = time.Now()
	j.mu.Unlock()
	j.signal()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("internal error: %v", r)
			}
		}()
		return j.rt.Run(j.ctx)
	}()
	if j.cleanup != nil {
		j.cleanup()
	}
	j.mu.Lock()
	j.finished = time.Now()
	switch {
	case err == nil:
		j.state = "FINISHED"
	case errors.Is(err, rt.ErrCanceled) || errors.Is(err, context.Canceled):
		j.state = "CANCELED"
		j.err = err
	default:
		j.state = "FAILED"
		j.err = err
	}
	j.mu.Unlock()
	j.signal()
}

func terminal(state string) bool {
	return state == "FINISHED" || state == "FAILED" || state == "CANCELED"
}

func (j *job) poll(timeout time.Duration) ([]byte, error) {
	j.mu.Lock()
	empty := len(j.out) == 0 && len(j.rows) == 0 && len(j.logs) == 0 && !(terminal(j.state) && !j.reported)
	j.mu.Unlock()
	if empty && timeout > 0 {
		t := time.NewTimer(timeout)
		select {
		case <-j.notify:
		case <-t.C:
		}
		t.Stop()
	}
	j.mu.Lock()
	env := envelope{State: j.state, Out: j.out, Rows: rawMessages(j.rows), Logs: j.logs}
	j.out, j.rows, j.logs = nil, nil, nil
	if terminal(j.state) {
		j.reported = true
		if j.err != nil {
			env.Error = describe(j.err, j.state)
		}
		if j.state == "FINISHED" {
			env.Result = &result{JobID: j.jobID, NetRuntimeMs: j.finished.Sub(j.started).Milliseconds()}
		}
	}
	j.mu.Unlock()
	return encodeEnvelope(&env)
}

func (j *job) status() ([]byte, error) {
	j.mu.Lock()
	st := statusReport{State: j.state, JobID: j.jobID, JobName: j.name, Restarts: j.rt.Restarts()}
	if !j.started.IsZero() {
		end := j.finished
		if end.IsZero() {
			end = time.Now()
		}
		st.ElapsedMs = end.Sub(j.started).Milliseconds()
	}
	j.mu.Unlock()
	if j.rt.Checkpoints != nil {
		cs := j.rt.CheckpointStats()
		st.Checkpoints = &cs
	}
	for _, m := range j.rt.Metrics() {
		st.Metrics = append(st.Metrics, metric{Node: m.NodeID, Parallelism: m.Parallelism, Name: m.Name, Subtask: m.Subtask,
			RecordsIn: m.RecordsIn.Load(), RecordsOut: m.RecordsOut.Load(), Calls: m.Calls.Load()})
	}
	return encodeStatus(&st)
}

// describe turns a job failure into the envelope's error entry.
func describe(err error, state string) *errorReport {
	r := &errorReport{Message: err.Error(), Kind: "internal"}
	if state == "CANCELED" {
		r.Kind = "canceled"
		r.Message = "the job was canceled"
		return r
	}
	var te *rt.TaskError
	if errors.As(err, &te) {
		op := te.Operator
		r.Operator = &op
	}
	var ue *udf.UserError
	var wc *udf.WorkerCrashedError
	switch {
	case errors.As(err, &ue):
		r.Kind = "user_function"
		op := ue.Operator
		r.Operator = &op
		tb := ue.Traceback
		r.Traceback = &tb
		r.Message = fmt.Sprintf("Python function in operator %s failed: %s", ue.Operator, ue.Message)
	case errors.As(err, &wc):
		r.Kind = "worker_crashed"
	case strings.HasPrefix(err.Error(), "file source") || strings.HasPrefix(err.Error(), "file sink"):
		r.Kind = "io"
	}
	return r
}
