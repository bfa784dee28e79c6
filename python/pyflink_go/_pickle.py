"""Ship user functions to the Python workers as cloudpickle bytes, failing with a clear message.

cloudpickle is imported on first use so that importing the API stays fast.
"""

from pyflink_go.errors import FunctionSerializationError

__all__ = ['dumps_function']


_pickler_class = None


def _pickler():
    """A cloudpickle Pickler that keeps the file names of pickled code.

    cloudpickle 3.1.3 and later replace a function's ``co_filename`` with ``<dynamic-code>`` so
    that payloads are deterministic; the workers' tracebacks then lose the user's file and
    source lines. Jobs run on this machine, so the real file name is the useful one.
    """
    global _pickler_class
    if _pickler_class is None:
        import types

        import cloudpickle
        from cloudpickle import cloudpickle as impl

        code_reduce = getattr(impl, "_code_reduce", None)

        class FilenamePreservingPickler(cloudpickle.Pickler):
            def reducer_override(self, obj):
                if code_reduce is not None and isinstance(obj, types.CodeType):
                    rebuild, args = code_reduce(obj)
                    args = tuple(obj.co_filename if isinstance(a, str) and a == "<dynamic-code>"
                                 else a for a in args)
                    return rebuild, args
                return super().reducer_override(obj)

        _pickler_class = FilenamePreservingPickler
    return _pickler_class


def dumps_function(obj, operator: str) -> bytes:
    """Pickle ``obj`` (a callable or Function object) for the operator named ``operator``."""
    import io

    import cloudpickle
    try:
        buf = io.BytesIO()
        _pickler()(buf, protocol=cloudpickle.DEFAULT_PROTOCOL).dump(obj)
        return buf.getvalue()
    except Exception as e:
        raise FunctionSerializationError(
            "Cannot serialize the function of operator %s with cloudpickle: %s: %s\n"
            "Functions run in separate Python worker processes, so a function and everything "
            "it references must be picklable. Create resources such as connections, locks or "
            "open files in the function's open() method instead of capturing them."
            % (operator, type(e).__name__, e)) from e
