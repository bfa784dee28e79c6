package rest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Options tune a Handler; the zero value serves with the wall clock and
// random trigger ids.
type Options struct {
	// Now is the clock for durations and "now" (time.Now when nil).
	Now func() time.Time
	// NewTriggerID returns a fresh savepoint request id (32 random hex digits when nil).
	NewTriggerID func() string
	// Version is reported as flink-version ("pyflink-go" when empty).
	Version string
}

// Handler serves Flink's REST API over an Engine. Create it with NewHandler.
type Handler struct {
	eng  Engine
	opts Options
	mux  *http.ServeMux
	ops  *operations
}

// NewHandler returns the HTTP handler of the REST API over eng.
func NewHandler(eng Engine, opts Options) *Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.NewTriggerID == nil {
		opts.NewTriggerID = randomID
	}
	if opts.Version == "" {
		opts.Version = "pyflink-go"
	}
	h := &Handler{eng: eng, opts: opts, mux: http.NewServeMux(), ops: newOperations(maxKeptOperations)}
	// Methods are checked in the handlers, so a wrong method gets Flink's
	// error body rather than ServeMux's plain text.
	h.mux.HandleFunc("/overview", h.only("GET", h.overview))
	h.mux.HandleFunc("/config", h.only("GET", h.config))
	h.mux.HandleFunc("/jobs", h.only("GET", h.jobIDs))
	h.mux.HandleFunc("/jobs/overview", h.only("GET", h.jobsOverview))
	h.mux.HandleFunc("/jobs/{jobid}", h.withJobID(h.job))
	h.mux.HandleFunc("/jobs/{jobid}/savepoints", h.only("POST", h.withJobID(h.triggerSavepoint)))
	h.mux.HandleFunc("/jobs/{jobid}/stop", h.only("POST", h.withJobID(h.stop)))
	h.mux.HandleFunc("/jobs/{jobid}/savepoints/{triggerid}", h.only("GET", h.withJobID(h.savepointStatus)))
	h.mux.HandleFunc("/jobs/{jobid}/checkpoints", h.only("GET", h.withJobID(h.checkpoints)))
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Not found: "+r.URL.Path)
	})
	return h
}

// ServeHTTP implements http.Handler. Every path is also served under /v1,
// the versioned prefix Flink's own REST client (and its CLI) uses.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/v1/"); ok {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + rest
		r2.URL.RawPath = ""
		r = r2
	}
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) only(method string, f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s is not supported; use %s", r.Method, r.URL.Path, method))
			return
		}
		f(w, r)
	}
}

// withJobID rejects a malformed job id before the handler sees it.
func (h *Handler) withJobID(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("jobid")
		if !validJobID(id) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf(
				"Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from value %q: a job id is 32 hexadecimal digits.", id))
			return
		}
		f(w, r)
	}
}

func validJobID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"errors":["encoding the response failed"]}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Errors: []string{msg}})
}

func notFound(w http.ResponseWriter, id string) {
	writeError(w, http.StatusNotFound, fmt.Sprintf("Job %s not found", id))
}

// engineError answers an Engine error with Flink's status code for it.
func engineError(w http.ResponseWriter, id string, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		notFound(w, id)
	case errors.Is(err, ErrNotRunning):
		writeError(w, http.StatusConflict, fmt.Sprintf("Job %s has already ended: %v", id, err))
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

// decodeBody reads a JSON request body into v, strictly (unknown fields are
// an error, as in Flink); an empty body is {}.
func decodeBody(r *http.Request, v any, name string) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("Request did not match expected format %s: %v", name, err)
	}
	return nil
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return -1
	}
	return t.UnixMilli()
}

// duration is Flink's: end (or now, while running) minus start.
func (h *Handler) duration(j Job) int64 {
	if j.Start.IsZero() {
		return 0
	}
	end := j.End
	if end.IsZero() {
		end = h.opts.Now()
	}
	return end.Sub(j.Start).Milliseconds()
}

// executionStates are Flink's ExecutionState names, lower-cased as the job
// overview's task counts spell them.
var executionStates = []string{"created", "scheduled", "deploying", "running", "finished", "canceling", "canceled", "failed", "reconciling", "initializing"}

// taskState is the execution state of a job's tasks: the engine runs every
// task of a job from its start to its end, so they share the job's state.
func taskState(jobState string) string {
	switch jobState {
	case "RUNNING", "FINISHED", "CANCELED", "FAILED", "CREATED":
		return jobState
	case "CANCELLING":
		return "CANCELING"
	case "INITIALIZING":
		return "INITIALIZING"
	}
	return "RUNNING"
}

func taskCounts(state string, n int, withTotal bool) map[string]int {
	m := make(map[string]int, len(executionStates)+1)
	for _, s := range executionStates {
		m[s] = 0
	}
	m[strings.ToLower(taskState(state))] = n
	if withTotal {
		m["total"] = n
	}
	return m
}

func (h *Handler) details(j Job) jobDetails {
	tasks := j.subtasks()
	last := millis(j.Start)
	if !j.End.IsZero() {
		last = millis(j.End)
	}
	return jobDetails{JID: j.ID, Name: j.Name, StartTime: millis(j.Start), EndTime: millis(j.End), Duration: h.duration(j),
		State: j.State, JobType: j.Type, LastModification: last, Tasks: taskCounts(j.State, tasks, true)}
}

// sortedJobs returns the engine's jobs by start time, then id.
func (h *Handler) sortedJobs() []Job {
	jobs := h.eng.Jobs()
	sort.Slice(jobs, func(a, b int) bool {
		if !jobs[a].Start.Equal(jobs[b].Start) {
			return jobs[a].Start.Before(jobs[b].Start)
		}
		return jobs[a].ID < jobs[b].ID
	})
	return jobs
}
