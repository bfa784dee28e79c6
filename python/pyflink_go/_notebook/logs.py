"""Keeping engine and worker log lines from flooding a notebook cell.

The job hands every log line to a callable (``pyflink_go._job._log_line`` by default,
which logs to ``pyflink_go.engine`` at the level the line names). In a notebook the
first lines go through unchanged; later ones are logged at DEBUG, after one warning
saying so. A job running in the background must not write into whatever cell runs
next, so when logging is not configured its warnings are kept for its display instead.
"""

from typing import Callable, List

__all__ = ['LOGGER', 'NOTEBOOK_LOG_LIMIT', 'limited', 'kept']

LOGGER = "pyflink_go.engine"
NOTEBOOK_LOG_LIMIT = 20

_LEVEL_WORDS = {"WARN": 30, "WARNING": 30, "ERROR": 40, "FATAL": 50, "CRITICAL": 50}
_WARNING = 30


def _logger():
    import logging  # only once there is a line to log
    return logging.getLogger(LOGGER)


def _level(line: str) -> int:
    head = line.partition(" ")[0].strip("[]:").upper()
    return _LEVEL_WORDS.get(head, 20)


def limited(log: Callable[[str], None], job_name: str,
            limit: int = NOTEBOOK_LOG_LIMIT) -> Callable[[str], None]:
    """``log`` for the first ``limit`` lines, DEBUG afterwards."""
    count = [0]

    def log_limited(line: str) -> None:
        count[0] += 1
        if count[0] <= limit:
            log(line)
            return
        logger = _logger()
        if count[0] == limit + 1:
            logger.warning("job '%s' logs more than %d lines; the rest are logged at DEBUG "
                           "level (logger %s)", job_name, limit, LOGGER)
        logger.debug("%s", line)

    return log_limited


def kept(log: Callable[[str], None], sink: List[str]) -> Callable[[str], None]:
    """``log`` if logging is configured; otherwise warnings and errors are appended to
    ``sink`` (and every line is logged at DEBUG)."""
    def log_kept(line: str) -> None:
        logger = _logger()
        if logger.hasHandlers():
            log(line)
            return
        if _level(line) >= _WARNING:
            sink.append(line)
        logger.debug("%s", line)

    return log_kept
