"""State backends: where keyed state lives. Each one stands for Flink configuration keys.

The engine chooses its backend from ``state.backend.type`` ("hashmap" or "rocksdb", the latter
served by an embedded LSM store); the classes here set those keys when given to
``StreamExecutionEnvironment.set_state_backend``.
"""

from abc import ABCMeta
from enum import Enum
from typing import Dict, List, Optional

__all__ = [
    'StateBackend',
    'HashMapStateBackend',
    'EmbeddedRocksDBStateBackend',
    'MemoryStateBackend',
    'FsStateBackend',
    'RocksDBStateBackend',
    'CustomStateBackend',
    'PredefinedOptions']


class StateBackend(object, metaclass=ABCMeta):
    """
    A State Backend defines how the state of a streaming application is stored locally within
    the cluster. Different State Backends store their state in different fashions, and use
    different data structures to hold the state of running applications.
    """

    def __init__(self, config: Dict[str, str] = None):
        self._config = dict(config or {})

    def _to_config(self) -> Dict[str, str]:
        return dict(self._config)

    def __eq__(self, other):
        return type(self) is type(other) and self._config == other._config

    def __hash__(self):
        return hash((type(self).__name__, frozenset(self._config.items())))

    def __str__(self):
        return '%s(%s)' % (type(self).__name__,
                           ', '.join('%s=%s' % item for item in sorted(self._config.items())))


class HashMapStateBackend(StateBackend):
    """
    This state backend holds the working state in memory, as objects.
    """

    def __init__(self, j_hashmap_state_backend=None):
        super().__init__({"state.backend.type": "hashmap"})


class EmbeddedRocksDBStateBackend(StateBackend):
    """
    A State Backend that stores its state in an embedded on-disk key/value store, so state may
    grow beyond memory.
    """

    def __init__(self, enable_incremental_checkpointing=None,
                 j_embedded_rocks_db_state_backend=None):
        config = {"state.backend.type": "rocksdb"}
        if enable_incremental_checkpointing is not None:
            config["state.backend.incremental"] = \
                'true' if enable_incremental_checkpointing else 'false'
        super().__init__(config)
        self._paths = []  # type: List[str]
        self._predefined = PredefinedOptions.DEFAULT

    def set_db_storage_paths(self, *paths: str):
        """
        Sets the directories in which the local database files are stored.
        """
        self._paths = list(paths)
        self._config["state.backend.rocksdb.localdir"] = ','.join(paths)

    def get_db_storage_paths(self) -> List[str]:
        """
        Gets the configured local database storage paths.
        """
        return list(self._paths)

    def is_incremental_checkpoints_enabled(self) -> bool:
        """
        Gets whether incremental checkpoints are enabled for this state backend.
        """
        return self._config.get("state.backend.incremental", "false") == "true"

    def set_predefined_options(self, options: 'PredefinedOptions'):
        """
        Sets the predefined options for the store (recorded; no effect here).
        """
        self._predefined = options

    def get_predefined_options(self) -> 'PredefinedOptions':
        """
        Gets the currently set predefined options.
        """
        return self._predefined


class MemoryStateBackend(HashMapStateBackend):
    """
    Deprecated alias of a heap backend with checkpoints kept in memory.
    """

    def __init__(self, checkpoint_path=None, savepoint_path=None, max_state_size=None,
                 using_asynchronous_snapshots=None, j_memory_state_backend=None):
        super().__init__()
        if checkpoint_path is not None:
            self._config["execution.checkpointing.dir"] = checkpoint_path
        if savepoint_path is not None:
            self._config["execution.checkpointing.savepoint-dir"] = savepoint_path
        self._max_state_size = max_state_size if max_state_size is not None else 5 * 1024 * 1024

    def get_max_state_size(self) -> int:
        """
        Gets the maximum size that an individual state can have.
        """
        return self._max_state_size

    def is_using_asynchronous_snapshots(self) -> bool:
        """
        Gets whether the key/value data structures are asynchronously snapshotted.
        """
        return True


class FsStateBackend(HashMapStateBackend):
    """
    Deprecated alias of a heap backend with checkpoints written to a file system directory.
    """

    def __init__(self, checkpoint_directory_uri=None, default_savepoint_directory_uri=None,
                 file_state_size_threshold=None, write_buffer_size=None,
                 using_asynchronous_snapshots=None, j_fs_state_backend=None):
        super().__init__()
        if checkpoint_directory_uri is not None:
            self._config["execution.checkpointing.dir"] = checkpoint_directory_uri
        if default_savepoint_directory_uri is not None:
            self._config["execution.checkpointing.savepoint-dir"] = \
                default_savepoint_directory_uri
        self._threshold = file_state_size_threshold if file_state_size_threshold is not None \
            else 20 * 1024
        self._write_buffer_size = write_buffer_size if write_buffer_size is not None else 4096

    def get_checkpoint_path(self) -> Optional[str]:
        """
        Gets the base directory where all the checkpoints are stored.
        """
        return self._config.get("execution.checkpointing.dir")

    def get_min_file_size_threshold(self) -> int:
        """
        Gets the threshold below which state is stored as part of the metadata.
        """
        return self._threshold

    def is_using_asynchronous_snapshots(self) -> bool:
        """
        Gets whether the key/value data structures are asynchronously snapshotted.
        """
        return True

    def get_write_buffer_size(self) -> int:
        """
        Gets the write buffer size for created checkpoint stream.
        """
        return self._write_buffer_size


class RocksDBStateBackend(EmbeddedRocksDBStateBackend):
    """
    Deprecated alias of the embedded on-disk backend with a checkpoint directory.
    """

    def __init__(self, checkpoint_data_uri=None, enable_incremental_checkpointing=None,
                 checkpoint_stream_backend=None, j_rocks_db_state_backend=None):
        super().__init__(enable_incremental_checkpointing)
        if checkpoint_data_uri is not None:
            self._config["execution.checkpointing.dir"] = checkpoint_data_uri

    def get_checkpoint_backend(self):
        """
        Gets the state backend that this backend uses to persist its checkpoints.
        """
        return FsStateBackend(self._config.get("execution.checkpointing.dir"))


class CustomStateBackend(StateBackend):
    """
    A state backend given by Java class name. Only the built-in backends exist here.
    """

    def __init__(self, j_custom_state_backend):
        super().__init__({"state.backend.type": str(j_custom_state_backend)})


class PredefinedOptions(Enum):
    """
    Predefined option sets for the embedded on-disk state backend.
    """

    DEFAULT = 0
    SPINNING_DISK_OPTIMIZED = 1
    SPINNING_DISK_OPTIMIZED_HIGH_MEM = 2
    FLASH_SSD_OPTIMIZED = 3
