package pyop

import (
	"fmt"

	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/engine/window"
	"github.com/pyflink-go/pyflink-go/udf"
)

// The state of Python window functions and triggers.
//
// A ProcessWindowFunction's context.global_state() (per key),
// context.window_state() (per key and window) and a custom trigger's
// partitioned state (per key and window) live in the window operator's
// keyed backend, so checkpoints hold them with the window contents, by key
// group, and they work on every backend. Each is one map state, user key =
// the state's name, value = the worker's value (udf/SPEC.md, Keyed state):
// global_state() under namespace nil, the others under the window's
// namespace (the pane's window, as the worker keys them).
//
// The worker holds none of it between batches: every batch carries the
// state of the panes its rows touch (install), and the result carries every
// change (writeBack), nil for a cleared state. Cleanup is the user's, as in
// Flink: window_state() goes when the function's clear(context) clears it at
// the window's clean-up, trigger state when the trigger's clear does.
const (
	globalStateName  = "py-window-global"
	windowStateName  = "py-window-state"
	triggerStateName = "py-trigger-state"
)

// keyRunner is the window operator's WithKey: it makes a key current for
// state access outside the operator's calls for that key.
type keyRunner interface {
	WithKey(key any, fn func() error) error
}

// pane is what one row of a batch touches: the operator's key and the
// windows whose state the row's call may read (a merge call reads the
// windows merged into its pane too).
type pane struct {
	key     any
	windows []window.Window
}

// windowState is the engine side of a Python window chain's state.
type windowState struct {
	keys   keyRunner
	scopes map[string]state.MapState // by udf scope; "" is global_state()
}

func openWindowState(ctx window.Context) (*windowState, error) {
	keys, ok := ctx.(keyRunner)
	if !ok {
		return nil, fmt.Errorf("the window operator cannot select keys for the Python function's state")
	}
	ws := &windowState{keys: keys, scopes: map[string]state.MapState{}}
	for scope, name := range map[string]string{"": globalStateName, udf.ScopeWindow: windowStateName, udf.ScopeTrigger: triggerStateName} {
		m, err := ctx.Backend().Map(state.Descriptor{Name: name})
		if err != nil {
			return nil, err
		}
		ws.scopes[scope] = m
	}
	return ws, nil
}

// wireKey is the key the worker keeps a row's state under: the row's key,
// or nil's encoding for a window_all's rows, which carry none.
func wireKey(r *udf.Row) value.Raw {
	if r.Key == nil {
		return value.Raw{0xc0}
	}
	return r.Key
}

// install adds to b the stored state of every pane of its rows: of scope
// (window or trigger) per window, and global_state() per key unless the
// batch runs trigger calls. It returns the operator's keys by wire key, for
// the write-back.
func (s *windowState) install(b *udf.Batch, panes []pane, scope string) (map[string]any, error) {
	keys := make(map[string]any, len(panes))
	seen := map[string]bool{}
	for i := range b.Rows {
		wk := wireKey(&b.Rows[i])
		p := &panes[i]
		err := s.keys.WithKey(p.key, func() error {
			if _, ok := keys[string(wk)]; !ok {
				keys[string(wk)] = p.key
				if scope != udf.ScopeTrigger {
					if err := s.read(b, wk, "", nil, nil); err != nil {
						return err
					}
				}
			}
			for _, w := range p.windows {
				ns := w.AppendNamespace(nil)
				id := string(wk) + "\x00" + string(ns)
				if seen[id] {
					continue
				}
				seen[id] = true
				if err := s.read(b, wk, scope, ns, toUDFWindow(w)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// read appends the entries of one scope and namespace of the current key.
func (s *windowState) read(b *udf.Batch, wk value.Raw, scope string, ns []byte, w *udf.Window) error {
	m := s.scopes[scope]
	m.SetNamespace(ns)
	return m.Iterate(func(name, v []byte) error {
		b.State = append(b.State, udf.StateEntry{Key: wk, Name: string(name), Value: append(value.Raw(nil), v...),
			Scope: scope, Window: w})
		return nil
	})
}

// writeBack stores the changes a result carries.
func (s *windowState) writeBack(entries []udf.StateEntry, keys map[string]any) error {
	for i := range entries {
		e := &entries[i]
		key, ok := keys[string(e.Key)]
		if !ok {
			return fmt.Errorf("the worker wrote back state %q of a key the batch did not have", e.Name)
		}
		m, ok := s.scopes[e.Scope]
		if !ok {
			return fmt.Errorf("the worker wrote back state %q of unknown scope %q", e.Name, e.Scope)
		}
		var ns []byte
		if e.Scope != "" {
			w, err := fromUDFWindow(e.Window)
			if err != nil {
				return fmt.Errorf("state %q: %w", e.Name, err)
			}
			ns = w.AppendNamespace(nil)
		}
		err := s.keys.WithKey(key, func() error {
			m.SetNamespace(ns)
			if e.Value == nil {
				return m.Remove([]byte(e.Name))
			}
			return m.Put([]byte(e.Name), append([]byte(nil), e.Value...))
		})
		if err != nil {
			return fmt.Errorf("state %q: %w", e.Name, err)
		}
	}
	return nil
}

// fromUDFWindow is the window a worker names (toUDFWindow's inverse).
func fromUDFWindow(w *udf.Window) (window.Window, error) {
	if w == nil {
		return window.Window{}, fmt.Errorf("no window")
	}
	switch w.Kind {
	case udf.TimeWindowKind:
		return window.TimeWindow(w.Start, w.End), nil
	case udf.CountWindowKind:
		return window.CountWindow(w.Start), nil
	case udf.GlobalWindowKind:
		return window.GlobalWindow(), nil
	}
	return window.Window{}, fmt.Errorf("unknown window kind %q", w.Kind)
}
