package fileutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLinkOrCopyAndCopyFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if err := os.WriteFile(src, []byte("sstable bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, fn := range map[string]func(string, string) error{"LinkOrCopy": LinkOrCopy, "CopyFile": CopyFile} {
		t.Run(name, func(t *testing.T) {
			dst := filepath.Join(dir, name)
			if err := fn(src, dst); err != nil {
				t.Fatal(err)
			}
			if b, err := os.ReadFile(dst); err != nil || string(b) != "sstable bytes" {
				t.Fatalf("dst holds %q, %v", b, err)
			}
			// dst exists now: refused, and left as it is.
			if err := fn(src, dst); err == nil {
				t.Fatal("writing over an existing file succeeded")
			}
			if b, _ := os.ReadFile(dst); string(b) != "sstable bytes" {
				t.Fatalf("a refused write changed dst to %q", b)
			}
			// A missing source leaves no file behind.
			missing := filepath.Join(dir, name+"-missing")
			if err := fn(filepath.Join(dir, "nope"), missing); err == nil {
				t.Fatal("linking a missing file succeeded")
			}
			if _, err := os.Stat(missing); !os.IsNotExist(err) {
				t.Fatalf("a failed %s left %s behind (%v)", name, missing, err)
			}
		})
	}
}
