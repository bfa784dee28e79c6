package udf

import (
	"fmt"
	"sync"

	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// codecName is the gRPC content subtype of the udf service ("application/grpc+msgpack").
const codecName = "msgpack"

func init() { encoding.RegisterCodecV2(msgpackCodec{}) }

// msgpackCodec is the gRPC codec of the udf service. Protocol messages are
// built and parsed by hand (protocol.go), so the codec only moves bytes:
// *outMessage is sent as is and *inMessage receives the raw message. Other
// values go through the value wire encoding.
type msgpackCodec struct{}

// outMessage is an encoded message to send; its buffer goes back to sendBuffers once gRPC has written it.
type outMessage struct{ buf *[]byte }

// inMessage receives an encoded message; data is owned by the receiver (Raw values may point into it).
type inMessage struct{ data []byte }

// Name returns the content subtype the codec is registered under.
func (msgpackCodec) Name() string { return codecName }

// Marshal hands an *outMessage's buffer to gRPC, or encodes any other value.
func (msgpackCodec) Marshal(v any) (mem.BufferSlice, error) {
	if m, ok := v.(*outMessage); ok {
		buf := m.buf
		m.buf = nil
		return mem.BufferSlice{mem.NewBuffer(buf, sendBuffers)}, nil
	}
	b, err := value.Encode(v)
	if err != nil {
		return nil, fmt.Errorf("msgpack codec: %w", err)
	}
	return mem.BufferSlice{mem.SliceBuffer(b)}, nil
}

// Unmarshal copies the message into an *inMessage, or decodes it into an *any.
func (msgpackCodec) Unmarshal(data mem.BufferSlice, v any) error {
	switch m := v.(type) {
	case *inMessage:
		// gRPC frees data when Unmarshal returns; results keep sub-slices, so copy once.
		m.data = data.Materialize()
		return nil
	case *any:
		decoded, err := value.Decode(data.Materialize())
		if err != nil {
			return fmt.Errorf("msgpack codec: %w", err)
		}
		*m = decoded
		return nil
	}
	return fmt.Errorf("msgpack codec: cannot unmarshal into %T", v)
}

// bufferPool recycles send buffers; it is the mem.BufferPool gRPC returns them to.
type bufferPool struct{ p sync.Pool }

// sendBuffers holds the buffers messages are encoded into.
var sendBuffers = &bufferPool{}

// maxPooledBuffer keeps one huge batch from pinning its buffer forever.
const maxPooledBuffer = 4 << 20

// take returns an empty buffer.
func (b *bufferPool) take() *[]byte {
	if v := b.p.Get(); v != nil {
		buf := v.(*[]byte)
		*buf = (*buf)[:0]
		return buf
	}
	buf := make([]byte, 0, 32<<10)
	return &buf
}

// Get returns a buffer of length n (mem.BufferPool).
func (b *bufferPool) Get(n int) *[]byte {
	buf := b.take()
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	*buf = (*buf)[:n]
	return buf
}

// Put returns a buffer to the pool (mem.BufferPool).
func (b *bufferPool) Put(buf *[]byte) {
	if cap(*buf) > maxPooledBuffer {
		return
	}
	b.p.Put(buf)
}
