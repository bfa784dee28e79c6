package changelog

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func newLog(t *testing.T) *Log {
	l := New("changelog-test-")
	t.Cleanup(func() { l.Close() })
	return l
}

// payload writes s as a file's payload.
func payload(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestChain follows a chain through checkpoints: which file each one
// writes (a base when the chain would exceed MaxChainFactor entries per
// live key), what it hands over, what the working directory keeps, and
// that every file reads back with its payload.
func TestChain(t *testing.T) {
	l := newLog(t)
	steps := []struct {
		live, changed int
		chain         string // kinds of the files handed over
	}{
		{10, 10, "B"},    // the first checkpoint
		{10, 3, "BD"},    // 10+3 entries <= 2×10
		{10, 0, "BDD"},   // an empty delta
		{12, 5, "BDDD"},  // 18 <= 24
		{12, 6, "BDDDD"}, // 24 <= 24
		{12, 13, "B"},    // 37 > 24: a new base of 12 entries
		{12, 12, "BD"},   // 24 <= 24
		{100, 1, "BDD"},  // 25 <= 200
	}
	for i, st := range steps {
		s, err := l.Start(st.live, st.changed)
		if err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("checkpoint %d", i+1)
		if err := s.Write(payload(body)); err != nil {
			t.Fatal(err)
		}
		got := names(t, s.Dir)
		var kinds string
		for _, n := range got {
			kinds += n[len(n)-1:]
			if !IsFile(n) {
				t.Errorf("%s is not known as a chain file", n)
			}
		}
		if kinds != st.chain {
			t.Fatalf("checkpoint %d: chain %q (%v), want %q", i+1, kinds, got, st.chain)
		}
		if s.Full != (st.chain == "B") {
			t.Errorf("checkpoint %d: Full = %v for chain %q", i+1, s.Full, st.chain)
		}
		data, err := Read(filepath.Join(s.Dir, got[len(got)-1]))
		if err != nil || string(data) != body {
			t.Fatalf("checkpoint %d: newest file reads %q, %v; want %q", i+1, data, err, body)
		}
		// The working directory keeps the current chain only.
		if w := names(t, l.dir); !slices.Equal(w, got) {
			t.Errorf("checkpoint %d: working directory holds %v, want %v", i+1, w, got)
		}
		os.RemoveAll(s.Dir) // as the runtime does once it stored the files
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.dir); !os.IsNotExist(err) {
		t.Errorf("working directory left after Close: %v", err)
	}
}

// TestFailedWrite: a checkpoint whose file cannot be written fails; a delta
// started while that write was pending fails with it (its chain would miss
// the file); the next checkpoint is a new base.
func TestFailedWrite(t *testing.T) {
	l := newLog(t)
	first, err := l.Start(5, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Write(payload("a")); err != nil {
		t.Fatal(err)
	}
	second, err := l.Start(5, 1)
	if err != nil {
		t.Fatal(err)
	}
	third, err := l.Start(5, 1) // second still pending
	if err != nil {
		t.Fatal(err)
	}
	if third.Full {
		t.Fatal("a checkpoint while the one before is pending should be a delta")
	}
	if err := second.Write(func(io.Writer) error { return fmt.Errorf("disk full") }); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("second: %v, want the fill's error", err)
	}
	if err := third.Write(payload("c")); err == nil || !strings.Contains(err.Error(), "checkpoint before failed") {
		t.Fatalf("third after a failed write: %v, want an error saying so", err)
	}
	fourth, err := l.Start(5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !fourth.Full {
		t.Fatal("the checkpoint after a failed write should start a new base")
	}
	if err := fourth.Write(payload("d")); err != nil {
		t.Fatal(err)
	}
	if got := names(t, fourth.Dir); len(got) != 1 || !strings.HasSuffix(got[0], ".B") {
		t.Fatalf("fourth hands over %v, want one base file", got)
	}
}

func TestReadRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"empty": "", "magic": "XXXX\x01B", "version": magic + "\x09B"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(p); err == nil || !strings.Contains(err.Error(), "unknown state format") {
			t.Errorf("%s: %v, want an unknown-format error", name, err)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file reads without an error")
	}
}
