package local

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

type node = map[string]any

func planBytes(t *testing.T, parallelism int, nodes ...node) []byte {
	t.Helper()
	b, err := msgpack.Marshal(map[string]any{"version": 1, "job_name": "test", "mode": "STREAMING",
		"parallelism": parallelism, "max_parallelism": 128, "nodes": nodes})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func in(id int, partition string) []any {
	return []any{map[string]any{"node": id, "partition": partition}}
}

// runToEnd submits a plan and polls until the job ends, returning the final
// envelope's state and every printed line.
func runToEnd(t *testing.T, plan []byte) (string, []string, map[string]any) {
	t.Helper()
	e := Default()
	id, err := e.Submit(plan)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Release(id)
	var lines []string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, err := e.Poll(id, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		var env map[string]any
		if err := msgpack.Unmarshal(b, &env); err != nil {
			t.Fatal(err)
		}
		for _, l := range env["out"].([]any) {
			lines = append(lines, l.(string))
		}
		if st := env["state"].(string); st == "FINISHED" || st == "FAILED" || st == "CANCELED" {
			return st, lines, env
		}
	}
	t.Fatal("job did not end")
	return "", nil, nil
}

func TestNumberSequenceToPrint(t *testing.T) {
	for _, p := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("p%d", p), func(t *testing.T) {
			plan := planBytes(t, p,
				node{"id": 0, "kind": "number_sequence_source", "name": "Source: seq", "out_type": node{"t": "LONG"},
					"params": node{"from": 1, "to": 1000}},
				node{"id": 1, "kind": "print_sink", "name": "Print to Std. Out", "inputs": in(0, "auto")})
			st, lines, _ := runToEnd(t, plan)
			if st != "FINISHED" {
				t.Fatalf("state %s", st)
			}
			if len(lines) != 1000 {
				t.Fatalf("got %d lines", len(lines))
			}
			var vals []string
			for _, l := range lines {
				if p > 1 {
					prefix, v, ok := strings.Cut(l, "> ")
					if !ok || prefix < "1" || prefix > fmt.Sprint(p) {
						t.Fatalf("line %q has no subtask prefix", l)
					}
					l = v
				} else if strings.Contains(l, ">") {
					t.Fatalf("line %q has a prefix at parallelism 1", l)
				}
				vals = append(vals, l)
			}
			sort.Slice(vals, func(i, j int) bool {
				return len(vals[i]) < len(vals[j]) || len(vals[i]) == len(vals[j]) && vals[i] < vals[j]
			})
			if vals[0] != "1" || vals[999] != "1000" {
				t.Fatalf("values %s..%s", vals[0], vals[999])
			}
		})
	}
}

func TestFileSourceToFileSink(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(input, []byte("a\nb\r\nc"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	plan := planBytes(t, 1,
		node{"id": 0, "kind": "file_source", "name": "Source: file", "out_type": node{"t": "STRING"},
			"params": node{"paths": []string{input}, "format": "text_line"}},
		node{"id": 1, "kind": "file_sink", "name": "Sink: file", "inputs": in(0, "auto"),
			"params": node{"base_path": out, "bucket_assigner": "base_path", "legacy": true}})
	st, _, env := runToEnd(t, plan)
	if st != "FINISHED" {
		t.Fatalf("state %s: %v", st, env["error"])
	}
	b, err := os.ReadFile(filepath.Join(out, "part-0-0"))
	if err != nil {
		entries, _ := os.ReadDir(out)
		t.Fatalf("%v; dir has %v", err, entries)
	}
	if string(b) != "a\nb\nc\n" {
		t.Fatalf("part file = %q", b)
	}
}

func TestBadPlans(t *testing.T) {
	e := Default()
	for _, tc := range []struct {
		name string
		plan []byte
		want string
	}{
		{"garbage", []byte{0xc1, 0x00}, "plan: cannot decode"},
		{"empty", []byte{}, "plan:"},
		{"no nodes", planBytes(t, 1), "no operators"},
		{"unknown kind", planBytes(t, 1, node{"id": 0, "kind": "teleport", "name": "x"}), `unknown kind "teleport"`},
		{"missing input", planBytes(t, 1, node{"id": 0, "kind": "print_sink", "name": "p", "inputs": in(7, "auto")}), "input 7"},
		{"missing file", planBytes(t, 1,
			node{"id": 0, "kind": "file_source", "name": "f", "params": node{"paths": []string{"/no/such/file.txt"}}},
			node{"id": 1, "kind": "print_sink", "name": "p", "inputs": in(0, "auto")}), "/no/such/file.txt"},
		{"no sink", planBytes(t, 1, node{"id": 0, "kind": "number_sequence_source", "name": "s", "params": node{"from": 1, "to": 2}}), "no sinks"},
		{"bad parallelism", func() []byte {
			b, _ := msgpack.Marshal(map[string]any{"version": 1, "parallelism": 0, "nodes": []any{}})
			return b
		}(), "parallelism must be at least 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Submit(tc.plan)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestExecutionPlanJSON(t *testing.T) {
	plan := planBytes(t, 2,
		node{"id": 0, "kind": "number_sequence_source", "name": "Source: seq", "parallelism": 1, "params": node{"from": 1, "to": 3}},
		node{"id": 1, "kind": "print_sink", "name": "Print to Std. Out", "inputs": in(0, "auto")})
	b, err := ExecutionPlanJSON(plan)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"pact": "Data Source"`, `"pact": "Data Sink"`, `"ship_strategy": "REBALANCE"`, `"parallelism": 2`, `"contents": "Sink: Print to Std. Out"`} {
		if !strings.Contains(s, want) {
			t.Errorf("plan JSON lacks %s:\n%s", want, s)
		}
	}
}

func TestExecutionPlanWithoutSink(t *testing.T) {
	plan := planBytes(t, 1, node{"id": 0, "kind": "number_sequence_source", "name": "seq", "params": node{"from": 1, "to": 3}})
	b, err := ExecutionPlanJSON(plan)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"contents": "Source: seq"`) {
		t.Fatalf("plan JSON:\n%s", b)
	}
}
