"""File connectors: FileSource (text lines) and the row-format FileSink / StreamingFileSink.

The builders record what was asked; the engine's file connectors do the reading and the
writing. Part files are named as Flink names them: ``<prefix>-<uid>-<counter><suffix>``
inside a bucket directory (``yyyy-MM-dd--HH`` by default).
"""

import os
import warnings
from abc import abstractmethod
from typing import Any, Dict, List, Optional
from urllib.parse import urlparse

from pyflink_go.common.serialization import BulkWriterFactory, Encoder
from pyflink_go.common.time import Duration
from pyflink_go.common.typeinfo import Types
from pyflink_go.datastream.connectors.base import Sink, SinkSpec, Source, SourceSpec, \
    StreamTransformer, SupportsPreprocessing
from pyflink_go.datastream.functions import SinkFunction

__all__ = [
    'FileCompactor',
    'FileCompactStrategy',
    'OutputFileConfig',
    'FileSource',
    'FileSourceBuilder',
    'FileSink',
    'StreamingFileSink',
    'StreamFormat',
    'BulkFormat',
    'FileEnumeratorProvider',
    'FileSplitAssignerProvider',
    'RollingPolicy',
    'BucketAssigner'
]


def _local_path(path: str) -> Optional[str]:
    """The local file system path of ``path`` (plain or ``file:`` URI), else None."""
    if '://' not in path and not path.startswith('file:'):
        return os.path.abspath(path)
    parsed = urlparse(path)
    if parsed.scheme == 'file':
        return parsed.path
    return None


# ---- FileSource ----

class FileEnumeratorProvider(object):
    """
    Factory for FileEnumerator which task is to discover all files to be read and to split them
    into a set of file source splits. The engine enumerates directories recursively and skips
    hidden files (names starting with '.' or '_').
    """

    def __init__(self, j_file_enumerator_provider):
        self._j_file_enumerator_provider = j_file_enumerator_provider

    @staticmethod
    def default_splittable_file_enumerator() -> 'FileEnumeratorProvider':
        """
        The default file enumerator used for splittable formats.
        """
        return FileEnumeratorProvider("splittable")

    @staticmethod
    def default_non_splittable_file_enumerator() -> 'FileEnumeratorProvider':
        """
        The default file enumerator used for non-splittable formats: one split per file.
        """
        return FileEnumeratorProvider("non_splittable")


class FileSplitAssignerProvider(object):
    """
    Factory for FileSplitAssigner which is responsible for deciding what split should be
    processed next by which node.
    """

    def __init__(self, j_file_split_assigner):
        self._j_file_split_assigner = j_file_split_assigner

    @staticmethod
    def locality_aware_split_assigner() -> 'FileSplitAssignerProvider':
        """
        A FileSplitAssigner that assigns to each host preferably splits that are local.
        """
        return FileSplitAssignerProvider("locality_aware")


class StreamFormat(object):
    """
    A reader format that reads individual records from a stream.
    """

    def __init__(self, j_stream_format, charset_name: str = "UTF-8"):
        self._j_stream_format = j_stream_format
        self._charset = charset_name

    @staticmethod
    def text_line_format(charset_name: str = "UTF-8") -> 'StreamFormat':
        """
        Creates a reader format that text lines from a file.

        Lines end at '\\n' (a preceding '\\r' is dropped); each line is one STRING record.

        :param charset_name: The charset to decode the byte stream.
        """
        return StreamFormat("text_line", charset_name)


class BulkFormat(object):
    """
    The BulkFormat reads and decodes batches of records at a time. No bulk formats are available
    in pyflink_go yet.
    """

    def __init__(self, j_bulk_format):
        self._j_bulk_format = j_bulk_format


class FileSourceBuilder(object):
    """
    The builder for the :class:`~FileSource`, to configure the various behaviors.

    Start building the source via one of the following methods:

        - :func:`~FileSource.for_record_stream_format`
    """

    def __init__(self, stream_format: StreamFormat, paths: List[str]):
        self._format = stream_format
        self._paths = list(paths)
        self._discovery_interval = None  # type: Optional[Duration]
        self._file_enumerator = None  # type: Optional[FileEnumeratorProvider]
        self._split_assigner = None  # type: Optional[FileSplitAssignerProvider]

    def monitor_continuously(self, discovery_interval: Duration) -> 'FileSourceBuilder':
        """
        Sets this source to streaming ("continuous monitoring") mode.

        This makes the source a "continuous streaming" source that keeps running, monitoring
        for new files, and reads these files when they appear and are discovered by the
        monitoring.

        The interval in which the source checks for new files is the discovery_interval. Shorter
        intervals mean that files are discovered more quickly, but also imply more frequent
        listing or directory traversal of the file system / object store.
        """
        if not isinstance(discovery_interval, Duration):
            raise TypeError("discovery_interval must be a Duration, got %s"
                            % type(discovery_interval).__name__)
        self._discovery_interval = discovery_interval
        return self

    def process_static_file_set(self) -> 'FileSourceBuilder':
        """
        Sets this source to bounded (batch) mode.

        In this mode, the source processes the files that are under the given paths when the
        application is started. Once all files are processed, the source will finish.

        This setting is also the default behavior.
        """
        self._discovery_interval = None
        return self

    def set_file_enumerator(
            self, file_enumerator: 'FileEnumeratorProvider') -> 'FileSourceBuilder':
        """
        Configures the FileEnumerator for the source.
        """
        self._file_enumerator = file_enumerator
        return self

    def set_split_assigner(
            self, split_assigner: 'FileSplitAssignerProvider') -> 'FileSourceBuilder':
        """
        Configures the FileSplitAssigner for the source.
        """
        self._split_assigner = split_assigner
        return self

    def build(self) -> 'FileSource':
        """
        Creates the file source with the settings applied to this builder.
        """
        return FileSource(self._format, self._paths, self._discovery_interval)


class FileSource(Source):
    """
    A unified data source that reads files - both in batch and in streaming mode.

    Start building a file source via :func:`~FileSource.for_record_stream_format`. The source is
    bounded unless :func:`~FileSourceBuilder.monitor_continuously` is called. A directory path
    means all files below it; hidden files (names starting with '.' or '_') are skipped.

    With checkpointing each reader's position (its unfinished splits and the offset of the next
    line in each) is part of the checkpoint, so a restored job reads every line exactly once,
    also at another parallelism.

    Example:
    ::

        >>> source = FileSource.for_record_stream_format(
        ...     StreamFormat.text_line_format(), "/tmp/input").build()
        >>> ds = env.from_source(source, WatermarkStrategy.no_watermarks(), "file_source")
    """

    def __init__(self, stream_format: StreamFormat, paths: List[str],
                 discovery_interval: Optional[Duration] = None):
        super(FileSource, self).__init__('org.apache.flink.connector.file.src.FileSource')
        self._format = stream_format
        self._paths = list(paths)
        self._discovery_interval = discovery_interval

    @staticmethod
    def for_record_stream_format(stream_format: StreamFormat, *paths: str) -> FileSourceBuilder:
        """
        Builds a new FileSource using a :class:`~FileSource.StreamFormat` to read record-by-record
        from a file stream.

        :param stream_format: The format of the files, e.g. StreamFormat.text_line_format().
        :param paths: The files or directories to read.
        """
        if not isinstance(stream_format, StreamFormat):
            raise TypeError("stream_format must be a StreamFormat, got %s"
                            % type(stream_format).__name__)
        if not paths:
            raise ValueError("FileSource needs at least one path")
        return FileSourceBuilder(stream_format, [str(p) for p in paths])

    @staticmethod
    def for_bulk_file_format(bulk_format: BulkFormat, *paths: str) -> FileSourceBuilder:
        """
        Builds a new FileSource using a BulkFormat. No bulk formats are available yet.
        """
        raise NotImplementedError("FileSource.for_bulk_file_format() is not supported by "
                                  "pyflink_go yet; use for_record_stream_format()")

    def _resolved_paths(self) -> List[str]:
        return [_local_path(p) or p for p in self._paths]

    def _source_spec(self) -> SourceSpec:
        params = {
            "paths": self._resolved_paths(),
            "format": self._format._j_stream_format,
            "charset": self._format._charset,
        }  # type: Dict[str, Any]
        if self._discovery_interval is not None:
            params["monitor_interval_ms"] = self._discovery_interval.to_milliseconds()
        return SourceSpec("file_source", params, Types.STRING(), self._discovery_interval is None)

    def _check(self, description: str) -> None:
        if self._discovery_interval is not None:
            return
        for path in self._paths:
            local = _local_path(path)
            if local is not None and not os.path.exists(local):
                raise FileNotFoundError(
                    "File source %s: the input path '%s' does not exist" % (description, path))


# ---- FileSink ----

class BucketAssigner(object):
    """
    A BucketAssigner is used with a file sink to determine the bucket each incoming element should
    be put into.
    """

    def __init__(self, kind: str, format_str: Optional[str] = None,
                 timezone_id: Optional[str] = None):
        self._kind = kind
        self._format = format_str
        self._timezone_id = timezone_id

    @staticmethod
    def base_path_bucket_assigner() -> 'BucketAssigner':
        """
        Creates a BucketAssigner that does not perform any bucketing of files. All files are
        written to the base path.
        """
        return BucketAssigner("base_path")

    @staticmethod
    def date_time_bucket_assigner(format_str: str = "yyyy-MM-dd--HH", timezone_id: str = None):
        """
        Creates a BucketAssigner that assigns to buckets based on current system time.

        It will create directories of the following form: /{basePath}/{dateTimePath}/}.
        The dateTimePath is determined based on the current system time and the user provided
        format string (Java DateTimeFormatter patterns). The default format string is
        "yyyy-MM-dd--HH" so the rolling files will have a granularity of hours.

        :param format_str: The format string used to determine the bucket id.
        :param timezone_id: The timezone id, either an abbreviation such as "PST", a full name
                            such as "America/Los_Angeles", or a custom timezone_id such as
                            "GMT-08:00". The local time zone is used if it's None.
        """
        return BucketAssigner("date_time", format_str, timezone_id)

    def _plan_params(self) -> Dict[str, Any]:
        return {"bucket_assigner": self._kind, "bucket_format": self._format,
                "bucket_timezone": self._timezone_id}


class RollingPolicy(object):
    """
    The policy based on which a Bucket in the FileSink rolls its currently
    open part file and opens a new one.
    """

    def __init__(self, part_size: Optional[int], rollover_interval: Optional[int],
                 inactivity_interval: Optional[int], on_checkpoint: bool):
        self._part_size = part_size
        self._rollover_interval = rollover_interval
        self._inactivity_interval = inactivity_interval
        self._on_checkpoint = on_checkpoint

    @staticmethod
    def default_rolling_policy(
            part_size: int = 1024 * 1024 * 128,
            rollover_interval: int = 60 * 1000,
            inactivity_interval: int = 60 * 1000) -> 'DefaultRollingPolicy':
        """
        Returns the default implementation of the RollingPolicy.

        This policy rolls a part file if:

            - there is no open part file,
            - the current file has reached the maximum bucket size (by default 128MB),
            - the current file is older than the roll over interval (by default 60 sec), or
            - the current file has not been written to for more than the allowed inactivityTime (by
              default 60 sec).

        :param part_size: The maximum part file size before rolling.
        :param rollover_interval: The maximum time duration a part file can stay open before
                                  rolling.
        :param inactivity_interval: The time duration of allowed inactivity after which a part file
                                    will have to roll.
        """
        return DefaultRollingPolicy(part_size, rollover_interval, inactivity_interval)

    @staticmethod
    def on_checkpoint_rolling_policy() -> 'OnCheckpointRollingPolicy':
        """
        Returns a RollingPolicy which rolls (ONLY) on every checkpoint.
        """
        return OnCheckpointRollingPolicy()

    def _plan_params(self) -> Dict[str, Any]:
        return {"rolling": {"part_size": self._part_size,
                            "rollover_interval": self._rollover_interval,
                            "inactivity_interval": self._inactivity_interval,
                            "on_checkpoint": self._on_checkpoint}}


class DefaultRollingPolicy(RollingPolicy):
    """
    The default implementation of the RollingPolicy: rolls on size, age or inactivity.
    """

    def __init__(self, part_size: int = 1024 * 1024 * 128, rollover_interval: int = 60 * 1000,
                 inactivity_interval: int = 60 * 1000):
        for name, value in (('part_size', part_size), ('rollover_interval', rollover_interval),
                            ('inactivity_interval', inactivity_interval)):
            if value <= 0:
                raise ValueError("%s must be positive, got %r" % (name, value))
        super().__init__(part_size, rollover_interval, inactivity_interval, False)


class OnCheckpointRollingPolicy(RollingPolicy):
    """
    A RollingPolicy which rolls (ONLY) on every checkpoint (and when the input ends).
    """

    def __init__(self):
        super().__init__(None, None, None, True)


class OutputFileConfig(object):
    """
    Part file name configuration.
    This allow to define a prefix and a suffix to the part file name.
    """

    @staticmethod
    def builder():
        """A builder starting from prefix "part" and an empty suffix."""
        return OutputFileConfig.OutputFileConfigBuilder()

    def __init__(self, part_prefix: str, part_suffix: str):
        self._part_prefix = part_prefix
        self._part_suffix = part_suffix

    def get_part_prefix(self) -> str:
        """
        The prefix for the part name.
        """
        return self._part_prefix

    def get_part_suffix(self) -> str:
        """
        The suffix for the part name.
        """
        return self._part_suffix

    class OutputFileConfigBuilder(object):
        """
        A builder to create the part file configuration.
        """

        def __init__(self):
            self.part_prefix = "part"
            self.part_suffix = ""

        def with_part_prefix(self, prefix) -> 'OutputFileConfig.OutputFileConfigBuilder':
            """Sets the prefix of part file names."""
            self.part_prefix = prefix
            return self

        def with_part_suffix(self, suffix) -> 'OutputFileConfig.OutputFileConfigBuilder':
            """Sets the suffix of part file names."""
            self.part_suffix = suffix
            return self

        def build(self) -> 'OutputFileConfig':
            """Builds the OutputFileConfig."""
            return OutputFileConfig(self.part_prefix, self.part_suffix)


class FileCompactStrategy(object):
    """
    Strategy for compacting the files written in FileSink before committing (recorded; the
    engine does not compact yet).
    """

    def __init__(self, settings: Dict[str, int]):
        self._settings = dict(settings)

    @staticmethod
    def builder() -> 'FileCompactStrategy.Builder':
        """A builder with Flink's defaults."""
        return FileCompactStrategy.Builder()

    class Builder(object):
        """Builder of a FileCompactStrategy."""

        def __init__(self):
            self._settings = {"checkpoints": -1, "size_threshold": -1, "threads": 1}

        def build(self) -> 'FileCompactStrategy':
            """Builds the strategy."""
            return FileCompactStrategy(self._settings)

        def enable_compaction_on_checkpoint(self, num_checkpoints_before_compaction: int) \
                -> 'FileCompactStrategy.Builder':
            """
            Optional, compaction will be triggered when N checkpoints passed since the last
            triggering, -1 by default indicating no compaction on checkpoint.
            """
            self._settings["checkpoints"] = num_checkpoints_before_compaction
            return self

        def set_size_threshold(self, size_threshold: int) -> 'FileCompactStrategy.Builder':
            """
            Optional, compaction will be triggered when the total size of compacting files reaches
            the threshold. -1 by default, indicating the size is unlimited.
            """
            self._settings["size_threshold"] = size_threshold
            return self

        def set_num_compact_threads(self, num_compact_threads: int) \
                -> 'FileCompactStrategy.Builder':
            """
            Optional, the count of compacting threads in a compactor operator, 1 by default.
            """
            self._settings["threads"] = num_compact_threads
            return self


class FileCompactor(object):
    """
    The FileCompactor is responsible for compacting files into one file.
    """

    def __init__(self, kind: str, file_delimiter: Optional[bytes] = None):
        self._kind = kind
        self._file_delimiter = file_delimiter

    @staticmethod
    def concat_file_compactor(file_delimiter: bytes = None):
        """
        Returns a file compactor that simply concat the compacting files. The file_delimiter will be
        added between neighbouring files if provided.
        """
        return FileCompactor("concat", file_delimiter)

    @staticmethod
    def identical_file_compactor():
        """
        Returns a file compactor that directly copy the content of the only input file to the
        output.
        """
        return FileCompactor("identical")


class _RowFormatSettings(object):
    """What a row-format file sink builder collects, and its plan params."""

    def __init__(self, base_path: str, encoder: Encoder):
        if not isinstance(encoder, Encoder):
            raise TypeError("encoder must be an Encoder (e.g. Encoder.simple_string_encoder()), "
                            "got %s" % type(encoder).__name__)
        self.base_path = base_path
        self.encoder = encoder
        self.bucket_check_interval = 60 * 1000
        self.bucket_assigner = BucketAssigner.date_time_bucket_assigner()
        self.rolling_policy = RollingPolicy.default_rolling_policy()  # type: RollingPolicy
        self.output_file_config = OutputFileConfig("part", "")
        self.compaction = None

    def plan_params(self, legacy: bool) -> Dict[str, Any]:
        params = {
            "base_path": _local_path(self.base_path) or self.base_path,
            "part_prefix": self.output_file_config.get_part_prefix(),
            "part_suffix": self.output_file_config.get_part_suffix(),
            "bucket_check_interval": self.bucket_check_interval,
            "legacy": legacy,
        }  # type: Dict[str, Any]
        params.update(self.encoder._plan_params())
        params.update(self.bucket_assigner._plan_params())
        params.update(self.rolling_policy._plan_params())
        return params


class FileSink(Sink, SupportsPreprocessing):
    """
    A unified sink that emits its input elements to FileSystem files within buckets.

    When creating the sink a base path must be specified. The base directory contains one
    directory for every bucket. The bucket directories themselves contain several part files, with
    at least one for each parallel subtask of the sink which is writing data to that bucket.
    These part files contain the actual output data.

    The default BucketAssigner is a DateTimeBucketAssigner which will create one new bucket every
    hour. Part files are named ``<prefix>-<uid>-<counter><suffix>`` (OutputFileConfig gives
    prefix and suffix, "part" and "" by default); files still being written are hidden
    (``.<prefix>-...inprogress...``) until they are committed.

    Without checkpointing, part files are committed when the input ends. With checkpointing the
    sink is exactly-once: at every checkpoint each open part file is closed (pre-committed), and
    it is renamed to its visible name once that checkpoint completes; after a failure the job's
    restore commits the part files of the checkpoint it restores from, and files written after
    that checkpoint never become visible. Unlike Flink, which can keep a part file open across
    checkpoints, every checkpoint rolls the open part files (as
    :func:`~RollingPolicy.on_checkpoint_rolling_policy` does), so frequent checkpoints give
    more, smaller files.

    Example:
    ::

        >>> sink = FileSink.for_row_format("/tmp/out", Encoder.simple_string_encoder()).build()
        >>> ds.sink_to(sink)
    """

    def __init__(self, settings: _RowFormatSettings,
                 transformer: Optional[StreamTransformer] = None):
        super(FileSink, self).__init__('org.apache.flink.connector.file.sink.FileSink')
        self._settings = settings
        self._transformer = transformer

    def get_transformer(self) -> Optional[StreamTransformer]:
        """The transformer applied to the input stream first (none for row formats)."""
        return self._transformer

    def _sink_spec(self) -> SinkSpec:
        return SinkSpec("file_sink", self._settings.plan_params(legacy=False))

    class BaseBuilder(object):
        """Settings shared by the FileSink builders."""

        def __init__(self, settings: _RowFormatSettings):
            self._settings = settings

        def with_bucket_check_interval(self, interval: int):
            """
            :param interval: The check interval in milliseconds.
            """
            self._settings.bucket_check_interval = interval
            return self

        def with_bucket_assigner(self, bucket_assigner: BucketAssigner):
            """Sets the BucketAssigner that decides the bucket directory of each element."""
            self._settings.bucket_assigner = bucket_assigner
            return self

        def with_output_file_config(self, output_file_config: OutputFileConfig):
            """Sets the prefix and suffix of part file names."""
            self._settings.output_file_config = output_file_config
            return self

        def enable_compact(self, strategy: FileCompactStrategy, compactor: FileCompactor):
            """Enables compaction of small files (recorded; not performed yet)."""
            self._settings.compaction = (strategy, compactor)
            return self

        def disable_compact(self):
            """Disables compaction."""
            self._settings.compaction = None
            return self

        @abstractmethod
        def with_rolling_policy(self, rolling_policy):
            """Sets the policy deciding when part files roll."""
            pass

        def build(self):
            """Builds the FileSink."""
            return FileSink(self._settings)

    class RowFormatBuilder(BaseBuilder):
        """
        Builder for the vanilla FileSink using a row format.
        """

        def with_rolling_policy(self, rolling_policy: RollingPolicy):
            """Sets the policy deciding when part files roll."""
            if not isinstance(rolling_policy, RollingPolicy):
                raise TypeError("rolling_policy must be a RollingPolicy, got %s"
                                % type(rolling_policy).__name__)
            self._settings.rolling_policy = rolling_policy
            return self

    @staticmethod
    def for_row_format(base_path: str, encoder: Encoder) -> 'FileSink.RowFormatBuilder':
        """
        Starts building a FileSink that writes each element with the given encoder.

        :param base_path: The directory the buckets go into.
        :param encoder: How elements become bytes, e.g. Encoder.simple_string_encoder().
        """
        return FileSink.RowFormatBuilder(_RowFormatSettings(base_path, encoder))

    @staticmethod
    def for_bulk_format(base_path: str, writer_factory: BulkWriterFactory):
        """
        Starts building a FileSink with a bulk format. No bulk formats are available yet.
        """
        raise NotImplementedError("FileSink.for_bulk_format() is not supported by pyflink_go yet; "
                                  "use for_row_format()")


# ---- StreamingFileSink ----

class StreamingFileSink(SinkFunction):
    """
    Sink that emits its input elements to `FileSystem` files within buckets (the legacy
    SinkFunction form of FileSink, used with ``add_sink``).

    When creating the sink a `basePath` must be specified. The base directory contains
    one directory for every bucket. The bucket directories themselves contain several part files,
    with at least one for each parallel subtask of the sink which is writing data to that bucket.
    These part files contain the actual output data.

    With checkpointing the sink is exactly-once, with the same two-phase commit as
    :class:`~FileSink`; part counters continue across a restore, so names never repeat.
    """

    def __init__(self, settings: _RowFormatSettings):
        warnings.warn("Deprecated in 1.15. Use FileSink instead.", DeprecationWarning)
        super(StreamingFileSink, self).__init__(
            'org.apache.flink.streaming.api.functions.sink.filesystem.StreamingFileSink')
        self._settings = settings

    def _sink_spec(self) -> SinkSpec:
        return SinkSpec("file_sink", self._settings.plan_params(legacy=True))

    class BaseBuilder(object):
        """Settings shared by the StreamingFileSink builders."""

        def __init__(self, settings: _RowFormatSettings):
            self._settings = settings

        def with_bucket_check_interval(self, interval: int):
            """
            :param interval: The check interval in milliseconds.
            """
            self._settings.bucket_check_interval = interval
            return self

        def with_bucket_assigner(self, bucket_assigner: BucketAssigner):
            """Sets the BucketAssigner that decides the bucket directory of each element."""
            self._settings.bucket_assigner = bucket_assigner
            return self

        @abstractmethod
        def with_rolling_policy(self, policy):
            """Sets the policy deciding when part files roll."""
            pass

        def with_output_file_config(self, output_file_config: OutputFileConfig):
            """Sets the prefix and suffix of part file names."""
            self._settings.output_file_config = output_file_config
            return self

        def build(self) -> 'StreamingFileSink':
            """Builds the StreamingFileSink."""
            return StreamingFileSink(self._settings)

    class DefaultRowFormatBuilder(BaseBuilder):
        """
        Builder for the vanilla `StreamingFileSink` using a row format.
        """

        def with_rolling_policy(self, policy: RollingPolicy):
            """Sets the policy deciding when part files roll."""
            if not isinstance(policy, RollingPolicy):
                raise TypeError("policy must be a RollingPolicy, got %s" % type(policy).__name__)
            self._settings.rolling_policy = policy
            return self

    @staticmethod
    def for_row_format(base_path: str, encoder: Encoder) -> 'DefaultRowFormatBuilder':
        """
        Starts building a StreamingFileSink that writes each element with the given encoder.

        :param base_path: The directory the buckets go into.
        :param encoder: How elements become bytes, e.g. SimpleStringEncoder().
        """
        return StreamingFileSink.DefaultRowFormatBuilder(_RowFormatSettings(base_path, encoder))

    @staticmethod
    def for_bulk_format(base_path: str, writer_factory: BulkWriterFactory):
        """
        Starts building a StreamingFileSink with a bulk format. No bulk formats are available yet.
        """
        raise NotImplementedError("StreamingFileSink.for_bulk_format() is not supported by "
                                  "pyflink_go yet; use for_row_format()")
