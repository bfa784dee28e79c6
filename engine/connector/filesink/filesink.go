// Package filesink is FileSink / StreamingFileSink in row format: records are
// encoded as lines (SimpleStringEncoder: toString() + "\n") into part files
// inside bucket directories, named as Flink names them. A part file is written
// under a hidden in-progress name and renamed to its final name only when it
// is committed, so a failed job never leaves output that looks complete.
// Without checkpoints, parts are committed when the input ends.
//
// With checkpoints the sink is exactly-once by two-phase commit (package
// twophase keeps the books):
//
//   - at a checkpoint's barrier (SnapshotState) every open part is closed,
//     flushed and synced: it is pre-committed, a pending file still under its
//     hidden name, recorded in the checkpoint's list state with the
//     checkpoint id, together with the part counters of each bucket;
//   - when the checkpoint completes (NotifyCheckpointComplete) every pending
//     file of it and of older checkpoints is renamed to its final name;
//   - an aborted checkpoint commits nothing; its files are in the next
//     checkpoint's state and become visible when that one completes;
//   - on restore every pending file in the restored state is renamed (the
//     checkpoint restored from is complete; a file that already has its final
//     name was committed by the failed attempt and is left as it is), and
//     part counters continue from the restored ones. FileSink's part names
//     carry a uuid drawn by each attempt, so they never repeat; a restored
//     StreamingFileSink (names by subtask index) skips every part name for
//     which a final file or a hidden file already exists, since at another
//     parallelism its counters may not be the ones of the old subtask with
//     its index.
//
// Parts are therefore rolled at every checkpoint, as with Flink's
// OnCheckpointRollingPolicy. Flink's default rolling policy instead keeps a
// part open across checkpoints by persisting a recoverable position of its
// writer; this sink does not, so a job that checkpoints often writes more,
// smaller part files than Flink would. The size, rollover and inactivity
// rolls of the default policy still apply between checkpoints; with the
// on-checkpoint policy they are off.
//
// Files left behind by a failure: when the sink is closed without finishing
// (a failed or cancelled attempt), it deletes the hidden files it wrote that
// no checkpoint holds (its open parts and parts rolled since the last
// checkpoint), which are provably its own. Pending files of checkpoints
// stay: a restore from their checkpoint (or a later one) commits them, and
// those of a checkpoint that never completes stay hidden. If the process
// dies without closing the sink, its in-progress files stay as hidden files
// too; nothing reads them and a restored sink never reuses their names.
//
// At a bounded input's end (EndInput) a job with checkpoints rolls every
// part and waits for a final checkpoint (runtime.FinalCheckpointer), which
// pre-commits them and commits them on completion, as Flink's sinks wait for
// the final checkpoint of a finished task: a failure elsewhere in the job
// before it ends cannot make a restore write them twice. Without
// checkpoints EndInput commits every part at once.
package filesink

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/connector/printsink"
	"github.com/pyflink-go/pyflink-go/engine/connector/twophase"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// Spec configures one file sink.
type Spec struct {
	BasePath string `msgpack:"base_path"`
	Prefix   string `msgpack:"part_prefix"`
	Suffix   string `msgpack:"part_suffix"`
	// Legacy selects StreamingFileSink naming (prefix-<subtask>-<counter>)
	// instead of FileSink's (prefix-<uuid>-<counter>).
	Legacy bool `msgpack:"legacy"`
	// BucketAssigner is "date_time" (default, "yyyy-MM-dd--HH" directories) or "base_path".
	BucketAssigner string          `msgpack:"bucket_assigner"`
	BucketFormat   string          `msgpack:"bucket_format"`
	Rolling        Rolling         `msgpack:"rolling"`
	Type           *types.TypeInfo `msgpack:"-"`
	// Now is the clock for bucket names and rolling; nil means time.Now.
	Now func() time.Time `msgpack:"-"`
}

// Rolling is the rolling policy: when a part file is closed and a new one begun.
type Rolling struct {
	PartSize           int64 `msgpack:"part_size"`           // bytes; default 128 MiB
	RolloverInterval   int64 `msgpack:"rollover_interval"`   // ms; default 60 s
	InactivityInterval int64 `msgpack:"inactivity_interval"` // ms; default 60 s
	OnCheckpoint       bool  `msgpack:"on_checkpoint"`
}

func (s *Spec) defaults() {
	if s.Prefix == "" {
		s.Prefix = "part"
	}
	if s.BucketAssigner == "" {
		s.BucketAssigner = "date_time"
	}
	if s.BucketFormat == "" {
		s.BucketFormat = "yyyy-MM-dd--HH"
	}
	if s.Rolling.PartSize <= 0 {
		s.Rolling.PartSize = 128 << 20
	}
	if s.Rolling.RolloverInterval <= 0 {
		s.Rolling.RolloverInterval = 60_000
	}
	if s.Rolling.InactivityInterval <= 0 {
		s.Rolling.InactivityInterval = 60_000
	}
	if s.Now == nil {
		s.Now = time.Now
	}
}

// NewOperator returns the sink of one subtask.
func (s *Spec) NewOperator(ctx *rt.Context) (rt.Operator, error) {
	spec := *s
	spec.defaults()
	if spec.BasePath == "" {
		return nil, fmt.Errorf("file sink: no base path given")
	}
	if err := os.MkdirAll(spec.BasePath, 0o755); err != nil {
		return nil, fmt.Errorf("file sink: cannot create %s: %w", spec.BasePath, err)
	}
	id := fmt.Sprint(ctx.Subtask)
	if !spec.Legacy {
		id = newUUID()
	}
	sk := &sink{spec: spec, writerID: id, buckets: map[string]*part{}, counters: map[string]int{}}
	name := fmt.Sprintf("file sink %s (subtask %d)", spec.BasePath, ctx.Subtask)
	sk.txs = twophase.New[*part](name, partCodec{base: spec.BasePath})
	return sk, nil
}

// part is one part file: a transaction of the two-phase commit. While open
// it is written under the hidden name inProgress; pre-committed, it is
// closed and synced there; committed, it has been renamed to final.
type part struct {
	bucket     string
	inProgress string // absolute
	final      string // absolute
	f          *os.File
	w          *bufio.Writer
	size       int64
	opened     time.Time
	lastWrite  time.Time
}

// PreCommit flushes, syncs and closes the part file.
func (p *part) PreCommit() error {
	if p.f == nil {
		return nil
	}
	f := p.f
	p.f = nil
	err := p.w.Flush()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("closing %s: %w", p.inProgress, err)
	}
	return nil
}

// Commit renames the pending file to its final name. A part whose pending
// file is gone but whose final file exists was committed already.
func (p *part) Commit() error {
	err := os.Rename(p.inProgress, p.final)
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Lstat(p.final); serr == nil {
			return nil
		}
		return fmt.Errorf("committing %s: neither it nor its pending file %s exists", p.final, filepath.Base(p.inProgress))
	}
	return fmt.Errorf("committing %s: %w", p.final, err)
}

// Abort closes the part if open and deletes its hidden file.
func (p *part) Abort() error {
	if p.f != nil {
		_ = p.f.Close()
		p.f = nil
	}
	if err := os.Remove(p.inProgress); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("discarding %s: %w", p.inProgress, err)
	}
	return nil
}

// partCodec writes a pending part as its bucket and two file names, relative
// to the base path.
type partCodec struct{ base string }

type pendingPart struct {
	Bucket     string `json:"bucket"`
	InProgress string `json:"in_progress"`
	Final      string `json:"final"`
}

func (c partCodec) Encode(p *part) ([]byte, error) {
	return json.Marshal(pendingPart{Bucket: p.bucket, InProgress: filepath.Base(p.inProgress), Final: filepath.Base(p.final)})
}

func (c partCodec) Decode(b []byte) (*part, error) {
	var pp pendingPart
	if err := json.Unmarshal(b, &pp); err != nil {
		return nil, err
	}
	for _, name := range []string{pp.InProgress, pp.Final} {
		if name == "" || name != filepath.Base(name) || name == "." || name == ".." {
			return nil, fmt.Errorf("bad part file name %q in %s", name, b)
		}
	}
	if filepath.IsAbs(pp.Bucket) || strings.HasPrefix(filepath.Clean(pp.Bucket), "..") {
		return nil, fmt.Errorf("bad bucket %q in %s", pp.Bucket, b)
	}
	dir := filepath.Join(c.base, pp.Bucket)
	return &part{bucket: pp.Bucket, inProgress: filepath.Join(dir, pp.InProgress), final: filepath.Join(dir, pp.Final)}, nil
}

// counterState is the sink's own list-state item: the next part counter of
// each bucket.
type counterState struct {
	Counters map[string]int `json:"counters"`
}

type sink struct {
	spec     Spec
	writerID string
	buckets  map[string]*part // the open part of each bucket
	counters map[string]int   // the next part counter of each bucket
	txs      *twophase.Committer[*part]
	// restored: the sink resumed from a checkpoint, so part names by
	// subtask index written by earlier attempts may exist and open checks
	// for them.
	restored bool
	// final: the job checkpoints, so the end of input commits through a
	// final checkpoint rather than at once.
	final bool
}

func (s *sink) Open(ctx *rt.Context, _ rt.Output) error {
	s.final = ctx.Checkpointing
	return nil
}

// NeedsFinalCheckpoint implements rt.FinalCheckpointer: with checkpoints on,
// the parts of the end of input are committed by a final checkpoint (as in
// Flink), so a failure elsewhere in the job before it ends cannot duplicate
// them on restore.
func (s *sink) NeedsFinalCheckpoint() bool { return s.final }

func (s *sink) bucketDir(now time.Time) string {
	if s.spec.BucketAssigner == "base_path" {
		return ""
	}
	return JavaDateFormat(s.spec.BucketFormat, now)
}

func (s *sink) Process(r types.Record) error {
	line, err := printsink.Render(r.Value, s.spec.Type)
	if err != nil {
		return err
	}
	now := s.spec.Now()
	bucket := s.bucketDir(now)
	p := s.buckets[bucket]
	if p != nil && !s.spec.Rolling.OnCheckpoint &&
		(p.size >= s.spec.Rolling.PartSize || now.Sub(p.opened) >= time.Duration(s.spec.Rolling.RolloverInterval)*time.Millisecond) {
		if err := s.roll(p); err != nil {
			return err
		}
		p = nil
	}
	if p == nil {
		if p, err = s.open(bucket, now); err != nil {
			return err
		}
	}
	n, err := p.w.WriteString(line)
	if err == nil {
		err = p.w.WriteByte('\n')
	}
	if err != nil {
		return fmt.Errorf("file sink: writing %s: %w", p.inProgress, err)
	}
	p.size += int64(n + 1)
	p.lastWrite = now
	return nil
}

func (s *sink) open(bucket string, now time.Time) (*part, error) {
	dir := filepath.Join(s.spec.BasePath, bucket)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("file sink: cannot create bucket %s: %w", dir, err)
	}
	var name string
	for {
		c := s.counters[bucket]
		s.counters[bucket] = c + 1
		name = fmt.Sprintf("%s-%s-%d%s", s.spec.Prefix, s.writerID, c, s.spec.Suffix)
		if !s.restored || !s.spec.Legacy {
			break // a fresh writer uuid names no file of an earlier attempt
		}
		taken, err := nameTaken(dir, name)
		if err != nil {
			return nil, err
		}
		if !taken {
			break
		}
	}
	p := &part{bucket: bucket, final: filepath.Join(dir, name),
		inProgress: filepath.Join(dir, "."+name+".inprogress."+newUUID()), opened: now, lastWrite: now}
	f, err := os.OpenFile(p.inProgress, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("file sink: %w", err)
	}
	p.f, p.w = f, bufio.NewWriterSize(f, 64<<10)
	s.buckets[bucket] = p
	s.txs.Begin(p)
	return p, nil
}

// nameTaken reports whether a part called name exists in dir, committed or
// as a hidden file of any attempt. The hidden files are looked for first: a
// concurrent commit renames hidden to final atomically, so one of the two
// checks sees it.
func nameTaken(dir, name string) (bool, error) {
	hidden, err := filepath.Glob(filepath.Join(dir, "."+escapeGlob(name)+".inprogress.*"))
	if err != nil {
		return false, fmt.Errorf("file sink: listing %s: %w", dir, err)
	}
	if len(hidden) > 0 {
		return true, nil
	}
	if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
		return true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("file sink: %w", err)
	}
	return false, nil
}

func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// roll closes a part file; it stays pending (hidden) until commit.
func (s *sink) roll(p *part) error {
	delete(s.buckets, p.bucket)
	return s.txs.PreCommit(p)
}

func (s *sink) rollAll() error {
	for _, p := range s.buckets {
		if err := s.roll(p); err != nil {
			return err
		}
	}
	return nil
}

func (s *sink) Tick() error {
	if s.spec.Rolling.OnCheckpoint {
		return nil
	}
	now := s.spec.Now()
	for _, p := range s.buckets {
		if now.Sub(p.lastWrite) >= time.Duration(s.spec.Rolling.InactivityInterval)*time.Millisecond {
			if err := s.roll(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// SnapshotState pre-commits every open part and writes the pending parts
// and the part counters.
func (s *sink) SnapshotState(id int64, snap *rt.OperatorSnapshot) error {
	if err := s.rollAll(); err != nil {
		return err
	}
	if err := s.txs.Snapshot(id, snap); err != nil {
		return err
	}
	b, err := json.Marshal(counterState{Counters: s.counters})
	if err != nil {
		return err
	}
	snap.AddItem(b)
	return nil
}

// NotifyCheckpointComplete commits the parts pending for checkpoints up to id.
func (s *sink) NotifyCheckpointComplete(id int64) error { return s.txs.Complete(id) }

// NotifyCheckpointAborted keeps the parts of checkpoint id pending; the next
// completed checkpoint commits them.
func (s *sink) NotifyCheckpointAborted(id int64) error { return s.txs.Aborted(id) }

// RestoreState commits the restored pending parts and continues the part
// counters after the restored ones.
func (s *sink) RestoreState(st *rt.RestoredState) error {
	s.restored = true
	others, err := s.txs.Restore(st.Items)
	if err != nil {
		return err
	}
	for _, b := range others {
		var cs counterState
		if err := json.Unmarshal(b, &cs); err != nil {
			return fmt.Errorf("file sink %s: restoring from checkpoint %d: bad counter state %q: %w", s.spec.BasePath, st.CheckpointID, b, err)
		}
		for bucket, c := range cs.Counters {
			s.counters[bucket] = max(s.counters[bucket], c)
		}
	}
	return nil
}

// EndInput rolls every open part and commits all pending ones.
func (s *sink) EndInput() error {
	if err := s.rollAll(); err != nil {
		return err
	}
	if s.final {
		return nil // the final checkpoint pre-commits and commits them
	}
	return s.txs.Finish()
}

// Close discards what no checkpoint holds (nothing, after EndInput); parts
// pending for a checkpoint stay hidden for a restore to commit.
func (s *sink) Close() error {
	s.buckets = map[string]*part{}
	return s.txs.Abort()
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
