"""CheckpointingMode: the consistency guarantee checkpoints give (exactly-once or at-least-once)."""

from enum import Enum

__all__ = ['CheckpointingMode']


class CheckpointingMode(Enum):
    """
    The checkpointing mode defines what consistency guarantees the system gives in the presence of
    failures.

    :data:`EXACTLY_ONCE`:
    Upon recovery every record is reflected exactly once in the operator state; operators align
    their inputs on checkpoint barriers.

    :data:`AT_LEAST_ONCE`:
    Upon recovery some records may be reflected more than once in the operator state; there is
    no barrier alignment, which keeps latency minimal.
    """

    EXACTLY_ONCE = 0
    AT_LEAST_ONCE = 1
