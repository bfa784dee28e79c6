package pyop

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/engine/window"
	"github.com/pyflink-go/pyflink-go/udf"
)

// keyedContext is the window operator as windowState sees it: a backend
// whose current key WithKey selects (a string key, hashed by its bytes).
type keyedContext struct {
	b       state.Backend
	current string
}

func (c *keyedContext) Backend() state.Backend       { return c.b }
func (c *keyedContext) CurrentWatermark() int64      { return 0 }
func (c *keyedContext) CurrentProcessingTime() int64 { return 0 }
func (c *keyedContext) Merging() bool                { return false }

func (c *keyedContext) WithKey(key any, fn func() error) error {
	k := []byte(key.(string))
	prev := c.current
	c.b.SetCurrentKey(keygroup.ForHash(keygroup.BytesHash(k), 128), k)
	c.current = key.(string)
	err := fn()
	if prev != "" {
		c.b.SetCurrentKey(keygroup.ForHash(keygroup.BytesHash([]byte(prev)), 128), []byte(prev))
	}
	c.current = prev
	return err
}

func openTestWindowState(t *testing.T, backend string) (*windowState, *keyedContext) {
	t.Helper()
	dir := ""
	if backend == "pebble" {
		dir = t.TempDir()
	}
	b, err := state.Open(map[string]string{"state.backend.type": backend}, dir, keygroup.RangeFor(128, 1, 0), 128, fixedClock{time.UnixMilli(0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx := &keyedContext{b: b}
	ws, err := openWindowState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ws, ctx
}

// installed renders a batch's installed entries as key/name=value@scope:window.
func installed(b *udf.Batch) []string {
	var out []string
	for _, e := range b.State {
		s := fmt.Sprintf("%s/%s=%s", e.Key, e.Name, e.Value)
		if e.Scope != "" {
			s += fmt.Sprintf("@%s:%s[%d,%d]", e.Scope, e.Window.Kind, e.Window.Start, e.Window.End)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// TestWindowStateTravelsWithBatches: what a result writes back, the next
// batch of the same panes installs; global_state() goes only with window
// rows, trigger state only with trigger calls (merged windows included);
// a nil write-back removes the state.
func TestWindowStateTravelsWithBatches(t *testing.T) {
	for _, backend := range []string{"hashmap", "pebble"} {
		t.Run(backend, func(t *testing.T) {
			ws, ctx := openTestWindowState(t, backend)
			w05, w510 := window.TimeWindow(0, 5), window.TimeWindow(5, 10)
			keys := map[string]any{"a": "a", "b": "b"}
			err := ws.writeBack([]udf.StateEntry{
				{Key: value.Raw("a"), Name: "total", Value: value.Raw("3")},
				{Key: value.Raw("a"), Name: "fired", Value: value.Raw("1"), Scope: udf.ScopeWindow, Window: toUDFWindow(w05)},
				{Key: value.Raw("a"), Name: "fired", Value: value.Raw("2"), Scope: udf.ScopeWindow, Window: toUDFWindow(w510)},
				{Key: value.Raw("a"), Name: "count", Value: value.Raw("4"), Scope: udf.ScopeTrigger, Window: toUDFWindow(w510)},
				{Key: value.Raw("b"), Name: "count", Value: value.Raw("5"), Scope: udf.ScopeTrigger, Window: &udf.Window{Kind: udf.CountWindowKind, Start: 7}},
			}, keys)
			if err != nil {
				t.Fatal(err)
			}
			if ctx.current != "" {
				t.Fatalf("the write-back left key %q current", ctx.current)
			}

			rows := &udf.Batch{Rows: []udf.Row{{Key: value.Raw("a")}, {Key: value.Raw("a")}}}
			got, err := ws.install(rows, []pane{{"a", []window.Window{w05}}, {"a", []window.Window{w05}}}, udf.ScopeWindow)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "window rows", installed(rows), []string{"a/fired=1@window:time[0,5]", "a/total=3"})
			if got["a"] != "a" || len(got) != 1 {
				t.Fatalf("keys %v", got)
			}

			calls := &udf.Batch{Rows: []udf.Row{{Key: value.Raw("a")}, {Key: value.Raw("b")}}}
			if _, err := ws.install(calls, []pane{{"a", []window.Window{window.TimeWindow(0, 10), w05, w510}}, {"b", []window.Window{window.CountWindow(7)}}}, udf.ScopeTrigger); err != nil {
				t.Fatal(err)
			}
			eq(t, "trigger calls", installed(calls), []string{"a/count=4@trigger:time[5,10]", "b/count=5@trigger:count[7,0]"})

			if err := ws.writeBack([]udf.StateEntry{{Key: value.Raw("a"), Name: "fired", Scope: udf.ScopeWindow, Window: toUDFWindow(w05)},
				{Key: value.Raw("a"), Name: "total"}}, keys); err != nil {
				t.Fatal(err)
			}
			again := &udf.Batch{Rows: []udf.Row{{Key: value.Raw("a")}}}
			if _, err := ws.install(again, []pane{{"a", []window.Window{w05, w510}}}, udf.ScopeWindow); err != nil {
				t.Fatal(err)
			}
			eq(t, "after clearing", installed(again), []string{"a/fired=2@window:time[5,10]"})
		})
	}
}

// TestWindowStateWriteBackErrors: a write-back of a key the batch did not
// have, of an unknown scope or without a window is an error, not a guess.
func TestWindowStateWriteBackErrors(t *testing.T) {
	ws, _ := openTestWindowState(t, "hashmap")
	keys := map[string]any{"a": "a"}
	cases := []struct {
		entry udf.StateEntry
		want  string
	}{
		{udf.StateEntry{Key: value.Raw("z"), Name: "n", Value: value.Raw("1")}, "did not have"},
		{udf.StateEntry{Key: value.Raw("a"), Name: "n", Value: value.Raw("1"), Scope: "session", Window: &udf.Window{Kind: udf.GlobalWindowKind}}, "unknown scope"},
		{udf.StateEntry{Key: value.Raw("a"), Name: "n", Value: value.Raw("1"), Scope: udf.ScopeWindow}, "no window"},
	}
	for _, c := range cases {
		if err := ws.writeBack([]udf.StateEntry{c.entry}, keys); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.entry, err, c.want)
		}
	}
}
