package udf

import (
	"fmt"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// Messages of the udf protocol (SPEC.md): each gRPC message is one msgpack map
// with string keys and a type under "t". Requests are built by appending
// encoded pieces, records as their Raw bytes; responses are picked apart with
// the value package's readers, records split off as sub-slices.

// Response types.
const (
	respOpened = "opened"
	respResult = "result"
	respError  = "error"
	respClosed = "closed"
)

// appendOpen appends the open message of a chain.
func appendOpen(dst []byte, spec *ChainSpec) ([]byte, error) {
	dst = value.AppendMapHeader(dst, 3)
	dst = value.AppendString(dst, "t")
	dst = value.AppendString(dst, "open")
	dst = value.AppendString(dst, "ops")
	dst = value.AppendArrayHeader(dst, len(spec.Ops))
	for i := range spec.Ops {
		op := &spec.Ops[i]
		dst = value.AppendMapHeader(dst, 4)
		dst = value.AppendString(dst, "func")
		dst = value.AppendString(dst, op.Func)
		dst = value.AppendString(dst, "name")
		dst = value.AppendString(dst, op.Name)
		dst = value.AppendString(dst, "fn")
		if op.Fn == nil {
			dst = value.AppendNil(dst)
		} else {
			dst = value.AppendBin(dst, op.Fn)
		}
		dst = value.AppendString(dst, "params")
		params := op.Params
		if params == nil {
			params = map[string]any{}
		}
		var err error
		if dst, err = value.AppendEncode(dst, params); err != nil {
			return dst, fmt.Errorf("operator %s: params: %w", op.Name, err)
		}
	}
	t := &spec.Task
	dst = value.AppendString(dst, "task")
	dst = value.AppendMapHeader(dst, 8)
	dst = value.AppendString(dst, "job_name")
	dst = value.AppendString(dst, t.JobName)
	dst = value.AppendString(dst, "task_name")
	dst = value.AppendString(dst, t.TaskName)
	dst = value.AppendString(dst, "subtask")
	dst = value.AppendInt(dst, int64(t.Subtask))
	dst = value.AppendString(dst, "parallelism")
	dst = value.AppendInt(dst, int64(max(t.Parallelism, 1)))
	dst = value.AppendString(dst, "max_parallelism")
	dst = value.AppendInt(dst, int64(max(t.MaxParallelism, 1)))
	dst = value.AppendString(dst, "attempt")
	dst = value.AppendInt(dst, int64(t.Attempt))
	dst = value.AppendString(dst, "job_parameters")
	params := t.JobParameters
	if params == nil {
		params = map[string]string{}
	}
	dst, _ = value.AppendEncode(dst, params)
	dst = value.AppendString(dst, "mode")
	mode := t.Mode
	if mode == "" {
		mode = "STREAMING"
	}
	dst = value.AppendString(dst, mode)
	return dst, nil
}

// appendBatch appends the batch message for b. Record values and keys are
// copied verbatim; keys and state keys travel as msgpack binary so the worker
// can use their bytes as they are. The per-row arrays of timestamps, inputs
// and windows are sent only when some row has one, so batches that use none
// of them cost nothing extra per row.
func appendBatch(dst []byte, seq int64, b *Batch) ([]byte, error) {
	hasKeys, hasTs, hasInputs, hasWindows := false, false, false, false
	for i := range b.Rows {
		r := &b.Rows[i]
		hasKeys = hasKeys || r.Key != nil
		hasTs = hasTs || r.Timestamp != NoTimestamp
		hasInputs = hasInputs || r.Input != 0
		hasWindows = hasWindows || r.Window != nil
	}
	fields := 5 // t, seq, rows, watermark, now
	for _, present := range [...]bool{hasKeys, hasTs, hasInputs, hasWindows, len(b.State) > 0,
		len(b.Evict) > 0, b.Final, len(b.Timers) > 0, len(b.Broadcast) > 0, b.Snapshot} {
		if present {
			fields++
		}
	}
	dst = value.AppendMapHeader(dst, fields)
	dst = append(dst, 0xa1, 't', 0xa5, 'b', 'a', 't', 'c', 'h')
	dst = append(dst, 0xa3, 's', 'e', 'q')
	dst = value.AppendInt(dst, seq)
	dst = append(dst, 0xa4, 'r', 'o', 'w', 's')
	dst = value.AppendArrayHeader(dst, len(b.Rows))
	for i := range b.Rows {
		v := b.Rows[i].Value
		if len(v) == 0 {
			return dst, fmt.Errorf("row %d has no value", i)
		}
		dst = append(dst, v...)
	}
	if hasKeys {
		dst = append(dst, 0xa4, 'k', 'e', 'y', 's')
		dst = value.AppendArrayHeader(dst, len(b.Rows))
		for i := range b.Rows {
			if k := b.Rows[i].Key; k != nil {
				dst = value.AppendBin(dst, k)
			} else {
				dst = value.AppendNil(dst)
			}
		}
	}
	if hasTs {
		dst = append(dst, 0xa2, 't', 's')
		dst = value.AppendArrayHeader(dst, len(b.Rows))
		for i := range b.Rows {
			dst = appendTimestamp(dst, b.Rows[i].Timestamp)
		}
	}
	if hasInputs {
		dst = append(dst, 0xa6, 'i', 'n', 'p', 'u', 't', 's')
		dst = value.AppendArrayHeader(dst, len(b.Rows))
		for i := range b.Rows {
			in := b.Rows[i].Input
			if in != 0 && in != 1 {
				return dst, fmt.Errorf("row %d: input %d is not 0 or 1", i, in)
			}
			dst = value.AppendInt(dst, int64(in))
		}
	}
	if hasWindows {
		dst = append(dst, 0xa7, 'w', 'i', 'n', 'd', 'o', 'w', 's')
		dst = value.AppendArrayHeader(dst, len(b.Rows))
		for i := range b.Rows {
			var err error
			if dst, err = appendWindow(dst, b.Rows[i].Window); err != nil {
				return dst, fmt.Errorf("row %d: %w", i, err)
			}
		}
	}
	if len(b.State) > 0 {
		dst = append(dst, 0xa5, 's', 't', 'a', 't', 'e')
		dst = value.AppendArrayHeader(dst, len(b.State))
		for i := range b.State {
			e := &b.State[i]
			if e.Scope != "" {
				dst = append(dst, 0x95)
			} else {
				dst = append(dst, 0x93)
			}
			dst = value.AppendBin(dst, e.Key)
			dst = value.AppendString(dst, e.Name)
			if len(e.Value) == 0 {
				dst = value.AppendNil(dst)
			} else {
				dst = append(dst, e.Value...)
			}
			if e.Scope != "" {
				if e.Window == nil {
					return dst, fmt.Errorf("state %q of scope %s has no window", e.Name, e.Scope)
				}
				dst = value.AppendString(dst, e.Scope)
				var err error
				if dst, err = appendWindow(dst, e.Window); err != nil {
					return dst, fmt.Errorf("state %q: %w", e.Name, err)
				}
			}
		}
	}
	if len(b.Evict) > 0 {
		dst = append(dst, 0xa5, 'e', 'v', 'i', 'c', 't')
		dst = value.AppendArrayHeader(dst, len(b.Evict))
		for _, k := range b.Evict {
			dst = value.AppendBin(dst, k)
		}
	}
	if b.Final {
		dst = append(dst, 0xa5, 'f', 'i', 'n', 'a', 'l', 0xc3)
	}
	dst = append(dst, 0xa9, 'w', 'a', 't', 'e', 'r', 'm', 'a', 'r', 'k')
	dst = value.AppendInt(dst, b.Watermark)
	dst = append(dst, 0xa3, 'n', 'o', 'w')
	dst = value.AppendInt(dst, b.ProcessingTime)
	if len(b.Timers) > 0 {
		dst = append(dst, 0xa6, 't', 'i', 'm', 'e', 'r', 's')
		dst = value.AppendArrayHeader(dst, len(b.Timers))
		for i := range b.Timers {
			t := &b.Timers[i]
			if t.Key == nil {
				return dst, fmt.Errorf("timer %d has no key", i)
			}
			if t.Domain != EventTime && t.Domain != ProcessingTime {
				return dst, fmt.Errorf("timer %d: unknown time domain %d", i, t.Domain)
			}
			dst = append(dst, 0x93)
			dst = value.AppendBin(dst, t.Key)
			dst = value.AppendInt(dst, t.Timestamp)
			dst = value.AppendInt(dst, int64(t.Domain))
		}
	}
	if len(b.Broadcast) > 0 {
		dst = append(dst, 0xa9, 'b', 'r', 'o', 'a', 'd', 'c', 'a', 's', 't')
		dst = value.AppendMapHeader(dst, len(b.Broadcast))
		for i := range b.Broadcast {
			bs := &b.Broadcast[i]
			if len(bs.Value) == 0 {
				return dst, fmt.Errorf("broadcast state %q has no value", bs.Name)
			}
			dst = value.AppendString(dst, bs.Name)
			dst = append(dst, bs.Value...)
		}
	}
	if b.Snapshot {
		dst = append(dst, 0xa8, 's', 'n', 'a', 'p', 's', 'h', 'o', 't', 0xc3)
	}
	return dst, nil
}

// appendTimestamp appends a row timestamp: nil for NoTimestamp.
func appendTimestamp(dst []byte, ts int64) []byte {
	if ts == NoTimestamp {
		return value.AppendNil(dst)
	}
	return value.AppendInt(dst, ts)
}

// appendWindow appends a row's window: nil (none), [start, end] (a time
// window), "global" (the global window) or an int (the id of a count window).
func appendWindow(dst []byte, w *Window) ([]byte, error) {
	switch {
	case w == nil:
		return value.AppendNil(dst), nil
	case w.Kind == GlobalWindowKind:
		return append(dst, 0xa6, 'g', 'l', 'o', 'b', 'a', 'l'), nil
	case w.Kind == CountWindowKind:
		return value.AppendInt(dst, w.Start), nil
	case w.Kind == TimeWindowKind || w.Kind == "":
		dst = append(dst, 0x92)
		dst = value.AppendInt(dst, w.Start)
		return value.AppendInt(dst, w.End), nil
	}
	return dst, fmt.Errorf("unknown window kind %q", w.Kind)
}

// readWindow reads a window as appendWindow writes it (not nil).
func readWindow(b []byte) (*Window, []byte, error) {
	if len(b) == 0 {
		return nil, b, fmt.Errorf("truncated")
	}
	if n, rest, err := value.ReadArrayHeader(b); err == nil {
		if n != 2 {
			return nil, b, fmt.Errorf("want [start, end]")
		}
		w := &Window{Kind: TimeWindowKind}
		if w.Start, rest, err = value.ReadInt(rest); err != nil {
			return nil, b, err
		}
		if w.End, rest, err = value.ReadInt(rest); err != nil {
			return nil, b, err
		}
		return w, rest, nil
	}
	if s, rest, err := value.ReadStringBytes(b); err == nil {
		if string(s) != "global" {
			return nil, b, fmt.Errorf("unknown window %q", s)
		}
		return &Window{Kind: GlobalWindowKind}, rest, nil
	}
	id, rest, err := value.ReadInt(b)
	if err != nil {
		return nil, b, fmt.Errorf("want [start, end], \"global\" or a count window's id")
	}
	return &Window{Kind: CountWindowKind, Start: id}, rest, nil
}

// appendClose appends the close message.
func appendClose(dst []byte) []byte {
	return append(dst, 0x81, 0xa1, 't', 0xa5, 'c', 'l', 'o', 's', 'e')
}

// response is a parsed worker message.
type response struct {
	kind   string
	seq    int64
	hasSeq bool
	rows   []Row
	state  []StateEntry
	timers []TimerOp
	states []StateDecl
	// broadcast is non-nil when the message has the field (a snapshot's answer).
	broadcast []BroadcastState
	// error responses
	operator, message, traceback string
}

// parseResponse picks a worker message apart; Raw values in the result point into data.
func parseResponse(data []byte) (*response, error) {
	n, rest, err := value.ReadMapHeader(data)
	if err != nil {
		return nil, err
	}
	r := &response{}
	var cols rowColumns // the encoded per-row arrays, split once all are known
	for i := 0; i < n; i++ {
		var key []byte
		if key, rest, err = value.ReadStringBytes(rest); err != nil {
			return nil, fmt.Errorf("message key %d: %w", i, err)
		}
		size, err := value.Skip(rest)
		if err != nil {
			return nil, fmt.Errorf("message field %q: %w", key, err)
		}
		field := rest[:size]
		rest = rest[size:]
		switch string(key) {
		case "t":
			s, _, err := value.ReadStringBytes(field)
			if err != nil {
				return nil, fmt.Errorf("message type: %w", err)
			}
			r.kind = string(s)
		case "seq":
			if !value.IsNil(field) {
				if r.seq, _, err = value.ReadInt(field); err != nil {
					return nil, fmt.Errorf("seq: %w", err)
				}
				r.hasSeq = true
			}
		case "rows":
			cols.values = field
		case "keys":
			cols.keys = nonNil(field)
		case "ts":
			cols.ts = nonNil(field)
		case "tags":
			cols.tags = nonNil(field)
		case "state":
			if !value.IsNil(field) {
				if r.state, err = parseState(field); err != nil {
					return nil, fmt.Errorf("state: %w", err)
				}
			}
		case "timers":
			if !value.IsNil(field) {
				if r.timers, err = parseTimerOps(field); err != nil {
					return nil, fmt.Errorf("timers: %w", err)
				}
			}
		case "states":
			if !value.IsNil(field) {
				if r.states, err = parseStateDecls(field); err != nil {
					return nil, fmt.Errorf("states: %w", err)
				}
			}
		case "broadcast":
			if r.broadcast, err = parseBroadcast(field); err != nil {
				return nil, fmt.Errorf("broadcast: %w", err)
			}
		case "operator":
			r.operator, err = readText(field)
		case "message":
			r.message, err = readText(field)
		case "traceback":
			r.traceback, err = readText(field)
		}
		if err != nil {
			return nil, fmt.Errorf("message field %q: %w", key, err)
		}
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the message", len(rest))
	}
	if cols.values != nil {
		if r.rows, err = cols.split(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func nonNil(field []byte) []byte {
	if value.IsNil(field) {
		return nil
	}
	return field
}

// rowColumns are the encoded per-row arrays of a result: values, and the
// optional keys, timestamps and side-output tags.
type rowColumns struct {
	values, keys, ts, tags []byte
}

// column is one optional per-row array being read alongside the values.
type column struct {
	name string
	rest []byte
}

func (c *column) open(name string, data []byte, n int) error {
	c.name = name
	if data == nil {
		return nil
	}
	m, rest, err := value.ReadArrayHeader(data)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if m != n {
		return fmt.Errorf("%d %s for %d rows", m, name, n)
	}
	c.rest = rest
	return nil
}

// next returns the next item (nil for msgpack nil).
func (c *column) next(i int) ([]byte, error) {
	size, err := value.Skip(c.rest)
	if err != nil {
		return nil, fmt.Errorf("%s %d: %w", c.name, i, err)
	}
	item := c.rest[:size:size]
	c.rest = c.rest[size:]
	if value.IsNil(item) {
		return nil, nil
	}
	return item, nil
}

// split builds the result rows without decoding the values: each Value (and
// Key) is a sub-slice of the message.
func (c *rowColumns) split() ([]Row, error) {
	n, rest, err := value.ReadArrayHeader(c.values)
	if err != nil {
		return nil, fmt.Errorf("rows: %w", err)
	}
	if n > len(rest) {
		return nil, fmt.Errorf("rows: truncated")
	}
	var keys, ts, tags column
	if err := keys.open("keys", c.keys, n); err != nil {
		return nil, err
	}
	if err := ts.open("timestamps", c.ts, n); err != nil {
		return nil, err
	}
	if err := tags.open("tags", c.tags, n); err != nil {
		return nil, err
	}
	rows := make([]Row, n)
	var lastTag []byte // tags repeat: convert each distinct run once
	var lastTagString string
	for i := range rows {
		row := &rows[i]
		size, err := value.Skip(rest)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		row.Value = value.Raw(rest[:size:size])
		rest = rest[size:]
		row.Timestamp = NoTimestamp
		if c.keys != nil {
			k, err := keys.next(i)
			if err != nil {
				return nil, err
			}
			if k != nil {
				row.Key = value.Raw(k)
			}
		}
		if c.ts != nil {
			t, err := ts.next(i)
			if err != nil {
				return nil, err
			}
			if t != nil {
				if row.Timestamp, _, err = value.ReadInt(t); err != nil {
					return nil, fmt.Errorf("timestamp %d: %w", i, err)
				}
			}
		}
		if c.tags != nil {
			t, err := tags.next(i)
			if err != nil {
				return nil, err
			}
			if t != nil {
				s, _, err := value.ReadStringBytes(t)
				if err != nil {
					return nil, fmt.Errorf("tag %d: %w", i, err)
				}
				if lastTag == nil || string(s) != string(lastTag) {
					lastTag, lastTagString = s, string(s)
				}
				row.Tag = lastTagString
			}
		}
	}
	return rows, nil
}

// parseTimerOps reads [[key bin, timestamp int, domain int, delete bool], ...].
func parseTimerOps(field []byte) ([]TimerOp, error) {
	n, rest, err := value.ReadArrayHeader(field)
	if err != nil {
		return nil, err
	}
	if n > len(rest) {
		return nil, fmt.Errorf("truncated")
	}
	out := make([]TimerOp, n)
	for i := range out {
		var m int
		if m, rest, err = value.ReadArrayHeader(rest); err != nil || m != 4 {
			return nil, fmt.Errorf("timer %d: want [key, timestamp, domain, delete] (%v)", i, err)
		}
		var key []byte
		if key, rest, err = value.ReadBinBytes(rest); err != nil {
			return nil, fmt.Errorf("timer %d key: %w", i, err)
		}
		var ts, domain int64
		if ts, rest, err = value.ReadInt(rest); err != nil {
			return nil, fmt.Errorf("timer %d timestamp: %w", i, err)
		}
		if domain, rest, err = value.ReadInt(rest); err != nil {
			return nil, fmt.Errorf("timer %d domain: %w", i, err)
		}
		if domain != int64(EventTime) && domain != int64(ProcessingTime) {
			return nil, fmt.Errorf("timer %d: unknown time domain %d", i, domain)
		}
		if len(rest) == 0 || (rest[0] != 0xc2 && rest[0] != 0xc3) {
			return nil, fmt.Errorf("timer %d delete: want a bool", i)
		}
		out[i] = TimerOp{Key: value.Raw(key), Timestamp: ts, Domain: TimeDomain(domain), Delete: rest[0] == 0xc3}
		rest = rest[1:]
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the timers", len(rest))
	}
	return out, nil
}

// parseStateDecls reads [{name, kind, ttl?, update?, visibility?}, ...].
func parseStateDecls(field []byte) ([]StateDecl, error) {
	n, rest, err := value.ReadArrayHeader(field)
	if err != nil {
		return nil, err
	}
	if n > len(rest) {
		return nil, fmt.Errorf("truncated")
	}
	out := make([]StateDecl, n)
	for i := range out {
		var m int
		if m, rest, err = value.ReadMapHeader(rest); err != nil {
			return nil, fmt.Errorf("declaration %d: %w", i, err)
		}
		d := &out[i]
		for j := 0; j < m; j++ {
			var key []byte
			if key, rest, err = value.ReadStringBytes(rest); err != nil {
				return nil, fmt.Errorf("declaration %d: %w", i, err)
			}
			size, err := value.Skip(rest)
			if err != nil {
				return nil, fmt.Errorf("declaration %d %s: %w", i, key, err)
			}
			item := rest[:size]
			rest = rest[size:]
			switch string(key) {
			case "name":
				d.Name, err = readText(item)
			case "kind":
				d.Kind, err = readText(item)
			case "ttl":
				if !value.IsNil(item) {
					d.TTL, _, err = value.ReadInt(item)
				}
			case "update":
				d.TTLUpdate, err = readText(item)
			case "visibility":
				d.Visibility, err = readText(item)
			}
			if err != nil {
				return nil, fmt.Errorf("declaration %d %s: %w", i, key, err)
			}
		}
		if d.Name == "" {
			return nil, fmt.Errorf("declaration %d has no name", i)
		}
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the declarations", len(rest))
	}
	return out, nil
}

// parseState reads [[key bin, name str, value or nil], ...], where an
// entry of scoped state has two more items, scope str and window.
func parseState(field []byte) ([]StateEntry, error) {
	n, rest, err := value.ReadArrayHeader(field)
	if err != nil {
		return nil, err
	}
	if n > len(rest) {
		return nil, fmt.Errorf("truncated")
	}
	out := make([]StateEntry, n)
	for i := range out {
		var m int
		if m, rest, err = value.ReadArrayHeader(rest); err != nil || (m != 3 && m != 5) {
			return nil, fmt.Errorf("entry %d: want [key, name, value] or [key, name, value, scope, window] (%v)", i, err)
		}
		var key, name []byte
		if key, rest, err = value.ReadBinBytes(rest); err != nil {
			return nil, fmt.Errorf("entry %d key: %w", i, err)
		}
		if name, rest, err = value.ReadStringBytes(rest); err != nil {
			return nil, fmt.Errorf("entry %d name: %w", i, err)
		}
		size, err := value.Skip(rest)
		if err != nil {
			return nil, fmt.Errorf("entry %d value: %w", i, err)
		}
		out[i] = StateEntry{Key: value.Raw(key), Name: string(name)}
		if !value.IsNil(rest) {
			out[i].Value = value.Raw(rest[:size:size])
		}
		rest = rest[size:]
		if m == 5 {
			var scope []byte
			if scope, rest, err = value.ReadStringBytes(rest); err != nil || len(scope) == 0 {
				return nil, fmt.Errorf("entry %d scope: want a name (%v)", i, err)
			}
			out[i].Scope = string(scope)
			if out[i].Window, rest, err = readWindow(rest); err != nil {
				return nil, fmt.Errorf("entry %d window: %w", i, err)
			}
		}
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the entries", len(rest))
	}
	return out, nil
}

// parseBroadcast reads {name str: state map, ...} (a non-nil, maybe empty slice).
func parseBroadcast(field []byte) ([]BroadcastState, error) {
	n, rest, err := value.ReadMapHeader(field)
	if err != nil {
		return nil, err
	}
	if n > len(rest) {
		return nil, fmt.Errorf("truncated")
	}
	out := make([]BroadcastState, n)
	for i := range out {
		var name []byte
		if name, rest, err = value.ReadStringBytes(rest); err != nil {
			return nil, fmt.Errorf("state %d name: %w", i, err)
		}
		size, err := value.Skip(rest)
		if err != nil {
			return nil, fmt.Errorf("state %s: %w", name, err)
		}
		if _, _, err := value.ReadMapHeader(rest); err != nil {
			return nil, fmt.Errorf("state %s is not a map: %w", name, err)
		}
		out[i] = BroadcastState{Name: string(name), Value: value.Raw(rest[:size:size])}
		rest = rest[size:]
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the states", len(rest))
	}
	return out, nil
}

// readText reads a string field, accepting nil as "".
func readText(field []byte) (string, error) {
	if value.IsNil(field) {
		return "", nil
	}
	s, _, err := value.ReadStringBytes(field)
	return string(s), err
}

// TriggerAnswer is the worker's answer to one custom-trigger call of a
// window operator (SPEC.md §4, window): the TriggerResult's number (0
// CONTINUE, 1 FIRE, 2 PURGE, 3 FIRE_AND_PURGE; HasResult false for on_merge
// and clear) and the timers the call set or deleted for its pane, in order
// (their Key is nil: the pane is the call's).
type TriggerAnswer struct {
	Result    int
	HasResult bool
	Timers    []TimerOp
}

// ParseTriggerAnswer reads an answer row, [result or nil, [[time, domain, delete], ...]].
func ParseTriggerAnswer(b []byte) (TriggerAnswer, error) {
	var a TriggerAnswer
	n, rest, err := value.ReadArrayHeader(b)
	if err != nil || n != 2 {
		return a, fmt.Errorf("trigger answer: not a [result, timers] pair")
	}
	if value.IsNil(rest) {
		rest = rest[1:]
	} else {
		var r int64
		if r, rest, err = value.ReadInt(rest); err != nil || r < 0 || r > 3 {
			return a, fmt.Errorf("trigger answer: no TriggerResult")
		}
		a.Result, a.HasResult = int(r), true
	}
	if n, rest, err = value.ReadArrayHeader(rest); err != nil {
		return a, fmt.Errorf("trigger answer: timers: %w", err)
	}
	for i := 0; i < n; i++ {
		var m int
		if m, rest, err = value.ReadArrayHeader(rest); err != nil || m != 3 {
			return a, fmt.Errorf("trigger answer: timer %d is not [time, domain, delete]", i)
		}
		var op TimerOp
		var domain int64
		if op.Timestamp, rest, err = value.ReadInt(rest); err != nil {
			return a, fmt.Errorf("trigger answer: timer %d: %w", i, err)
		}
		if domain, rest, err = value.ReadInt(rest); err != nil || (domain != int64(EventTime) && domain != int64(ProcessingTime)) {
			return a, fmt.Errorf("trigger answer: timer %d: unknown time domain", i)
		}
		op.Domain = TimeDomain(domain)
		if len(rest) == 0 || (rest[0] != 0xc2 && rest[0] != 0xc3) {
			return a, fmt.Errorf("trigger answer: timer %d: delete is not a bool", i)
		}
		op.Delete, rest = rest[0] == 0xc3, rest[1:]
		a.Timers = append(a.Timers, op)
	}
	if len(rest) != 0 {
		return a, fmt.Errorf("trigger answer: %d bytes after it", len(rest))
	}
	return a, nil
}
