package pebblestate

import (
	"fmt"
	"os"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

func TestReopenKeepsState(t *testing.T) {
	dir := t.TempDir()
	r := keygroup.Range{Start: 3, End: 5}
	s, err := Open(Options{Dir: dir, KeyGroups: r})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := s.ValueTable("v")
	m, _ := s.MapTable("m")
	q, _ := s.TimerQueue("t")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(v.Put(3, []byte("k"), nil, []byte("one")))
	must(v.Append(4, []byte("k"), []byte("ns"), []byte("ab")))
	must(m.Put(5, []byte("k"), nil, []byte("uk"), []byte("x")))
	must(q.Add(kv.Timer{Timestamp: 7, KeyGroup: 4, Key: []byte("k"), Namespace: []byte("w")}))
	if err := v.Put(9, []byte("k"), nil, nil); err == nil {
		t.Error("a key group outside the range was accepted")
	}
	must(s.Close())

	s, err = Open(Options{Dir: dir, KeyGroups: r})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Table ids survive, and kinds are checked against the stored ones.
	if _, err := s.MapTable("v"); err == nil {
		t.Error("reopened value table as a map table")
	}
	v, _ = s.ValueTable("v")
	var got []string
	for kg := 3; kg <= 5; kg++ {
		must(s.Iterate(kg, func(e kv.Entry) error {
			got = append(got, fmt.Sprintf("%s/%s/%s/%s=%s@%d", e.Table, e.Key, e.Namespace, e.UserKey, e.Value, e.Timestamp))
			return nil
		}))
	}
	want := "[v/k//=one@0 v/k/ns/=ab@0 t/k/w/=@7 m/k//uk=x@0]"
	if fmt.Sprint(got) != want {
		t.Errorf("after reopening: %v, want %s", got, want)
	}
	b, ok, err := v.Get(4, []byte("k"), []byte("ns"))
	if err != nil || !ok || string(b) != "ab" {
		t.Errorf("Get = %q, %v, %v", b, ok, err)
	}
}

func TestTemporaryDirIsRemoved(t *testing.T) {
	s, err := Open(Options{KeyGroups: keygroup.Range{Start: 0, End: 0}})
	if err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists after Close: %v", dir, err)
	}
}

// TestReadsSeeEveryWrite checks that a lookup answered from the store's kept
// iterator sees every write made after the iterator was opened: write-backs
// of the caches (a one-byte cache writes back before every operation),
// merges, deletes, a table registered later, and a restore.
func TestReadsSeeEveryWrite(t *testing.T) {
	r := keygroup.Range{Start: 0, End: 1}
	s, err := Open(Options{KeyGroups: r, WriteCacheSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, _ := s.ValueTable("v")
	get := func(tb kv.ValueTable, key string) string {
		t.Helper()
		b, ok, err := tb.Get(1, []byte(key), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return "-"
		}
		return string(b)
	}
	steps := []struct {
		write func() error
		key   string
		want  string
	}{
		{nil, "a", "-"},
		{func() error { return v.Put(1, []byte("a"), nil, []byte("1")) }, "a", "1"},
		{func() error { return v.Append(1, []byte("a"), nil, []byte("2")) }, "a", "12"},
		{func() error { return v.Put(1, []byte("b"), nil, []byte("3")) }, "b", "3"},
		{func() error { return v.Delete(1, []byte("a"), nil) }, "a", "-"},
		{func() error { return v.Append(1, []byte("a"), nil, []byte("4")) }, "a", "4"},
	}
	for i, st := range steps {
		// A miss of another key first, so the reader's iterator is open
		// before the write.
		get(v, "zz")
		if st.write != nil {
			if err := st.write(); err != nil {
				t.Fatal(err)
			}
		}
		if got := get(v, st.key); got != st.want {
			t.Errorf("step %d: %s = %s, want %s", i, st.key, got, st.want)
		}
	}
	// A table registered while the iterator is open is found afterwards.
	get(v, "zz")
	w, err := s.ValueTable("w")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(1, []byte("a"), nil, []byte("5")); err != nil {
		t.Fatal(err)
	}
	if got := get(w, "a"); got != "5" {
		t.Errorf("new table: a = %s, want 5", got)
	}
	if got := get(v, "b"); got != "3" {
		t.Errorf("after new table: b = %s, want 3", got)
	}
}
