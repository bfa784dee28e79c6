"""JobClient: a handle on a job started with ``execute_async``."""

from typing import List

from pyflink_go.common.completable_future import CompletableFuture
from pyflink_go.common.job_id import JobID

__all__ = ['JobClient']


class JobClient(object):
    """
    A client that is scoped to a specific job: ask its status, cancel it, or wait for its result.
    """

    def __init__(self, job):
        self._job = job

    def get_job_id(self) -> JobID:
        """
        Returns the JobID that uniquely identifies the job this client is scoped to.
        """
        return self._job.job_id()

    def get_job_status(self) -> CompletableFuture:
        """
        Requests the JobStatus of the associated job.

        :return: A CompletableFuture containing the JobStatus of the associated job.
        """
        return CompletableFuture._completed(self._job.job_status())

    def cancel(self) -> CompletableFuture:
        """
        Cancels the associated job.

        :return: A CompletableFuture that completes once the job has stopped.
        """
        self._job.cancel()
        return self._job.terminated_future()

    def stop_with_savepoint(self, advance_to_end_of_event_time: bool,
                            savepoint_directory: str = None) -> CompletableFuture:
        """
        Stops the associated job with a savepoint. Savepoints are not available yet.
        """
        raise NotImplementedError("stop_with_savepoint() is not supported by pyflink_go yet")

    def trigger_savepoint(self, savepoint_directory: str = None) -> CompletableFuture:
        """
        Triggers a savepoint for the associated job. Savepoints are not available yet.
        """
        raise NotImplementedError("trigger_savepoint() is not supported by pyflink_go yet")

    def get_accumulators(self) -> CompletableFuture:
        """
        Requests the accumulators of the associated job (none are produced yet).
        """
        return CompletableFuture._completed({})

    def get_output(self) -> List[str]:
        """
        Returns the lines the job's print sinks wrote so far (the last 10,000), in order.

        In a notebook, a job started with ``execute_async`` shows its print output in the
        cell that started it rather than on stdout; this gives it to later cells.
        """
        return list(self._job.printed or ())

    def __repr__(self):
        from pyflink_go._notebook import client_text
        return client_text(self)

    def _repr_html_(self) -> str:
        from pyflink_go._notebook import client_html
        return client_html(self)

    def get_job_execution_result(self) -> CompletableFuture:
        """
        Returns the JobExecutionResult of the job; ``.result()`` waits for the job to end and
        raises JobExecutionError if it failed.
        """
        return self._job.result_future()
