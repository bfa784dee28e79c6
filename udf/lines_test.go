package udf

import (
	"reflect"
	"strings"
	"testing"
)

// TestLineWriter checks output is split into prefixed lines however it is chunked, and the tail is kept.
func TestLineWriter(t *testing.T) {
	var got []string
	w := newLineWriter("[w] ", func(s string) { got = append(got, s) })
	for _, chunk := range []string{"he", "llo\nwor", "ld\r\n\n", "tail"} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if want := []string{"[w] hello", "[w] world", "[w] "}; !reflect.DeepEqual(got, want) {
		t.Fatalf("lines %q, want %q", got, want)
	}
	if tail := w.lastLines(); tail != "hello\nworld\n\ntail" {
		t.Fatalf("tail %q", tail)
	}
	w.flush()
	if got[len(got)-1] != "[w] tail" {
		t.Fatalf("flush did not emit the partial line: %q", got)
	}
}

// TestLineWriterBounds checks the tail keeps only the last lines and long lines are cut.
func TestLineWriterBounds(t *testing.T) {
	w := newLineWriter("", func(string) {})
	for i := 0; i < tailLines+5; i++ {
		w.Write([]byte(strings.Repeat("x", i) + "\n"))
	}
	lines := strings.Split(w.lastLines(), "\n")
	if len(lines) != tailLines || lines[0] != strings.Repeat("x", 5) {
		t.Fatalf("kept %d lines, first %q", len(lines), lines[0])
	}
	var long []string
	w2 := newLineWriter("", func(s string) { long = append(long, s) })
	w2.Write([]byte(strings.Repeat("y", maxLineSize+10)))
	if len(long) != 1 || len(long[0]) != maxLineSize {
		t.Fatalf("a line over the limit came out as %d lines, first %d bytes", len(long), len(long[0]))
	}
}
