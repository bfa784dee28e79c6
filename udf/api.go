// Package udf runs Python user functions for the engine: a pool of Python
// worker processes reached over gRPC (unix sockets) with a msgpack codec.
// A task opens one Stream per fused chain of Python operators and pushes
// batches of records through it; results come back in submission order.
// The wire protocol is written down in SPEC.md.
package udf

import "github.com/pyflink-go/pyflink-go/engine/value"

// OpSpec is one Python operator of a fused chain.
type OpSpec struct {
	Func   string         // map, flat_map, filter, key_by, reduce, to_string, timestamp_assigner, process, keyed_process, window, co_* and *broadcast_process (SPEC.md §4)
	Name   string         // operator name, used in error messages
	Fn     []byte         // cloudpickle bytes of the user's callable or Function object; nil for to_string
	Params map[string]any // per func, e.g. {"style": "pickled"} for to_string
}

// TaskInfo is what a RuntimeContext reports to user functions.
type TaskInfo struct {
	JobName        string
	TaskName       string
	Subtask        int // 0-based
	Parallelism    int
	MaxParallelism int
	Attempt        int
	JobParameters  map[string]string
	Mode           string // STREAMING or BATCH
}

// ChainSpec is a fused chain of Python operators run by one worker call per batch.
// If the first operator is keyed (reduce, keyed_process, a keyed window, or
// map/flat_map/filter with Params["keyed"]), every input Row carries a Key.
// If the last operator is key_by, every output Row carries the Key it computed.
type ChainSpec struct {
	Ops  []OpSpec
	Task TaskInfo
}

// Row is one record crossing to or from Python.
type Row struct {
	Key   value.Raw // encoded key; nil when the record has none
	Value value.Raw // encoded value
	// Timestamp is the record's event time in ms; NoTimestamp when it has none.
	// Outputs of an operator inherit the timestamp of the input (or timer, or
	// window) that produced them unless a timestamp_assigner set one.
	Timestamp int64
	// Tag names the side output an output row belongs to ("" = main output):
	// what `yield output_tag, value` produces.
	Tag string
	// Input is 0 or 1: which input of a two-input operator (connect) the row came from.
	Input int
	// Window is set on the input rows of a `window` operator: the window that
	// fires, whose elements are the encoded array in Value; or, when Value is
	// the encoded nil, the window whose state is being cleaned up (its
	// function's clear(context) runs).
	Window *Window
}

// NoTimestamp marks a row without an event timestamp (math.MinInt64, as types.NoTimestamp).
const NoTimestamp int64 = -1 << 63

// Window is a window being fired or cleaned up: a time window [Start, End)
// (Kind "time"), the global window (Kind "global"; Start = End = 0), or a
// count window (Kind "count"; its id in Start, End = 0). The max timestamp of
// global and count windows is MaxInt64.
type Window struct {
	Kind       string // "time", "global" or "count"
	Start, End int64
}

// The window kinds of Window.Kind.
const (
	TimeWindowKind   = "time"
	GlobalWindowKind = "global"
	CountWindowKind  = "count"
)

// Timer is an event- or processing-time timer of one key, to fire in the worker.
type Timer struct {
	Key       value.Raw
	Timestamp int64
	Domain    TimeDomain
}

// TimerOp is a timer registration or deletion made by a user function.
type TimerOp struct {
	Key       value.Raw
	Timestamp int64
	Domain    TimeDomain
	Delete    bool
}

// TimeDomain says which clock a timer follows.
type TimeDomain int

// The time domains, numbered as PyFlink's TimeDomain.
const (
	EventTime      TimeDomain = 0
	ProcessingTime TimeDomain = 1
)

// StateDecl is a keyed state a function declared (RuntimeContext.get_state and
// friends, called in open() or lazily): the engine stores it per key.
type StateDecl struct {
	Name string
	Kind string // value, list, map, reducing, aggregating
	// TTL in ms (0 = none), and its update type and visibility as PyFlink names them.
	TTL        int64
	TTLUpdate  string // OnCreateAndWrite | OnReadAndWrite
	Visibility string // NeverReturnExpired | ReturnExpiredIfNotCleanedUp
}

// StateEntry is one keyed state value: Value nil means cleared.
type StateEntry struct {
	Key   value.Raw
	Name  string // state name ("reduce" for the reduce accumulator)
	Value value.Raw
	// Scope, when set, says the state belongs to a key and a window (a
	// window chain's ScopeWindow or ScopeTrigger state): Window is that window.
	Scope  string
	Window *Window
}

// The scopes of window chains' state (StateEntry.Scope).
const (
	// ScopeWindow is a ProcessWindowFunction's context.window_state().
	ScopeWindow = "window"
	// ScopeTrigger is a custom trigger's ctx.get_partitioned_state().
	ScopeTrigger = "trigger"
)

// Batch is a unit of work for a Stream.
type Batch struct {
	Rows []Row
	// State to install in the worker before processing (keys the worker does not hold).
	State []StateEntry
	// Evict lists keys whose state the worker must write back and drop after this batch.
	Evict []value.Raw
	// Final asks keyed chains in BATCH mode to emit each key's final value (end of input).
	Final bool
	// Watermark is the operator's current watermark (MinInt64 before the first),
	// what ctx.timer_service().current_watermark() returns.
	Watermark int64
	// ProcessingTime is the engine's current processing time in ms.
	ProcessingTime int64
	// Timers to fire after the rows, in this order (keyed process functions).
	Timers []Timer
	// Broadcast replaces broadcast states of a (keyed) broadcast process
	// function before processing (installed once after a restore).
	Broadcast []BroadcastState
	// Snapshot asks for the chain's broadcast states after the batch, in
	// Result.Broadcast (a checkpoint's copy).
	Snapshot bool
}

// BroadcastState is the whole content of one broadcast state of a (keyed)
// broadcast process function: the name of its MapStateDescriptor and its
// map, encoded as one value.
type BroadcastState struct {
	Name  string
	Value value.Raw
}

// Result is the worker's answer to one Batch, in submission order. The Raw
// values of Rows and State point into one buffer per result (the received
// message): keeping a few of them keeps the whole buffer alive, so copy those
// that outlive the batch if most do not.
type Result struct {
	Rows  []Row
	State []StateEntry // state written while processing the batch (write-back, see SPEC.md §3)
	// TimerOps are the timers registered or deleted while processing the batch, in order.
	TimerOps []TimerOp
	// States lists keyed states declared for the first time during this batch
	// (or at open), so the engine knows what to install for later keys.
	States []StateDecl
	// Broadcast holds every broadcast state of the chain when the batch
	// asked for a Snapshot (non-nil then, even when there are none).
	Broadcast []BroadcastState
	Err       error // a *UserError when a user function raised, a *WorkerCrashedError when the worker died
}

// UserError is a Python exception raised by a user function.
type UserError struct {
	Operator  string // operator name
	Message   string // str(exception) with its type, e.g. "ZeroDivisionError: division by zero"
	Traceback string // the formatted Python traceback
}

// Error names the operator and gives the Python message and traceback.
func (e *UserError) Error() string {
	return "Python function in operator " + e.Operator + " failed: " + e.Message + "\n" + e.Traceback
}

// Stream is an open fused chain in one worker. Submit and Results may be used from
// different goroutines; Submit blocks while MaxInFlight batches are outstanding
// (a batch stops being outstanding once its Result is queued on Results, which
// buffers MaxInFlight results), so drain Results while submitting.
type Stream interface {
	Submit(b *Batch) error
	Results() <-chan *Result // closed after Close, or after a fatal error was delivered
	Close() error            // runs the functions' close(), then ends the stream
}

// StateDeclarer is implemented by the streams of this package: the keyed
// states the chain's functions declared in open(), known as soon as Open
// returns (they are also in the first Result's States), so an engine that
// restores state can install it with the first batch.
type StateDeclarer interface {
	OpenStates() []StateDecl
}

// The pool is Config (config.go) and Pool (pool.go): NewPool or Shared, then
// Prestart, Open and Close. Workers that die surface as *WorkerCrashedError
// (errors.go); the protocol is in SPEC.md.
