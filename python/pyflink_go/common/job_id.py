"""JobID: the identifier the engine gives a submitted job."""

__all__ = ['JobID']


class JobID(object):
    """
    Unique (at least statistically unique) identifier for a job, shown as 32 hex digits.
    """

    def __init__(self, job_id: str):
        self._job_id = str(job_id)

    def __str__(self):
        return self._job_id

    def __repr__(self):
        return 'JobID(%s)' % self._job_id

    def __eq__(self, other):
        return isinstance(other, JobID) and self._job_id == other._job_id

    def __hash__(self):
        return hash(self._job_id)
