package udf

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"
)

// worker is one Python worker process and the gRPC connection to it.
type worker struct {
	id     int
	socket string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *lineWriter
	stderr *lineWriter

	ready    chan struct{} // closed once listening and dialed, or once start failed (startErr)
	startErr error
	conn     *grpc.ClientConn

	exited  chan struct{} // closed after the process ended and its output was read
	exitErr *WorkerCrashedError

	streams int // open streams; guarded by Pool.mu

	stopOnce sync.Once
}

// startWorker launches a worker process; it becomes usable when ready closes.
func startWorker(id int, dir string, cfg *Config, onExit func(*worker)) (*worker, error) {
	w := &worker{
		id:     id,
		socket: filepath.Join(dir, fmt.Sprintf("w%d.sock", id)),
		ready:  make(chan struct{}),
		exited: make(chan struct{}),
	}
	prefix := fmt.Sprintf("[python worker %d] ", id)
	w.stdout = newLineWriter(prefix, cfg.Log)
	w.stderr = newLineWriter(prefix, cfg.Log)

	readyR, readyW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start python worker %d: %w", id, err)
	}
	cmd := exec.Command(cfg.Python, "-m", "pyflink_go._worker",
		"--socket", w.socket, "--ready-fd", "3", "--max-streams", strconv.Itoa(maxStreamsPerWorker))
	cmd.Env = workerEnv(cfg.Path)
	cmd.Stdout = w.stdout
	cmd.Stderr = w.stderr
	cmd.ExtraFiles = []*os.File{readyW}
	cmd.WaitDelay = 2 * time.Second
	detach(cmd)
	if w.stdin, err = cmd.StdinPipe(); err != nil {
		readyR.Close()
		readyW.Close()
		return nil, fmt.Errorf("start python worker %d: %w", id, err)
	}
	if err := cmd.Start(); err != nil {
		readyR.Close()
		readyW.Close()
		return nil, fmt.Errorf("start python worker %d (%s): %w", id, cfg.Python, err)
	}
	readyW.Close()
	w.cmd = cmd

	go w.wait(onExit)
	go w.awaitReady(readyR, cfg.StartTimeout)
	return w, nil
}

// workerEnv is the engine's environment with PYTHONPATH set to the client's sys.path.
func workerEnv(path []string) []string {
	env := make([]string, 0, len(os.Environ())+2)
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PYTHONPATH=") || strings.HasPrefix(kv, "PYTHONUNBUFFERED=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PYTHONPATH="+strings.Join(path, string(os.PathListSeparator)), "PYTHONUNBUFFERED=1")
}

// awaitReady waits for the worker's "ready" line on the ready pipe, then dials it.
func (w *worker) awaitReady(r *os.File, timeout time.Duration) {
	defer close(w.ready)
	defer r.Close()
	line := make(chan error, 1)
	go func() {
		s, err := bufio.NewReader(r).ReadString('\n')
		if err == nil && s != "ready\n" {
			err = fmt.Errorf("unexpected ready message %q", s)
		}
		line <- err
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-line:
		if err != nil {
			// The process ended (or wrote nonsense) before listening: report how it ended.
			w.kill()
			<-w.exited
			w.startErr = w.exitErr
			return
		}
	case <-timer.C:
		w.kill()
		<-w.exited
		w.startErr = fmt.Errorf("python worker %d (pid %d) did not start listening within %v; last stderr lines:\n%s",
			w.id, w.cmd.Process.Pid, timeout, w.stderr.lastLines())
		return
	}
	conn, err := grpc.NewClient("unix://"+w.socket,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(
			grpc.CallContentSubtype(codecName),
			grpc.MaxCallRecvMsgSize(maxMessageSize),
			grpc.MaxCallSendMsgSize(maxMessageSize)),
		grpc.WithKeepaliveParams(keepalive.ClientParameters{
			Time: 30 * time.Second, Timeout: 10 * time.Second, PermitWithoutStream: true}),
	)
	if err != nil {
		w.kill()
		w.startErr = fmt.Errorf("dial python worker %d: %w", w.id, err)
		return
	}
	conn.Connect()
	w.conn = conn
}

// wait reaps the process and records how it ended.
func (w *worker) wait(onExit func(*worker)) {
	err := w.cmd.Wait()
	w.stdout.flush()
	w.stderr.flush()
	status := "exited"
	if w.cmd.ProcessState != nil {
		status = w.cmd.ProcessState.String()
	} else if err != nil {
		status = err.Error()
	}
	w.exitErr = &WorkerCrashedError{
		Worker: w.id,
		Pid:    w.cmd.Process.Pid,
		Status: status,
		Stderr: w.stderr.lastLines(),
	}
	close(w.exited)
	onExit(w)
}

// dead reports whether the process has ended.
func (w *worker) dead() bool {
	select {
	case <-w.exited:
		return true
	default:
		return false
	}
}

// pid returns the process id.
func (w *worker) pid() int { return w.cmd.Process.Pid }

// stop asks the worker to exit by closing its stdin, and closes the connection.
func (w *worker) stop() {
	w.stopOnce.Do(func() {
		w.stdin.Close()
	})
}

// kill ends the process at once.
func (w *worker) kill() {
	w.stop()
	// An error means the process is gone already; wait reports how it ended.
	_ = w.cmd.Process.Kill()
}

// shutdown stops the worker, killing it if it does not exit within grace.
func (w *worker) shutdown(grace time.Duration) {
	w.stop()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-w.exited:
	case <-timer.C:
		w.kill()
		<-w.exited
	}
	<-w.ready
	if w.conn != nil {
		w.conn.Close()
	}
}
