"""Notebook and terminal presentation of jobs: tables, plan pictures, live progress.

Everything here is drawn by the package itself as HTML or SVG (no scripts, no network):

- :class:`CollectedRows`: what ``execute_and_collect(limit=...)`` returns, a list that
  renders as a bounded table;
- :class:`ExecutionPlan`: what ``get_execution_plan()`` returns, Flink's JSON string that
  renders as the job graph;
- :func:`foreground` / :func:`background`: live progress and output routing for the poll
  loop of ``execute()`` and ``execute_async()``;
- :func:`result_html` / :func:`client_html`: the notebook view of a JobExecutionResult
  and of a JobClient.

Switch progress off with the configuration key ``pyflink-go.progress.enabled: false`` or
the environment variable ``PYFLINK_GO_PROGRESS=0``.
"""

from pyflink_go._notebook.environment import PROGRESS_DELAY_KEY, PROGRESS_ENV, PROGRESS_KEY, \
    in_notebook
from pyflink_go._notebook.monitor import background, foreground
from pyflink_go._notebook.plan import ExecutionPlan
from pyflink_go._notebook.results import client_html, client_text, result_html
from pyflink_go._notebook.rows import CollectedRows

__all__ = ['CollectedRows', 'ExecutionPlan', 'foreground', 'background', 'result_html',
           'client_html', 'client_text', 'in_notebook', 'PROGRESS_KEY', 'PROGRESS_DELAY_KEY',
           'PROGRESS_ENV']
