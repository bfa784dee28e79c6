"""CompletableFuture: a result that becomes available later (job status, job result, cancel)."""

import threading

__all__ = ['CompletableFuture']


class CompletableFuture(object):
    """
    A Future that may be explicitly completed (setting its value and status), supporting dependent
    functions and actions that trigger upon its completion.

    When two or more threads attempt to set_result, set_exception, or cancel a CompletableFuture,
    only one of them succeeds.
    """

    def __init__(self, j_completable_future=None, py_class=None):
        self._py_class = py_class
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._value = None
        self._exception = None
        self._cancelled = False

    @staticmethod
    def _completed(value) -> 'CompletableFuture':
        future = CompletableFuture()
        future._set_result(value)
        return future

    def _set_result(self, value) -> bool:
        with self._lock:
            if self._done.is_set():
                return False
            self._value = value
            self._done.set()
            return True

    def _set_exception(self, exception: BaseException) -> bool:
        with self._lock:
            if self._done.is_set():
                return False
            self._exception = exception
            self._done.set()
            return True

    def cancel(self) -> bool:
        """
        Completes this CompletableFuture with a cancellation if not already completed.

        :return: true if this task is now cancelled
        """
        with self._lock:
            if self._done.is_set():
                return self._cancelled
            self._cancelled = True
            self._done.set()
            return True

    def cancelled(self) -> bool:
        """
        Returns true if this CompletableFuture was cancelled before it completed normally.
        """
        return self._cancelled

    def done(self) -> bool:
        """
        Returns true if completed in any fashion: normally, exceptionally, or via cancellation.
        """
        return self._done.is_set()

    def result(self, timeout: float = None):
        """
        Waits if necessary for this future to complete, and then returns its result.

        :param timeout: seconds to wait at most; ``None`` waits as long as it takes.
        :return: the result value
        """
        # Waiting in short slices keeps Ctrl-C responsive on every platform.
        remaining = timeout
        while not self._done.wait(0.1 if remaining is None else min(0.1, remaining)):
            if remaining is not None:
                remaining -= 0.1
                if remaining <= 0:
                    raise TimeoutError("The future did not complete within %s seconds" % timeout)
        if self._cancelled:
            from concurrent.futures import CancelledError
            raise CancelledError()
        if self._exception is not None:
            raise self._exception
        if self._py_class is None:
            return self._value
        return self._py_class(self._value)

    def exception(self):
        """
        Returns the exception that was set on this future or None if no exception was set.
        """
        return self._exception if self._done.is_set() else None

    def __str__(self):
        if not self._done.is_set():
            state = 'Incomplete'
        elif self._cancelled:
            state = 'Cancelled'
        elif self._exception is not None:
            state = 'Completed exceptionally: %r' % (self._exception,)
        else:
            state = 'Completed normally'
        return 'CompletableFuture[%s]' % state
