// Package filesink is FileSink / StreamingFileSink in row format: records are
// encoded as lines (SimpleStringEncoder: toString() + "\n") into part files
// inside bucket directories, named as Flink names them. A part file is written
// under a hidden in-progress name and renamed to its final name only when it
// is committed, so a failed job never leaves output that looks complete.
// Without checkpoints, parts are committed when the input ends.
package filesink

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/connector/printsink"
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
	return &sink{spec: spec, writerID: id, buckets: map[string]*part{}}, nil
}

type part struct {
	bucket     string
	counter    int
	inProgress string
	final      string
	f          *os.File
	w          *bufio.Writer
	size       int64
	opened     time.Time
	lastWrite  time.Time
}

type sink struct {
	spec     Spec
	writerID string
	buckets  map[string]*part
	counters map[string]int
	pending  []*part // rolled parts waiting for commit
}

func (s *sink) Open(*rt.Context, rt.Output) error { s.counters = map[string]int{}; return nil }

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
	if p != nil && (p.size >= s.spec.Rolling.PartSize || now.Sub(p.opened) >= time.Duration(s.spec.Rolling.RolloverInterval)*time.Millisecond) {
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
	c := s.counters[bucket]
	s.counters[bucket] = c + 1
	name := fmt.Sprintf("%s-%s-%d%s", s.spec.Prefix, s.writerID, c, s.spec.Suffix)
	p := &part{bucket: bucket, counter: c, final: filepath.Join(dir, name),
		inProgress: filepath.Join(dir, "."+name+".inprogress."+newUUID()), opened: now, lastWrite: now}
	f, err := os.Create(p.inProgress)
	if err != nil {
		return nil, fmt.Errorf("file sink: %w", err)
	}
	p.f, p.w = f, bufio.NewWriterSize(f, 64<<10)
	s.buckets[bucket] = p
	return p, nil
}

// roll closes a part file; it stays pending (hidden) until commit.
func (s *sink) roll(p *part) error {
	if err := p.w.Flush(); err != nil {
		return fmt.Errorf("file sink: %w", err)
	}
	if err := p.f.Close(); err != nil {
		return fmt.Errorf("file sink: %w", err)
	}
	delete(s.buckets, p.bucket)
	s.pending = append(s.pending, p)
	return nil
}

func (s *sink) Tick() error {
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

// EndInput rolls every open part and commits all pending ones.
func (s *sink) EndInput() error {
	for _, p := range s.buckets {
		if err := s.roll(p); err != nil {
			return err
		}
	}
	for _, p := range s.pending {
		if err := os.Rename(p.inProgress, p.final); err != nil {
			return fmt.Errorf("file sink: committing %s: %w", p.final, err)
		}
	}
	s.pending = nil
	return nil
}

// Close releases open files; uncommitted parts stay hidden.
func (s *sink) Close() error {
	for _, p := range s.buckets {
		_ = p.w.Flush()
		_ = p.f.Close()
	}
	s.buckets = map[string]*part{}
	return nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
