package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	runningID  = "0123456789abcdef0123456789abcdef"
	finishedID = "fedcba9876543210fedcba9876543210"
	plainID    = "00000000000000000000000000000001" // running, no checkpointing
	unknownID  = "ffffffffffffffffffffffffffffffff"
)

var t0 = time.Date(2026, 12, 2, 16, 30, 0, 0, time.UTC)

// fakeEngine serves fixed jobs; its savepoints wait for release and then
// return the next result.
type fakeEngine struct {
	mu       sync.Mutex
	jobs     []Job
	canceled []string
	taken    []string // "id dir stop" of every savepoint taken
	release  chan struct{}
	result   func(id, dir string) (string, error)
}

func newFake() *fakeEngine {
	return &fakeEngine{
		jobs: []Job{
			{ID: finishedID, Name: "batch words", State: "FINISHED", Type: "BATCH", Start: t0.Add(-time.Hour),
				End: t0.Add(-time.Hour + 1500*time.Millisecond), MaxParallelism: 128,
				Operators: []Operator{{ID: 0, Name: "Source: words", Parallelism: 1, RecordsOut: 10}, {ID: 1, Name: "Sink: print", Parallelism: 1, RecordsIn: 10}}},
			{ID: runningID, Name: "counts", State: "RUNNING", Type: "STREAMING", Start: t0.Add(-90 * time.Second), MaxParallelism: 128,
				Operators:   []Operator{{ID: 0, Name: "Source: numbers", Parallelism: 2, RecordsOut: 1000}, {ID: 1, Name: "Map", Parallelism: 2, RecordsIn: 1000, RecordsOut: 998}},
				Checkpoints: &CheckpointStats{Completed: 3, Failed: 1, LastID: 4, LastDurationMs: 120, LastSize: 2048, LastPath: "/ck/0123/chk-4"}},
			{ID: plainID, Name: "plain", State: "RUNNING", Type: "STREAMING", Start: t0.Add(-10 * time.Second), MaxParallelism: 128},
		},
		result: func(id, dir string) (string, error) {
			if dir == "" {
				dir = "/configured" // the job's execution.checkpointing.savepoint-dir
			}
			return dir + "/savepoint-012345-aaaaaaaaaaaa", nil
		},
	}
}

func (f *fakeEngine) Jobs() []Job {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Job(nil), f.jobs...)
}

func (f *fakeEngine) Job(id string) (Job, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, j := range f.jobs {
		if j.ID == id {
			return j, true
		}
	}
	return Job{}, false
}

func (f *fakeEngine) Cancel(id string) error {
	j, ok := f.Job(id)
	switch {
	case !ok:
		return ErrNotFound
	case terminal(j.State):
		return ErrNotRunning
	}
	f.mu.Lock()
	f.canceled = append(f.canceled, id)
	f.mu.Unlock()
	return nil
}

func (f *fakeEngine) Savepoint(id, dir string, stop, drain bool) (string, error) {
	if f.release != nil {
		<-f.release
	}
	f.mu.Lock()
	mode := map[bool]string{true: "stop", false: "keep"}[stop]
	if drain {
		mode = "drain"
	}
	f.taken = append(f.taken, strings.Join([]string{id, dir, mode}, " "))
	f.mu.Unlock()
	return f.result(id, dir)
}

func newTestHandler(f *fakeEngine) *Handler {
	n := 0
	return NewHandler(f, Options{Now: func() time.Time { return t0 }, Version: "test", NewTriggerID: func() string {
		n++
		return strings.Repeat("0", 30) + string(rune('a'+n/10)) + string(rune('0'+n%10))
	}})
}

func do(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	h.ServeHTTP(w, r)
	return w
}

// checkGolden compares a JSON response body with testdata/<name>.json
// (both indented alike); -update rewrites the file.
func checkGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		t.Fatalf("%s: the body is not JSON: %v\n%s", name, err, body)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s: body differs from %s:\n%s", name, path, buf.String())
	}
}

// TestHandlers: each request's status code and body (golden JSON).
func TestHandlers(t *testing.T) {
	tests := []struct {
		golden, method, path, body string
		status                     int
	}{
		{"overview", "GET", "/overview", "", 200},
		{"config", "GET", "/config", "", 200},
		{"jobs", "GET", "/jobs", "", 200},
		{"jobs_overview", "GET", "/jobs/overview", "", 200},
		{"jobs_overview", "GET", "/v1/jobs/overview", "", 200}, // Flink's versioned prefix
		{"job_running", "GET", "/v1/jobs/" + runningID, "", 200},
		{"job_running", "GET", "/jobs/" + runningID, "", 200},
		{"job_finished", "GET", "/jobs/" + finishedID, "", 200},
		{"job_unknown", "GET", "/jobs/" + unknownID, "", 404},
		{"job_bad_id", "GET", "/jobs/not-a-job", "", 400},
		{"cancel", "PATCH", "/jobs/" + runningID + "?mode=cancel", "", 202},
		{"cancel_unknown", "PATCH", "/jobs/" + unknownID + "?mode=cancel", "", 404},
		{"cancel_finished", "PATCH", "/jobs/" + finishedID + "?mode=cancel", "", 409},
		{"cancel_bad_mode", "PATCH", "/jobs/" + runningID + "?mode=stop", "", 400},
		{"checkpoints", "GET", "/jobs/" + runningID + "/checkpoints", "", 200},
		{"checkpoints_disabled", "GET", "/jobs/" + plainID + "/checkpoints", "", 404},
		{"savepoint_unknown", "POST", "/jobs/" + unknownID + "/savepoints", `{"target-directory": "/sp"}`, 404},
		{"savepoint_bad_body", "POST", "/jobs/" + runningID + "/savepoints", `{"target-dir": "/sp"}`, 400},
		{"savepoint_not_json", "POST", "/jobs/" + runningID + "/savepoints", `target=/sp`, 400},
		{"savepoint_bad_format", "POST", "/jobs/" + runningID + "/savepoints", `{"formatType": "ZIP"}`, 400},
		{"savepoint_finished", "POST", "/jobs/" + finishedID + "/savepoints", `{"target-directory": "/sp"}`, 409},
		{"stop_bad_body", "POST", "/jobs/" + runningID + "/stop", `{"target-directory": "/sp"}`, 400},
		{"status_unknown_trigger", "GET", "/jobs/" + runningID + "/savepoints/" + unknownID, "", 404},
		{"not_found", "GET", "/taskmanagers", "", 404},
		{"wrong_method", "DELETE", "/jobs", "", 405},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			f := newFake()
			w := do(newTestHandler(f), tt.method, tt.path, tt.body)
			if w.Code != tt.status {
				t.Errorf("%s %s: status %d, want %d (%s)", tt.method, tt.path, w.Code, tt.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			checkGolden(t, tt.golden, w.Body.Bytes())
			if tt.golden == "cancel" && (len(f.canceled) != 1 || f.canceled[0] != runningID) {
				t.Errorf("canceled %v, want [%s]", f.canceled, runningID)
			}
			if len(f.taken) != 0 {
				t.Errorf("a rejected request took a savepoint: %v", f.taken)
			}
		})
	}
}

// TestSavepointOperation: a trigger answers a request id at once; the status
// is IN_PROGRESS until the engine's savepoint returns, then COMPLETED with
// its location (or its failure cause), for savepoints and stop-with-savepoint.
func TestSavepointOperation(t *testing.T) {
	tests := []struct {
		name, path, body string
		fail             bool
		wantTaken        string
		golden           string
	}{
		{"savepoint", "/savepoints", `{"target-directory": "file:///sp", "cancel-job": false}`, false, runningID + " /sp keep", "savepoint_completed"},
		{"savepoint_default_dir", "/savepoints", ``, false, runningID + "  keep", "savepoint_completed_default_dir"},
		{"cancel_job", "/savepoints", `{"target-directory": "/sp", "cancel-job": true, "formatType": "CANONICAL"}`, false, runningID + " /sp stop", "savepoint_completed"},
		{"stop", "/stop", `{"targetDirectory": "/sp", "drain": false}`, false, runningID + " /sp stop", "savepoint_completed"},
		{"stop_drain", "/stop", `{"targetDirectory": "/sp", "drain": true}`, false, runningID + " /sp drain", "savepoint_completed"},
		{"failed", "/savepoints", `{"target-directory": "/sp"}`, true, runningID + " /sp keep", "savepoint_failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake()
				f.release = make(chan struct{})
				if tt.fail {
					f.result = func(string, string) (string, error) {
						return "", errors.New("savepoint of job " + runningID + ": checkpoint 5 declined by Map (1/2): disk full")
					}
				}
				h := newTestHandler(f)
				w := do(h, "POST", "/jobs/"+runningID+tt.path, tt.body)
				if w.Code != http.StatusAccepted {
					t.Fatalf("trigger: status %d: %s", w.Code, w.Body)
				}
				checkGolden(t, "savepoint_trigger", w.Body.Bytes())
				var tr struct {
					RequestID string `json:"request-id"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &tr); err != nil {
					t.Fatal(err)
				}
				status := "/jobs/" + runningID + "/savepoints/" + tr.RequestID
				synctest.Wait()
				w = do(h, "GET", status, "")
				if w.Code != http.StatusOK {
					t.Fatalf("status: %d: %s", w.Code, w.Body)
				}
				checkGolden(t, "savepoint_in_progress", w.Body.Bytes())
				close(f.release)
				synctest.Wait()
				w = do(h, "GET", status, "")
				checkGolden(t, tt.golden, w.Body.Bytes())
				if len(f.taken) != 1 || f.taken[0] != tt.wantTaken {
					t.Errorf("savepoints taken %q, want [%q]", f.taken, tt.wantTaken)
				}
				// The operation belongs to its job: another job's path does not find it.
				if w := do(h, "GET", "/jobs/"+plainID+"/savepoints/"+tr.RequestID, ""); w.Code != http.StatusNotFound {
					t.Errorf("another job's status path: %d, want 404", w.Code)
				}
			})
		})
	}
}

// TestSavepointTriggerIDIsIdempotent: a retried trigger with the same
// triggerId takes no second savepoint.
func TestSavepointTriggerIDIsIdempotent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake()
		h := newTestHandler(f)
		body := `{"target-directory": "/sp", "triggerId": "` + unknownID + `"}`
		for i := 0; i < 2; i++ {
			w := do(h, "POST", "/jobs/"+runningID+"/savepoints", body)
			if w.Code != http.StatusAccepted || !strings.Contains(w.Body.String(), unknownID) {
				t.Fatalf("trigger %d: %d %s", i, w.Code, w.Body)
			}
			synctest.Wait()
		}
		if len(f.taken) != 1 {
			t.Errorf("savepoints taken %q, want one", f.taken)
		}
	})
}

// TestOperationsEvictOldestFinished: only finished operations are evicted,
// oldest first.
func TestOperationsEvictOldestFinished(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ops := newOperations(2)
		block := make(chan struct{})
		ops.start("slow", runningID, func() (string, error) { <-block; return "s", nil })
		for _, id := range []string{"a", "b", "c"} {
			ops.start(id, runningID, func() (string, error) { return id, nil })
			synctest.Wait()
		}
		for id, want := range map[string]bool{"slow": true, "a": false, "b": true, "c": true} {
			if _, ok := ops.get(id); ok != want {
				t.Errorf("operation %s kept: %v, want %v", id, ok, want)
			}
		}
		close(block)
		synctest.Wait()
		if _, ok := ops.get("b"); ok {
			t.Error("b should be evicted once slow finished")
		}
	})
}
