// Package statetest is the conformance suite of the state backends: golden
// transcripts (testdata/*) of state and timer operations, and a randomized
// differential test, run against every backend so that all of them give the
// same answers.
package statetest

import (
	"fmt"

	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// ManualClock is a Clock tests move by hand.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock at ms milliseconds since the epoch.
func NewManualClock(ms int64) *ManualClock { return &ManualClock{now: time.UnixMilli(ms)} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to ms.
func (c *ManualClock) Set(ms int64) {
	c.mu.Lock()
	c.now = time.UnixMilli(ms)
	c.mu.Unlock()
}

// Advance moves the clock forward by ms.
func (c *ManualClock) Advance(ms int64) {
	c.mu.Lock()
	c.now = c.now.Add(time.Duration(ms) * time.Millisecond)
	c.mu.Unlock()
}

// MaxParallelism is the number of key groups the suite uses; backends under
// test hold all of them.
const MaxParallelism = 128

// Factory opens a backend over all MaxParallelism key groups with clock.
type Factory func(t testing.TB, clock state.Clock) state.Backend

// KeyGroup is the key group of a string key in the suite.
func KeyGroup(key string) int {
	return keygroup.ForHash(keygroup.StringHash(key), MaxParallelism)
}

// Dir is the directory of the suite's golden files.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata")
}

// RunTranscripts replays every file of Dir() against a fresh backend from
// open. Commands:
//
//	clock ms=N | advance ms=N
//	key k=alice                       set the current key
//	value|list|map state=S [ttl=ms update=write|read visibility=never|return]
//	reducing state=S fn=sum|concat [ttl...] | aggregating state=S fn=avg [ttl...]
//	get|update|clear|add|addall|put|mget|remove|contains|iterate|isempty state=S [ns=N] [val=V] [vals=(..)] [uk=U]
//	merge state=S target=N sources=(..)
//	timer op=register|delete kind=event|proc [ns=N] ts=T
//	watermark ts=T | proctime now=T | next kind=event|proc
//	keys state=S [ns=N] | entries key=K | flush
func RunTranscripts(t *testing.T, open Factory) {
	files, err := filepath.Glob(filepath.Join(Dir(), "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts in %s: %v", Dir(), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			clock := NewManualClock(0)
			b := open(t, clock)
			defer b.Close()
			r := &runner{b: b, clock: clock, states: map[string]any{}}
			datadriven.RunTest(t, f, func(t *testing.T, d *datadriven.TestData) string {
				out, err := r.run(t, d)
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				return out
			})
		})
	}
}

type runner struct {
	b      state.Backend
	clock  *ManualClock
	states map[string]any
	key    []byte
}

func arg(d *datadriven.TestData, name string) (string, bool) {
	for _, a := range d.CmdArgs {
		if a.Key == name {
			if len(a.Vals) == 0 {
				return "", true
			}
			return a.Vals[0], true
		}
	}
	return "", false
}

func args(d *datadriven.TestData, name string) [][]byte {
	for _, a := range d.CmdArgs {
		if a.Key == name {
			out := make([][]byte, len(a.Vals))
			for i, v := range a.Vals {
				out[i] = []byte(v)
			}
			return out
		}
	}
	return nil
}

func intArg(t *testing.T, d *datadriven.TestData, name string) int64 {
	v, ok := arg(d, name)
	if !ok {
		d.Fatalf(t, "missing %s", name)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		d.Fatalf(t, "%s: %v", name, err)
	}
	return n
}

func ttlArg(t *testing.T, d *datadriven.TestData) state.TTL {
	var ttl state.TTL
	if _, ok := arg(d, "ttl"); !ok {
		return ttl
	}
	ttl.Millis = intArg(t, d, "ttl")
	if u, _ := arg(d, "update"); u == "read" {
		ttl.Update = state.OnReadAndWrite
	}
	if v, _ := arg(d, "visibility"); v == "return" {
		ttl.Visibility = state.ReturnExpiredIfNotCleanedUp
	}
	return ttl
}

func show(v []byte, ok bool) string {
	if !ok {
		return "(none)\n"
	}
	if len(v) == 0 {
		return "(empty)\n"
	}
	return string(v) + "\n"
}

func sum(a, b []byte) ([]byte, error) {
	x, err := strconv.ParseInt(string(a), 10, 64)
	if err != nil {
		return nil, err
	}
	y, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return nil, err
	}
	return strconv.AppendInt(nil, x+y, 10), nil
}

func concat(a, b []byte) ([]byte, error) {
	return append(append(append([]byte(nil), a...), '+'), b...), nil
}

// avg accumulates "sum/count" and returns the mean with two decimals.
type avg struct{}

func (avg) CreateAccumulator() ([]byte, error) { return []byte("0/0"), nil }
func (avg) parse(acc []byte) (int64, int64, error) {
	s, c, ok := strings.Cut(string(acc), "/")
	if !ok {
		return 0, 0, fmt.Errorf("bad accumulator %q", acc)
	}
	x, err1 := strconv.ParseInt(s, 10, 64)
	y, err2 := strconv.ParseInt(c, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("bad accumulator %q", acc)
	}
	return x, y, nil
}
func (a avg) Add(acc, v []byte) ([]byte, error) {
	s, c, err := a.parse(acc)
	if err != nil {
		return nil, err
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return nil, err
	}
	return []byte(fmt.Sprintf("%d/%d", s+n, c+1)), nil
}
func (a avg) Result(acc []byte) ([]byte, error) {
	s, c, err := a.parse(acc)
	if err != nil || c == 0 {
		return []byte("NaN"), err
	}
	return []byte(strconv.FormatFloat(float64(s)/float64(c), 'f', 2, 64)), nil
}
func (a avg) Merge(x, y []byte) ([]byte, error) {
	s1, c1, err := a.parse(x)
	if err != nil {
		return nil, err
	}
	s2, c2, err := a.parse(y)
	if err != nil {
		return nil, err
	}
	return []byte(fmt.Sprintf("%d/%d", s1+s2, c1+c2)), nil
}

// register keeps a state handle that opened without error.
func (r *runner) register(name string) func(s any, err error) error {
	return func(s any, err error) error {
		if err == nil {
			r.states[name] = s
		}
		return err
	}
}

func (r *runner) state(t *testing.T, d *datadriven.TestData) any {
	name, _ := arg(d, "state")
	s, ok := r.states[name]
	if !ok {
		d.Fatalf(t, "no state %q registered", name)
	}
	ns, _ := arg(d, "ns")
	s.(state.Namespaced).SetNamespace([]byte(ns))
	return s
}

func (r *runner) run(t *testing.T, d *datadriven.TestData) (string, error) {
	name, _ := arg(d, "state")
	switch d.Cmd {
	case "clock":
		r.clock.Set(intArg(t, d, "ms"))
		return "", nil
	case "advance":
		r.clock.Advance(intArg(t, d, "ms"))
		return "", nil
	case "key":
		k, _ := arg(d, "k")
		r.key = []byte(k)
		r.b.SetCurrentKey(KeyGroup(k), r.key)
		return "", nil
	case "value":
		return "", r.register(name)(r.b.Value(state.Descriptor{Name: name, TTL: ttlArg(t, d)}))
	case "list":
		return "", r.register(name)(r.b.List(state.Descriptor{Name: name, TTL: ttlArg(t, d)}))
	case "map":
		return "", r.register(name)(r.b.Map(state.Descriptor{Name: name, TTL: ttlArg(t, d)}))
	case "reducing":
		fn := sum
		if f, _ := arg(d, "fn"); f == "concat" {
			fn = concat
		}
		return "", r.register(name)(r.b.Reducing(state.ReducingDescriptor{Name: name, TTL: ttlArg(t, d), Reduce: fn}))
	case "aggregating":
		return "", r.register(name)(r.b.Aggregating(state.AggregatingDescriptor{Name: name, TTL: ttlArg(t, d), Aggregate: avg{}}))
	case "flush":
		return "", r.b.Flush()
	case "timer":
		return "", r.timer(t, d)
	case "watermark", "proctime":
		return r.fire(t, d)
	case "next":
		ts, err := r.timers(t)
		if err != nil {
			return "", err
		}
		var at int64
		var ok bool
		if k, _ := arg(d, "kind"); k == "proc" {
			at, ok, err = ts.NextProcessingTime()
		} else {
			at, ok, err = ts.NextEventTime()
		}
		if !ok || err != nil {
			return "(none)\n", err
		}
		return fmt.Sprintf("%d\n", at), nil
	case "keys":
		ns, _ := arg(d, "ns")
		var out []string
		err := r.b.Keys(name, []byte(ns), func(kg int, key []byte) error {
			out = append(out, fmt.Sprintf("%d:%s", kg, key))
			return nil
		})
		return strings.Join(out, " ") + "\n", err
	case "entries":
		k, _ := arg(d, "key")
		var b strings.Builder
		err := r.b.Entries(KeyGroup(k), func(e state.Entry) error {
			fmt.Fprintf(&b, "%s %s key=%s ns=%s", e.Table, e.Kind, e.Key, e.Namespace)
			if e.Kind == kv.MapKind {
				fmt.Fprintf(&b, " uk=%s", e.UserKey)
			}
			if e.Kind == kv.TimerKind {
				fmt.Fprintf(&b, " ts=%d", e.Timestamp)
			} else {
				fmt.Fprintf(&b, " value=%q", e.Value)
			}
			b.WriteByte('\n')
			return nil
		})
		return b.String(), err
	}
	return r.access(t, d)
}

func (r *runner) access(t *testing.T, d *datadriven.TestData) (string, error) {
	s := r.state(t, d)
	val, _ := arg(d, "val")
	uk, _ := arg(d, "uk")
	switch d.Cmd {
	case "get":
		switch s := s.(type) {
		case state.ValueState:
			v, ok, err := s.Value()
			return show(v, ok), err
		case state.ReducingState:
			v, ok, err := s.Get()
			return show(v, ok), err
		case state.ListState:
			var out []string
			err := s.Get(func(v []byte) error { out = append(out, string(v)); return nil })
			return "[" + strings.Join(out, " ") + "]\n", err
		}
	case "update":
		switch s := s.(type) {
		case state.ValueState:
			return "", s.Update([]byte(val))
		case state.ListState:
			return "", s.Update(args(d, "vals"))
		}
	case "clear":
		switch s := s.(type) {
		case state.ValueState:
			return "", s.Clear()
		case state.AppendingState:
			return "", s.Clear()
		case state.MapState:
			return "", s.Clear()
		}
	case "add":
		return "", s.(state.AppendingState).Add([]byte(val))
	case "addall":
		return "", s.(state.ListState).AddAll(args(d, "vals"))
	case "merge":
		target, _ := arg(d, "target")
		return "", s.(state.AppendingState).MergeNamespaces([]byte(target), args(d, "sources"))
	case "put":
		return "", s.(state.MapState).Put([]byte(uk), []byte(val))
	case "mget":
		v, ok, err := s.(state.MapState).Get([]byte(uk))
		return show(v, ok), err
	case "remove":
		return "", s.(state.MapState).Remove([]byte(uk))
	case "contains":
		ok, err := s.(state.MapState).Contains([]byte(uk))
		return fmt.Sprintln(ok), err
	case "isempty":
		ok, err := s.(state.MapState).IsEmpty()
		return fmt.Sprintln(ok), err
	case "iterate":
		var out []string
		err := s.(state.MapState).Iterate(func(k, v []byte) error {
			out = append(out, fmt.Sprintf("%s=%s", k, v))
			return nil
		})
		return "{" + strings.Join(out, " ") + "}\n", err
	}
	d.Fatalf(t, "command %q does not apply to state %q (%T)", d.Cmd, d.CmdArgs, s)
	return "", nil
}

func (r *runner) timers(t *testing.T) (state.TimerService, error) {
	return r.b.Timers("timers")
}

func (r *runner) timer(t *testing.T, d *datadriven.TestData) error {
	ts, err := r.timers(t)
	if err != nil {
		return err
	}
	op, _ := arg(d, "op")
	kind, _ := arg(d, "kind")
	ns, _ := arg(d, "ns")
	at := intArg(t, d, "ts")
	switch op + "/" + kind {
	case "register/event":
		return ts.RegisterEventTimeTimer([]byte(ns), at)
	case "delete/event":
		return ts.DeleteEventTimeTimer([]byte(ns), at)
	case "register/proc":
		return ts.RegisterProcessingTimeTimer([]byte(ns), at)
	case "delete/proc":
		return ts.DeleteProcessingTimeTimer([]byte(ns), at)
	}
	d.Fatalf(t, "bad timer op %q kind %q", op, kind)
	return nil
}

// fire advances time; a timer whose namespace starts with "again" registers
// a timer "done" at the same time for its key, which must fire in the same
// advance.
func (r *runner) fire(t *testing.T, d *datadriven.TestData) (string, error) {
	ts, err := r.timers(t)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	cb := func(event bool) func(state.Timer) error {
		return func(tm state.Timer) error {
			kg, key := r.b.CurrentKey()
			if kg != tm.KeyGroup || string(key) != string(tm.Key) {
				return fmt.Errorf("current key %d:%s during timer of %d:%s", kg, key, tm.KeyGroup, tm.Key)
			}
			fmt.Fprintf(&b, "fire ts=%d key=%s ns=%s\n", tm.Timestamp, tm.Key, tm.Namespace)
			if strings.HasPrefix(string(tm.Namespace), "again") {
				if event {
					return ts.RegisterEventTimeTimer([]byte("done"), tm.Timestamp)
				}
				return ts.RegisterProcessingTimeTimer([]byte("done"), tm.Timestamp)
			}
			return nil
		}
	}
	if d.Cmd == "watermark" {
		err = ts.AdvanceWatermark(intArg(t, d, "ts"), cb(true))
		fmt.Fprintf(&b, "watermark=%d\n", ts.CurrentWatermark())
	} else {
		err = ts.AdvanceProcessingTime(intArg(t, d, "now"), cb(false))
	}
	if b.Len() == 0 {
		return "(nothing)\n", err
	}
	return b.String(), err
}

// SortedKeys is a helper for tests that compare key sets.
func SortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TempDir returns a directory for a backend, under $PYFLINK_GO_STATE_DIR
// when set (for tests of state larger than memory on a chosen disk).
func TempDir(t testing.TB) string {
	if base := os.Getenv("PYFLINK_GO_STATE_DIR"); base != "" {
		d, err := os.MkdirTemp(base, "statetest-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(d) })
		return d
	}
	return t.TempDir()
}
