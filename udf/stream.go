package udf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// processMethod is the bidirectional method of the udf service.
const processMethod = "/pyflinkgo.UDF/Process"

var processDesc = &grpc.StreamDesc{StreamName: "Process", ServerStreams: true, ClientStreams: true}

// crashGrace is how long a broken stream waits for its worker's exit to be
// observed, so the error can say how the worker died.
const crashGrace = 5 * time.Second

// stream is one fused chain open in one worker.
//
// Three goroutines meet here: callers of Submit send batches (one at a time,
// under sendMu), the receiver reads responses into pending, and the forwarder
// moves them to the Results channel. A credit is taken per submitted batch and
// returned once its result sits in the Results channel, so at most
// maxInFlight batches are outstanding; pending can therefore never fill, and
// the receiver never waits on the caller.
type stream struct {
	pool   *Pool
	w      *worker
	cs     grpc.ClientStream
	ctx    context.Context // the caller's context
	cancel context.CancelFunc

	sendMu  sync.Mutex
	nextSeq int64
	closing atomic.Bool // set under sendMu, so no batch follows the close message

	credits chan struct{}
	pending chan *Result
	results chan *Result
	done    chan struct{} // closed when the receiver has stopped

	errMu    sync.Mutex
	failure  error // the fatal error that ended the stream, if any
	closeErr error // an error raised by the functions' close()

	closeOnce sync.Once

	// openStates are the keyed states the functions declared in open(); they
	// also go out with the first result.
	openStates []StateDecl
}

// openStream starts the Process call on w and runs the open handshake.
func openStream(ctx context.Context, p *Pool, w *worker, open []byte, maxInFlight int) (*stream, error) {
	callCtx, cancel := context.WithCancel(ctx)
	cs, err := w.conn.NewStream(callCtx, processDesc, processMethod)
	if err != nil {
		cancel()
		return nil, w.explain(ctx, err)
	}
	s := &stream{
		pool:    p,
		w:       w,
		cs:      cs,
		ctx:     ctx,
		cancel:  cancel,
		nextSeq: 1,
		credits: make(chan struct{}, maxInFlight),
		pending: make(chan *Result, maxInFlight+1),
		results: make(chan *Result, maxInFlight),
		done:    make(chan struct{}),
	}
	if err := s.handshake(open); err != nil {
		cancel()
		return nil, err
	}
	go s.receive()
	go s.forward()
	return s, nil
}

// handshake sends the open message and waits for "opened".
func (s *stream) handshake(open []byte) error {
	buf := sendBuffers.take()
	*buf = append(*buf, open...)
	if err := s.cs.SendMsg(&outMessage{buf: buf}); err != nil {
		return s.w.explain(s.ctx, s.recvError(err))
	}
	var in inMessage
	if err := s.cs.RecvMsg(&in); err != nil {
		return s.w.explain(s.ctx, err)
	}
	resp, err := parseResponse(in.data)
	if err != nil {
		return &ProtocolError{Worker: s.w.id, Detail: err.Error()}
	}
	switch resp.kind {
	case respOpened:
		s.openStates = resp.states
		return nil
	case respError:
		return resp.userError()
	}
	return &ProtocolError{Worker: s.w.id, Detail: fmt.Sprintf("answered open with %q", resp.kind)}
}

// recvError returns the real error behind a failed send: gRPC reports io.EOF
// from SendMsg and the status from RecvMsg.
func (s *stream) recvError(sendErr error) error {
	if !errors.Is(sendErr, io.EOF) {
		return sendErr
	}
	var in inMessage
	if err := s.cs.RecvMsg(&in); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return sendErr
}

// Submit sends a batch; it blocks while MaxInFlight batches are outstanding.
func (s *stream) Submit(b *Batch) error {
	if err := s.err(); err != nil {
		return err
	}
	select {
	case s.credits <- struct{}{}:
	case <-s.done:
		return s.endedErr()
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
	s.sendMu.Lock()
	if s.closing.Load() {
		s.sendMu.Unlock()
		<-s.credits
		return ErrStreamClosed
	}
	buf := sendBuffers.take()
	var err error
	*buf, err = appendBatch(*buf, s.nextSeq, b)
	if err != nil {
		s.sendMu.Unlock()
		sendBuffers.Put(buf)
		<-s.credits
		return fmt.Errorf("udf: batch %d: %w", s.nextSeq, err)
	}
	s.nextSeq++
	err = s.cs.SendMsg(&outMessage{buf: buf})
	s.sendMu.Unlock()
	if err != nil {
		// The call is over; the receiver reports why.
		select {
		case <-s.done:
		case <-s.ctx.Done():
			return s.ctx.Err()
		}
		return s.endedErr()
	}
	return nil
}

// OpenStates returns the keyed states the chain's functions declared in open().
func (s *stream) OpenStates() []StateDecl { return s.openStates }

// Results returns the results, in submission order.
func (s *stream) Results() <-chan *Result { return s.results }

// Close runs the functions' close() in the worker and ends the stream. It
// returns the error close() raised, if any; a failure already delivered on
// Results is not repeated. Results stays readable until drained.
func (s *stream) Close() error {
	s.closeOnce.Do(func() {
		s.sendMu.Lock()
		s.closing.Store(true)
		if s.err() == nil {
			buf := sendBuffers.take()
			*buf = appendClose(*buf)
			// A failed send means the call is broken: the receiver reports why and stops.
			if s.cs.SendMsg(&outMessage{buf: buf}) == nil {
				_ = s.cs.CloseSend()
			}
		}
		s.sendMu.Unlock()
		select {
		case <-s.done:
		case <-s.ctx.Done():
		}
		s.cancel()
		<-s.done
	})
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.closeErr
}

// receive reads responses until the call ends.
func (s *stream) receive() {
	defer func() {
		close(s.pending)
		s.pool.release(s.w)
		close(s.done)
	}()
	expect := int64(1)
	pendingStates := s.openStates
	for {
		var in inMessage
		if err := s.cs.RecvMsg(&in); err != nil {
			if s.closing.Load() && status.Code(err) == codes.Canceled {
				return
			}
			if s.pool.isClosed() {
				s.fail(fmt.Errorf("%w (stream on python worker %d ended: %v)", ErrPoolClosed, s.w.id, err))
				return
			}
			s.fail(s.w.explain(s.ctx, err))
			return
		}
		resp, err := parseResponse(in.data)
		if err != nil {
			s.fail(&ProtocolError{Worker: s.w.id, Detail: err.Error()})
			return
		}
		switch resp.kind {
		case respResult:
			if !resp.hasSeq || resp.seq != expect {
				s.fail(&ProtocolError{Worker: s.w.id, Detail: fmt.Sprintf("result %d arrived, want %d", resp.seq, expect)})
				return
			}
			expect++
			res := &Result{Rows: resp.rows, State: resp.state, TimerOps: resp.timers, States: resp.states, Broadcast: resp.broadcast}
			if pendingStates != nil {
				res.States = append(pendingStates[:len(pendingStates):len(pendingStates)], res.States...)
				pendingStates = nil
			}
			s.pending <- res
		case respError:
			ue := resp.userError()
			if !resp.hasSeq && s.closing.Load() {
				s.errMu.Lock()
				s.closeErr = ue
				s.errMu.Unlock()
			} else {
				s.fail(ue)
			}
			return
		case respClosed:
			return
		default:
			s.fail(&ProtocolError{Worker: s.w.id, Detail: fmt.Sprintf("unexpected message type %q", resp.kind)})
			return
		}
	}
}

// forward moves results from pending to Results, returning a credit for each.
func (s *stream) forward() {
	defer close(s.results)
	for r := range s.pending {
		select {
		case s.results <- r:
		case <-s.ctx.Done():
			return
		}
		if r.Err == nil {
			<-s.credits
		}
	}
}

// fail records the fatal error and delivers it as the last result (unless
// the caller cancelled, in which case nobody is waiting for it).
func (s *stream) fail(err error) {
	s.errMu.Lock()
	if s.failure == nil {
		s.failure = err
	}
	s.errMu.Unlock()
	if s.ctx.Err() == nil {
		s.pending <- &Result{Err: err}
	}
}

// err returns the fatal error, if the stream failed.
func (s *stream) err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.failure
}

// endedErr is what Submit returns once the receiver stopped.
func (s *stream) endedErr() error {
	if err := s.err(); err != nil {
		return err
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	return ErrStreamClosed
}

// userError converts an error response.
func (r *response) userError() *UserError {
	return &UserError{Operator: r.operator, Message: r.message, Traceback: r.traceback}
}

// explain turns a failed call into the error to report: the caller's
// cancellation, the worker's crash (waiting briefly for its exit to be
// observed) or the gRPC status.
func (w *worker) explain(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	code := status.Code(err)
	if code == codes.Unavailable || code == codes.Internal || errors.Is(err, io.EOF) || w.dead() {
		timer := time.NewTimer(crashGrace)
		defer timer.Stop()
		select {
		case <-w.exited:
			return w.exitErr
		case <-timer.C:
		}
	}
	return fmt.Errorf("python worker %d (pid %d): %w", w.id, w.pid(), err)
}
