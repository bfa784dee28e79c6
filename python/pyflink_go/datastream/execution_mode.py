"""RuntimeExecutionMode: STREAMING, BATCH or AUTOMATIC execution of a DataStream job."""

from enum import Enum

__all__ = ['RuntimeExecutionMode']


class RuntimeExecutionMode(Enum):
    """
    Runtime execution mode of DataStream programs. Among other things, this controls task
    scheduling, network shuffle behavior, and time semantics. Some operations will also change
    their record emission behaviour based on the configured execution mode.

    :data:`STREAMING`:
    The Pipeline will be executed with Streaming Semantics: results are emitted continuously
    (a keyed reduce emits its rolling result for every record).

    :data:`BATCH`:
    The Pipeline will be executed with Batch Semantics: a keyed reduce emits only the final value
    per key, and watermarks are assumed to be "perfect".

    :data:`AUTOMATIC`:
    BATCH if all sources are bounded, STREAMING if at least one source is unbounded.
    """

    STREAMING = 0
    BATCH = 1
    AUTOMATIC = 2
