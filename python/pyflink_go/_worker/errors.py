"""Errors raised by user functions, carried back to the engine with their operator and traceback."""
import os
import traceback

_WORKER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


class UserFunctionError(Exception):
    """A user function (or the conversion of its output) failed inside an operator.

    ``message`` is ``"Type: message"``, ``traceback`` the formatted traceback
    without the worker's own frames.
    """

    def __init__(self, operator, error):
        self.operator = operator
        self.error = error
        self.message = describe(error)
        self.traceback = format_user_traceback(error)
        super().__init__('%s: %s' % (operator, self.message))


def describe(error):
    """Returns ``"Type: message"`` the way Python prints the last line of a traceback."""
    return traceback.format_exception_only(type(error), error)[-1].strip()


def format_user_traceback(error):
    """Formats the traceback of error, starting at the first frame outside the worker.

    Frames of the worker's own loops say nothing to the user; if every frame is
    the worker's (a failed conversion, say), the whole traceback is kept.
    """
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_WORKER_DIR):
        tb = tb.tb_next
    if tb is None:
        tb = error.__traceback__
    return ''.join(traceback.format_exception(type(error), error, tb))
