"""A stand-in engine for tests: records submitted plans and replays scripted poll envelopes.

Install it in place of ``pyflink_go._engine_api``::

    with FakeEngine([{"state": "RUNNING", "out": ["hello"]}]).installed() as engine:
        env.execute("job")
    plan = engine.plans[0]          # the decoded plan dict

Each job answers its polls with the scripted envelopes in order, then a FINISHED
envelope. ``cancel`` makes the next poll report CANCELED.
"""

import collections
import contextlib
import json
import sys
import threading
from typing import Any, Dict, Iterable, List, Optional

from pyflink_go import _codec

__all__ = ['FakeEngine', 'finished', 'failed']


def finished(job_id: str = "0" * 32, net_runtime_ms: int = 7) -> Dict[str, Any]:
    """A FINISHED envelope with a result."""
    return {"state": "FINISHED", "out": [], "rows": [], "logs": [], "error": None,
            "result": {"job_id": job_id, "net_runtime_ms": net_runtime_ms}}


def failed(message: str, operator: Optional[str] = None, traceback: Optional[str] = None,
           kind: str = "user_function") -> Dict[str, Any]:
    """A FAILED envelope with an error report."""
    return {"state": "FAILED", "out": [], "rows": [], "logs": [], "result": None,
            "error": {"message": message, "operator": operator, "traceback": traceback,
                      "kind": kind}}


class FakeEngine(object):
    """Implements the ``_engine_api`` functions over scripted envelopes."""

    def __init__(self, envelopes: Iterable[Dict[str, Any]] = (), final: Dict[str, Any] = None):
        self._script = list(envelopes)
        self._final = final if final is not None else finished()
        self.plans = []  # type: List[Dict[str, Any]]
        self.polls = collections.Counter()
        self.cancelled = []  # type: List[int]
        self.released = []  # type: List[int]
        self.prestarted = []  # type: List[tuple]
        self.plan_json_requests = []  # type: List[Dict[str, Any]]
        self._queues = {}  # type: Dict[int, collections.deque]
        self._state = {}  # type: Dict[int, str]
        self._lock = threading.Lock()  # polls and cancels may come from different threads
        # Called with (job, poll number) before each poll answers; may raise KeyboardInterrupt.
        self.on_poll = None

    # ---- the _engine_api functions ----

    def submit(self, plan: bytes) -> int:
        self.plans.append(_codec.unpackb(plan))
        job = len(self.plans)
        self._queues[job] = collections.deque(self._script)
        self._state[job] = "CREATED"
        return job

    def poll(self, job: int, timeout_ms: int) -> bytes:
        self._known(job)
        self.polls[job] += 1
        if self.on_poll is not None:
            self.on_poll(job, self.polls[job])
        with self._lock:
            if self._state[job] == "CANCELING":
                envelope = {"state": "CANCELED", "out": [], "rows": [], "logs": [],
                            "error": None, "result": None}
            elif self._queues[job]:
                envelope = self._queues[job].popleft()
            else:
                envelope = self._final
            self._state[job] = envelope.get("state") or self._state[job]
        return _codec.packb(envelope)

    def cancel(self, job: int) -> None:
        self._known(job)
        self.cancelled.append(job)
        with self._lock:
            if self._state[job] not in ("FINISHED", "FAILED", "CANCELED"):
                self._state[job] = "CANCELING"

    def status(self, job: int) -> bytes:
        self._known(job)
        return _codec.packb({"state": "RUNNING" if self._state[job] == "CANCELING"
                             else self._state[job], "job_id": "%032x" % job, "metrics": []})

    def release(self, job: int) -> None:
        self._known(job)
        self.released.append(job)

    def execution_plan(self, plan: bytes) -> str:
        decoded = _codec.unpackb(plan)
        self.plan_json_requests.append(decoded)
        return json.dumps({"nodes": [{"id": n["id"] + 1, "contents": n["name"]}
                                     for n in decoded["nodes"]]})

    def prestart(self, python: str, path: List[str], n: int) -> None:
        self.prestarted.append((python, list(path), n))

    def version(self) -> str:
        return "pyflink-go fake"

    # ---- helpers ----

    def _known(self, job: int) -> None:
        if job not in self._queues:
            raise RuntimeError("engine poll failed: no such job %d" % job)

    @contextlib.contextmanager
    def installed(self):
        """Serve as ``pyflink_go._engine_api`` inside the block."""
        saved = sys.modules.get("pyflink_go._engine_api")
        sys.modules["pyflink_go._engine_api"] = self
        try:
            yield self
        finally:
            if saved is None:
                sys.modules.pop("pyflink_go._engine_api", None)
            else:
                sys.modules["pyflink_go._engine_api"] = saved
