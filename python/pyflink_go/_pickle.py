"""Ship user functions to the Python workers as cloudpickle bytes, failing with a clear message.

cloudpickle is imported on first use so that importing the API stays fast.
"""

from pyflink_go.errors import FunctionSerializationError

__all__ = ['dumps_function']


def dumps_function(obj, operator: str) -> bytes:
    """Pickle ``obj`` (a callable or Function object) for the operator named ``operator``."""
    import cloudpickle
    try:
        return cloudpickle.dumps(obj)
    except Exception as e:
        raise FunctionSerializationError(
            "Cannot serialize the function of operator %s with cloudpickle: %s: %s\n"
            "Functions run in separate Python worker processes, so a function and everything "
            "it references must be picklable. Create resources such as connections, locks or "
            "open files in the function's open() method instead of capturing them."
            % (operator, type(e).__name__, e)) from e
