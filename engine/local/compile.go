package local

import (
	"fmt"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/pyflink-go/pyflink-go/engine/aggregate"
	"github.com/pyflink-go/pyflink-go/engine/connector/collect"
	"github.com/pyflink-go/pyflink-go/engine/connector/collection"
	"github.com/pyflink-go/pyflink-go/engine/connector/filesink"
	"github.com/pyflink-go/pyflink-go/engine/connector/filesource"
	"github.com/pyflink-go/pyflink-go/engine/connector/numseq"
	"github.com/pyflink-go/pyflink-go/engine/connector/printsink"
	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/plan"
	"github.com/pyflink-go/pyflink-go/engine/pyop"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// compiled is a plan turned into a job graph plus what the runtime needs.
type compiled struct {
	plan       *plan.Plan
	graph      *graph.JobGraph
	hashers    map[int]rt.KeyHasher
	usesPython bool
	tick       time.Duration
}

// compile turns a decoded plan into graph nodes with runnable specs.
func compile(p *plan.Plan, opts graph.Options) (*compiled, error) {
	c := &compiled{plan: p, hashers: map[int]rt.KeyHasher{}}
	pySpecs := map[int]*pyop.Spec{}
	outTypes := map[int]*types.TypeInfo{}
	var nodes []*graph.Node
	byID := map[int]*graph.Node{}
	for _, n := range p.Nodes {
		gn := &graph.Node{ID: n.ID, Name: n.Name, UID: n.UID, Parallelism: n.Parallelism, MaxParallelism: n.MaxParallelism}
		if gn.Parallelism == 0 {
			gn.Parallelism = p.Parallelism
		}
		if gn.MaxParallelism == 0 {
			gn.MaxParallelism = p.MaxParallelism
		}
		switch n.Chaining {
		case "start_new_chain":
			gn.Chaining = graph.ChainStartNew
		case "disable":
			gn.Chaining = graph.ChainDisable
		}
		for _, in := range n.Inputs {
			part := graph.Partition(in.Partition)
			if part == "" {
				part = graph.Auto
			}
			gn.Inputs = append(gn.Inputs, graph.Edge{From: in.Node, Partition: part, Tag: in.Tag})
		}
		var inType *types.TypeInfo
		if len(n.Inputs) > 0 {
			inType = outTypes[n.Inputs[0].Node]
		}
		outTypes[n.ID] = n.OutType
		where := fmt.Sprintf("plan: node %d (%s)", n.ID, n.Name)
		switch n.Kind {
		case plan.KindCollectionSource:
			var ps struct {
				Values []msgpack.RawMessage `msgpack:"values"`
			}
			if err := n.DecodeParams(&ps); err != nil {
				return nil, err
			}
			vals := make([]any, len(ps.Values))
			for i, v := range ps.Values {
				if len(v) == 0 {
					v = msgpack.RawMessage{0xc0} // a decoded nil comes back empty
				}
				vals[i] = value.Raw(v)
			}
			gn.Kind, gn.Parallelism, gn.Spec = graph.Source, 1, &collection.Spec{Values: vals}
		case plan.KindNumberSequence:
			var ps struct {
				From *int64 `msgpack:"from"`
				To   *int64 `msgpack:"to"`
			}
			if err := n.DecodeParams(&ps); err != nil {
				return nil, err
			}
			if ps.From == nil || ps.To == nil {
				return nil, fmt.Errorf("%s: params need from and to", where)
			}
			if *ps.To < *ps.From {
				return nil, fmt.Errorf("%s: end %d is before start %d", where, *ps.To, *ps.From)
			}
			gn.Kind, gn.Spec = graph.Source, &numseq.Spec{From: *ps.From, To: *ps.To}
		case plan.KindFileSource:
			var ps struct {
				Paths  []string `msgpack:"paths"`
				Format string   `msgpack:"format"`
			}
			if err := n.DecodeParams(&ps); err != nil {
				return nil, err
			}
			if len(ps.Paths) == 0 {
				return nil, fmt.Errorf("%s: no input paths", where)
			}
			if ps.Format != "" && ps.Format != "text_line" {
				return nil, fmt.Errorf("%s: format %q is not supported (text_line is)", where, ps.Format)
			}
			if _, err := filesource.Enumerate(ps.Paths); err != nil {
				return nil, err
			}
			gn.Kind, gn.Spec = graph.Source, &filesource.Spec{Paths: ps.Paths}
		case plan.KindPython:
			if agg, ok, err := nativeAggregate(n, inType); err != nil {
				return nil, err
			} else if ok {
				if len(n.Inputs) > 0 {
					// Accumulators snapshot by key group, so they rescale.
					agg.KeyHash = c.hashers[n.Inputs[0].Node]
				}
				gn.Kind, gn.Spec = graph.Operator, agg
				break
			}
			spec, keyType, err := pythonSpec(n)
			if err != nil {
				return nil, err
			}
			gn.Kind, gn.Spec, gn.Fusable = graph.Operator, spec, true
			pySpecs[n.ID] = spec
			c.usesPython = true
			if spec.Keyed && len(n.Inputs) > 0 {
				spec.KeyHash = c.hashers[n.Inputs[0].Node]
			}
			if spec.Func == "key_by" {
				c.hashers[n.ID] = keyHasher(keyType)
				// The key extraction runs at its input's parallelism, chained to
				// it, as Flink aligns its key-by map operator: records of one key
				// then keep their order on the way to the keyed operator.
				if n.Parallelism == 0 && len(n.Inputs) == 1 {
					if up := byID[n.Inputs[0].Node]; up != nil && up.Kind != graph.Union {
						gn.Parallelism = up.Parallelism
					}
				}
			}
		case plan.KindUnion:
			gn.Kind = graph.Union
		case plan.KindWatermarks:
			spec, err := watermarkSpec(n)
			if err != nil {
				return nil, err
			}
			gn.Kind, gn.Spec = graph.Operator, spec
		case plan.KindWindow:
			var hash rt.KeyHasher
			if len(n.Inputs) > 0 && n.Inputs[0].Partition == "hash" {
				hash = c.hashers[n.Inputs[0].Node]
				if hash == nil {
					return nil, fmt.Errorf("%s: a keyed window needs a key_by before it", where)
				}
			}
			spec, err := newWindowSpec(n, hash, inType)
			if err != nil {
				return nil, err
			}
			if spec.gapExtractor != nil {
				// Dynamic session gaps are computed by the key_by before the
				// window, in the same worker call that computes the key.
				kb := pySpecs[n.Inputs[0].Node]
				if hash == nil || kb == nil || kb.Func != "key_by" {
					return nil, fmt.Errorf("%s: dynamic session gaps need a keyed stream (key_by before the window)", where)
				}
				kb.Params["gap_extractor"] = spec.gapExtractor
				delete(kb.Params, "out_type")
			}
			gn.Kind, gn.Spec = graph.Operator, spec
			if spec.native == nil {
				c.usesPython = true
			}
		case plan.KindPrintSink:
			var ps struct {
				Identifier string `msgpack:"identifier"`
			}
			if err := n.DecodeParams(&ps); err != nil {
				return nil, err
			}
			gn.Kind, gn.Spec = graph.Sink, &printsink.Spec{Identifier: ps.Identifier, Type: inType}
		case plan.KindCollectSink:
			gn.Kind, gn.Spec = graph.Sink, &collect.Spec{}
		case plan.KindDiscardSink:
			gn.Kind, gn.Spec = graph.Sink, discardSpec{}
		case plan.KindFileSink:
			spec := &filesink.Spec{}
			if err := n.DecodeParams(spec); err != nil {
				return nil, err
			}
			if spec.BasePath == "" {
				return nil, fmt.Errorf("%s: params need base_path", where)
			}
			spec.Type = inType
			gn.Kind, gn.Spec = graph.Sink, spec
		}
		nodes = append(nodes, gn)
		byID[gn.ID] = gn
	}
	opts.Chaining = p.ChainingEnabled()
	g, err := graph.Build(nodes, opts)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	for _, v := range g.Vertices {
		for _, e := range v.Outputs {
			if e.Partition == graph.Hash && c.hashers[e.From] == nil {
				return nil, fmt.Errorf("plan: node %d (%s): hash partitioning needs a key_by node before it", e.To, g.Nodes[e.To].Name)
			}
		}
	}
	c.graph = g
	c.tick = rt.DefaultTickInterval
	for _, key := range []string{"execution.buffer-timeout.interval", "execution.buffer-timeout"} {
		v, ok := p.Config[key]
		if !ok {
			continue
		}
		d, err := plan.ParseDuration(v)
		if err != nil {
			return nil, fmt.Errorf("plan: %s: %w", key, err)
		}
		if d > 0 {
			c.tick = d
		}
	}
	return c, nil
}

var pythonFuncs = map[string]bool{"map": true, "flat_map": true, "filter": true, "key_by": true, "reduce": true,
	"to_string": true, "timestamp_assigner": true, "process": true, "keyed_process": true,
	"co_map": true, "co_flat_map": true, "co_process": true, "keyed_co_process": true,
	"broadcast_process": true, "keyed_broadcast_process": true}

// keyedFuncs read the record key (state, timers, the current key).
var keyedFuncs = map[string]bool{"reduce": true, "keyed_process": true, "keyed_co_process": true, "keyed_broadcast_process": true}

func pythonSpec(n *plan.Node) (*pyop.Spec, *types.TypeInfo, error) {
	where := fmt.Sprintf("plan: node %d (%s)", n.ID, n.Name)
	params, err := n.ParamsMap()
	if err != nil {
		return nil, nil, err
	}
	fn, _ := params["func"].(string)
	if !pythonFuncs[fn] {
		return nil, nil, fmt.Errorf("%s: unknown Python func %q", where, fn)
	}
	code, _ := params["fn"].([]byte)
	if fn != "to_string" && len(code) == 0 {
		return nil, nil, fmt.Errorf("%s: params need fn (the pickled function)", where)
	}
	delete(params, "func")
	delete(params, "fn")
	keyed, _ := params["keyed"].(bool)
	var keyType *types.TypeInfo
	if kt, ok := params["key_type"]; ok && kt != nil {
		b, err := msgpack.Marshal(kt)
		if err == nil {
			keyType = &types.TypeInfo{}
			err = msgpack.Unmarshal(b, keyType)
		}
		if err == nil {
			err = keyType.Validate()
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: key_type: %w", where, err)
		}
	}
	if n.OutType != nil && !n.OutType.IsPickled() {
		if _, ok := params["out_type"]; !ok {
			params["out_type"] = typeMap(n.OutType)
		}
	}
	return &pyop.Spec{Func: fn, Name: n.Name, Fn: code, Params: params, Keyed: keyed || keyedFuncs[fn]}, keyType, nil
}

func typeMap(t *types.TypeInfo) map[string]any {
	b, _ := msgpack.Marshal(t)
	m := map[string]any{}
	_ = msgpack.Unmarshal(b, &m)
	return m
}

// keyHasher hashes the encoded keys a Python key_by produces: through Java's
// hashCode for keys of a declared simple type (so they land on the subtask
// Flink would pick), through their bytes otherwise.
func keyHasher(t *types.TypeInfo) rt.KeyHasher {
	typed := t != nil && !t.IsPickled()
	return func(key any) (int32, error) {
		raw, ok := key.(value.Raw)
		if !ok {
			return keygroup.GoHash(key)
		}
		if typed {
			v, err := value.Decode(raw)
			if err != nil {
				return 0, err
			}
			if h, ok := javaHashTyped(v, t); ok {
				return h, nil
			}
		}
		return keygroup.BytesHash(raw), nil
	}
}

func javaHashTyped(v any, t *types.TypeInfo) (int32, bool) {
	switch t.T {
	case types.TInt, types.TShort, types.TByte:
		if x, ok := v.(int64); ok {
			return keygroup.IntHash(x), true
		}
	case types.TTuple:
		fields, ok := v.(value.Tuple)
		if !ok || len(fields) != len(t.Fields) {
			return 0, false
		}
		hs := make([]int32, len(fields))
		for i, f := range fields {
			h, ok := javaHashTyped(f, t.Fields[i])
			if !ok {
				return 0, false
			}
			hs[i] = h
		}
		return keygroup.TupleHash(hs), true
	}
	return keygroup.JavaHash(v)
}

// discardSpec drops every record (Flink's DiscardingSink).
type discardSpec struct{}

func (discardSpec) NewOperator(*rt.Context) (rt.Operator, error) {
	return rt.AsOperator(func(types.Record, rt.Output) error { return nil }), nil
}

// nativeAggregate returns the Go operator of a keyed sum/min/max/min_by/max_by
// that the client marked as native (a typed numeric field): no Python runs.
func nativeAggregate(n *plan.Node, in *types.TypeInfo) (*aggregate.Spec, bool, error) {
	var ps struct {
		Func   string `msgpack:"func"`
		Native *struct {
			Kind string `msgpack:"kind"`
			Pos  int    `msgpack:"pos"`
		} `msgpack:"native"`
	}
	if err := n.DecodeParams(&ps); err != nil {
		return nil, false, err
	}
	if ps.Func != "reduce" || ps.Native == nil {
		return nil, false, nil
	}
	spec := &aggregate.Spec{Kind: aggregate.Kind(ps.Native.Kind), Pos: ps.Native.Pos}
	if err := spec.Validate(); err != nil {
		return nil, false, fmt.Errorf("plan: node %d (%s): %w", n.ID, n.Name, err)
	}
	ft := in
	if in != nil && ps.Native.Pos >= 0 && ps.Native.Pos < len(in.Fields) {
		ft = in.Fields[ps.Native.Pos]
	}
	spec.Float32 = ft != nil && ft.T == types.TFloat
	return spec, true, nil
}
