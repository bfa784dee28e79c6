// Package fileutil links and copies the immutable files of checkpoints
// (Pebble's sstables, checkpoint metadata) between directories.
package fileutil

import (
	"io"
	"os"
)

// LinkOrCopy makes dst a hard link of src or, when linking fails (dst on
// another file system), a synced copy of it. dst must not exist.
func LinkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	return CopyFile(src, dst)
}

// CopyFile copies src to the new file dst and syncs it; on failure dst is
// removed, so a half-written copy is never left behind.
func CopyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}
