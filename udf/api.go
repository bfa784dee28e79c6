// Package udf runs Python user functions for the engine: a pool of Python
// worker processes reached over gRPC (unix sockets) with a msgpack codec.
// A task opens one Stream per fused chain of Python operators and pushes
// batches of records through it; results come back in submission order.
// The wire protocol is written down in SPEC.md.
package udf

import "github.com/pyflink-go/pyflink-go/engine/value"

// OpSpec is one Python operator of a fused chain.
type OpSpec struct {
	Func   string         // map, flat_map, filter, key_by, reduce, to_string (see engine/plan/PLAN.md)
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
// If the first operator is keyed (reduce), every input Row carries a Key.
// If the last operator is key_by, every output Row carries the Key it computed.
type ChainSpec struct {
	Ops  []OpSpec
	Task TaskInfo
}

// Row is one record crossing to or from Python.
type Row struct {
	Key   value.Raw // encoded key; nil when the record has none
	Value value.Raw // encoded value
}

// StateEntry is one keyed state value: Value nil means cleared.
type StateEntry struct {
	Key   value.Raw
	Name  string // state name ("reduce" for the reduce accumulator)
	Value value.Raw
}

// Batch is a unit of work for a Stream.
type Batch struct {
	Rows []Row
	// State to install in the worker before processing (keys the worker does not hold).
	State []StateEntry
	// Evict lists keys whose state the worker must write back and drop after this batch.
	Evict []value.Raw
	// Final asks keyed chains in BATCH mode to emit each key's final value (end of input).
	Final bool
}

// Result is the worker's answer to one Batch, in submission order. The Raw
// values of Rows and State point into one buffer per result (the received
// message): keeping a few of them keeps the whole buffer alive, so copy those
// that outlive the batch if most do not.
type Result struct {
	Rows  []Row
	State []StateEntry // state written while processing the batch (write-back, see SPEC.md §3)
	Err   error        // a *UserError when a user function raised, a *WorkerCrashedError when the worker died
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

// The pool is Config (config.go) and Pool (pool.go): NewPool or Shared, then
// Prestart, Open and Close. Workers that die surface as *WorkerCrashedError
// (errors.go); the protocol is in SPEC.md.
