"""JobStatus: the states of a job, as in ``pyflink.common.job_status``."""

from enum import Enum

__all__ = ['JobStatus']

_GLOBALLY_TERMINAL = ('FAILED', 'CANCELED', 'FINISHED')


class JobStatus(Enum):
    """
    Possible states of a job once it has been accepted by the engine.

    :data:`CREATED`: Job is newly created, no task has started to run.
    :data:`RUNNING`: Some tasks are scheduled or running, some may be pending, some may be finished.
    :data:`FAILING`: The job has failed and is currently waiting for the cleanup to complete.
    :data:`FAILED`: The job has failed with a non-recoverable task failure.
    :data:`CANCELLING`: Job is being cancelled.
    :data:`CANCELED`: Job has been cancelled.
    :data:`FINISHED`: All of the job's tasks have successfully finished.
    :data:`RESTARTING`: The job is currently undergoing a reset and total restart.
    :data:`SUSPENDED`: The job has been suspended.
    :data:`RECONCILING`: The job is currently reconciling and waits for task execution report to
    recover state.
    """

    CREATED = 0
    RUNNING = 1
    FAILING = 2
    FAILED = 3
    CANCELLING = 4
    CANCELED = 5
    FINISHED = 6
    RESTARTING = 7
    SUSPENDED = 8
    RECONCILING = 9

    def is_globally_terminal_state(self) -> bool:
        """
        Checks whether this state is globally terminal: the job is complete and cannot fail any
        more and will not be restarted or recovered.

        :return: ``True`` if this job status is globally terminal, ``False`` otherwise.
        """
        return self.name in _GLOBALLY_TERMINAL

    def is_terminal_state(self) -> bool:
        """
        Checks whether this state is locally terminal: FAILED, CANCELED, FINISHED or SUSPENDED.

        :return: ``True`` if this job status is terminal, ``False`` otherwise.
        """
        return self.name in _GLOBALLY_TERMINAL or self is JobStatus.SUSPENDED
