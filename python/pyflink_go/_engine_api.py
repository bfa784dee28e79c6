"""Thin access to the in-process Go engine (the gopy-built ``pyflink_go._native``).

Every function maps one-to-one onto a function of the Go package ``pybridge``;
plans and results are msgpack documents passed as ``bytes``::

    >>> from pyflink_go import _engine_api as engine
    >>> engine.version()                                  # doctest: +SKIP
    'pyflink-go 0.1.0'
    >>> job = engine.submit(plan_bytes)                   # doctest: +SKIP
    >>> report = engine.poll(job, 100)                    # doctest: +SKIP

The native module is imported on first use, not when this module is imported:
importing stays fast, and a process that forks before touching the engine
leaves the child free to use it. A child forked *after* the engine was loaded
cannot use it (the Go runtime's threads do not survive ``fork``); its calls
raise :class:`EngineError` instead of hanging.

The functions call the extension's C entry points directly rather than gopy's
generated Python wrappers, whose import changes the working directory and whose
handle objects add per-call work. ``[]byte`` values cross as gopy handles:
``Slice_byte_from_bytes`` makes one from ``bytes``, ``Slice_byte_to_bytes``
reads one, and every handle is released after the call.
"""

import os

__all__ = [
    "EngineError",
    "version",
    "submit",
    "poll",
    "cancel",
    "status",
    "release",
    "execution_plan",
    "prestart",
]

# Terminates each sys.path entry in prestart's joined path (see pybridge/prestart.go).
_PATH_END = "\x1f"

# The extension's entry points this module relies on (gopy v0.4.10 naming).
_REQUIRED = (
    "pybridge_Version",
    "pybridge_Submit",
    "pybridge_Poll",
    "pybridge_Cancel",
    "pybridge_Status",
    "pybridge_Release",
    "pybridge_ExecutionPlan",
    "pybridge_Prestart",
    "Slice_byte_from_bytes",
    "Slice_byte_to_bytes",
    "Slice_byte_len",
    "IncRef",
    "DecRef",
)

_NOT_BUILT = (
    "the native engine is not built: run pip install . "
    "(or make dev to build it in place under python/pyflink_go/_native)"
)


class EngineError(RuntimeError):
    """A call into the in-process engine failed.

    ``call`` names the engine function (``"submit"``, ``"poll"``, ...); the
    message is the engine's own description of what went wrong. It subclasses
    RuntimeError, which is what gopy raises for Go errors.
    """

    def __init__(self, call, message):
        super().__init__(f"engine {call} failed: {message}")
        self.call = call
        self.detail = message


class _ForkedEngine:
    """Stands in for the extension in a child forked after it was loaded."""

    def __getattr__(self, name):
        raise EngineError(
            "call",
            "the in-process engine was loaded before this process was forked and cannot "
            "run in the child; start child processes with the 'spawn' or 'forkserver' "
            "multiprocessing context, or load the engine only in the child",
        )


_native = None  # the extension module pyflink_go._native._engine once loaded


def _load():
    """Import the extension (first call only) and return it."""
    global _native
    if _native is not None:
        return _native
    try:
        from pyflink_go._native import _engine
    except ModuleNotFoundError as e:
        if e.name and e.name.startswith("pyflink_go._native"):
            raise ImportError(_NOT_BUILT) from e
        raise
    except ImportError as e:
        raise ImportError(
            f"the native engine failed to load ({e}); rebuild it for this interpreter: run pip install ."
        ) from e
    missing = [name for name in _REQUIRED if not hasattr(_engine, name)]
    if missing:
        raise ImportError(
            f"the native engine lacks {', '.join(missing)}; it was built by another gopy "
            "version: run pip install ."
        )
    _native = _engine
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_forked)
    return _engine


def _forked():
    """after_in_child hook: the Go runtime is unusable in this process now."""
    global _native
    _native = _ForkedEngine()


def _failed(call, err):
    """Turn gopy's RuntimeError ("pybridge.Poll: ...") into an EngineError."""
    if isinstance(err, EngineError):
        return err
    message = str(err)
    prefix, sep, rest = message.partition(": ")
    if sep and prefix.startswith("pybridge."):
        message = rest
    return EngineError(call, message)


def _release(n, h):
    """Drop a gopy handle: handles start with a count of 0 and go at 1 -> 0."""
    if h > 0:
        n.IncRef(h)
        n.DecRef(h)


def _bytes_in(n, data, call):
    """Copy Python bytes into a new Go []byte handle."""
    if not isinstance(data, bytes):
        if not isinstance(data, (bytearray, memoryview)):
            raise TypeError(f"{call}: expected bytes, got {type(data).__name__}")
        data = bytes(data)
    return n.Slice_byte_from_bytes(data)


def _bytes_out(n, h, call):
    """Copy a Go []byte handle into Python bytes and release the handle.

    gopy's conversion panics (and aborts the interpreter) on an empty slice; the
    bridge never returns one, and this check keeps it so should that change.
    """
    try:
        if n.Slice_byte_len(h) == 0:
            raise EngineError(call, "the engine returned an empty result")
        return n.Slice_byte_to_bytes(h)
    finally:
        _release(n, h)


def version():
    """Return the engine's version string, e.g. ``'pyflink-go 0.1.0'``."""
    return _load().pybridge_Version()


def submit(plan):
    """Start the job described by a msgpack plan (engine/plan/PLAN.md); return its handle."""
    n = _native or _load()
    h = _bytes_in(n, plan, "submit")
    try:
        return n.pybridge_Submit(h)
    except RuntimeError as e:
        raise _failed("submit", e) from None
    finally:
        _release(n, h)


def poll(job, timeout_ms):
    """Wait up to ``timeout_ms`` ms for news from ``job``; return it as msgpack bytes.

    Keep the timeout short (100-200 ms) and loop: Ctrl-C and Jupyter interrupts
    are delivered only between calls.
    """
    n = _native or _load()
    try:
        h = n.pybridge_Poll(job, timeout_ms)
    except RuntimeError as e:
        raise _failed("poll", e) from None
    return _bytes_out(n, h, "poll")


def cancel(job):
    """Ask ``job`` to stop; a later :func:`poll` reports ``CANCELED``."""
    n = _native or _load()
    try:
        n.pybridge_Cancel(job)
    except RuntimeError as e:
        raise _failed("cancel", e) from None


def status(job):
    """Return ``job``'s state and per-operator metrics as msgpack bytes."""
    n = _native or _load()
    try:
        h = n.pybridge_Status(job)
    except RuntimeError as e:
        raise _failed("status", e) from None
    return _bytes_out(n, h, "status")


def release(job):
    """Forget a finished ``job`` and free what the engine kept for it."""
    n = _native or _load()
    try:
        n.pybridge_Release(job)
    except RuntimeError as e:
        raise _failed("release", e) from None


def savepoint(job, directory, stop, drain=False):
    """Take a savepoint of running ``job`` into ``directory`` ('' for the job's configured
    savepoint directory); return its path. With ``stop`` the job then stops; with ``drain``
    its sources end as at the end of their input, so the job finishes (Flink's stop --drain)."""
    n = _native or _load()
    try:
        return n.pybridge_Savepoint(job, directory or "", bool(stop), bool(drain))
    except RuntimeError as e:
        raise _failed("savepoint", e) from None


def execution_plan(plan):
    """Return Flink's execution-plan JSON for a msgpack plan, without running it."""
    n = _native or _load()
    h = _bytes_in(n, plan, "execution_plan")
    try:
        out = n.pybridge_ExecutionPlan(h)
    except RuntimeError as e:
        raise _failed("execution_plan", e) from None
    finally:
        _release(n, h)
    return _bytes_out(n, out, "execution_plan").decode("utf-8")


def prestart(python, path, n):
    """Start ``n`` Python workers now, with interpreter ``python`` and ``sys.path`` ``path``."""
    entries = [os.fspath(p) for p in path]
    for p in entries:
        if _PATH_END in p or "\x00" in p:
            raise ValueError(f"prestart: path entry {p!r} contains a control character")
    joined = "".join(p + _PATH_END for p in entries)
    native = _native or _load()
    try:
        native.pybridge_Prestart(os.fspath(python), joined, n)
    except RuntimeError as e:
        raise _failed("prestart", e) from None
