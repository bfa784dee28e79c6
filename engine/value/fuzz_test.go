package value

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// FuzzDecode checks that arbitrary bytes never panic the decoder or the
// splitters, and that whatever decodes re-encodes to a fixed point that Skip
// and Decode agree on.
func FuzzDecode(f *testing.F) {
	for _, v := range loadVectors(f) {
		b, _ := hex.DecodeString(v.Hex)
		f.Add(b)
	}
	f.Add([]byte{0xdd, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0xc9, 0x00, 0x00, 0x00, 0x03, 0x02, 0x93, 0x00, 0xc0})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, skipErr := Skip(b)
		_, _ = SplitArray(b)
		v, err := Decode(b)
		if err != nil {
			return
		}
		if skipErr != nil || n != len(b) {
			t.Fatalf("Decode accepted %x but Skip = %d, %v", b, n, skipErr)
		}
		enc, err := Encode(v)
		if err != nil {
			t.Fatalf("decoded %#v does not encode: %v", v, err)
		}
		v2, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-encoding %x does not decode: %v", enc, err)
		}
		enc2, err := Encode(v2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not a fixed point: %x vs %x (%v)", enc, enc2, err)
		}
	})
}
