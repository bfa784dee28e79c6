"""ExecutionMode of the legacy batch API, kept for ``ExecutionConfig`` compatibility."""

from enum import Enum

__all__ = ['ExecutionMode']


class ExecutionMode(Enum):
    """
    The execution mode specifies how a batch program is executed in terms
    of data exchange: pipelining or batched. It has no effect on DataStream jobs.
    """

    PIPELINED = 0
    PIPELINED_FORCED = 1
    BATCH = 2
    BATCH_FORCED = 3
