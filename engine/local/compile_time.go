package local

import (
	"fmt"

	"github.com/pyflink-go/pyflink-go/engine/plan"
	"github.com/pyflink-go/pyflink-go/engine/pyop"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/engine/watermark"
	"github.com/pyflink-go/pyflink-go/engine/window"
)

// watermarkParams are the params of a `watermarks` node.
type watermarkParams struct {
	Strategy struct {
		Kind              string `msgpack:"kind"`
		MaxOutOfOrderness int64  `msgpack:"max_out_of_orderness_ms"`
		IdleTimeout       int64  `msgpack:"idle_timeout_ms"`
	} `msgpack:"strategy"`
	IntervalMs int64 `msgpack:"interval_ms"`
}

func watermarkSpec(n *plan.Node) (rt.OperatorSpec, error) {
	var ps watermarkParams
	if err := n.DecodeParams(&ps); err != nil {
		return nil, err
	}
	var s watermark.Strategy
	switch ps.Strategy.Kind {
	case "", "monotonous":
		s = watermark.ForMonotonousTimestamps()
	case "bounded":
		s = watermark.ForBoundedOutOfOrderness(ps.Strategy.MaxOutOfOrderness)
	case "none":
		s = watermark.NoWatermarks()
	default:
		return nil, fmt.Errorf("plan: node %d (%s): unknown watermark strategy %q", n.ID, n.Name, ps.Strategy.Kind)
	}
	if ps.Strategy.IdleTimeout > 0 {
		s = s.WithIdleness(ps.Strategy.IdleTimeout)
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("plan: node %d (%s): %w", n.ID, n.Name, err)
	}
	return watermark.OperatorSpec{Strategy: s, IntervalMillis: ps.IntervalMs}, nil
}

// windowParams are the params of a `window` node.
type windowParams struct {
	Assigner struct {
		Kind   string `msgpack:"kind"`
		Time   string `msgpack:"time"`
		Size   int64  `msgpack:"size"`
		Slide  int64  `msgpack:"slide"`
		Offset int64  `msgpack:"offset"`
		Gap    int64  `msgpack:"gap"`
		// GapExtractor is the pickled SessionWindowTimeGapExtractor of dynamic sessions.
		GapExtractor []byte `msgpack:"gap_extractor"`
	} `msgpack:"assigner"`
	Trigger         *triggerParams `msgpack:"trigger"`
	AllowedLateness int64          `msgpack:"allowed_lateness"`
	LateTag         string         `msgpack:"late_tag"`
	Fn              []byte         `msgpack:"fn"`
	All             bool           `msgpack:"all"`
	// NativeReduce, when set, is the reduce function recognized as per-field
	// expressions: the window reduces natively and Fn is not called.
	NativeReduce []window.FieldReduce `msgpack:"native_reduce"`
	// gap is the extractor of dynamic session windows: the gap the key_by
	// computed for the record being assigned (see gapUnwrap).
	gap window.GapExtractor
}

type triggerParams struct {
	Kind     string         `msgpack:"kind"`
	Count    int64          `msgpack:"count"`
	Interval int64          `msgpack:"interval"`
	Nested   *triggerParams `msgpack:"nested"`
}

func assigner(n *plan.Node, ps *windowParams) (window.Assigner, error) {
	a := ps.Assigner
	processing := a.Time == "processing"
	var (
		as  window.Assigner
		err error
	)
	switch a.Kind {
	case "tumbling":
		if processing {
			as, err = window.TumblingProcessingTime(a.Size, a.Offset)
		} else {
			as, err = window.TumblingEventTime(a.Size, a.Offset)
		}
	case "sliding":
		if processing {
			as, err = window.SlidingProcessingTime(a.Size, a.Slide, a.Offset)
		} else {
			as, err = window.SlidingEventTime(a.Size, a.Slide, a.Offset)
		}
	case "session":
		switch {
		case len(a.GapExtractor) > 0 && processing:
			as = window.DynamicProcessingTimeSession(ps.gap)
		case len(a.GapExtractor) > 0:
			as = window.DynamicEventTimeSession(ps.gap)
		case processing:
			as, err = window.ProcessingTimeSession(a.Gap)
		default:
			as, err = window.EventTimeSession(a.Gap)
		}
	case "global":
		as = window.Global{}
	case "count":
		slide := a.Slide
		if slide <= 0 {
			slide = a.Size
		}
		as, err = window.CountSliding(a.Size, slide)
	default:
		return nil, fmt.Errorf("plan: node %d (%s): unknown window assigner %q", n.ID, n.Name, a.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("plan: node %d (%s): %w", n.ID, n.Name, err)
	}
	return as, nil
}

func trigger(n *plan.Node, t *triggerParams) (window.Trigger, error) {
	if t == nil {
		return nil, nil
	}
	switch t.Kind {
	case "event_time":
		return window.EventTimeTrigger(), nil
	case "processing_time":
		return window.ProcessingTimeTrigger(), nil
	case "count":
		return window.CountTrigger(t.Count), nil
	case "continuous_event_time":
		return window.ContinuousEventTimeTrigger(t.Interval), nil
	case "continuous_processing_time":
		return window.ContinuousProcessingTimeTrigger(t.Interval), nil
	case "never":
		return window.NeverTrigger(), nil
	case "purging":
		nested, err := trigger(n, t.Nested)
		if err != nil {
			return nil, err
		}
		if nested == nil {
			return nil, fmt.Errorf("plan: node %d (%s): a purging trigger needs a nested trigger", n.ID, n.Name)
		}
		return window.PurgingTrigger(nested), nil
	}
	return nil, fmt.Errorf("plan: node %d (%s): trigger %q is not supported", n.ID, n.Name, t.Kind)
}

// windowSpec builds the operator of a `window` node: windows, triggers and
// timers run natively; the window function runs in a Python worker, or
// natively when it is a recognized field reduce.
type windowSpec struct {
	spec window.Spec
	name string
	fn   []byte
	all  bool
	// native is the field reduce that replaces the Python function (nil:
	// the function runs in Python).
	native []window.FieldReduce
	// gapExtractor is set for dynamic session windows; records then arrive
	// as (gap, value) tuples from the key_by.
	gapExtractor []byte
}

func newWindowSpec(n *plan.Node, hash rt.KeyHasher, in *types.TypeInfo) (*windowSpec, error) {
	var ps windowParams
	if err := n.DecodeParams(&ps); err != nil {
		return nil, err
	}
	if len(ps.Fn) == 0 {
		return nil, fmt.Errorf("plan: node %d (%s): params need fn (the pickled window function)", n.ID, n.Name)
	}
	// Each subtask binds dynamic session gaps to its own gapUnwrap (NewOperator);
	// this assigner only validates the parameters.
	ps.gap = (&gapUnwrap{}).extract
	as, err := assigner(n, &ps)
	if err != nil {
		return nil, err
	}
	tr, err := trigger(n, ps.Trigger)
	if err != nil {
		return nil, err
	}
	all := ps.All || hash == nil
	s := window.Spec{Assigner: as, Trigger: tr, AllowedLateness: ps.AllowedLateness, LateTag: ps.LateTag}
	if hash != nil {
		s.KeyHash = func(k any) (int32, error) { return hash(k) }
	}
	ws := &windowSpec{spec: s, name: n.Name, fn: ps.Fn, all: all}
	if ps.NativeReduce != nil {
		if err := window.ValidateFieldReduce(ps.NativeReduce, in); err != nil {
			return nil, fmt.Errorf("plan: node %d (%s): native_reduce: %w", n.ID, n.Name, err)
		}
		ws.native = ps.NativeReduce
	}
	if len(ps.Assigner.GapExtractor) > 0 {
		ws.gapExtractor = ps.Assigner.GapExtractor
	}
	return ws, nil
}

// gapUnwrap takes apart the (gap, value) records of dynamic session windows:
// the gap goes to the assigner, the value into the window. One per subtask
// operator, used from its goroutine only.
type gapUnwrap struct {
	rt.Operator
	gap int64
}

func (g *gapUnwrap) extract(any) (int64, error) { return g.gap, nil }

func (g *gapUnwrap) Process(r types.Record) error {
	raw, ok := r.Value.(value.Raw)
	if !ok {
		return fmt.Errorf("dynamic session window: unexpected record %T", r.Value)
	}
	d, err := value.Decode(raw)
	if err != nil {
		return err
	}
	t, ok := d.(value.Tuple)
	if !ok || len(t) != 2 {
		return fmt.Errorf("dynamic session window: record is not a (gap, value) pair")
	}
	gap, ok := t[0].(int64)
	if !ok {
		return fmt.Errorf("dynamic session window: gap %v is not an integer", t[0])
	}
	inner, err := value.Encode(t[1])
	if err != nil {
		return err
	}
	g.gap = gap
	r.Value = value.Raw(inner)
	return g.Operator.Process(r)
}

func (g *gapUnwrap) ProcessWatermark(wm int64) error {
	return g.Operator.(rt.WatermarkAware).ProcessWatermark(wm)
}

// allKey is the key every record of a window_all is windowed under.
var allKey = []byte{0xc0}

func (w *windowSpec) NewOperator(ctx *rt.Context) (rt.Operator, error) {
	s := w.spec
	if w.native != nil {
		s.Function = window.ReduceFields(w.name, w.native)
	} else {
		s.Function = pyop.NewWindowFunction(ctx, w.name, w.fn, w.all)
	}
	var unwrap *gapUnwrap
	if w.gapExtractor != nil {
		// Each subtask gets its own assigner bound to its own unwrapper.
		unwrap = &gapUnwrap{}
		if !s.Assigner.IsEventTime() {
			s.Assigner = window.DynamicProcessingTimeSession(unwrap.extract)
		} else {
			s.Assigner = window.DynamicEventTimeSession(unwrap.extract)
		}
	}
	op, err := s.NewOperator(ctx)
	if err != nil {
		return nil, err
	}
	if unwrap != nil {
		unwrap.Operator = op
		return unwrap, nil
	}
	if w.all {
		return &keyAll{Operator: op}, nil
	}
	return op, nil
}

// keyAll windows a non-keyed stream (window_all) under one constant key.
type keyAll struct {
	rt.Operator
}

func (k *keyAll) Process(r types.Record) error {
	r.Key = value.Raw(allKey)
	return k.Operator.Process(r)
}

func (k *keyAll) ProcessWatermark(wm int64) error {
	return k.Operator.(rt.WatermarkAware).ProcessWatermark(wm)
}
