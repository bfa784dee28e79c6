"""Choosing how a running job shows itself, for the poll loop in ``pyflink_go._job``.

- :func:`foreground` is for ``execute()``, whose poll loop runs in the calling thread:
  print lines go to ``sys.stdout`` (so into the cell that ran the job), and once the job
  has run for a moment its progress appears (a display in notebooks, a line on a
  terminal's stderr), unless progress is switched off.
- :func:`background` is for ``execute_async()``: in a notebook the job gets a display in
  the calling cell that shows its state, counts and the last lines it printed, so
  nothing it prints lands in a later cell; elsewhere print lines go to stdout as before.
"""

from typing import Any, Dict, List

from pyflink_go._notebook import environment as environ
from pyflink_go._notebook import logs
from pyflink_go._notebook.progress import INTERVAL_S, NotebookProgress, Progress, \
    TerminalProgress, progress_html, progress_text

__all__ = ['foreground', 'background', 'BackgroundDisplay', 'OUTPUT_TAIL']

OUTPUT_TAIL = 30


def foreground(job) -> Progress:
    """The progress display for a job polled in the calling thread; it may rewrap the
    job's output and log writers (``job._write``, ``job._log``)."""
    config = job.config
    notebook = environ.in_notebook()
    if notebook:
        job._log = logs.limited(job._log, job.name)
    if not environ.progress_enabled(config):
        return Progress()
    delay = environ.progress_delay_ms(config)
    if notebook:
        return NotebookProgress(job, delay)
    if environ.stderr_is_tty():
        progress = TerminalProgress(job, delay)
        job._write = progress.wrap_output(job._write)
        return progress
    return Progress()


def background(job) -> Progress:
    """The display for a job polled by a background thread; must be called in the thread
    (and cell) that started the job."""
    if not environ.in_notebook():
        return Progress()
    return BackgroundDisplay(job)


class BackgroundDisplay(Progress):
    """A display in the cell that called ``execute_async()``: state, elapsed time, counts
    per operator and the last lines the job printed, updated from the polling thread.

    Print lines are not written to ``sys.stdout`` (they would land in whichever cell runs
    at the time); the job keeps them (``JobClient.get_output()``).
    """

    def __init__(self, job):
        super().__init__(job, 0, INTERVAL_S)
        self.warnings: List[str] = []
        job._write = lambda lines: None
        job._log = logs.kept(job._log, self.warnings)
        from IPython.display import display
        self._handle = display(self._bundle({"state": job.state}), raw=True, display_id=True)

    def _bundle(self, report: Dict[str, Any]) -> Dict[str, str]:
        job = self._job
        printed = list(job.printed or ())[-OUTPUT_TAIL:]
        output = printed + ["WARNING " + line if not line.startswith(("WARN", "[WARN"))
                            else line for line in self.warnings[-5:]]
        total = job.printed_total + len(self.warnings)
        return {"text/html": progress_html(job.name, report, output, total),
                "text/plain": progress_text(job.name, report)}

    def tick(self) -> None:
        if self._due():
            self._show(self._job.status_report(), final=False)

    def close(self) -> None:
        self._show(self._job.status_report(), final=True)

    def _show(self, report: Dict[str, Any], final: bool) -> None:
        if final and report.get("state") != self._job.state:
            report = dict(report, state=self._job.state)
        try:
            self._handle.update(self._bundle(report), raw=True)
        except Exception:  # the kernel is shutting down; the job's outcome is in its client
            pass
