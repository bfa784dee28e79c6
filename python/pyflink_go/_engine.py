"""Access to the engine bridge and the value codec, loaded on first use.

Neither is imported with the API: the native module starts a Go runtime and the
codec pulls in msgpack, and a script that only builds a job needs neither. A missing
native module surfaces at ``execute()`` with a message saying how to build it.
"""

import importlib
import os
import sys
from typing import Iterable, List

__all__ = ['api', 'codec', 'python_path', 'prestart']

_prestarted = False

# Set to "0" to keep get_execution_environment() from warming up Python workers.
PRESTART_ENV = "PYFLINK_GO_PRESTART"


def api():
    """The engine bridge module (``pyflink_go._engine_api``)."""
    try:
        return importlib.import_module("pyflink_go._engine_api")
    except ImportError as e:
        raise RuntimeError(
            "The pyflink_go engine is not available (%s). Install the package with "
            "`pip install .` from the pyflink-go source tree, which builds the Go engine into "
            "the package." % e) from e


def codec():
    """The value codec module (``pyflink_go._codec``: ``packb``/``unpackb``)."""
    try:
        return importlib.import_module("pyflink_go._codec")
    except ImportError as e:
        raise RuntimeError("The pyflink_go value codec could not be loaded: %s" % e) from e


def python_path(extra: Iterable[str] = ()) -> List[str]:
    """This interpreter's module search path as absolute paths, then ``extra`` entries.

    Workers start in another directory, so "" (the current directory) and relative
    entries are made absolute.
    """
    cwd = os.getcwd()
    path = [os.path.join(cwd, p) if p else cwd for p in sys.path]
    for entry in extra:
        entry = os.path.abspath(entry)
        if entry not in path:
            path.append(entry)
    return path


def prestart(workers: int) -> None:
    """Start ``workers`` Python workers in the background, once per process.

    Any failure (no native module yet, for one) is only logged: the job itself reports
    a clear error when it is executed.
    """
    global _prestarted
    if _prestarted or workers < 1 or os.environ.get(PRESTART_ENV, "1") == "0":
        return
    _prestarted = True
    try:
        module = importlib.import_module("pyflink_go._engine_api")
        module.prestart(sys.executable, python_path(), workers)
    except Exception as e:  # the engine is optional until execute()
        import logging
        logging.getLogger("pyflink_go").debug("Python worker prestart skipped: %s", e)
