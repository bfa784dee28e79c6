"""JobExecutionResult: what ``execute()`` returns for a finished job."""

from typing import Any, Dict

from pyflink_go.common.job_id import JobID

__all__ = ['JobExecutionResult']


class JobExecutionResult(object):
    """
    The result of a job execution. Gives access to the execution time of the job,
    and to all accumulators created by this job.
    """

    def __init__(self, job_id: JobID, net_runtime: int, accumulators: Dict[str, Any] = None,
                 job_name: str = None):
        self._job_id = job_id
        self._job_name = job_name
        self._net_runtime = int(net_runtime)
        self._accumulators = dict(accumulators or {})

    def get_job_id(self) -> JobID:
        """
        Returns the JobID assigned to the job by the engine.

        :return: JobID.
        """
        return self._job_id

    def get_net_runtime(self) -> int:
        """
        Gets the net execution time of the job, i.e., the execution time in the parallel system,
        without the pre-flight steps like the optimizer.

        :return: The net execution time in milliseconds.
        """
        return self._net_runtime

    def get_accumulator_result(self, accumulator_name: str):
        """
        Gets the accumulator with the given name. Returns None, if no accumulator with
        that name was produced.

        :param accumulator_name: The name of the accumulator.
        :return: The value of the accumulator with the given name.
        """
        return self._accumulators.get(accumulator_name)

    def get_all_accumulator_results(self) -> Dict[str, Any]:
        """
        Gets all accumulators produced by the job.

        :return: The dict which the keys are names of the accumulator and the values
                 are values of the accumulator produced by the job.
        """
        return dict(self._accumulators)

    def __str__(self):
        return 'JobExecutionResult(job_id=%s, net_runtime=%d ms)' % (
            self._job_id, self._net_runtime)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        from pyflink_go._notebook import result_html
        return result_html(self)
