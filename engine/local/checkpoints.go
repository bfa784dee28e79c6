package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
)

// setupCheckpoints configures checkpoints, the restore point and the restart
// strategy of job j from its configuration (Flink's keys). It returns a
// cleanup to run when the job has ended.
func setupCheckpoints(j *job, cfg map[string]string) (func(), error) {
	s, err := checkpoint.ReadSettings(cfg)
	if err != nil {
		return nil, err
	}
	cleanup := func() {}
	if s.Enabled {
		base, temp := s.Dir, false
		if base == "" {
			// Without a checkpoint directory the checkpoints serve failover
			// only, as Flink's JobManager storage does.
			d, err := os.MkdirTemp("", "pyflink-go-checkpoints-")
			if err != nil {
				return nil, fmt.Errorf("checkpoints: %w", err)
			}
			base, temp = d, true
		}
		retention := store.NoExternalizedCheckpoints
		switch s.Retention {
		case "RETAIN_ON_CANCELLATION":
			retention = store.RetainOnCancellation
		case "DELETE_ON_CANCELLATION":
			retention = store.DeleteOnCancellation
		}
		// Flink's layout: <checkpoint dir>/<job id>/chk-<n>.
		st, err := store.Open(filepath.Join(base, j.jobID), store.Options{NumRetained: s.NumRetained, Retention: retention})
		if err != nil {
			return nil, err
		}
		j.rt.Checkpoints = &rt.CheckpointSetup{Config: s.Config, Store: st, JobID: j.jobID}
		j.savepointDir = s.SavepointDir
		if temp {
			cleanup = func() { _ = os.RemoveAll(base) }
		}
	}
	if s.RestorePath != "" {
		rp, err := rt.LoadRestorePoint(s.RestorePath)
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("%s: %w", checkpoint.RecoveryPathKey, err)
		}
		rp.AllowNonRestoredState = s.AllowNonRestoredState
		j.rt.Restore = rp
	}
	if s.Restart != nil {
		var seed [8]byte
		_, _ = rand.Read(seed[:])
		r, err := checkpoint.NewRestarter(*s.Restart, uint64(seed[0])|uint64(seed[1])<<8|uint64(seed[2])<<16|uint64(seed[3])<<24)
		if err != nil {
			cleanup()
			return nil, err
		}
		j.rt.Restart = r
		j.rt.OnRestart = func(attempt int, cause error, id int64) {
			from := "from the beginning"
			if id > 0 {
				from = fmt.Sprintf("from checkpoint %d", id)
			}
			j.addLog(fmt.Sprintf("WARN Job %s restarts (attempt %d) %s after: %v", j.name, attempt, from, cause))
		}
	}
	return cleanup, nil
}

// Savepoint takes a savepoint of a running job into dir (empty: the job's
// execution.checkpointing.savepoint-dir) and returns its path. With stop the
// job stops once the savepoint is taken (stop-with-savepoint) and ends FINISHED;
// with drain the sources first advance event time to its end (stop --drain).
func (e *Engine) Savepoint(id int64, dir string, stop, drain bool) (string, error) {
	j, err := e.get(id)
	if err != nil {
		return "", err
	}
	if dir == "" {
		dir = j.savepointDir
	}
	if dir == "" {
		return "", errors.New("no savepoint directory: pass one, or set execution.checkpointing.savepoint-dir")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	// Flink's naming: savepoint-<first 6 of the job id>-<random>.
	target := filepath.Join(dir, fmt.Sprintf("savepoint-%s-%s", j.jobID[:6], hex.EncodeToString(suffix[:])))
	res, err := j.rt.Savepoint(ctx, target, stop, drain)
	if err != nil {
		return "", fmt.Errorf("savepoint of job %s: %w", j.jobID, err)
	}
	return res.Path, nil
}
