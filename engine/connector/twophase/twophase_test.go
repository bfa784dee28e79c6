package twophase

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
)

// world is the outside system the transactions write to: the state of each
// transaction by name, and how often each was committed.
type world struct {
	state     map[string]string // open, prepared, committed, aborted
	commits   map[string]int
	failCommt map[string]bool
}

func newWorld() *world {
	return &world{state: map[string]string{}, commits: map[string]int{}, failCommt: map[string]bool{}}
}

func (w *world) visible() []string {
	var out []string
	for name, st := range w.state {
		if st == "committed" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

type fakeTx struct {
	w    *world
	name string
}

func (t *fakeTx) PreCommit() error {
	if t.w.state[t.name] != "open" {
		return fmt.Errorf("pre-commit of %s in state %s", t.name, t.w.state[t.name])
	}
	t.w.state[t.name] = "prepared"
	return nil
}

func (t *fakeTx) Commit() error {
	if t.w.failCommt[t.name] {
		return errors.New("commit refused: " + t.name)
	}
	switch t.w.state[t.name] {
	case "prepared", "committed":
		t.w.state[t.name] = "committed"
		t.w.commits[t.name]++
		return nil
	}
	return fmt.Errorf("commit of %s in state %q", t.name, t.w.state[t.name])
}

func (t *fakeTx) Abort() error {
	if t.w.state[t.name] == "committed" {
		return fmt.Errorf("abort of committed %s", t.name)
	}
	t.w.state[t.name] = "aborted"
	return nil
}

type fakeCodec struct{ w *world }

func (c fakeCodec) Encode(t *fakeTx) ([]byte, error) { return []byte(t.name), nil }
func (c fakeCodec) Decode(b []byte) (*fakeTx, error) { return &fakeTx{w: c.w, name: string(b)}, nil }

// run drives a Committer through steps:
//
//	begin X, pre X      open / pre-commit transaction X
//	snap N              snapshot for checkpoint N (its items are kept)
//	done N, aborted N   checkpoint N completed / aborted
//	restore N           drop the committer (a crash) and restore a new one from snap N
//	finish, abort       end of input / close without finishing
//	failcommit X        X's commits fail from now on
func run(t *testing.T, steps string) (*world, *Committer[*fakeTx], error) {
	t.Helper()
	w := newWorld()
	c := New[*fakeTx]("sink", fakeCodec{w})
	snaps := map[int64][][]byte{}
	txs := map[string]*fakeTx{}
	for _, step := range strings.Split(steps, ";") {
		f := strings.Fields(step)
		var n int64
		if len(f) > 1 {
			fmt.Sscan(f[1], &n)
		}
		var err error
		switch f[0] {
		case "begin":
			tx := &fakeTx{w: w, name: f[1]}
			w.state[f[1]] = "open"
			txs[f[1]] = tx
			c.Begin(tx)
		case "pre":
			err = c.PreCommit(txs[f[1]])
		case "snap":
			snap := &rt.OperatorSnapshot{}
			snap.AddItem([]byte("other item"))
			err = c.Snapshot(n, snap)
			snaps[n] = snap.Items
		case "done":
			err = c.Complete(n)
		case "aborted":
			err = c.Aborted(n)
		case "restore":
			c = New[*fakeTx]("sink", fakeCodec{w})
			var others [][]byte
			others, err = c.Restore(snaps[n])
			if err == nil && (len(others) != 1 || string(others[0]) != "other item") {
				t.Fatalf("restore returned other items %q, want the one sink item", others)
			}
		case "finish":
			err = c.Finish()
		case "abort":
			err = c.Abort()
		case "failcommit":
			w.failCommt[f[1]] = true
		default:
			t.Fatalf("unknown step %q", step)
		}
		if err != nil {
			return w, c, fmt.Errorf("step %q: %w", step, err)
		}
	}
	return w, c, nil
}

func TestProtocol(t *testing.T) {
	cases := []struct {
		name    string
		steps   string
		visible []string
		aborted []string
		pending int
	}{
		{"nothing visible before completion", "begin a; pre a; begin b; snap 1", nil, nil, 2},
		{"completion commits its checkpoint only", "begin a; snap 1; begin b; snap 2; done 1", []string{"a"}, nil, 1},
		{"newer completion subsumes older", "begin a; snap 1; begin b; snap 2; done 2", []string{"a", "b"}, nil, 0},
		{"early pre-commit belongs to next checkpoint", "begin a; pre a; begin b; snap 1; begin c; done 1", []string{"a", "b"}, nil, 0},
		{"aborted checkpoint commits with the next", "begin a; snap 1; aborted 1; begin b; snap 2; done 2", []string{"a", "b"}, nil, 0},
		{"aborted checkpoint alone commits nothing", "begin a; snap 1; aborted 1", nil, nil, 1},
		{"restore commits the restored checkpoint", "begin a; snap 1; begin b; snap 2; restore 2", []string{"a", "b"}, nil, 0},
		{"restore of older checkpoint leaves newer hidden", "begin a; snap 1; begin b; snap 2; restore 1", []string{"a"}, nil, 0},
		{"restore after commit is idempotent", "begin a; snap 1; done 1; begin b; snap 2; restore 1", []string{"a"}, nil, 0},
		{"restore twice", "begin a; snap 1; restore 1; begin b; restore 1", []string{"a"}, nil, 0},
		{"finish commits everything", "begin a; snap 1; begin b; pre b; begin c; finish", []string{"a", "b", "c"}, nil, 0},
		{"abort drops what no snapshot holds", "begin a; snap 1; begin b; pre b; begin c; abort", nil, []string{"b", "c"}, 1},
		{"abort then restore commits the pending", "begin a; snap 1; begin b; abort; restore 1", []string{"a"}, []string{"b"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, c, err := run(t, tc.steps)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.visible(); !slices.Equal(got, tc.visible) {
				t.Errorf("visible %v, want %v", got, tc.visible)
			}
			var aborted []string
			for name, st := range w.state {
				if st == "aborted" {
					aborted = append(aborted, name)
				}
			}
			slices.Sort(aborted)
			if !slices.Equal(aborted, tc.aborted) {
				t.Errorf("aborted %v, want %v", aborted, tc.aborted)
			}
			if c.Pending() != tc.pending {
				t.Errorf("pending %d, want %d", c.Pending(), tc.pending)
			}
		})
	}
}

func TestSnapshotWritesEveryPendingOnce(t *testing.T) {
	w := newWorld()
	c := New[*fakeTx]("sink", fakeCodec{w})
	for i, name := range []string{"a", "b"} {
		w.state[name] = "open"
		c.Begin(&fakeTx{w: w, name: name})
		snap := &rt.OperatorSnapshot{}
		if err := c.Snapshot(int64(i+1), snap); err != nil {
			t.Fatal(err)
		}
		if len(snap.Items) != i+1 {
			t.Fatalf("snapshot %d has %d items, want %d (every transaction not yet committed)", i+1, len(snap.Items), i+1)
		}
		for _, item := range snap.Items {
			if !IsItem(item) {
				t.Fatalf("item %q is not a transaction item", item)
			}
		}
	}
}

func TestCommitFailureKeepsPending(t *testing.T) {
	w, c, err := run(t, "begin a; snap 1; begin b; snap 2; failcommit a; done 2")
	if err == nil || !strings.Contains(err.Error(), "checkpoint 1") {
		t.Fatalf("err = %v, want a commit error naming checkpoint 1", err)
	}
	if c.Pending() != 2 || len(w.visible()) != 0 {
		t.Fatalf("pending %d, visible %v: a failed commit must keep both pending", c.Pending(), w.visible())
	}
	w.failCommt["a"] = false
	if err := c.Complete(2); err != nil {
		t.Fatal(err)
	}
	if got := w.visible(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("visible %v after retry", got)
	}
}

func TestPreCommitOfUnknownTransaction(t *testing.T) {
	w := newWorld()
	c := New[*fakeTx]("my sink", fakeCodec{w})
	err := c.PreCommit(&fakeTx{w: w, name: "x"})
	if err == nil || !strings.Contains(err.Error(), "my sink") {
		t.Fatalf("err = %v, want an error naming the sink", err)
	}
}

func TestRestoreRejectsTruncatedItem(t *testing.T) {
	c := New[*fakeTx]("sink", fakeCodec{newWorld()})
	if _, err := c.Restore([][]byte{append([]byte{}, itemMagic...)}); err == nil {
		t.Fatal("restore accepted a truncated item")
	}
}
