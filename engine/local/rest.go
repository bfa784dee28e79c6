package local

import (
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/rest"
)

// The engine's REST endpoint (engine/rest), started by the first job whose
// configuration sets rest.port or rest.bind-port. One endpoint per process
// serves every job of the engine, as a local Flink MiniCluster's does.
//
// Lifetime: once started, the endpoint serves until the process exits, like
// the worker pools. It does not stop when the last job ends, because a
// stop-with-savepoint ends its job before the client has read the
// savepoint's location, and `pyflink-go list -a` shows ended jobs as Flink's
// does. A later job that asks for another address or port moves the endpoint
// there when no job is running; while jobs run, it keeps serving where it is
// and the new job logs a warning.

// maxEndedJobs bounds how many released jobs the endpoint still lists.
const maxEndedJobs = 100

// restState is the engine's endpoint and the jobs it remembers after release.
type restState struct {
	mu      sync.Mutex
	server  *rest.Server
	handler *rest.Handler
	ended   []rest.Job // released jobs, oldest first
}

// serveREST starts or reuses the engine's endpoint when j's configuration
// asks for one.
func (e *Engine) serveREST(j *job, cfg map[string]string) error {
	c, ok, err := rest.ReadConfig(cfg)
	if err != nil || !ok {
		return err
	}
	w := &e.web
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.handler == nil {
		w.handler = rest.NewHandler(restEngine{e}, rest.Options{Version: "pyflink-go"})
	}
	if w.server != nil {
		if w.server.Serves(c) {
			return nil
		}
		if anyRunning(e.jobList()) {
			j.addLog(fmt.Sprintf("WARN the REST endpoint already serves the running jobs at %s; %s=%s %s=%s are not applied",
				w.server.Addr(), rest.BindAddressKey, c.Address, rest.PortKey, portList(cfg)))
			return nil
		}
		_ = w.server.Close()
		w.server = nil
	}
	s, err := rest.Listen(c, w.handler)
	if err != nil {
		return err
	}
	w.server = s
	j.addLog("INFO Rest endpoint listening at http://" + s.Addr())
	return nil
}

// RESTAddress returns the host:port the engine's REST endpoint listens on,
// or "" when no job has asked for one.
func (e *Engine) RESTAddress() string {
	e.web.mu.Lock()
	defer e.web.mu.Unlock()
	if e.web.server == nil {
		return ""
	}
	return e.web.server.Addr()
}

func portList(cfg map[string]string) string {
	if p := cfg[rest.BindPortKey]; p != "" {
		return p
	}
	return cfg[rest.PortKey]
}

// remember keeps a released job for the endpoint's listings. A job released
// while it runs is being canceled: it is remembered CANCELED.
func (e *Engine) remember(j *job) {
	info := j.restInfo()
	if !terminal(info.State) {
		info.State = "CANCELED"
		info.End = time.Now()
	}
	e.web.mu.Lock()
	defer e.web.mu.Unlock()
	if e.web.handler == nil {
		return // no endpoint: nobody lists ended jobs
	}
	e.web.ended = append(e.web.ended, info)
	if len(e.web.ended) > maxEndedJobs {
		e.web.ended = e.web.ended[len(e.web.ended)-maxEndedJobs:]
	}
}

// restInfo is what the endpoint shows of the job.
func (j *job) restInfo() rest.Job {
	j.mu.Lock()
	info := rest.Job{ID: j.jobID, Name: j.name, State: j.state, Type: j.rt.Env.Mode, Start: j.started, End: j.finished}
	j.mu.Unlock()
	for _, v := range j.rt.Graph.Vertices {
		info.MaxParallelism = max(info.MaxParallelism, v.MaxParallelism)
	}
	byNode := map[int]*rest.Operator{}
	for _, m := range j.rt.Metrics() {
		op := byNode[m.NodeID]
		if op == nil {
			op = &rest.Operator{ID: m.NodeID, Name: m.Name, Parallelism: m.Parallelism}
			byNode[m.NodeID] = op
		}
		op.RecordsIn += m.RecordsIn.Load()
		op.RecordsOut += m.RecordsOut.Load()
	}
	for _, op := range byNode {
		info.Operators = append(info.Operators, *op)
	}
	sort.Slice(info.Operators, func(a, b int) bool { return info.Operators[a].ID < info.Operators[b].ID })
	if cp := j.rt.Checkpoints; cp != nil {
		cs := j.rt.CheckpointStats()
		info.Checkpoints = &rest.CheckpointStats{Completed: cs.Completed, Failed: cs.Failed, LastID: cs.LastID,
			LastDurationMs: cs.LastDurationMs, LastSize: cs.LastSize}
		if cs.LastID > 0 {
			if d := cp.Store.Dir(cs.LastID); dirExists(d) {
				info.Checkpoints.LastPath = d
			}
		}
	}
	return info
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// restEngine is the engine as the REST endpoint sees it: jobs by their
// Flink job id rather than by bridge handle.
type restEngine struct{ e *Engine }

// find returns the live job with Flink job id id and its handle.
func (r restEngine) find(id string) (*job, int64, bool) {
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	for h, j := range r.e.jobs {
		if j.jobID == id {
			return j, h, true
		}
	}
	return nil, 0, false
}

// Jobs implements rest.Engine: the live jobs, then the remembered ones.
func (r restEngine) Jobs() []rest.Job {
	live := r.e.jobList()
	out := make([]rest.Job, 0, len(live))
	seen := map[string]bool{}
	for _, j := range live {
		out = append(out, j.restInfo())
		seen[j.jobID] = true
	}
	r.e.web.mu.Lock()
	defer r.e.web.mu.Unlock()
	for i := len(r.e.web.ended) - 1; i >= 0; i-- {
		if j := r.e.web.ended[i]; !seen[j.ID] {
			out = append(out, j)
			seen[j.ID] = true
		}
	}
	return out
}

// Job implements rest.Engine.
func (r restEngine) Job(id string) (rest.Job, bool) {
	if j, _, ok := r.find(id); ok {
		return j.restInfo(), true
	}
	r.e.web.mu.Lock()
	defer r.e.web.mu.Unlock()
	for i := len(r.e.web.ended) - 1; i >= 0; i-- {
		if r.e.web.ended[i].ID == id {
			return r.e.web.ended[i], true
		}
	}
	return rest.Job{}, false
}

// Cancel implements rest.Engine.
func (r restEngine) Cancel(id string) error {
	j, h, ok := r.find(id)
	if !ok {
		if _, known := r.Job(id); known {
			return rest.ErrNotRunning
		}
		return rest.ErrNotFound
	}
	j.mu.Lock()
	state := j.state
	j.mu.Unlock()
	if terminal(state) {
		return rest.ErrNotRunning
	}
	return r.e.Cancel(h)
}

// Savepoint implements rest.Engine.
func (r restEngine) Savepoint(id, dir string, stop, drain bool) (string, error) {
	_, h, ok := r.find(id)
	if !ok {
		return "", rest.ErrNotFound
	}
	return r.e.Savepoint(h, dir, stop, drain)
}
