package pyop

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/udf"
)

// timerService is the name of the timer queue of a keyed Python operator.
const timerService = "user-timers"

// MaxResidentKeys bounds how many keys' state a worker caches for one
// operator; past it, keys not in the current batch are evicted (written back).
const MaxResidentKeys = 50_000

// keyedState is the engine side of a keyed Python operator's state: the
// backend that owns it, which keys the worker currently caches, and the
// states the functions declared. The worker caches state across batches;
// the engine installs a key's state when the key is not resident and applies
// every write-back, so a batch costs no extra round trip for state.
type keyedState struct {
	backend  state.Backend
	timers   state.TimerService
	hash     rt.KeyHasher
	maxPar   int
	decls    map[string]udf.StateDecl
	values   map[string]state.ValueState
	resident map[string]bool
	dir      string
	// maxResident bounds the keys cached in the worker; negative means no bound.
	maxResident int
}

func openKeyedState(ctx *rt.Context, hash rt.KeyHasher) (*keyedState, error) {
	r := keygroup.RangeFor(ctx.MaxParallelism, ctx.Parallelism, ctx.Subtask)
	dir := ""
	if t, err := state.BackendType(ctx.Env.Config); err == nil && t == state.Pebble {
		d, err := os.MkdirTemp("", fmt.Sprintf("pyflink-go-state-%d-%d-", ctx.NodeID, ctx.Subtask))
		if err != nil {
			return nil, fmt.Errorf("state: %w", err)
		}
		dir = d
	}
	b, err := state.Open(ctx.Env.Config, dir, r, ctx.MaxParallelism, ctx.Env.Clock)
	if err != nil {
		return nil, err
	}
	ts, err := b.Timers(timerService)
	if err != nil {
		_ = b.Close()
		return nil, err
	}
	if hash == nil {
		hash = func(k any) (int32, error) { return keygroup.BytesHash(k.(value.Raw)), nil }
	}
	return &keyedState{backend: b, timers: ts, hash: hash, maxPar: ctx.MaxParallelism,
		decls: map[string]udf.StateDecl{}, values: map[string]state.ValueState{}, resident: map[string]bool{}, dir: dir,
		maxResident: MaxResidentKeys}, nil
}

func (k *keyedState) close() error {
	err := k.backend.Close()
	if k.dir != "" {
		_ = os.RemoveAll(filepath.Clean(k.dir))
	}
	return err
}

func (k *keyedState) setKey(key value.Raw) error {
	h, err := k.hash(key)
	if err != nil {
		return err
	}
	k.backend.SetCurrentKey(keygroup.ForHash(h, k.maxPar), key)
	return nil
}

func (k *keyedState) valueState(name string) (state.ValueState, error) {
	if v, ok := k.values[name]; ok {
		return v, nil
	}
	d := k.decls[name]
	ttl := state.TTL{Millis: d.TTL}
	if d.TTLUpdate == "OnReadAndWrite" {
		ttl.Update = state.OnReadAndWrite
	}
	if d.Visibility == "ReturnExpiredIfNotCleanedUp" {
		ttl.Visibility = state.ReturnExpiredIfNotCleanedUp
	}
	v, err := k.backend.Value(state.Descriptor{Name: "py/" + name, TTL: ttl})
	if err != nil {
		return nil, err
	}
	k.values[name] = v
	return v, nil
}

// prepare adds to b the state of every key it touches that the worker does
// not hold, and evicts keys when too many are resident.
func (k *keyedState) prepare(b *udf.Batch) error {
	touched := make(map[string]bool, len(b.Rows)+len(b.Timers))
	install := func(key value.Raw) error {
		s := string(key)
		touched[s] = true
		if k.resident[s] {
			return nil
		}
		k.resident[s] = true
		if len(k.decls) == 0 {
			return nil
		}
		if err := k.setKey(key); err != nil {
			return err
		}
		for name := range k.decls {
			vs, err := k.valueState(name)
			if err != nil {
				return err
			}
			vs.SetNamespace(nil)
			v, ok, err := vs.Value()
			if err != nil {
				return err
			}
			if ok {
				b.State = append(b.State, udf.StateEntry{Key: key, Name: name, Value: append(value.Raw(nil), v...)})
			}
		}
		return nil
	}
	for _, r := range b.Rows {
		if r.Key != nil {
			if err := install(r.Key); err != nil {
				return err
			}
		}
	}
	for _, t := range b.Timers {
		if err := install(t.Key); err != nil {
			return err
		}
	}
	if k.maxResident >= 0 && len(k.resident) > k.maxResident {
		for s := range k.resident {
			if !touched[s] {
				b.Evict = append(b.Evict, value.Raw(s))
				delete(k.resident, s)
			}
		}
	}
	return nil
}

// apply stores the worker's write-backs, declarations and timer changes.
func (k *keyedState) apply(res *udf.Result) error {
	for _, d := range res.States {
		k.decls[d.Name] = d
	}
	for _, e := range res.State {
		if _, ok := k.decls[e.Name]; !ok {
			// State the worker keeps on its own (the reduce accumulator).
			k.decls[e.Name] = udf.StateDecl{Name: e.Name, Kind: "value"}
		}
		if err := k.setKey(e.Key); err != nil {
			return err
		}
		vs, err := k.valueState(e.Name)
		if err != nil {
			return err
		}
		vs.SetNamespace(nil)
		if e.Value == nil {
			err = vs.Clear()
		} else {
			err = vs.Update(append([]byte(nil), e.Value...))
		}
		if err != nil {
			return fmt.Errorf("state %s: %w", e.Name, err)
		}
	}
	for _, t := range res.TimerOps {
		if err := k.setKey(t.Key); err != nil {
			return err
		}
		var err error
		switch {
		case t.Domain == udf.EventTime && !t.Delete:
			err = k.timers.RegisterEventTimeTimer(nil, t.Timestamp)
		case t.Domain == udf.EventTime:
			err = k.timers.DeleteEventTimeTimer(nil, t.Timestamp)
		case !t.Delete:
			err = k.timers.RegisterProcessingTimeTimer(nil, t.Timestamp)
		default:
			err = k.timers.DeleteProcessingTimeTimer(nil, t.Timestamp)
		}
		if err != nil {
			return fmt.Errorf("timer: %w", err)
		}
	}
	return nil
}

// due collects the timers up to t in one domain, copying their keys.
func (k *keyedState) due(domain udf.TimeDomain, t int64) ([]udf.Timer, error) {
	var out []udf.Timer
	collect := func(tm state.Timer) error {
		out = append(out, udf.Timer{Key: append(value.Raw(nil), tm.Key...), Timestamp: tm.Timestamp, Domain: domain})
		return nil
	}
	var err error
	if domain == udf.EventTime {
		err = k.timers.AdvanceWatermark(t, collect)
	} else {
		err = k.timers.AdvanceProcessingTime(t, collect)
	}
	return out, err
}
