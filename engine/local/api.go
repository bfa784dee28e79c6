// Package local runs jobs inside the current process: the engine behind the
// Python package's in-process bridge (pybridge) and the Go API. When a job's
// configuration sets rest.port, the engine also serves Flink's REST API over
// its jobs (engine/rest; rest.go says when the endpoint starts and stops).
package local

// Poll returns a msgpack map (never empty):
//
//	{
//	  "state":  "CREATED" | "RUNNING" | "FINISHED" | "FAILED" | "CANCELED",
//	  "out":    [str],            # print-sink lines, in order, without the trailing newline
//	  "rows":   [value],          # collect-sink rows, in the value wire encoding
//	  "logs":   [str],            # engine and worker log lines
//	  "error":  nil | {"message": str, "operator": str|nil, "traceback": str|nil,
//	                   "kind": "user_function"|"worker_crashed"|"plan"|"io"|"internal"|"canceled"},
//	  "result": nil | {"job_id": str, "net_runtime_ms": int},   # once FINISHED
//	  "metrics": {...}            # per-operator records in/out, on request (Status)
//	}
//
// Poll waits up to the timeout for something new to report, then returns what
// accumulated since the last Poll. A terminal state is reported once all output
// before it has been handed out.
