package checkpoint

import "path/filepath"

// BackendFiles is the keyed state of one operator subtask kept as the files
// of its store's own checkpoint (an incremental Pebble checkpoint), instead
// of one blob per key group. It covers the key groups Start..End of the
// subtask that wrote it, so a restore at the same parallelism opens the
// files as they are, and one at another parallelism opens every overlapping
// old subtask's files and copies its key groups out.
//
// Immutable data files (Pebble's sstables) are shared: they live once in
// the job's shared directory (<checkpoint dir>/<job id>/shared/, Flink's
// layout) and every checkpoint that still needs one references it, so a
// checkpoint writes only the files created since the previous one. The
// small files that change every time (MANIFEST, OPTIONS, markers) are
// private to the checkpoint's directory.
type BackendFiles struct {
	// Backend is the kind of store that wrote the files ("pebble"), for
	// the error when a job of another backend restores them.
	Backend string `msgpack:"backend"`
	Start   int    `msgpack:"start"`
	End     int    `msgpack:"end"`
	// Header is the operator's own bytes for its restore (a Python
	// operator's state declarations).
	Header []byte       `msgpack:"header,omitempty"`
	Files  []StoredFile `msgpack:"files"`
}

// StoredFile is one file of a BackendFiles: its name in the store's
// directory and where the checkpoint keeps it.
type StoredFile struct {
	// Local is the file's name in the store's directory.
	Local string `msgpack:"local"`
	// Name is relative to the job's shared directory when Shared is set,
	// else to the checkpoint's directory (slash-separated); after Resolve it
	// is an absolute path.
	Name   string `msgpack:"name"`
	Shared bool   `msgpack:"shared,omitempty"`
	Size   int64  `msgpack:"size"`
}

// Overlaps reports whether the files hold a key group of start..end.
func (f *BackendFiles) Overlaps(start, end int) bool { return f.Start <= end && start <= f.End }

// Resolve returns a copy of f whose file names are paths: shared files
// under sharedDir, private ones under checkpointDir.
func (f *BackendFiles) Resolve(checkpointDir, sharedDir string) BackendFiles {
	out := *f
	out.Files = make([]StoredFile, len(f.Files))
	for i, sf := range f.Files {
		base := checkpointDir
		if sf.Shared {
			base = sharedDir
		}
		sf.Name = filepath.Join(base, filepath.FromSlash(sf.Name))
		out.Files[i] = sf
	}
	return out
}
