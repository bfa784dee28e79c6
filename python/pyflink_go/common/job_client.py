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
        Stops the associated job with a savepoint: a checkpoint is taken, copied to
        ``savepoint_directory`` (or the configured ``execution.checkpointing.savepoint-dir``),
        and the job then stops and ends FINISHED. Checkpointing must be enabled.

        :param advance_to_end_of_event_time: Flag indicating if the source should inject a
                                             MAX_WATERMARK in the pipeline before the savepoint,
                                             so every event-time window and timer fires first.
        :param savepoint_directory: Directory the savepoint should be written to.
        :return: A CompletableFuture containing the path where the savepoint is located.
        """
        return self._savepoint(savepoint_directory, stop=True,
                               drain=bool(advance_to_end_of_event_time))

    def trigger_savepoint(self, savepoint_directory: str = None) -> CompletableFuture:
        """
        Triggers a savepoint for the associated job: a checkpoint taken now, copied to
        ``savepoint_directory`` (or the configured ``execution.checkpointing.savepoint-dir``).
        Start a job from it with the configuration ``execution.state-recovery.path``.
        Checkpointing must be enabled.

        :param savepoint_directory: Directory the savepoint should be written to.
        :return: A CompletableFuture containing the path where the savepoint is located.
        """
        return self._savepoint(savepoint_directory, stop=False)

    def _savepoint(self, directory, stop, drain=False) -> CompletableFuture:
        future = CompletableFuture()
        try:
            future._set_result(self._job.savepoint(directory, stop, drain))
        except Exception as e:  # reported through the future, as Flink's client does
            future._set_exception(e)
        return future

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
