package udf

import (
	"runtime"
	"time"
)

// Config configures a worker Pool.
type Config struct {
	// Python is the interpreter workers run: the client's sys.executable ("python3" if empty).
	Python string
	// Path is the client's sys.path; workers get it as PYTHONPATH so pickled
	// references to the client's modules import.
	Path []string
	// Workers is the maximum number of worker processes (the number of CPUs if <= 0).
	Workers int
	// MaxInFlight is how many batches a Stream keeps outstanding (4 if <= 0).
	MaxInFlight int
	// Log receives every line workers write to stdout or stderr, prefixed with
	// "[python worker N] ". It is called from several goroutines. Nil drops the lines.
	Log func(line string)
	// StartTimeout bounds how long a worker may take to start listening (60s if <= 0).
	StartTimeout time.Duration
}

// Defaults of Config.
const (
	defaultMaxInFlight  = 4
	defaultStartTimeout = 60 * time.Second
	// maxStreamsPerWorker is the number of concurrent streams one worker serves
	// (one Python thread each); the worker is started with the same limit.
	maxStreamsPerWorker = 256
	// maxMessageSize bounds one gRPC message in either direction, on both sides.
	maxMessageSize = 64 << 20
)

// withDefaults returns cfg with its zero fields filled in.
func (cfg Config) withDefaults() Config {
	if cfg.Python == "" {
		cfg.Python = "python3"
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = defaultMaxInFlight
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = defaultStartTimeout
	}
	if cfg.Log == nil {
		cfg.Log = func(string) {}
	}
	return cfg
}
