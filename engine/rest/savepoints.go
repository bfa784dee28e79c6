package rest

import (
	"fmt"
	"net/http"
	"sync"
)

// maxKeptOperations bounds how many finished savepoint operations are kept
// for their status requests (Flink keeps them for rest.async.store-duration);
// the oldest finished ones are forgotten first.
const maxKeptOperations = 256

// operation is one savepoint a client triggered: in progress until done is
// closed, then location or err.
type operation struct {
	jobID    string
	done     chan struct{}
	location string
	err      error
}

// operations keeps savepoint operations by trigger id. Invariant: finished
// lists the finished operations oldest first, and only they are evicted.
type operations struct {
	mu       sync.Mutex
	byID     map[string]*operation
	finished []string
	max      int
}

func newOperations(max int) *operations {
	return &operations{byID: map[string]*operation{}, max: max}
}

// start registers an operation under trigger id tid and runs take in the
// background; an operation already registered under tid is returned instead
// (a retried trigger with the same triggerId takes no second savepoint).
func (o *operations) start(tid, jobID string, take func() (string, error)) *operation {
	o.mu.Lock()
	if op, ok := o.byID[tid]; ok {
		o.mu.Unlock()
		return op
	}
	op := &operation{jobID: jobID, done: make(chan struct{})}
	o.byID[tid] = op
	o.mu.Unlock()
	go func() {
		loc, err := take()
		o.mu.Lock()
		op.location, op.err = loc, err
		close(op.done)
		o.finished = append(o.finished, tid)
		for len(o.finished) > o.max {
			delete(o.byID, o.finished[0])
			o.finished = o.finished[1:]
		}
		o.mu.Unlock()
	}()
	return op
}

func (o *operations) get(tid string) (*operation, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	op, ok := o.byID[tid]
	return op, ok
}

// POST /jobs/:jobid/savepoints
func (h *Handler) triggerSavepoint(w http.ResponseWriter, r *http.Request) {
	var body savepointTriggerBody
	if err := decodeBody(r, &body, "SavepointTriggerRequestBody"); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	h.trigger(w, r, body.TargetDirectory, body.CancelJob, false, body.FormatType, body.TriggerID)
}

// POST /jobs/:jobid/stop
func (h *Handler) stop(w http.ResponseWriter, r *http.Request) {
	var body stopBody
	if err := decodeBody(r, &body, "StopWithSavepointRequestBody"); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	h.trigger(w, r, body.TargetDirectory, true, body.Drain, body.FormatType, body.TriggerID)
}

// trigger starts a savepoint operation, stopping the job after it with stop
// (stop-with-savepoint, or Flink's cancel-job; with drain after advancing
// event time to its end), and answers its request id.
func (h *Handler) trigger(w http.ResponseWriter, r *http.Request, dir *string, stop, drain bool, format, tid string) {
	id := r.PathValue("jobid")
	switch format {
	case "", "CANONICAL", "NATIVE":
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Invalid formatType %q: CANONICAL or NATIVE", format))
		return
	}
	if tid != "" && !validJobID(tid) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Invalid triggerId %q: a trigger id is 32 hexadecimal digits", tid))
		return
	}
	j, ok := h.eng.Job(id)
	if !ok {
		notFound(w, id)
		return
	}
	if tid != "" {
		if op, ok := h.ops.get(tid); ok && op.jobID == id {
			writeJSON(w, http.StatusAccepted, triggerResponse{RequestID: tid})
			return
		}
	}
	if terminal(j.State) {
		writeError(w, http.StatusConflict, fmt.Sprintf("Job %s is %s; no savepoint can be taken", id, j.State))
		return
	}
	target := ""
	if dir != nil {
		target = localPath(*dir)
	}
	if tid == "" {
		tid = h.opts.NewTriggerID()
	}
	h.ops.start(tid, id, func() (string, error) { return h.eng.Savepoint(id, target, stop, drain) })
	writeJSON(w, http.StatusAccepted, triggerResponse{RequestID: tid})
}

// GET /jobs/:jobid/savepoints/:triggerid
func (h *Handler) savepointStatus(w http.ResponseWriter, r *http.Request) {
	id, tid := r.PathValue("jobid"), r.PathValue("triggerid")
	op, ok := h.ops.get(tid)
	if !ok || op.jobID != id {
		writeError(w, http.StatusNotFound, fmt.Sprintf("There is no savepoint operation with triggerId=%s for job %s.", tid, id))
		return
	}
	select {
	case <-op.done:
	default:
		writeJSON(w, http.StatusOK, operationResult{Status: queueStatus{ID: "IN_PROGRESS"}})
		return
	}
	info := &savepointInfo{Location: fileURI(op.location)}
	if op.err != nil {
		info = &savepointInfo{FailureCause: &failureCause{Class: "SavepointException", StackTrace: op.err.Error()}}
	}
	writeJSON(w, http.StatusOK, operationResult{Status: queueStatus{ID: "COMPLETED"}, Operation: info})
}
