"""Checkpoint storages: where checkpoint data is written. Each stands for configuration keys."""

from abc import ABCMeta
from typing import Dict, Optional

__all__ = [
    'CheckpointStorage',
    'JobManagerCheckpointStorage',
    'FileSystemCheckpointStorage',
    'CustomCheckpointStorage']


class CheckpointStorage(object, metaclass=ABCMeta):
    """
    Checkpoint storage defines how state backends checkpoint their state for fault tolerance
    in streaming applications.
    """

    def __init__(self, config: Dict[str, str] = None):
        self._config = dict(config or {})

    def _to_config(self) -> Dict[str, str]:
        return dict(self._config)

    def __eq__(self, other):
        return type(self) is type(other) and self._config == other._config

    def __hash__(self):
        return hash((type(self).__name__, frozenset(self._config.items())))


class JobManagerCheckpointStorage(CheckpointStorage):
    """
    Keeps checkpoint data in memory, optionally persisting checkpoint metadata to a directory.
    """

    DEFAULT_MAX_STATE_SIZE = 5 * 1024 * 1024

    def __init__(self, checkpoint_path=None, max_state_size=None,
                 j_jobmanager_checkpoint_storage=None):
        config = {"state.checkpoint-storage": "jobmanager"}
        if checkpoint_path is not None:
            config["execution.checkpointing.dir"] = checkpoint_path
        super().__init__(config)
        self._max_state_size = max_state_size if max_state_size is not None \
            else self.DEFAULT_MAX_STATE_SIZE

    def get_checkpoint_path(self) -> Optional[str]:
        """
        Gets the base directory where all the checkpoints are stored.
        """
        return self._config.get("execution.checkpointing.dir")

    def get_max_state_size(self) -> int:
        """
        Gets the maximum size that an individual state can have.
        """
        return self._max_state_size


class FileSystemCheckpointStorage(CheckpointStorage):
    """
    Writes checkpoint data to files under the given directory.
    """

    MINIMUM_SIZE_THRESHOLD = 20 * 1024

    def __init__(self, checkpoint_path=None, file_state_size_threshold=None, write_buffer_size=-1,
                 j_filesystem_checkpoint_storage=None):
        if checkpoint_path is None:
            raise ValueError("checkpoint_path must not be None")
        super().__init__({"state.checkpoint-storage": "filesystem",
                          "execution.checkpointing.dir": checkpoint_path})
        self._threshold = file_state_size_threshold if file_state_size_threshold is not None \
            else self.MINIMUM_SIZE_THRESHOLD
        self._write_buffer_size = write_buffer_size

    def get_checkpoint_path(self) -> str:
        """
        Gets the base directory where all the checkpoints are stored.
        """
        return self._config["execution.checkpointing.dir"]

    def get_min_file_size_threshold(self) -> int:
        """
        Gets the threshold below which state is stored as part of the metadata.
        """
        return self._threshold

    def get_write_buffer_size(self) -> int:
        """
        Gets the write buffer size for created checkpoint stream.
        """
        return self._write_buffer_size


class CustomCheckpointStorage(CheckpointStorage):
    """
    A checkpoint storage given by Java class name. Only the built-in storages exist here.
    """

    def __init__(self, j_custom_checkpoint_storage):
        super().__init__({"state.checkpoint-storage": str(j_custom_checkpoint_storage)})
