package local

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/pyflink-go/pyflink-go/udf"
)

func restPlan(t *testing.T, name string, config map[string]string) []byte {
	t.Helper()
	b, err := msgpack.Marshal(map[string]any{"version": 1, "job_name": name, "mode": "STREAMING", "parallelism": 2,
		"max_parallelism": 128, "config": config, "nodes": []node{
			{"id": 0, "kind": "number_sequence_source", "name": "Source: seq", "out_type": node{"t": "LONG"}, "params": node{"from": 1, "to": 100}},
			{"id": 1, "kind": "print_sink", "name": "Print to Std. Out", "inputs": in(0, "auto")}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func waitEnded(t *testing.T, e *Engine, id int64) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		b, err := e.Poll(id, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		var env envelope
		if err := msgpack.Unmarshal(b, &env); err != nil {
			t.Fatal(err)
		}
		if terminal(env.State) {
			return
		}
	}
	t.Fatal("job did not end")
}

func get(t *testing.T, method, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestRESTEndpoint: a job that sets rest.port starts the engine's endpoint,
// which lists it with its Flink job id, keeps listing it after release, and
// refuses to cancel it once it has ended.
func TestRESTEndpoint(t *testing.T) {
	e := &Engine{jobs: map[int64]*job{}, pools: map[string]*udf.Pool{}}
	if e.RESTAddress() != "" {
		t.Fatal("an endpoint before any job asked for one")
	}
	id, err := e.Submit(restPlan(t, "rest job", map[string]string{"rest.port": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	waitEnded(t, e, id)
	addr := e.RESTAddress()
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("endpoint at %q, want 127.0.0.1:<port>", addr)
	}
	jobID := e.jobs[id].jobID
	check := func(when string) {
		code, body := get(t, "GET", "http://"+addr+"/jobs/overview")
		var ov struct {
			Jobs []struct {
				JID, Name, State string
				Tasks            map[string]int
			}
		}
		if err := json.Unmarshal([]byte(body), &ov); code != 200 || err != nil {
			t.Fatalf("%s: /jobs/overview: %d %s (%v)", when, code, body, err)
		}
		if len(ov.Jobs) != 1 || ov.Jobs[0].JID != jobID || ov.Jobs[0].Name != "rest job" || ov.Jobs[0].State != "FINISHED" ||
			ov.Jobs[0].Tasks["finished"] != 4 {
			t.Errorf("%s: /jobs/overview = %s, want job %s FINISHED with 4 tasks", when, body, jobID)
		}
		if code, body := get(t, "PATCH", "http://"+addr+"/jobs/"+jobID+"?mode=cancel"); code != 409 {
			t.Errorf("%s: cancel of an ended job: %d %s, want 409", when, code, body)
		}
	}
	check("before release")
	e.Release(id)
	check("after release")
	if code, _ := get(t, "GET", "http://"+addr+"/jobs/"+strings.Repeat("a", 32)); code != 404 {
		t.Errorf("unknown job: %d, want 404", code)
	}

	// A second job asking for the same settings shares the endpoint.
	id2, err := e.Submit(restPlan(t, "second", map[string]string{"rest.port": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	waitEnded(t, e, id2)
	if e.RESTAddress() != addr {
		t.Errorf("second job moved the endpoint from %s to %s", addr, e.RESTAddress())
	}
	if code, body := get(t, "GET", "http://"+addr+"/jobs"); code != 200 || strings.Count(body, `"FINISHED"`) != 2 {
		t.Errorf("/jobs = %d %s, want both jobs FINISHED", code, body)
	}
	e.Release(id2)
	closeREST(e)
}

// TestRESTBadPort: a bad rest.port fails the submission with the key named.
func TestRESTBadPort(t *testing.T) {
	e := &Engine{jobs: map[int64]*job{}, pools: map[string]*udf.Pool{}}
	_, err := e.Submit(restPlan(t, "bad", map[string]string{"rest.port": "eighty"}))
	if err == nil || !strings.Contains(err.Error(), `rest.port: "eighty" is not a port`) {
		t.Fatalf("err = %v", err)
	}
	if len(e.jobs) != 0 {
		t.Errorf("a refused job was registered")
	}
}

func closeREST(e *Engine) {
	e.web.mu.Lock()
	defer e.web.mu.Unlock()
	if e.web.server != nil {
		_ = e.web.server.Close()
		e.web.server = nil
	}
}
