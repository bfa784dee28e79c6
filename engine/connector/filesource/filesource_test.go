package filesource

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/connector/internal/sourcetest"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
)

// writeInput writes files of lines under a fresh directory: lines of varied
// length, some files with CRLF endings, one without a final newline, one
// empty, and one hidden (never read).
func writeInput(t *testing.T) string {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	for i := 0; i < 900; i++ {
		fmt.Fprintf(&b, "a%d %s\n", i, strings.Repeat("x", i%37))
	}
	write("a.txt", b.String())
	b.Reset()
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "b%d\r\n", i)
	}
	b.WriteString("b-last-without-newline")
	write("b.txt", b.String())
	write("c.txt", "")
	write("d.txt", "\n\nd2\n\n")
	write(".hidden", "never\n")
	return dir
}

func TestRestoreNeitherLosesNorRepeats(t *testing.T) {
	dir := writeInput(t)
	newSrc := func(ctx *rt.Context) (rt.Source, error) { return (&Spec{Paths: []string{dir}}).NewSource(ctx) }
	for _, par := range [][2]int{{1, 1}, {2, 2}, {3, 3}, {1, 2}, {3, 1}, {2, 5}} {
		for _, cut := range []int{0, 1, 299, 300, 301, 600, 899, 900, 5000} {
			for _, atTick := range []bool{false, true} {
				c := sourcetest.Case{OldPar: par[0], NewPar: par[1], Cut: cut, AtTick: atTick}
				t.Run(fmt.Sprintf("p%d->p%d/cut%d/tick=%v", par[0], par[1], cut, atTick), func(t *testing.T) {
					sourcetest.Check(t, newSrc, c)
				})
			}
		}
	}
}

// TestSplitsInsideAFile cuts one file into many small splits, so lines
// straddle split boundaries, and restores inside them.
func TestSplitsInsideAFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	var b strings.Builder
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "line %d %s\n", i, strings.Repeat("y", i%23))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	size := int64(b.Len())
	var splits []Split
	for start := int64(0); start < size; start += 97 {
		splits = append(splits, Split{Path: path, Start: start, End: min(start+97, size)})
	}
	newSrc := func(ctx *rt.Context) (rt.Source, error) {
		return &source{remaining: ownShare(splits, ctx), assigned: true}, nil
	}
	var all []string
	for i := 0; i < 3; i++ {
		recs, _ := sourcetest.Run(t, newSrc, i, 3, nil, -1, false)
		for _, r := range recs {
			all = append(all, r.(string))
		}
	}
	if len(all) != 500 {
		t.Fatalf("3 subtasks over small splits read %d lines, want 500", len(all))
	}
	for _, par := range [][2]int{{3, 3}, {3, 2}, {1, 4}} {
		for _, cut := range []int{1, 2, 57, 166, 167} {
			sourcetest.Check(t, newSrc, sourcetest.Case{OldPar: par[0], NewPar: par[1], Cut: cut})
		}
	}
}

func ownShare(splits []Split, ctx *rt.Context) []Split {
	var own []Split
	for i, sp := range splits {
		if i%ctx.Parallelism == ctx.Subtask {
			own = append(own, sp)
		}
	}
	return own
}

func TestRestoredSourceDoesNotListThePaths(t *testing.T) {
	dir := writeInput(t)
	newSrc := func(ctx *rt.Context) (rt.Source, error) { return (&Spec{Paths: []string{dir}}).NewSource(ctx) }
	_, items := sourcetest.Run(t, newSrc, 0, 1, nil, 1000, false)
	// A file added after the checkpoint is not part of the restored splits.
	if err := os.WriteFile(filepath.Join(dir, "e.txt"), []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, _ := sourcetest.Run(t, newSrc, 0, 1, items, -1, false)
	// 900 lines in a.txt, 301 in b.txt, 4 in d.txt; 1000 were read before.
	if len(recs) != 205 {
		t.Fatalf("restored source read %d lines, want 205", len(recs))
	}
	for _, r := range recs {
		if r == "new" {
			t.Fatal("restored source read a file listed after the checkpoint")
		}
	}
}

func TestFinishedSubtaskWritesMarker(t *testing.T) {
	dir := writeInput(t)
	newSrc := func(ctx *rt.Context) (rt.Source, error) { return (&Spec{Paths: []string{dir}}).NewSource(ctx) }
	_, items := sourcetest.Run(t, newSrc, 0, 1, nil, 100000, false)
	if len(items) != 1 || !strings.Contains(string(items[0]), `"done":true`) {
		t.Fatalf("a finished subtask snapshotted %q, want one done marker", items)
	}
	if recs, _ := sourcetest.Run(t, newSrc, 0, 1, items, -1, false); len(recs) != 0 {
		t.Fatalf("restored from a finished subtask, the source read %d lines", len(recs))
	}
}

func TestRestoreRejectsBadItems(t *testing.T) {
	for _, item := range []string{"nope", `{"path":"","start":0,"end":3}`, `{"path":"x","start":5,"end":3}`} {
		src, _ := (&Spec{}).NewSource(nil)
		if err := src.(rt.Checkpointed).RestoreState(&rt.RestoredState{Items: [][]byte{[]byte(item)}}); err == nil {
			t.Errorf("item %q restored without error", item)
		}
	}
}
