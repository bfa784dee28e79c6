package udf

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// fnSource is a Python function for a test: code to exec (optional) and the expression to pickle.
type fnSource struct {
	Code string `json:"code,omitempty"`
	Expr string `json:"expr"`
}

// testFunctions are pickled once per test binary by testdata/pickle_fns.py.
var testFunctions = map[string]fnSource{
	"upper_first":   {Expr: "lambda x: (x[0].upper(), x[1])"},
	"double":        {Expr: "lambda x: x * 2"},
	"inc":           {Expr: "lambda x: x + 1"},
	"split_words":   {Expr: "lambda s: s.split()"},
	"gen_repeat":    {Code: "def gen(x):\n    for i in range(x):\n        yield (x, i)\n", Expr: "gen"},
	"is_odd":        {Expr: "lambda x: x % 2"},
	"truthy":        {Expr: "lambda x: x"},
	"first":         {Expr: "lambda x: x[0]"},
	"add_pairs":     {Expr: "lambda a, b: (a[0], a[1] + b[1])"},
	"add":           {Expr: "lambda a, b: a + b"},
	"div_zero":      {Expr: "lambda x: x / 0"},
	"none_flat":     {Expr: "lambda x: None"},
	"as_string":     {Expr: "lambda x: 'v=%s' % (x,)"},
	"as_list":       {Expr: "lambda x: [x, str(x)]"},
	"as_float":      {Expr: "lambda x: x / 10"},
	"identity":      {Expr: "lambda x: x"},
	"not_callable":  {Expr: "42"},
	"bench_map":     {Expr: "lambda r: (r[0], r[1] * 2, r[2])"}, // BenchmarkPythonMap; keep in step with bench_loop.py
	"print_and_inc": {Expr: "lambda x: (print('udf says', x, flush=True), x + 1)[1]"},
	"sleep":         {Code: "import time\n", Expr: "lambda x: (time.sleep(x), x)[1]"},
	"ref_double":    {Code: "from pfg_only_here import double\n", Expr: "double"},
	"list_sum_inplace": {Code: `
def add_in_place(a, b):
    a[1] = a[1] + b[1]
    return a
`, Expr: "add_in_place"},
	"map_function": {Code: `
class Tag:
    def open(self, ctx):
        self.tag = '%s|%s|%d/%d|%d|%s' % (ctx.get_task_name(), ctx.get_task_name_with_subtasks(),
            ctx.get_index_of_this_subtask(), ctx.get_number_of_parallel_subtasks(),
            ctx.get_max_number_of_parallel_subtasks(), ctx.get_job_parameter('who', 'nobody'))
        ctx.get_metrics_group().add_group('g').counter('c').inc()
    def map(self, value):
        return (self.tag, value)
`, Expr: "Tag()"},
	"key_selector": {Code: `
class ByMod:
    def get_key(self, value):
        return value % 3
`, Expr: "ByMod()"},
	"open_raises": {Code: `
class Bad:
    def open(self, ctx):
        raise RuntimeError('cannot open ' + ctx.get_task_name())
    def map(self, value):
        return value
`, Expr: "Bad()"},
	"close_raises": {Code: `
class BadClose:
    def map(self, value):
        return value
    def close(self):
        raise ValueError('close failed')
`, Expr: "BadClose()"},
	"stamp_tens": {Expr: "lambda v, ts: v * 10 if ts is None else ts + 1"},
	"side_split": {Code: `
from pyflink_go.datastream.output_tag import OutputTag
from pyflink_go.common.typeinfo import Types
ODD = OutputTag('odd', Types.STRING())
def split(x):
    yield x
    if x % 2:
        yield ODD, 'odd %d' % x
`, Expr: "split"},
	"describe_process": {Code: `
from pyflink_go.datastream.functions import ProcessFunction
class Describe(ProcessFunction):
    def process_element(self, value, ctx):
        if value == 'timer':
            ctx.timer_service().register_event_time_timer(1)
        s = ctx.timer_service()
        return [(value, ctx.timestamp(), s.current_watermark(), s.current_processing_time())]
`, Expr: "Describe()"},
	"count_timeout": {Code: `
from pyflink_go.datastream.functions import KeyedProcessFunction
from pyflink_go.datastream.state import ValueStateDescriptor
from pyflink_go.datastream.time_domain import TimeDomain
from pyflink_go.common.typeinfo import Types
class CountWithTimeout(KeyedProcessFunction):
    def open(self, ctx):
        self.count = ctx.get_state(ValueStateDescriptor('count', Types.LONG()))
    def process_element(self, value, ctx):
        n = (self.count.value() or 0) + 1
        self.count.update(n)
        ctx.timer_service().register_event_time_timer(ctx.timestamp() + 10)
        ctx.timer_service().register_event_time_timer(ctx.timestamp() + 10)
        if value[1] == 'cancel':
            ctx.timer_service().delete_event_time_timer(ctx.timestamp() + 10)
        yield ctx.get_current_key(), n
    def on_timer(self, timestamp, ctx):
        yield ctx.get_current_key(), timestamp, ctx.time_domain().name, self.count.value()
        if ctx.time_domain() == TimeDomain.EVENT_TIME:
            ctx.timer_service().register_processing_time_timer(timestamp + 1000)
        self.count.clear()
`, Expr: "CountWithTimeout()"},
	"keyed_lists": {Code: `
from pyflink_go.datastream.functions import MapFunction
from pyflink_go.datastream.state import ListStateDescriptor, MapStateDescriptor
from pyflink_go.common.typeinfo import Types
class Collect(MapFunction):
    def open(self, ctx):
        self.seen = ctx.get_list_state(ListStateDescriptor('seen', Types.LONG()))
        self.last = ctx.get_map_state(MapStateDescriptor('last', Types.STRING(), Types.LONG()))
    def map(self, value):
        self.seen.add(value[1])
        self.last[value[0]] = value[1]
        return value[0], self.seen.get(), self.last.items()
`, Expr: "Collect()"},
	"window_count": {Code: `
from pyflink_go.datastream.functions import ProcessWindowFunction
class CountWindow(ProcessWindowFunction):
    def process(self, key, context, elements):
        w = context.window()
        yield key, w.start, w.end, len(elements)
`, Expr: "{'kind': 'process', 'fn': CountWindow(), 'window_fn': None}"},
	"window_all_reduce": {Code: `
from pyflink_go.datastream.functions import ProcessAllWindowFunction
class Describe(ProcessAllWindowFunction):
    def process(self, context, elements):
        yield repr(context.window()), list(elements)
`, Expr: "{'kind': 'reduce', 'fn': lambda a, b: a + b, 'window_fn': Describe()}"},
	"co_join": {Code: `
from pyflink_go.datastream.functions import KeyedCoProcessFunction
from pyflink_go.datastream.state import ValueStateDescriptor
from pyflink_go.common.typeinfo import Types
class Join(KeyedCoProcessFunction):
    def open(self, ctx):
        self.left = ctx.get_state(ValueStateDescriptor('left', Types.STRING()))
    def process_element1(self, value, ctx):
        self.left.update(value[1])
    def process_element2(self, value, ctx):
        yield ctx.get_current_key(), self.left.value(), value[1]
`, Expr: "Join()"},
	"raise_in_helper": {Code: `
def helper(x):
    raise KeyError('missing %s' % x)
def outer(x):
    return helper(x)
`, Expr: "outer"},
}

var (
	pickleOnce sync.Once
	pickled    map[string][]byte
	pickleErr  error
	pythonOnce sync.Once
	pythonExe  string
	pythonErr  error
)

// repoRoot finds the directory holding go.mod above the test's working directory.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// python returns the real interpreter behind python3 (not a version-manager shim, which starts slowly).
func python(t testing.TB) string {
	t.Helper()
	pythonOnce.Do(func() {
		out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
		if err != nil {
			pythonErr = err
			return
		}
		pythonExe = strings.TrimSpace(string(out))
	})
	if pythonErr != nil {
		t.Skipf("python3 is not available: %v", pythonErr)
	}
	return pythonExe
}

// fn returns the cloudpickle bytes of a test function.
func fn(t testing.TB, name string) []byte {
	t.Helper()
	pickleOnce.Do(func() {
		spec, _ := json.Marshal(testFunctions)
		cmd := exec.Command(python(t), filepath.Join(repoRoot(t), "udf", "testdata", "pickle_fns.py"))
		cmd.Stdin = bytes.NewReader(spec)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			pickleErr = &pickleFailure{err: err, stderr: stderr.String()}
			return
		}
		var hexes map[string]string
		if err := json.Unmarshal(out, &hexes); err != nil {
			pickleErr = err
			return
		}
		pickled = map[string][]byte{}
		for k, h := range hexes {
			pickled[k], _ = hex.DecodeString(h)
		}
	})
	if pickleErr != nil {
		t.Fatalf("pickling test functions: %v", pickleErr)
	}
	b, ok := pickled[name]
	if !ok {
		t.Fatalf("no test function %q", name)
	}
	return b
}

type pickleFailure struct {
	err    error
	stderr string
}

func (p *pickleFailure) Error() string { return p.err.Error() + "\n" + p.stderr }

// logLines collects Config.Log lines.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) log(line string) {
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
}

func (l *logLines) contains(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// newTestPool returns a pool of real workers running the repository's python package.
func newTestPool(t testing.TB, workers int, extraPath ...string) (*Pool, *logLines) {
	t.Helper()
	logs := &logLines{}
	p := NewPool(Config{
		Python:  python(t),
		Path:    append([]string{filepath.Join(repoRoot(t), "python")}, extraPath...),
		Workers: workers,
		Log:     logs.log,
	})
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("pool close: %v", err)
		}
	})
	return p, logs
}

// enc encodes a Go value for a test.
func enc(t testing.TB, v any) value.Raw {
	t.Helper()
	b, err := value.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dec decodes a Raw for a test.
func dec(t testing.TB, r value.Raw) any {
	t.Helper()
	v, err := value.Decode(r)
	if err != nil {
		t.Fatalf("decode %x: %v", r, err)
	}
	return v
}

// rowsOf builds unkeyed rows from Go values.
func rowsOf(t testing.TB, vals ...any) []Row {
	rows := make([]Row, len(vals))
	for i, v := range vals {
		rows[i] = Row{Value: enc(t, v), Timestamp: NoTimestamp}
	}
	return rows
}

// values decodes the values of result rows.
func values(t testing.TB, rows []Row) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = dec(t, r.Value)
	}
	return out
}

// testTimeout bounds every wait in these tests: a hang fails instead of blocking the run.
const testTimeout = 30 * time.Second

// next receives one result or fails after testTimeout.
func next(t testing.TB, s Stream) *Result {
	t.Helper()
	select {
	case r, ok := <-s.Results():
		if !ok {
			t.Fatal("results closed early")
		}
		return r
	case <-time.After(testTimeout):
		t.Fatal("no result within the test timeout")
	}
	return nil
}

// run submits one batch and returns its result, failing on any error.
func run(t testing.TB, s Stream, b *Batch) *Result {
	t.Helper()
	if err := s.Submit(b); err != nil {
		t.Fatalf("submit: %v", err)
	}
	r := next(t, s)
	if r.Err != nil {
		t.Fatalf("result error: %v", r.Err)
	}
	return r
}

// openChain opens a stream with a test deadline.
func openChain(t testing.TB, p *Pool, spec ChainSpec) Stream {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	s, err := p.Open(ctx, spec)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

// op builds an OpSpec.
func op(fnc, name string, fn []byte, params map[string]any) OpSpec {
	return OpSpec{Func: fnc, Name: name, Fn: fn, Params: params}
}
