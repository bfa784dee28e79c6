"""Live progress of a running job: an updating display in notebooks, one line on a terminal.

A job's poll loop calls :meth:`Progress.tick` after every poll and :meth:`Progress.close`
when it ends. Ticks are cheap: the engine's ``status()`` is asked at most every
``interval`` seconds, and nothing shows before the job has run for the configured delay
(see :mod:`.environment`).
"""

import shutil
import sys
import time
from typing import Any, Callable, Dict, List, Optional

from pyflink_go._notebook import html as h
from pyflink_go._notebook.metrics import per_operator

__all__ = ['Progress', 'NotebookProgress', 'TerminalProgress', 'progress_text',
           'progress_html', 'INTERVAL_S']

INTERVAL_S = 0.5

_STATE_COLOR = {"RUNNING": "#2f6fb0", "FINISHED": "#3c8d3c", "FAILED": "#b03030",
                "CANCELED": "#a0660f", "CREATED": "#666"}


def progress_text(name: str, report: Dict[str, Any], width: int = 0) -> str:
    """One line: job name, state, elapsed time, then records in/out per operator."""
    parts = ["[%s] %s %s" % (name, report.get("state") or "?",
                             h.format_ms(report.get("elapsed_ms") or 0))]
    for c in per_operator(report):
        counts = []
        if c.records_in:
            counts.append("in %s" % h.format_count(c.records_in))
        if c.records_out or not c.records_in:
            counts.append("out %s" % h.format_count(c.records_out))
        parts.append("%s: %s" % (c.name, " ".join(counts)))
    line = " | ".join(parts)
    if width and len(line) > width:
        line = line[:max(0, width - 1)] + "\u2026"
    return line


def progress_html(name: str, report: Dict[str, Any], output: Optional[List[str]] = None,
                  output_total: int = 0) -> str:
    """A heading (job, state, elapsed) over a table of operators with their counts, and
    optionally the last lines a background job printed."""
    state = str(report.get("state") or "?")
    head = ('<div style="font-size:12px;margin:2px 0"><b>%s</b> &middot; '
            '<span style="color:%s;font-weight:600">%s</span> &middot; %s</div>'
            % (h.escape(name), _STATE_COLOR.get(state, "#666"), h.escape(state),
               h.escape(h.format_ms(report.get("elapsed_ms") or 0))))
    rows = [(c.name, c.subtasks, h.format_count(c.records_in), h.format_count(c.records_out))
            for c in per_operator(report)]
    body = h.table(("operator", "subtasks", "records in", "records out"), rows) if rows else ""
    tail = ""
    if output is not None:
        shown = "\n".join(output)
        note = "" if output_total <= len(output) else \
            "last %d of %s lines printed\n" % (len(output), h.format_count(output_total))
        tail = ('<pre style="font-size:12px;margin:4px 0;max-height:20em;overflow:auto">'
                '%s%s</pre>' % (h.escape(note), h.escape(shown))) if output_total else ""
    return h.box(head, body, tail, css_class="pyflink-go-progress")


class Progress(object):
    """Shows nothing: the base of the live displays, and what runs when progress is off."""

    def __init__(self, job=None, delay_ms: int = 0, interval_s: float = INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic):
        self._job = job
        self._clock = clock
        self._start = clock()
        self._delay_s = delay_ms / 1000.0
        self._interval_s = interval_s
        self._last: Optional[float] = None

    def _due(self) -> bool:
        now = self._clock()
        if now - self._start < self._delay_s:
            return False
        if self._last is not None and now - self._last < self._interval_s:
            return False
        self._last = now
        return True

    def tick(self) -> None:
        """Called after every poll: refresh the display when it is due."""
        if self._job is not None and self._due():
            self._show(self._job.status_report(), final=False)

    def close(self) -> None:
        """Called once when the job has ended (or the loop was left)."""
        if self._job is not None and self._last is not None:
            self._show(self._job.status_report(), final=True)

    def wrap_output(self, write: Callable[[List[str]], None]) -> Callable[[List[str]], None]:
        """The writer of print lines to use while this progress is shown."""
        return write

    def _show(self, report: Dict[str, Any], final: bool) -> None:
        pass


class NotebookProgress(Progress):
    """An HTML table in the cell that ran the job, updated in place through a display
    handle; it stays with the final counts when the job ends."""

    def __init__(self, job, delay_ms: int = 0, interval_s: float = INTERVAL_S, **kwargs):
        super().__init__(job, delay_ms, interval_s, **kwargs)
        self._handle = None

    def _bundle(self, report: Dict[str, Any]) -> Dict[str, str]:
        return {"text/html": progress_html(self._job.name, report),
                "text/plain": progress_text(self._job.name, report)}

    def _show(self, report: Dict[str, Any], final: bool) -> None:
        from IPython.display import display
        bundle = self._bundle(report)
        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)


class TerminalProgress(Progress):
    """One line on ``stderr``, rewritten in place; cleared before print output and when the
    job ends, so it never mixes with the program's own output."""

    def __init__(self, job, delay_ms: int = 0, interval_s: float = INTERVAL_S, stream=None,
                 **kwargs):
        super().__init__(job, delay_ms, interval_s, **kwargs)
        self._stream = stream
        self._shown = 0

    def _out(self):
        return self._stream if self._stream is not None else sys.stderr

    def _show(self, report: Dict[str, Any], final: bool) -> None:
        if final:
            self.clear()
            return
        width = shutil.get_terminal_size((100, 24)).columns - 1
        line = progress_text(self._job.name, report, width)
        stream = self._out()
        stream.write("\r" + line + " " * max(0, self._shown - len(line)))
        stream.flush()
        self._shown = len(line)

    def clear(self) -> None:
        """Erase the progress line (it comes back at the next due tick)."""
        if self._shown:
            stream = self._out()
            stream.write("\r" + " " * self._shown + "\r")
            stream.flush()
            self._shown = 0

    def close(self) -> None:
        self.clear()

    def wrap_output(self, write):
        def write_below_progress(lines):
            self.clear()
            write(lines)
        return write_below_progress
