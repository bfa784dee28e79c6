"""A submitted job, seen from Python: poll the engine, forward output, report the outcome.

Each poll returns an envelope (see engine/local/api.go): print-sink lines go to
``sys.stdout`` as they arrive (looked up at write time, so pytest capture and Jupyter
cells see them), engine and worker log lines go to the ``logging`` module, collected
rows are buffered for iterators, and the terminal state ends the job. Polls are short
so that Ctrl-C lands between them.
"""

import atexit
import collections
import sys
import threading
import weakref
from typing import Any, Deque, Dict, Optional

from pyflink_go import _engine
from pyflink_go.common.completable_future import CompletableFuture
from pyflink_go.common.job_execution_result import JobExecutionResult
from pyflink_go.common.job_id import JobID
from pyflink_go.common.job_status import JobStatus
from pyflink_go.errors import JobExecutionError

__all__ = ['Job', 'POLL_MS', 'KEPT_OUTPUT_LINES']

POLL_MS = 100
KEPT_OUTPUT_LINES = 10000  # print lines an execute_async job keeps for JobClient.get_output()
TERMINAL_STATES = ('FINISHED', 'FAILED', 'CANCELED')

# Level numbers of the logging module (imported only when there is something to log).
_LEVELS = {"TRACE": 10, "DEBUG": 10, "INFO": 20, "WARN": 30, "WARNING": 30, "ERROR": 40,
           "FATAL": 50, "CRITICAL": 50}


def _engine_log():
    import logging
    return logging.getLogger("pyflink_go.engine")


# Jobs started with execute_async that are still running; cancelled when the interpreter exits.
_running_async = weakref.WeakSet()  # type: weakref.WeakSet


def _write_out(lines) -> None:
    stream = sys.stdout
    if stream is None:
        return
    stream.write("\n".join(lines) + "\n")
    stream.flush()


def _log_line(line: str) -> None:
    """Log an engine line; a leading level word (``WARN``, ``[ERROR]``, ``INFO:``) sets the
    level, otherwise it is INFO."""
    head, _, rest = line.partition(" ")
    level = _LEVELS.get(head.strip("[]:").upper())
    if level is None:
        _engine_log().log(20, "%s", line)
    else:
        _engine_log().log(level, "%s", rest)


class Job(object):
    """
    One job running on the in-process engine, from submission to release.

    Polls are serialised by a lock, so a background thread may drive the job while
    another thread asks for its status or cancels it.
    """

    def __init__(self, plan: Dict[str, Any]):
        self._api = _engine.api()
        codec = _engine.codec()
        self._unpackb = codec.unpackb
        self.name = plan["job_name"]
        self.config = dict(plan.get("config") or {})  # type: Dict[str, str]
        # Where print lines and log lines go; the notebook layer may rewrap these.
        self._write = _write_out
        self._log = _log_line
        self.printed = None  # type: Optional[Deque[str]]  # kept lines (execute_async only)
        self.printed_total = 0
        self._job_id = JobID(plan.get("job_id") or "")
        self._lock = threading.RLock()
        self._terminal = threading.Event()
        self._released = False
        self.state = "CREATED"
        self.rows: Deque[Any] = collections.deque()
        self._error = None  # type: Optional[Dict[str, Any]]
        self._result = None  # type: Optional[Dict[str, Any]]
        self._cancel_requested = False
        self._result_future = CompletableFuture()
        self._terminated_future = CompletableFuture()
        self._handle = self._api.submit(codec.packb(plan))

    # ---- polling ----

    def poll(self, timeout_ms: int = POLL_MS) -> bool:
        """Take one envelope from the engine and act on it; True once the job has ended."""
        with self._lock:
            if self._terminal.is_set():
                return True
            envelope = self._unpackb(self._api.poll(self._handle, timeout_ms))
            self._deliver(envelope)
            return self._terminal.is_set()

    def _deliver(self, envelope: Dict[str, Any]) -> None:
        out = envelope.get("out")
        if out:
            if self.printed is not None:
                self.printed.extend(out)
                self.printed_total += len(out)
            self._write(out)
        for line in envelope.get("logs") or ():
            self._log(line)
        rows = envelope.get("rows")
        if rows:
            self.rows.extend(rows)
        state = envelope.get("state")
        if state:
            self.state = state
        if envelope.get("error") is not None:
            self._error = envelope["error"]
        if envelope.get("result") is not None:
            self._result = envelope["result"]
        if self.state in TERMINAL_STATES:
            self._terminal.set()

    @property
    def ended(self) -> bool:
        """Whether the job reached FINISHED, FAILED or CANCELED."""
        return self._terminal.is_set()

    def wait(self) -> None:
        """Poll until the job ends, showing its progress (pyflink_go._notebook). On Ctrl-C
        (or a notebook's "Interrupt kernel") the job is cancelled and waited for, then the
        KeyboardInterrupt propagates."""
        from pyflink_go._notebook import foreground
        progress = foreground(self)
        try:
            while not self.poll():
                progress.tick()
        except KeyboardInterrupt:
            self.cancel_and_wait()
            raise
        finally:
            try:
                progress.close()
            except Exception as e:  # a display that fails must not hide the job's outcome
                _engine_log().debug("progress of job '%s': %s", self.name, e)

    def cancel_and_wait(self) -> None:
        """Cancel the job and poll until it has stopped; a second Ctrl-C stops the waiting."""
        self.cancel()
        try:
            while not self.poll():
                pass
        except KeyboardInterrupt:
            pass
        except Exception as e:  # the job may already be gone; nothing left to wait for
            _engine_log().debug("waiting for job '%s' to stop: %s", self.name, e)

    # ---- control ----

    def cancel(self) -> None:
        """Ask the engine to stop the job (no effect once it has ended or been released)."""
        if self._terminal.is_set() or self._released:
            return
        self._cancel_requested = True
        try:
            self._api.cancel(self._handle)
        except Exception as e:  # e.g. the job ended meanwhile; polling tells the outcome
            _engine_log().debug("cancelling job '%s': %s", self.name, e)

    def savepoint(self, directory: Optional[str], stop: bool, drain: bool = False) -> str:
        """Take a savepoint (and stop the job after it when ``stop``; with ``drain`` its
        sources end as at the end of their input, so the job finishes); return its path."""
        if self._terminal.is_set() or self._released:
            raise RuntimeError("job '%s' is not running; no savepoint can be taken" % self.name)
        return self._api.savepoint(self._handle, directory or "", stop, drain)

    def release(self) -> None:
        """Let the engine forget the job; called once, after it ended."""
        with self._lock:
            if self._released:
                return
            self._released = True
        try:
            self._api.release(self._handle)
        except Exception as e:
            _engine_log().debug("releasing job '%s': %s", self.name, e)

    # ---- outcome ----

    def job_id(self) -> JobID:
        """The job's id, as the engine reports it."""
        if self._result and self._result.get("job_id"):
            return JobID(self._result["job_id"])
        if not self._terminal.is_set() and not self._released:
            status = self._status()
            if status.get("job_id"):
                self._job_id = JobID(status["job_id"])
        return self._job_id

    def status_report(self) -> Dict[str, Any]:
        """The engine's status map (state, elapsed_ms, per-operator metrics; see
        engine/local/api.go), or {} once the job is gone."""
        if self._released:
            return {"state": self.state}
        return self._status()

    def _status(self) -> Dict[str, Any]:
        try:
            status = self._unpackb(self._api.status(self._handle))
            return status if isinstance(status, dict) else {}
        except Exception as e:
            _engine_log().debug("status of job '%s': %s", self.name, e)
            return {}

    def job_status(self) -> JobStatus:
        """The job's current status, asking the engine while it runs."""
        if not self._terminal.is_set() and not self._released:
            state = self._status().get("state")
            if state:
                return JobStatus[state] if state in JobStatus.__members__ else JobStatus.RUNNING
        return JobStatus[self.state] if self.state in JobStatus.__members__ \
            else JobStatus.RUNNING

    def error(self) -> Optional[JobExecutionError]:
        """The exception describing a FAILED or CANCELED job, else None."""
        if self.state == 'FAILED':
            return JobExecutionError._from_engine_error(self.name, self._error)
        if self.state == 'CANCELED':
            error = dict(self._error or {})
            error["kind"] = "canceled"
            return JobExecutionError._from_engine_error(self.name, error)
        return None

    def execution_result(self) -> JobExecutionResult:
        """The result of a FINISHED job; raises JobExecutionError for any other outcome."""
        error = self.error()
        if error is not None:
            raise error
        result = self._result or {}
        return JobExecutionResult(self.job_id(), int(result.get("net_runtime_ms") or 0),
                                  job_name=self.name)

    # ---- background execution (execute_async) ----

    def start_in_background(self) -> None:
        """Drive the job from a daemon thread; the futures complete when it ends. Its print
        lines are kept (``printed``); in a notebook they go to a display in the calling cell
        instead of stdout, so they never land in a later cell."""
        from pyflink_go._notebook import background
        self.printed = collections.deque(maxlen=KEPT_OUTPUT_LINES)
        progress = background(self)
        _running_async.add(self)
        thread = threading.Thread(target=self._run_background, args=(progress,),
                                  name="pyflink_go job '%s'" % self.name, daemon=True)
        thread.start()

    def _run_background(self, progress) -> None:
        try:
            while not self.poll():
                progress.tick()
        except BaseException as e:  # report through the futures, never die silently
            self._result_future._set_exception(e)
        finally:
            _running_async.discard(self)
            try:
                progress.close()
            except Exception as e:
                _engine_log().debug("progress of job '%s': %s", self.name, e)
            self.release()
            self._terminated_future._set_result(None)
        try:
            self._result_future._set_result(self.execution_result())
        except JobExecutionError as e:
            self._result_future._set_exception(e)

    def result_future(self) -> CompletableFuture:
        """Completes with the JobExecutionResult, or with the JobExecutionError."""
        return self._result_future

    def terminated_future(self) -> CompletableFuture:
        """Completes with None once the job has ended."""
        return self._terminated_future


@atexit.register
def _cancel_async_jobs() -> None:
    # Jobs started with execute_async end with the program, as they do with a local cluster.
    for job in list(_running_async):
        try:
            job.cancel()
            job.terminated_future().result(timeout=5)
        except Exception:
            pass
