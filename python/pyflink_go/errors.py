"""Exceptions raised by pyflink_go when a job cannot be built or fails while running."""

from typing import Any, Dict, Optional

__all__ = ['JobExecutionError', 'FunctionSerializationError']


class JobExecutionError(RuntimeError):
    """
    A job failed (or was cancelled) while running.

    The message names the operator and, when a user function raised, includes the Python
    traceback from the worker. The parts are also available as attributes:

    - ``job_name``: the job's name;
    - ``operator``: the name of the failing operator, or None;
    - ``python_traceback``: the formatted Python traceback, or None;
    - ``kind``: ``"user_function"``, ``"worker_crashed"``, ``"plan"``, ``"io"``, ``"internal"``
      or ``"canceled"``;
    - ``cause_message``: the engine's own description of the failure.
    """

    def __init__(self, message: str, *, job_name: Optional[str] = None,
                 operator: Optional[str] = None, python_traceback: Optional[str] = None,
                 kind: Optional[str] = None, cause_message: Optional[str] = None):
        super().__init__(message)
        self.job_name = job_name
        self.operator = operator
        self.python_traceback = python_traceback
        self.kind = kind
        self.cause_message = cause_message

    @classmethod
    def _from_engine_error(cls, job_name: str, error: Optional[Dict[str, Any]]) \
            -> 'JobExecutionError':
        """Build the exception for a FAILED envelope's ``error`` map."""
        error = error or {}
        message = str(error.get("message") or "unknown error")
        operator = error.get("operator")
        trace = error.get("traceback")
        kind = error.get("kind") or "internal"
        where = " in operator '%s'" % operator if operator else ""
        if kind == "user_function":
            head = "Job '%s' failed: the Python function of operator '%s' raised an exception." \
                % (job_name, operator or "?")
            body = trace if trace else message
        elif kind == "worker_crashed":
            head = "Job '%s' failed: a Python worker process crashed%s." % (job_name, where)
            body = message
        elif kind == "canceled":
            head = "Job '%s' was cancelled." % job_name
            body = "" if message == "unknown error" else message
        else:
            head = "Job '%s' failed%s: %s" % (job_name, where, message)
            body = trace or ""
        text = head + ("\n" + body.rstrip("\n") if body else "")
        return cls(text, job_name=job_name, operator=operator, python_traceback=trace, kind=kind,
                   cause_message=message)


class FunctionSerializationError(TypeError):
    """
    A user function could not be serialized with cloudpickle to be sent to the Python workers.
    Raised by ``execute()`` and ``get_execution_plan()``; the message names the operator.
    """
