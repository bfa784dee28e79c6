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

import importlib

__all__ = ['CollectedRows', 'ExecutionPlan', 'foreground', 'background', 'result_html',
           'client_html', 'client_text', 'in_notebook', 'PROGRESS_KEY', 'PROGRESS_DELAY_KEY',
           'PROGRESS_ENV']

# Names are loaded on first use: a script's execute() loads the progress code only.
_HOME = {
    'CollectedRows': 'rows', 'ExecutionPlan': 'plan', 'foreground': 'monitor',
    'background': 'monitor', 'result_html': 'results', 'client_html': 'results',
    'client_text': 'results', 'in_notebook': 'environment', 'PROGRESS_KEY': 'environment',
    'PROGRESS_DELAY_KEY': 'environment', 'PROGRESS_ENV': 'environment',
}


def __getattr__(name):
    if name not in _HOME:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = getattr(importlib.import_module(__name__ + "." + _HOME[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
