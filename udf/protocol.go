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
// can use their bytes as they are.
func appendBatch(dst []byte, seq int64, b *Batch) ([]byte, error) {
	hasKeys := false
	for i := range b.Rows {
		if b.Rows[i].Key != nil {
			hasKeys = true
			break
		}
	}
	fields := 3
	if hasKeys {
		fields++
	}
	if len(b.State) > 0 {
		fields++
	}
	if len(b.Evict) > 0 {
		fields++
	}
	if b.Final {
		fields++
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
	if len(b.State) > 0 {
		dst = append(dst, 0xa5, 's', 't', 'a', 't', 'e')
		dst = value.AppendArrayHeader(dst, len(b.State))
		for i := range b.State {
			e := &b.State[i]
			dst = append(dst, 0x93)
			dst = value.AppendBin(dst, e.Key)
			dst = value.AppendString(dst, e.Name)
			if len(e.Value) == 0 {
				dst = value.AppendNil(dst)
			} else {
				dst = append(dst, e.Value...)
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
	return dst, nil
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
	var values, keys []byte // the encoded arrays, split once both are known
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
			values = field
		case "keys":
			if !value.IsNil(field) {
				keys = field
			}
		case "state":
			if !value.IsNil(field) {
				if r.state, err = parseState(field); err != nil {
					return nil, fmt.Errorf("state: %w", err)
				}
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
	if values != nil {
		if r.rows, err = splitRows(values, keys); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// splitRows builds the result rows from the encoded values array and the optional keys array.
func splitRows(values, keys []byte) ([]Row, error) {
	n, rest, err := value.ReadArrayHeader(values)
	if err != nil {
		return nil, fmt.Errorf("rows: %w", err)
	}
	if n > len(rest) {
		return nil, fmt.Errorf("rows: truncated")
	}
	var keyRest []byte
	if keys != nil {
		var kn int
		if kn, keyRest, err = value.ReadArrayHeader(keys); err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		if kn != n {
			return nil, fmt.Errorf("%d keys for %d rows", kn, n)
		}
	}
	rows := make([]Row, n)
	for i := range rows {
		size, err := value.Skip(rest)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		rows[i].Value = value.Raw(rest[:size:size])
		rest = rest[size:]
		if keys != nil {
			if size, err = value.Skip(keyRest); err != nil {
				return nil, fmt.Errorf("key %d: %w", i, err)
			}
			if !value.IsNil(keyRest) {
				rows[i].Key = value.Raw(keyRest[:size:size])
			}
			keyRest = keyRest[size:]
		}
	}
	return rows, nil
}

// parseState reads [[key bin, name str, value or nil], ...].
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
		if m, rest, err = value.ReadArrayHeader(rest); err != nil || m != 3 {
			return nil, fmt.Errorf("entry %d: want [key, name, value] (%v)", i, err)
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
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the entries", len(rest))
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
