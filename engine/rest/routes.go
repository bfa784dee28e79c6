package rest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// GET /overview
func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	o := overview{TaskManagers: 1, FlinkVersion: h.opts.Version}
	for _, j := range h.eng.Jobs() {
		switch j.State {
		case "FINISHED":
			o.JobsFinished++
		case "CANCELED":
			o.JobsCancelled++
		case "FAILED":
			o.JobsFailed++
		default:
			o.JobsRunning++
		}
	}
	o.SlotsTotal = o.JobsRunning
	writeJSON(w, http.StatusOK, o)
}

// GET /config
func (h *Handler) config(w http.ResponseWriter, r *http.Request) {
	name, offset := h.opts.Now().Zone()
	writeJSON(w, http.StatusOK, dashboardConfig{RefreshInterval: 3000, TimezoneName: name, TimezoneOffset: int64(offset) * 1000,
		FlinkVersion: h.opts.Version, Features: dashboardFeatures{WebCancel: true}})
}

// GET /jobs
func (h *Handler) jobIDs(w http.ResponseWriter, r *http.Request) {
	out := jobIDs{Jobs: []jobIDStatus{}}
	for _, j := range h.sortedJobs() {
		out.Jobs = append(out.Jobs, jobIDStatus{ID: j.ID, Status: j.State})
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /jobs/overview
func (h *Handler) jobsOverview(w http.ResponseWriter, r *http.Request) {
	out := multipleJobs{Jobs: []jobDetails{}}
	for _, j := range h.sortedJobs() {
		out.Jobs = append(out.Jobs, h.details(j))
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /jobs/:jobid and PATCH /jobs/:jobid?mode=cancel
func (h *Handler) job(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("jobid")
	switch r.Method {
	case "GET":
		j, ok := h.eng.Job(id)
		if !ok {
			notFound(w, id)
			return
		}
		writeJSON(w, http.StatusOK, h.jobInfo(j))
	case "PATCH":
		mode := r.URL.Query().Get("mode")
		if mode != "" && mode != "cancel" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Invalid mode %q: the only mode is cancel", mode))
			return
		}
		if err := h.eng.Cancel(id); err != nil {
			if j, ok := h.eng.Job(id); ok && errors.Is(err, ErrNotRunning) {
				// Flink's words for a cancel that came too late.
				writeError(w, http.StatusConflict, fmt.Sprintf(
					"Job cancellation failed because the job has already reached another terminal state (%s).", j.State))
				return
			}
			engineError(w, id, err)
			return
		}
		writeJSON(w, http.StatusAccepted, struct{}{})
	default:
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s is not supported; use GET or PATCH", r.Method, r.URL.Path))
	}
}

func (h *Handler) jobInfo(j Job) jobDetailsInfo {
	info := jobDetailsInfo{JID: j.ID, Name: j.Name, State: j.State, JobType: j.Type, StartTime: millis(j.Start),
		EndTime: millis(j.End), Duration: h.duration(j), MaxParallelism: j.MaxParallelism, Now: h.opts.Now().UnixMilli(),
		Timestamps: map[string]int64{}, Vertices: []vertexInfo{}, StatusCounts: upper(taskCounts(j.State, len(j.Operators), false))}
	for _, s := range []string{"INITIALIZING", "CREATED", "RUNNING", "FAILING", "FAILED", "CANCELLING", "CANCELED", "FINISHED", "RESTARTING", "SUSPENDED", "RECONCILING"} {
		info.Timestamps[s] = 0
	}
	if !j.Start.IsZero() {
		info.Timestamps["RUNNING"] = millis(j.Start)
	}
	if !j.End.IsZero() {
		info.Timestamps[j.State] = millis(j.End)
	}
	ended := terminal(j.State)
	for _, op := range j.Operators {
		info.Vertices = append(info.Vertices, vertexInfo{ID: fmt.Sprintf("%032x", op.ID+1), Name: op.Name,
			MaxParallelism: j.MaxParallelism, Parallelism: op.Parallelism, Status: taskState(j.State),
			StartTime: millis(j.Start), EndTime: millis(j.End), Duration: h.duration(j),
			Tasks:   upper(taskCounts(j.State, op.Parallelism, false)),
			Metrics: vertexMetrics{ReadRecords: op.RecordsIn, ReadRecordsComplete: ended, WriteRecords: op.RecordsOut, WriteRecordsComplete: ended}})
	}
	return info
}

func upper(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[strings.ToUpper(k)] = v
	}
	return out
}

// GET /jobs/:jobid/checkpoints
func (h *Handler) checkpoints(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("jobid")
	j, ok := h.eng.Job(id)
	if !ok {
		notFound(w, id)
		return
	}
	cs := j.Checkpoints
	if cs == nil {
		// Flink answers a job without checkpointing so too.
		writeError(w, http.StatusNotFound, fmt.Sprintf("Checkpointing has not been enabled for job %s", id))
		return
	}
	out := checkpointingStatistics{History: []struct{}{},
		Counts: checkpointCounts{Total: cs.Completed + cs.Failed, Completed: cs.Completed, Failed: cs.Failed}}
	if cs.LastID > 0 {
		subtasks := j.subtasks()
		out.Latest.Completed = &completedCheckpoint{ClassName: "completed", ID: cs.LastID, Status: "COMPLETED",
			CheckpointedSize: cs.LastSize, StateSize: cs.LastSize, EndToEndDuration: cs.LastDurationMs,
			NumSubtasks: subtasks, NumAcknowledgedSubtasks: subtasks, CheckpointType: "CHECKPOINT", ExternalPath: fileURI(cs.LastPath)}
	}
	writeJSON(w, http.StatusOK, out)
}

// fileURI writes a local path as Flink writes a local file system path: file:/dir.
func fileURI(p string) string {
	if p == "" || strings.Contains(p, ":") {
		return p
	}
	return "file:" + p
}

// localPath turns a file: URI into a path; other paths pass through.
func localPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "file://"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(p, "file:"); ok {
		return rest
	}
	return p
}
