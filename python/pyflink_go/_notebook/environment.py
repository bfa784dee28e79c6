"""Where the program runs (a Jupyter kernel, a terminal, neither) and whether to show progress.

Detection never imports IPython: a program that has not loaded it cannot be running in
a kernel, and the check stays free for plain scripts.

Progress is on by default and is switched off by the configuration key
``pyflink-go.progress.enabled: false`` or by the environment variable
``PYFLINK_GO_PROGRESS=0`` (also ``false``, ``off``, ``no``); the environment variable wins.
It appears once a job has run for ``pyflink-go.progress.delay`` (default ``1 s``), so
short jobs stay quiet.
"""

import os
import sys
from typing import Mapping, Optional

from pyflink_go._durations import parse_duration_ms

__all__ = ['PROGRESS_KEY', 'PROGRESS_DELAY_KEY', 'PROGRESS_ENV', 'DEFAULT_DELAY_MS',
           'ipython_shell', 'in_notebook', 'stderr_is_tty', 'progress_enabled',
           'progress_delay_ms']

PROGRESS_KEY = "pyflink-go.progress.enabled"
PROGRESS_DELAY_KEY = "pyflink-go.progress.delay"
PROGRESS_ENV = "PYFLINK_GO_PROGRESS"
DEFAULT_DELAY_MS = 1000

_FALSE = ("0", "false", "off", "no")
_TRUE = ("1", "true", "on", "yes")


def ipython_shell():
    """The running IPython shell, or None when IPython is not loaded or not active."""
    module = sys.modules.get("IPython")
    if module is None:
        return None
    try:
        return module.get_ipython()
    except Exception:
        return None


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel whose front end can show rich displays.

    A kernel's shell is a ``ZMQInteractiveShell`` (or has a ``kernel`` attribute, as
    shells of other kernels built on ipykernel do); terminal IPython is not a notebook.
    """
    shell = ipython_shell()
    if shell is None:
        return False
    return type(shell).__name__ == "ZMQInteractiveShell" or \
        getattr(shell, "kernel", None) is not None


def stderr_is_tty() -> bool:
    """Whether ``sys.stderr`` is an interactive terminal."""
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def progress_enabled(config: Optional[Mapping[str, str]] = None) -> bool:
    """Whether live progress may be shown, from the environment variable, then the job's
    configuration (string values, as in a job plan)."""
    env = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if env in _FALSE:
        return False
    if env in _TRUE:
        return True
    value = str((config or {}).get(PROGRESS_KEY, "true")).strip().lower()
    return value not in _FALSE


def progress_delay_ms(config: Optional[Mapping[str, str]] = None) -> int:
    """How long a job runs before its progress appears (an invalid value means the default)."""
    text = (config or {}).get(PROGRESS_DELAY_KEY)
    if text is None:
        return DEFAULT_DELAY_MS
    try:
        return max(0, parse_duration_ms(text))
    except ValueError:
        return DEFAULT_DELAY_MS
