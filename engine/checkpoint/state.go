package checkpoint

import "fmt"

// TaskState is what one task acknowledged for a checkpoint: the files of its
// snapshot (keyed state per key group, source positions, sink pre-commits),
// named relative to the checkpoint's directory.
type TaskState struct {
	Task  string    `json:"task"` // "<vertex>#<subtask>"
	Files []FileRef `json:"files,omitempty"`
	// Shared are the files of the job's shared directory the task's
	// snapshot references (incremental checkpoints: files written once and
	// referenced by every checkpoint that still needs them), named relative
	// to that directory. Their CRC is 0: the files carry checksums of their
	// own (Pebble's sstables checksum every block).
	Shared []FileRef `json:"shared,omitempty"`
	// Finished: the task's source had ended (a restore does not run it
	// again). A task that ended before the checkpoint reached it has no
	// files; one whose source a stop with drain ended and that took its
	// snapshot after its end of input has its operators' state (a
	// two-phase sink's last commits).
	Finished bool `json:"finished,omitempty"`
}

// FileRef is one file of a task's snapshot.
type FileRef struct {
	Name string `json:"name"` // relative to the checkpoint directory, slash-separated
	Size int64  `json:"size"`
	CRC  uint32 `json:"crc"` // CRC-32 (IEEE) of the content
}

func (s TaskState) String() string {
	if s.Finished && len(s.Files) == 0 {
		return s.Task + "[finished]"
	}
	names := ""
	for i, f := range s.Files {
		if i > 0 {
			names += " "
		}
		names += f.Name
	}
	return fmt.Sprintf("%s[%s]", s.Task, names)
}
