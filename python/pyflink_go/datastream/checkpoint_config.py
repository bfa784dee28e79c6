"""CheckpointConfig: checkpoint settings, stored in the environment's Configuration.

The settings travel to the engine as the ``execution.checkpointing.*`` keys of the
job plan's ``config``.
"""

from enum import Enum
from typing import Optional

from pyflink_go._durations import format_duration_ms, parse_duration_ms
from pyflink_go.common import _config_keys as keys
from pyflink_go.common.configuration import Configuration
from pyflink_go.common.time import Duration
from pyflink_go.datastream.checkpoint_storage import CheckpointStorage, \
    FileSystemCheckpointStorage, JobManagerCheckpointStorage
from pyflink_go.datastream.checkpointing_mode import CheckpointingMode
from pyflink_go.datastream.externalized_checkpoint_retention import \
    ExternalizedCheckpointRetention

__all__ = ['CheckpointConfig', 'ExternalizedCheckpointCleanup']

_MINIMAL_CHECKPOINT_TIME = 10
_TIMEOUT = "execution.checkpointing.timeout"
_MIN_PAUSE = "execution.checkpointing.min-pause"
_MAX_CONCURRENT = "execution.checkpointing.max-concurrent-checkpoints"
_TOLERABLE = "execution.checkpointing.tolerable-failed-checkpoints"
_RETENTION = "execution.checkpointing.externalized-checkpoint-retention"
_UNALIGNED = "execution.checkpointing.unaligned.enabled"
_ALIGNED_TIMEOUT = "execution.checkpointing.aligned-checkpoint-timeout"
_FORCE_UNALIGNED = "execution.checkpointing.unaligned.forced"
_STORAGE = "state.checkpoint-storage"
_DIR = "execution.checkpointing.dir"


class ExternalizedCheckpointCleanup(Enum):
    """
    Cleanup behaviour for externalized checkpoints when the job is cancelled.

    :data:`DELETE_ON_CANCELLATION`: Delete externalized checkpoints on job cancellation.
    :data:`RETAIN_ON_CANCELLATION`: Retain externalized checkpoints on job cancellation.
    :data:`NO_EXTERNALIZED_CHECKPOINTS`: Externalized checkpoints are disabled completely.
    """

    DELETE_ON_CANCELLATION = 0
    RETAIN_ON_CANCELLATION = 1
    NO_EXTERNALIZED_CHECKPOINTS = 2


class CheckpointConfig(object):
    """
    Configuration that captures all checkpointing related settings.

    :data:`DEFAULT_MODE`: The default checkpoint mode: exactly once.
    :data:`DEFAULT_TIMEOUT`: The default timeout of a checkpoint attempt: 10 minutes.
    :data:`DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS`: The default minimum pause to be made between
    checkpoints: none.
    :data:`DEFAULT_MAX_CONCURRENT_CHECKPOINTS`: The default limit of concurrently happening
    checkpoints: one.
    """

    DEFAULT_MODE = CheckpointingMode.EXACTLY_ONCE
    DEFAULT_TIMEOUT = 10 * 60 * 1000
    DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS = 0
    DEFAULT_MAX_CONCURRENT_CHECKPOINTS = 1

    def __init__(self, configuration: Configuration = None):
        self._config = configuration if configuration is not None else Configuration()

    def is_checkpointing_enabled(self) -> bool:
        """
        Checks whether checkpointing is enabled.

        :return: True if checkpointing is enables, false otherwise.
        """
        return self.get_checkpoint_interval() > 0

    def get_checkpointing_mode(self) -> CheckpointingMode:
        """
        Gets the checkpointing mode (exactly-once vs. at-least-once).

        :return: The :class:`CheckpointingMode`.
        """
        name = self._config.get_string(keys.CHECKPOINTING_MODE, self.DEFAULT_MODE.name)
        return CheckpointingMode[name.strip().upper()]

    def set_checkpointing_mode(self, checkpointing_mode: CheckpointingMode) -> 'CheckpointConfig':
        """
        Sets the checkpointing mode (:data:`CheckpointingMode.EXACTLY_ONCE` vs.
        :data:`CheckpointingMode.AT_LEAST_ONCE`).

        :param checkpointing_mode: The :class:`CheckpointingMode`.
        """
        self._config.set_string(keys.CHECKPOINTING_MODE, checkpointing_mode.name)
        return self

    def get_checkpoint_interval(self) -> int:
        """
        Gets the interval in which checkpoints are periodically scheduled.

        :return: The checkpoint interval, in milliseconds, or -1 when checkpointing is disabled.
        """
        value = self._config.get_string(keys.CHECKPOINTING_INTERVAL, None)
        return -1 if value is None else parse_duration_ms(value)

    def set_checkpoint_interval(self, checkpoint_interval: int) -> 'CheckpointConfig':
        """
        Sets the interval in which checkpoints are periodically scheduled.

        :param checkpoint_interval: The checkpoint interval, in milliseconds.
        """
        if checkpoint_interval < _MINIMAL_CHECKPOINT_TIME:
            raise ValueError("Checkpoint interval must be larger than or equal to %d ms"
                             % _MINIMAL_CHECKPOINT_TIME)
        self._config.set_string(keys.CHECKPOINTING_INTERVAL,
                                format_duration_ms(checkpoint_interval))
        return self

    def get_checkpoint_timeout(self) -> int:
        """
        Gets the maximum time that a checkpoint may take before being discarded.

        :return: The checkpoint timeout, in milliseconds.
        """
        return parse_duration_ms(self._config.get_string(_TIMEOUT, str(self.DEFAULT_TIMEOUT)))

    def set_checkpoint_timeout(self, checkpoint_timeout: int) -> 'CheckpointConfig':
        """
        Sets the maximum time that a checkpoint may take before being discarded.

        :param checkpoint_timeout: The checkpoint timeout, in milliseconds.
        """
        if checkpoint_timeout < _MINIMAL_CHECKPOINT_TIME:
            raise ValueError("Checkpoint timeout must be larger than or equal to %d ms"
                             % _MINIMAL_CHECKPOINT_TIME)
        self._config.set_string(_TIMEOUT, format_duration_ms(checkpoint_timeout))
        return self

    def get_min_pause_between_checkpoints(self) -> int:
        """
        Gets the minimal pause between checkpointing attempts.

        :return: The minimal pause, in milliseconds.
        """
        return parse_duration_ms(self._config.get_string(_MIN_PAUSE, "0"))

    def set_min_pause_between_checkpoints(self,
                                          min_pause_between_checkpoints: int) -> 'CheckpointConfig':
        """
        Sets the minimal pause between checkpointing attempts.

        :param min_pause_between_checkpoints: The minimal pause before the next checkpoint is
                                              triggered.
        """
        if min_pause_between_checkpoints < 0:
            raise ValueError("Pause value must be zero or positive")
        self._config.set_string(_MIN_PAUSE, format_duration_ms(min_pause_between_checkpoints))
        return self

    def get_max_concurrent_checkpoints(self) -> int:
        """
        Gets the maximum number of checkpoint attempts that may be in progress at the same time.

        :return: The maximum number of concurrent checkpoint attempts.
        """
        return self._config.get_integer(_MAX_CONCURRENT, self.DEFAULT_MAX_CONCURRENT_CHECKPOINTS)

    def set_max_concurrent_checkpoints(self, max_concurrent_checkpoints: int) -> 'CheckpointConfig':
        """
        Sets the maximum number of checkpoint attempts that may be in progress at the same time.

        :param max_concurrent_checkpoints: The maximum number of concurrent checkpoint attempts.
        """
        if max_concurrent_checkpoints < 1:
            raise ValueError("The maximum number of concurrent attempts must be at least one.")
        self._config.set_integer(_MAX_CONCURRENT, max_concurrent_checkpoints)
        return self

    def is_fail_on_checkpointing_errors(self) -> bool:
        """
        This determines the behaviour of tasks if there is an error in their local checkpointing.

        :return: True if failing on checkpointing errors, false otherwise.
        """
        return self.get_tolerable_checkpoint_failure_number() == 0

    def set_fail_on_checkpointing_errors(self,
                                         fail_on_checkpointing_errors: bool) -> 'CheckpointConfig':
        """
        Sets the expected behaviour for tasks in case that they encounter an error when
        checkpointing.

        :param fail_on_checkpointing_errors: True if failing on checkpointing errors, false
                                             otherwise.
        """
        return self.set_tolerable_checkpoint_failure_number(
            0 if fail_on_checkpointing_errors else 2 ** 31 - 1)

    def get_tolerable_checkpoint_failure_number(self) -> int:
        """
        Get the defined number of consecutive checkpoint failures that will be tolerated,
        before the whole job is failed over.

        :return: The maximum number of tolerated checkpoint failures.
        """
        return self._config.get_integer(_TOLERABLE, 0)

    def set_tolerable_checkpoint_failure_number(self,
                                                tolerable_checkpoint_failure_number: int
                                                ) -> 'CheckpointConfig':
        """
        This defines how many consecutive checkpoint failures will be tolerated,
        before the whole job is failed over. The default value is `0`, which means
        no checkpoint failures will be tolerated, and the job will fail on first
        reported checkpoint failure.

        :param tolerable_checkpoint_failure_number: The maximum number of tolerated checkpoint
                                                    failures.
        """
        if tolerable_checkpoint_failure_number < 0:
            raise ValueError("The tolerable failure checkpoint number must be non-negative.")
        self._config.set_integer(_TOLERABLE, tolerable_checkpoint_failure_number)
        return self

    def enable_externalized_checkpoints(
            self,
            cleanup_mode: 'ExternalizedCheckpointCleanup') -> 'CheckpointConfig':
        """
        Sets the mode for externalized checkpoint clean-up. Deprecated in PyFlink; same as
        :func:`set_externalized_checkpoint_cleanup`.
        """
        return self.set_externalized_checkpoint_cleanup(cleanup_mode)

    def set_externalized_checkpoint_cleanup(
            self,
            cleanup_mode: 'ExternalizedCheckpointCleanup') -> 'CheckpointConfig':
        """
        Sets the mode for externalized checkpoint clean-up. Externalized checkpoints will be
        enabled automatically unless the mode is set to
        :data:`ExternalizedCheckpointCleanup.NO_EXTERNALIZED_CHECKPOINTS`.

        :param cleanup_mode: Externalized checkpoint clean-up behaviour.
        """
        self._config.set_string(_RETENTION, cleanup_mode.name)
        return self

    def set_externalized_checkpoint_retention(
            self,
            retention_mode: 'ExternalizedCheckpointRetention') -> 'CheckpointConfig':
        """
        Sets the mode for externalized checkpoint clean-up.

        :param retention_mode: Externalized checkpoint retention behaviour.
        """
        self._config.set_string(_RETENTION, retention_mode.name)
        return self

    def is_externalized_checkpoints_enabled(self) -> bool:
        """
        Returns whether checkpoints should be persisted externally.

        :return: True if checkpoints should be externalized, false otherwise.
        """
        return self._config.get_string(_RETENTION, "NO_EXTERNALIZED_CHECKPOINTS") != \
            "NO_EXTERNALIZED_CHECKPOINTS"

    def get_externalized_checkpoint_cleanup(self) -> Optional['ExternalizedCheckpointCleanup']:
        """
        Returns the cleanup behaviour for externalized checkpoints.

        :return: The cleanup behaviour for externalized checkpoints or ``None`` if none is
                 configured.
        """
        name = self._config.get_string(_RETENTION, None)
        return None if name is None else ExternalizedCheckpointCleanup[name]

    def get_externalized_checkpoint_retention(self) -> Optional['ExternalizedCheckpointRetention']:
        """
        Returns the retention behaviour for externalized checkpoints.

        :return: The retention behaviour for externalized checkpoints or ``None`` if none is
                 configured.
        """
        name = self._config.get_string(_RETENTION, None)
        return None if name is None else ExternalizedCheckpointRetention[name]

    def is_unaligned_checkpoints_enabled(self) -> bool:
        """
        Returns whether unaligned checkpoints are enabled.

        :return: ``True`` if unaligned checkpoints are enabled.
        """
        return self._config.get_boolean(_UNALIGNED, False)

    def enable_unaligned_checkpoints(self, enabled: bool = True) -> 'CheckpointConfig':
        """
        Enables unaligned checkpoints, which greatly reduce checkpointing times under
        backpressure.

        :param enabled: ``True`` if a checkpoints should be taken in unaligned mode.
        """
        self._config.set_boolean(_UNALIGNED, enabled)
        return self

    def disable_unaligned_checkpoints(self) -> 'CheckpointConfig':
        """
        Enables unaligned checkpoints, which greatly reduce checkpointing times under
        backpressure (experimental).
        """
        return self.enable_unaligned_checkpoints(False)

    def set_alignment_timeout(self, alignment_timeout: Duration) -> 'CheckpointConfig':
        """
        Only relevant if :func:`enable_unaligned_checkpoints` is enabled.

        If ``alignment_timeout`` has value equal to ``0``, checkpoints will always start unaligned.
        If ``alignment_timeout`` has value greater then ``0``, checkpoints will start aligned. If
        during checkpointing, checkpoint start delay exceeds this ``alignment_timeout``, alignment
        will timeout and checkpoint will start working as unaligned checkpoint.

        :param alignment_timeout: The duration until the aligned checkpoint will be converted into
                                  an unaligned checkpoint.
        """
        self._config.set_string(_ALIGNED_TIMEOUT,
                                format_duration_ms(alignment_timeout.to_milliseconds()))
        return self

    def get_alignment_timeout(self) -> 'Duration':
        """
        Returns the alignment timeout, as configured via :func:`set_alignment_timeout`.

        :return: the alignment timeout.
        """
        return Duration.of_millis(parse_duration_ms(self._config.get_string(_ALIGNED_TIMEOUT,
                                                                            "0")))

    def set_force_unaligned_checkpoints(
            self,
            force_unaligned_checkpoints: bool = True) -> 'CheckpointConfig':
        """
        Checks whether unaligned checkpoints are forced, despite currently non-checkpointable
        iteration feedback or custom partitioners.

        :param force_unaligned_checkpoints: The flag to force unaligned checkpoints.
        """
        self._config.set_boolean(_FORCE_UNALIGNED, force_unaligned_checkpoints)
        return self

    def is_force_unaligned_checkpoints(self) -> 'bool':
        """
        Checks whether unaligned checkpoints are forced, despite iteration feedback or custom
        partitioners.

        :return: True, if unaligned checkpoints are forced, false otherwise.
        """
        return self._config.get_boolean(_FORCE_UNALIGNED, False)

    def set_checkpoint_storage(self, storage: CheckpointStorage) -> 'CheckpointConfig':
        """
        Checkpoint storage defines how checkpoint snapshots are persisted for fault tolerance.

        :param storage: The checkpoint storage.
        """
        for key, value in storage._to_config().items():
            self._config.set_string(key, value)
        return self

    def set_checkpoint_storage_dir(self, checkpoint_path: str) -> 'CheckpointConfig':
        """
        Configures the application to write out checkpoint snapshots to the configured directory.

        :param checkpoint_path: The path to write checkpoint metadata to.
        """
        return self.set_checkpoint_storage(FileSystemCheckpointStorage(checkpoint_path))

    def get_checkpoint_storage(self) -> Optional[CheckpointStorage]:
        """
        The checkpoint storage that has been configured for the Job, or None if
        none has been set.
        """
        kind = self._config.get_string(_STORAGE, None)
        path = self._config.get_string(_DIR, None)
        if kind == "filesystem" or (kind is None and path is not None):
            return FileSystemCheckpointStorage(path)
        if kind == "jobmanager":
            return JobManagerCheckpointStorage(path)
        return None
