package udf

import (
	"bytes"
	"testing"

	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
)

// TestCodecRegistered checks gRPC finds the codec under the content subtype "msgpack".
func TestCodecRegistered(t *testing.T) {
	if encoding.GetCodecV2("msgpack") == nil {
		t.Fatal("no msgpack codec registered")
	}
}

// TestCodecMovesBytes checks messages pass through the codec untouched.
func TestCodecMovesBytes(t *testing.T) {
	c := msgpackCodec{}
	buf := sendBuffers.take()
	*buf = append(*buf, 0x81, 0xa1, 't', 0xa5, 'c', 'l', 'o', 's', 'e')
	want := append([]byte(nil), *buf...)
	out, err := c.Marshal(&outMessage{buf: buf})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Materialize(); !bytes.Equal(got, want) {
		t.Fatalf("marshal %x, want %x", got, want)
	}
	out.Free()

	var in inMessage
	if err := c.Unmarshal(mem.BufferSlice{mem.SliceBuffer(want[:3]), mem.SliceBuffer(want[3:])}, &in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(in.data, want) {
		t.Fatalf("unmarshal %x", in.data)
	}

	// Other values use the value encoding both ways.
	enc, err := c.Marshal(map[string]any{"a": int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := c.Unmarshal(enc, &v); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Marshal(make(chan int)); err == nil {
		t.Fatal("marshalled a channel")
	}
	if err := c.Unmarshal(enc, new(int)); err == nil {
		t.Fatal("unmarshalled into *int")
	}
}
