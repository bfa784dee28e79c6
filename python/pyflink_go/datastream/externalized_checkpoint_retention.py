"""ExternalizedCheckpointRetention: what happens to externalized checkpoints on cancellation."""

from enum import Enum

__all__ = ['ExternalizedCheckpointRetention']


class ExternalizedCheckpointRetention(Enum):
    """
    Cleanup behaviour for externalized checkpoints when the job is cancelled.

    :data:`DELETE_ON_CANCELLATION`: Delete externalized checkpoints on job cancellation.
    :data:`RETAIN_ON_CANCELLATION`: Retain externalized checkpoints on job cancellation.
    :data:`NO_EXTERNALIZED_CHECKPOINTS`: Externalized checkpoints are disabled completely.
    """

    DELETE_ON_CANCELLATION = 0
    RETAIN_ON_CANCELLATION = 1
    NO_EXTERNALIZED_CHECKPOINTS = 2
