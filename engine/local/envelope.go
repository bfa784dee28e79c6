package local

import (
	"github.com/vmihailenco/msgpack/v5"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// envelope is what Poll returns, encoded as a msgpack map (see api.go).
type envelope struct {
	State  string               `msgpack:"state"`
	Out    []string             `msgpack:"out"`
	Rows   []msgpack.RawMessage `msgpack:"rows"`
	Logs   []string             `msgpack:"logs"`
	Error  *errorReport         `msgpack:"error"`
	Result *result              `msgpack:"result"`
}

type errorReport struct {
	Message   string  `msgpack:"message"`
	Operator  *string `msgpack:"operator"`
	Traceback *string `msgpack:"traceback"`
	Kind      string  `msgpack:"kind"`
}

type result struct {
	JobID        string `msgpack:"job_id"`
	NetRuntimeMs int64  `msgpack:"net_runtime_ms"`
}

type statusReport struct {
	State     string   `msgpack:"state"`
	JobID     string   `msgpack:"job_id"`
	JobName   string   `msgpack:"job_name"`
	ElapsedMs int64    `msgpack:"elapsed_ms"`
	Metrics   []metric `msgpack:"metrics"`
	// Restarts is how many times the job restarted after failures.
	Restarts int `msgpack:"restarts"`
	// Checkpoints counts the job's checkpoints (absent without checkpointing).
	Checkpoints *rt.CheckpointStats `msgpack:"checkpoints,omitempty"`
}

type metric struct {
	Node        int    `msgpack:"node"` // the plan node id (the plan JSON shows it as node + 1)
	Parallelism int    `msgpack:"parallelism"`
	Name        string `msgpack:"name"`
	Subtask     int    `msgpack:"subtask"`
	RecordsIn   int64  `msgpack:"records_in"`
	RecordsOut  int64  `msgpack:"records_out"`
	Calls       int64  `msgpack:"calls"` // worker calls made (Python operators)
}

func rawMessages(rows []value.Raw) []msgpack.RawMessage {
	if rows == nil {
		return []msgpack.RawMessage{}
	}
	out := make([]msgpack.RawMessage, len(rows))
	for i, r := range rows {
		out[i] = msgpack.RawMessage(r)
	}
	return out
}

func encodeEnvelope(e *envelope) ([]byte, error) {
	if e.Out == nil {
		e.Out = []string{}
	}
	if e.Logs == nil {
		e.Logs = []string{}
	}
	return msgpack.Marshal(e)
}

func encodeStatus(s *statusReport) ([]byte, error) {
	if s.Metrics == nil {
		s.Metrics = []metric{}
	}
	return msgpack.Marshal(s)
}
