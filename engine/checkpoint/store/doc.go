// Package store keeps checkpoints in a directory (state.checkpoints.dir):
//
//	<dir>/chk-<id>/<task files...>   written by the tasks while the checkpoint runs
//	<dir>/chk-<id>/_metadata         written once, when every task acknowledged
//
// A checkpoint is completed exactly when its _metadata exists. The metadata
// is written last and atomically (temporary file, fsync, rename, directory
// fsync) after the task files and their directories were synced, so a crash
// at any point leaves the previous completed checkpoint as the latest one and
// never a half-written metadata file. Discard removes the metadata before
// the files for the same reason.
//
// After each completed checkpoint the store keeps the newest NumRetained
// completed ones (state.checkpoints.num-retained) and removes the directories
// of older checkpoints that never completed. On job termination Shutdown
// applies the retention policy (keep on failure, keep on cancel, or never);
// a process killed outright keeps everything, which is what recovery reads.
//
// Load reads a checkpoint back (execution.savepoint.path,
// execution.state-recovery.path) and validates it: format and version, the id
// against the directory name, and every acknowledged file's presence and
// size; errors say which checkpoint and what is wrong.
//
// This package does file I/O and is not pure; the decisions about when
// checkpoints complete or fail live in package checkpoint.
package store
