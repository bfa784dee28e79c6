package stream

import (
	"context"
	"runtime"

	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
)

// Environment collects the transformations of one job.
type Environment struct {
	parallelism    int
	maxParallelism int
	batch          bool
	chaining       bool
	batchSize      int
	nodes          []*graph.Node
	keyed          map[int]bool
}

// Option configures an Environment.
type Option func(*Environment)

// WithParallelism sets the default parallelism (default: the number of CPUs).
func WithParallelism(p int) Option { return func(e *Environment) { e.parallelism = p } }

// WithMaxParallelism sets the number of key groups (default 128).
func WithMaxParallelism(p int) Option { return func(e *Environment) { e.maxParallelism = p } }

// WithBatchMode runs keyed reductions in BATCH mode: one final value per key.
func WithBatchMode() Option { return func(e *Environment) { e.batch = true } }

// WithoutChaining disables operator chaining.
func WithoutChaining() Option { return func(e *Environment) { e.chaining = false } }

// WithBufferSize sets the number of records per buffer between tasks.
func WithBufferSize(n int) Option { return func(e *Environment) { e.batchSize = n } }

// NewEnvironment returns an empty job environment.
func NewEnvironment(opts ...Option) *Environment {
	e := &Environment{parallelism: runtime.NumCPU(), maxParallelism: keygroup.DefaultMaxParallelism, chaining: true, keyed: map[int]bool{}}
	for _, o := range opts {
		o(e)
	}
	return e
}

func (e *Environment) add(name string, kind graph.Kind, parallelism int, spec any, inputs ...graph.Edge) int {
	if parallelism <= 0 {
		parallelism = e.parallelism
	}
	id := len(e.nodes)
	e.nodes = append(e.nodes, &graph.Node{ID: id, Name: name, Kind: kind, Parallelism: parallelism,
		MaxParallelism: e.maxParallelism, Inputs: inputs, Spec: spec})
	return id
}

// Execute runs the job until every source is exhausted, the context is
// cancelled, or an operator fails.
func (e *Environment) Execute(ctx context.Context, name string) error {
	g, err := graph.Build(e.nodes, graph.Options{Chaining: e.chaining})
	if err != nil {
		return err
	}
	mode := "STREAMING"
	if e.batch {
		mode = "BATCH"
	}
	job := &rt.Job{Graph: g, Env: &rt.Env{JobName: name, Mode: mode}, BatchSize: e.batchSize,
		Hasher: func(int) rt.KeyHasher { return keygroup.GoHash }}
	return job.Run(ctx)
}
