package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
)

// section is what one operator instance wrote for a checkpoint, as stored in
// its task's file: the task file is a msgpack array of sections, one per
// Checkpointed operator of the chain.
type section struct {
	Op          string         `msgpack:"op"`
	Subtask     int            `msgpack:"subtask"`
	Parallelism int            `msgpack:"par"`
	KeyGroups   map[int][]byte `msgpack:"kg,omitempty"`
	Items       [][]byte       `msgpack:"items,omitempty"`
	// Broadcast holds the subtask's copy of each broadcast state, by name.
	Broadcast map[string][]byte `msgpack:"bc,omitempty"`
	// Files is the operator's keyed state as a store's checkpoint files
	// (incremental), instead of KeyGroups.
	Files *checkpoint.BackendFiles `msgpack:"files,omitempty"`
}

// newSection returns what snap holds for operator op of a subtask, or nil
// when it holds nothing. (The stored handle of its state files, for
// incremental checkpoints, is set by the task once the files are stored.)
func newSection(op string, subtask, par int, snap *OperatorSnapshot) *section {
	if len(snap.KeyGroups) == 0 && len(snap.Items) == 0 && len(snap.Broadcast) == 0 {
		return nil
	}
	return &section{Op: op, Subtask: subtask, Parallelism: par, KeyGroups: snap.KeyGroups, Items: snap.Items,
		Broadcast: snap.Broadcast}
}

// taskFileName is the file of one task in a checkpoint directory.
func taskFileName(task string) string {
	return "task-" + sanitize(task) + taskFileSuffix
}

// fileNameSafe replaces the characters of task and operator ids that file
// names should not carry.
var fileNameSafe = strings.NewReplacer(":", "_", "#", "-", "/", "_")

// sanitize makes a task or operator id usable in a file name.
func sanitize(s string) string { return fileNameSafe.Replace(s) }

// taskFileSuffix ends the name of every task file.
const taskFileSuffix = ".state"

// taskName is a task's name towards the coordinator and in checkpoint
// metadata: the operator id of its head and the subtask, stable for an
// unchanged job.
func taskName(headOperatorID string, subtask int) string {
	return fmt.Sprintf("%s#%d", headOperatorID, subtask)
}

// RestorePoint is a completed checkpoint or savepoint loaded for a job to
// start from: every operator's sections, by operator id.
type RestorePoint struct {
	// ID is the checkpoint's id; Dir its directory.
	ID  int64
	Dir string
	// AllowNonRestoredState lets the job start although the checkpoint holds
	// state of operators the job no longer has
	// (execution.savepoint.ignore-unclaimed-state).
	AllowNonRestoredState bool

	ops      map[string][]*section
	finished map[string]bool // operator ids heading a task that had finished
	// finishedTasks are the tasks that had finished, by task name.
	finishedTasks map[string]bool
	claimed       map[string]bool
}

// LoadRestorePoint reads the checkpoint at path (a chk-<id> or savepoint
// directory, or its _metadata file) and every task file it lists.
func LoadRestorePoint(path string) (*RestorePoint, error) {
	m, dir, err := store.Load(path)
	if err != nil {
		return nil, err
	}
	rp := &RestorePoint{ID: m.ID, Dir: dir, ops: map[string][]*section{}, finished: map[string]bool{}, finishedTasks: map[string]bool{}, claimed: map[string]bool{}}
	for _, ts := range m.Tasks {
		if ts.Finished {
			head, _, _ := strings.Cut(ts.Task, "#")
			rp.finished[head] = true
			rp.finishedTasks[ts.Task] = true
		}
		for _, f := range ts.Files {
			if !strings.HasSuffix(f.Name, taskFileSuffix) {
				continue // a store's checkpoint file (incremental), read by its operator's restore
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Name)))
			if err != nil {
				return nil, fmt.Errorf("checkpoint %s: task %s: %w", dir, ts.Task, err)
			}
			var secs []*section
			if err := msgpack.Unmarshal(data, &secs); err != nil {
				return nil, fmt.Errorf("checkpoint %s: task %s: file %s is unreadable: %w", dir, ts.Task, f.Name, err)
			}
			for _, s := range secs {
				rp.ops[s.Op] = append(rp.ops[s.Op], s)
			}
		}
	}
	for _, secs := range rp.ops {
		sort.Slice(secs, func(i, j int) bool { return secs[i].Subtask < secs[j].Subtask })
	}
	return rp, nil
}

// stateFor returns the state operator op restores in subtask of parallelism
// par, or nil when the checkpoint knows nothing of the operator (a new
// operator starts empty). Keyed state goes by key group; list-state items go
// back to the subtask that wrote them at the same parallelism and are dealt
// round-robin otherwise.
//
// Broadcast state follows Flink's repartitioning of BROADCAST operator
// state (RoundRobinOperatorStateRepartitioner): at the same parallelism a
// subtask gets back its own copies; at another parallelism, per state name,
// the copies of the old subtasks that wrote one are listed in subtask order
// and new subtask i gets copy i mod (their count). Every copy is a full one
// (each subtask saw every broadcast element), so any copy serves; this rule
// picks the same one Flink does.
func (rp *RestorePoint) stateFor(op string, subtask, par, maxPar int) *RestoredState {
	secs, known := rp.ops[op]
	if !known && !rp.finished[op] {
		return nil
	}
	rp.claimed[op] = true
	st := &RestoredState{CheckpointID: rp.ID, KeyGroups: map[int][]byte{}}
	r := keygroup.RangeFor(maxPar, par, subtask)
	samePar := len(secs) > 0 && secs[0].Parallelism == par
	next := 0
	copies := map[string][][]byte{} // broadcast state name -> copies in subtask order
	for _, s := range secs {
		if s.Files != nil && s.Files.Overlaps(r.Start, r.End) {
			st.Files = append(st.Files, s.Files.Resolve(rp.Dir, store.SharedDirOf(rp.Dir)))
		}
		for name, data := range s.Broadcast {
			if samePar {
				if s.Subtask == subtask {
					st.putBroadcast(name, data)
				}
				continue
			}
			copies[name] = append(copies[name], data)
		}
		for kg, data := range s.KeyGroups {
			if kg >= r.Start && kg <= r.End {
				st.KeyGroups[kg] = data
			}
		}
		for _, it := range s.Items {
			if samePar {
				if s.Subtask == subtask {
					st.Items = append(st.Items, it)
				}
			} else {
				if next%par == subtask {
					st.Items = append(st.Items, it)
				}
				next++
			}
		}
	}
	for name, list := range copies {
		st.putBroadcast(name, list[subtask%len(list)])
	}
	return st
}

// putBroadcast sets the restored copy of broadcast state name.
func (r *RestoredState) putBroadcast(name string, data []byte) {
	if r.Broadcast == nil {
		r.Broadcast = map[string][]byte{}
	}
	r.Broadcast[name] = data
}

// unclaimed returns the operators of the checkpoint no operator of the job restored.
func (rp *RestorePoint) unclaimed() []string {
	var out []string
	for op, secs := range rp.ops {
		if rp.claimed[op] {
			continue
		}
		for _, s := range secs {
			if len(s.KeyGroups) > 0 || len(s.Items) > 0 || len(s.Broadcast) > 0 || s.Files != nil {
				out = append(out, op)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}
