"""StreamExecutionEnvironment: where a job is built, configured and executed.

Mirrors ``pyflink.datastream.StreamExecutionEnvironment``. Settings live in a
Configuration (so methods and configuration keys agree); sources and operators are
recorded as transformations; ``execute()`` turns them into a job plan for the engine.
"""

import os
from typing import Any, Iterable, List, Optional

from pyflink_go import _engine
from pyflink_go._durations import format_duration_ms, parse_duration_ms
from pyflink_go.common import _config_keys as keys
from pyflink_go.common.configuration import Configuration
from pyflink_go.common.execution_config import ExecutionConfig
from pyflink_go.common.job_client import JobClient
from pyflink_go.common.job_execution_result import JobExecutionResult
from pyflink_go.common.restart_strategy import RestartStrategyConfiguration
from pyflink_go.common.typeinfo import TypeInformation, Types
from pyflink_go.datastream._transformation import Transformation, validate_max_parallelism, \
    validate_parallelism
from pyflink_go.datastream.checkpoint_config import CheckpointConfig
from pyflink_go.datastream.checkpointing_mode import CheckpointingMode
from pyflink_go.datastream.data_stream import DataStream, _add_watermarks
from pyflink_go.datastream.execution_mode import RuntimeExecutionMode
from pyflink_go.datastream.slot_sharing_group import SlotSharingGroup
from pyflink_go.datastream.time_characteristic import TimeCharacteristic

__all__ = ['StreamExecutionEnvironment']


def _default_parallelism() -> int:
    return os.cpu_count() or 1


class StreamExecutionEnvironment(object):
    """
    The StreamExecutionEnvironment is the context in which a streaming program is executed.

    The environment provides methods to control the job execution (such as setting the parallelism
    or the fault tolerance/checkpointing parameters) and to interact with the outside world (data
    access). Jobs run on the engine inside this Python process.

    Example:
    ::

        >>> env = StreamExecutionEnvironment.get_execution_environment()
        >>> env.from_collection(["a", "b"]).map(lambda s: s.upper()).print()
        >>> env.execute("upper")
    """

    def __init__(self, configuration: Configuration = None):
        self._configuration = Configuration(configuration)
        self._default_local_parallelism = _default_parallelism()
        self._execution_config = ExecutionConfig(self._configuration,
                                                 self._default_local_parallelism)
        self._checkpoint_config = CheckpointConfig(self._configuration)
        self._transformations = []  # type: List[Transformation]
        self._last_id = -1
        self._time_characteristic = TimeCharacteristic.EventTime
        self._state_backend = None
        self._python_files = []  # type: List[str]
        self._slot_sharing_groups = {}

    # ---- transformations ----

    def _next_transformation_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def _add_operator(self, transformation: Transformation) -> None:
        """Record a transformation to run at the next execute()."""
        self._transformations.append(transformation)

    def _build_plan(self, job_name: Optional[str], clear: bool) -> dict:
        from pyflink_go.datastream._plan import build_plan
        plan = build_plan(self, self._transformations, job_name)
        if clear:
            self._transformations = []
        return plan

    def _submit(self, job_name: Optional[str]):
        """Build the plan of the recorded transformations, forget them, and start the job."""
        from pyflink_go._job import Job
        return Job(self._build_plan(job_name, clear=True))

    def _runtime_mode_name(self) -> str:
        name = self._configuration.get_string(keys.RUNTIME_MODE, "STREAMING").strip().upper()
        if name not in RuntimeExecutionMode.__members__:
            raise ValueError("Configuration key '%s': unknown runtime mode %r (expected STREAMING, "
                             "BATCH or AUTOMATIC)" % (keys.RUNTIME_MODE, name))
        return name

    def _configured_job_name(self) -> Optional[str]:
        return self._configuration.get_string(keys.JOB_NAME, None)

    def _python_executable(self) -> Optional[str]:
        return self._configuration.get_string("python.executable", None)

    # ---- configuration ----

    def get_config(self) -> ExecutionConfig:
        """
        Gets the config object.

        :return: The :class:`~pyflink_go.common.ExecutionConfig` object.
        """
        return self._execution_config

    def set_parallelism(self, parallelism: int) -> 'StreamExecutionEnvironment':
        """
        Sets the parallelism for operations executed through this environment.
        Setting a parallelism of x here will cause all operators (such as map,
        batchReduce) to run with x parallel instances. This method overrides the
        default parallelism for this environment, which is the number of CPU cores.

        Operators take the parallelism that is set when they are created.

        :param parallelism: The parallelism.
        :return: This object.
        """
        validate_parallelism(parallelism)
        self._execution_config.set_parallelism(parallelism)
        return self

    def set_max_parallelism(self, max_parallelism: int) -> 'StreamExecutionEnvironment':
        """
        Sets the maximum degree of parallelism defined for the program. The upper limit (inclusive)
        is 32768.

        The maximum degree of parallelism specifies the upper limit for dynamic scaling. It also
        defines the number of key groups used for partitioned state.

        :param max_parallelism: Maximum degree of parallelism to be used for the program,
                                with 0 < maxParallelism <= 2^15.
        :return: This object.
        """
        validate_max_parallelism(max_parallelism)
        self._execution_config.set_max_parallelism(max_parallelism)
        return self

    def register_slot_sharing_group(self, slot_sharing_group: SlotSharingGroup) \
            -> 'StreamExecutionEnvironment':
        """
        Register a slot sharing group with its resource spec.

        :param slot_sharing_group: Which contains name and its resource spec.
        :return: This object.
        """
        self._slot_sharing_groups[slot_sharing_group.get_name()] = slot_sharing_group
        return self

    def get_parallelism(self) -> int:
        """
        Gets the parallelism with which operation are executed by default.
        Operations can individually override this value to use a specific
        parallelism.

        :return: The parallelism used by operations, unless they override that value.
        """
        return self._execution_config.get_parallelism()

    def get_max_parallelism(self) -> int:
        """
        Gets the maximum degree of parallelism defined for the program.

        :return: Maximum degree of parallelism, or -1 if it was not set.
        """
        return self._execution_config.get_max_parallelism()

    def set_runtime_mode(self, execution_mode: RuntimeExecutionMode):
        """
        Sets the runtime execution mode for the application
        :class:`~pyflink_go.datastream.execution_mode.RuntimeExecutionMode`. This
        is equivalent to setting the `execution.runtime-mode` in your application's
        configuration file.

        :param execution_mode: The desired execution mode.
        :return: The execution environment of your application.
        """
        if not isinstance(execution_mode, RuntimeExecutionMode):
            raise TypeError("execution_mode must be a RuntimeExecutionMode, got %s"
                            % type(execution_mode).__name__)
        self._configuration.set_string(keys.RUNTIME_MODE, execution_mode.name)
        return self

    def set_buffer_timeout(self, timeout_millis: int) -> 'StreamExecutionEnvironment':
        """
        Sets the maximum time frequency (milliseconds) for the flushing of the
        output buffers. By default the output buffers flush frequently to provide
        low latency and to aid smooth developer experience. Setting the parameter
        can result in three logical modes:

        - A positive integer triggers flushing periodically by that integer
        - 0 triggers flushing after every record thus minimizing latency
        - -1 triggers flushing only when the output buffer is full thus maximizing throughput

        :param timeout_millis: The maximum time between two output flushes.
        :return: This object.
        """
        if timeout_millis < -1:
            raise ValueError("Timeout of buffer must be non-negative or -1")
        self._configuration.set_string(keys.BUFFER_TIMEOUT, "-1" if timeout_millis == -1
                                       else format_duration_ms(timeout_millis))
        return self

    def get_buffer_timeout(self) -> int:
        """
        Gets the maximum time frequency (milliseconds) for the flushing of the
        output buffers. For clarification on the extremal values see
        :func:`set_buffer_timeout`.

        :return: The timeout of the buffer.
        """
        return parse_duration_ms(self._configuration.get_string(keys.BUFFER_TIMEOUT, "100 ms"))

    def disable_operator_chaining(self) -> 'StreamExecutionEnvironment':
        """
        Disables operator chaining for streaming operators. Operator chaining
        allows non-shuffle operations to be co-located in the same thread fully
        avoiding serialization and de-serialization.

        :return: This object.
        """
        self._configuration.set_boolean(keys.OPERATOR_CHAINING, False)
        return self

    def is_chaining_enabled(self) -> bool:
        """
        Returns whether operator chaining is enabled.

        :return: True if chaining is enabled, false otherwise.
        """
        return self._configuration.get_boolean(keys.OPERATOR_CHAINING, True)

    def is_chaining_of_operators_with_different_max_parallelism_enabled(self) -> bool:
        """
        Returns whether operators that have a different max parallelism can be chained.

        :return: True if chaining is enabled, false otherwise
        """
        return self._configuration.get_boolean(
            "pipeline.operator-chaining.chain-operators-with-different-max-parallelism", True)

    def get_checkpoint_config(self) -> CheckpointConfig:
        """
        Gets the checkpoint config, which defines values like checkpoint interval, delay between
        checkpoints, etc.

        :return: The :class:`~pyflink_go.datastream.CheckpointConfig`.
        """
        return self._checkpoint_config

    def enable_checkpointing(self, interval: int, mode: CheckpointingMode = None) \
            -> 'StreamExecutionEnvironment':
        """
        Enables checkpointing for the streaming job. The distributed state of the streaming
        dataflow will be periodically snapshotted. In case of a failure, the streaming
        dataflow will be restarted from the latest completed checkpoint.

        The job draws checkpoints periodically, in the given interval. The system uses the
        given :class:`~pyflink_go.datastream.CheckpointingMode` for the checkpointing ("exactly
        once" vs "at least once").

        Example:
        ::

            >>> env.enable_checkpointing(300000, CheckpointingMode.AT_LEAST_ONCE)

        :param interval: Time interval between state checkpoints in milliseconds.
        :param mode: The checkpointing mode, selecting between "exactly once" and "at least once"
                     guaranteed.
        :return: This object.
        """
        self._checkpoint_config.set_checkpoint_interval(interval)
        if mode is not None:
            self._checkpoint_config.set_checkpointing_mode(mode)
        return self

    def get_checkpoint_interval(self) -> int:
        """
        Returns the checkpointing interval or -1 if checkpointing is disabled.

        :return: The checkpointing interval or -1.
        """
        return self._checkpoint_config.get_checkpoint_interval()

    def get_checkpointing_mode(self) -> CheckpointingMode:
        """
        Returns the checkpointing mode (exactly-once vs. at-least-once).

        :return: The :class:`~pyflink_go.datastream.CheckpointingMode`.
        """
        return self._checkpoint_config.get_checkpointing_mode()

    def get_checkpointing_consistency_mode(self) -> CheckpointingMode:
        """
        Returns the checkpointing mode (exactly-once vs. at-least-once).

        :return: The :class:`~pyflink_go.datastream.CheckpointingMode`.
        """
        return self._checkpoint_config.get_checkpointing_mode()

    def get_state_backend(self):
        """
        Gets the state backend that defines how to store and checkpoint state.

        :return: The StateBackend, or None if none was set.
        """
        return self._state_backend

    def set_state_backend(self, state_backend) -> 'StreamExecutionEnvironment':
        """
        Sets the state backend that describes how to store operator state: on the heap
        (HashMapStateBackend, the default) or in an embedded on-disk store
        (EmbeddedRocksDBStateBackend).

        :param state_backend: The StateBackend.
        :return: This object.
        """
        self._state_backend = state_backend
        for key, value in state_backend._to_config().items():
            self._configuration.set_string(key, value)
        return self

    def enable_changelog_state_backend(self, enabled: bool) -> 'StreamExecutionEnvironment':
        """
        Enable the change log for current state backend (recorded in the configuration).

        :param enabled: True if enable the change log for state backend explicitly, otherwise
                        disable the change log.
        :return: This object.
        """
        self._configuration.set_boolean("state.changelog.enabled", enabled)
        return self

    def is_changelog_state_backend_enabled(self) -> Optional[bool]:
        """
        Gets the enable status of change log for state backend.

        :return: An optional boolean, None when not set explicitly.
        """
        if not self._configuration.contains_key("state.changelog.enabled"):
            return None
        return self._configuration.get_boolean("state.changelog.enabled", False)

    def set_default_savepoint_directory(self, directory: str) -> 'StreamExecutionEnvironment':
        """
        Sets the default savepoint directory, where savepoints will be written to if none
        is explicitly provided when triggered.

        :param directory: The savepoint directory.
        :return: This object.
        """
        self._configuration.set_string("execution.checkpointing.savepoint-dir", directory)
        return self

    def get_default_savepoint_directory(self) -> Optional[str]:
        """
        Gets the default savepoint directory for this Job.

        :return: The default savepoint directory, or None.
        """
        return self._configuration.get_string("execution.checkpointing.savepoint-dir", None)

    def set_restart_strategy(self, restart_strategy_configuration: RestartStrategyConfiguration):
        """
        Sets the restart strategy configuration. The configuration specifies which restart strategy
        will be used for the execution graph in case of a restart.

        Example:
        ::

            >>> env.set_restart_strategy(RestartStrategies.no_restart())

        :param restart_strategy_configuration: Restart strategy configuration to be set.
        :return:
        """
        self._execution_config.set_restart_strategy(restart_strategy_configuration)

    def get_restart_strategy(self) -> RestartStrategyConfiguration:
        """
        Returns the specified restart strategy configuration.

        :return: The restart strategy configuration to be used.
        """
        return self._execution_config.get_restart_strategy()

    def add_default_kryo_serializer(self, type_class_name: str, serializer_class_name: str):
        """
        Adds a new Kryo default serializer to the Runtime (recorded; no effect here).

        :param type_class_name: The full-qualified java class name of the types serialized with the
                                given serializer.
        :param serializer_class_name: The full-qualified java class name of the serializer to use.
        """
        self._execution_config.add_default_kryo_serializer(type_class_name, serializer_class_name)

    def register_type_with_kryo_serializer(self, type_class_name: str, serializer_class_name: str):
        """
        Registers the given Serializer via its class as a serializer for the given type at the
        KryoSerializer (recorded; no effect here).

        :param type_class_name: The full-qualified java class name of the types serialized with
                                the given serializer.
        :param serializer_class_name: The full-qualified java class name of the serializer to use.
        """
        self._execution_config.register_type_with_kryo_serializer(type_class_name,
                                                                  serializer_class_name)

    def register_type(self, type_class_name: str):
        """
        Registers the given type with the serialization stack (recorded; no effect here).

        :param type_class_name: The full-qualified java class name of the type to register.
        """
        self._execution_config.register_kryo_type(type_class_name)

    def set_stream_time_characteristic(self, characteristic: TimeCharacteristic):
        """
        Sets the time characteristic for all streams create from this environment, e.g., processing
        time, event time, or ingestion time. Deprecated in Flink: event time is the default.

        :param characteristic: The time characteristic.
        """
        if characteristic == TimeCharacteristic.ProcessingTime:
            self._execution_config.set_auto_watermark_interval(0)
        elif self._execution_config.get_auto_watermark_interval() == 0:
            self._execution_config.set_auto_watermark_interval(200)
        self._time_characteristic = characteristic

    def get_stream_time_characteristic(self) -> 'TimeCharacteristic':
        """
        Gets the time characteristic.

        :return: The :class:`TimeCharacteristic`.
        """
        return self._time_characteristic

    def configure(self, configuration: Configuration):
        """
        Sets all relevant options contained in the :class:`~pyflink_go.common.Configuration`,
        such as ``parallelism.default``, ``execution.runtime-mode``,
        ``pipeline.max-parallelism`` or ``execution.checkpointing.interval``. Options not
        contained in the configuration keep their values.

        :param configuration: The configuration to be set.
        """
        if not isinstance(configuration, Configuration):
            raise TypeError("configure() takes a Configuration, got %s"
                            % type(configuration).__name__)
        self._configuration.add_all(configuration)
        self._validate_configuration()

    def _validate_configuration(self) -> None:
        """Fail early on configuration values the environment would misread later."""
        parallelism = self._configuration.get_integer(keys.PARALLELISM, None)
        if parallelism is not None and parallelism != ExecutionConfig.PARALLELISM_DEFAULT:
            validate_parallelism(parallelism)
        self._runtime_mode_name()

    def add_python_file(self, file_path: str):
        """
        Adds a python dependency which could be python files, python packages or
        local directories. They will be added to the PYTHONPATH of the python UDF worker.
        Please make sure that these dependencies can be imported.

        :param file_path: The path of the python dependency.
        """
        path = os.path.abspath(file_path)
        if os.path.isfile(path) and path.endswith(".py") or os.path.isdir(path):
            path = os.path.dirname(path)
        self._python_files.append(path)
        existing = self._configuration.get_string("python.files", "")
        self._configuration.set_string("python.files",
                                       ",".join(p for p in (existing, file_path) if p))

    def set_python_requirements(self, requirements_file_path: str,
                                requirements_cache_dir: str = None):
        """
        Specifies a requirements.txt file which defines the third-party dependencies. Workers
        share this interpreter's environment, so the requirements must already be installed;
        the setting is recorded in the configuration.

        :param requirements_file_path: The path of "requirements.txt" file.
        :param requirements_cache_dir: The path of the local directory which contains the
                                       installation packages.
        """
        value = requirements_file_path if requirements_cache_dir is None \
            else "%s#%s" % (requirements_file_path, requirements_cache_dir)
        self._configuration.set_string("python.requirements", value)

    def add_python_archive(self, archive_path: str, target_dir: str = None):
        """
        Adds a python archive file (recorded in the configuration; workers share this
        interpreter's file system).

        :param archive_path: The archive file path.
        :param target_dir: Optional, the target dir name that the archive file extracted to.
        """
        value = archive_path if target_dir is None else "%s#%s" % (archive_path, target_dir)
        existing = self._configuration.get_string("python.archives", "")
        self._configuration.set_string("python.archives",
                                       ",".join(p for p in (existing, value) if p))

    def set_python_executable(self, python_exec: str):
        """
        Sets the path of the python interpreter which is used to execute the python udf workers.
        It must have pyflink_go and cloudpickle installed.

        :param python_exec: The path of python interpreter.
        """
        self._configuration.set_string("python.executable", python_exec)

    def add_jars(self, *jars_path: str):
        """
        Adds a list of jar files (recorded; there is no JVM to load them into).

        :param jars_path: Path of jars.
        """
        self._append_list_option("pipeline.jars", jars_path)

    def add_classpaths(self, *classpaths: str):
        """
        Adds a list of URLs to the classpath (recorded; there is no JVM to load them into).

        :param classpaths: Classpaths.
        """
        self._append_list_option("pipeline.classpaths", classpaths)

    def _append_list_option(self, key: str, values: Iterable[str]) -> None:
        existing = self._configuration.get_string(key, "")
        joined = ';'.join(values)
        self._configuration.set_string(key, ';'.join(p for p in (existing, joined) if p))

    def get_default_local_parallelism(self) -> int:
        """
        Gets the default parallelism that will be used for the local execution environment.

        :return: The default local parallelism.
        """
        return self._default_local_parallelism

    def set_default_local_parallelism(self, parallelism: int):
        """
        Sets the default parallelism that will be used for the local execution environment.

        :param parallelism: The parallelism to use as the default local parallelism.
        """
        validate_parallelism(parallelism)
        self._default_local_parallelism = parallelism
        self._execution_config._default_parallelism = parallelism

    # ---- execution ----

    def execute(self, job_name: str = None) -> JobExecutionResult:
        """
        Triggers the program execution. The environment will execute all parts of
        the program that have resulted in a "sink" operation. Sink operations are
        for example printing results or forwarding them to a message queue.

        The call blocks until the job ends; print output appears as it is produced. On Ctrl-C
        the job is cancelled before the KeyboardInterrupt propagates.

        :param job_name: Desired name of the job, optional.
        :return: The result of the job execution, containing elapsed time and accumulators.
        :raises pyflink_go.errors.JobExecutionError: if the job fails; the message names the
                operator and contains the Python traceback of a failing function.
        """
        job = self._submit(job_name)
        try:
            job.wait()
            return job.execution_result()
        finally:
            job.release()

    def execute_async(self, job_name: str = 'Flink Streaming Job') -> JobClient:
        """
        Triggers the program asynchronously. The environment will execute all parts of the program
        that have resulted in a "sink" operation. Sink operations are for example printing results
        or forwarding them to a message queue.

        Jobs still running when the program exits are cancelled.

        :param job_name: Desired name of the job.
        :return: A JobClient that can be used to communicate with the submitted job, completed on
                 submission succeeded.
        """
        job = self._submit(job_name)
        job.start_in_background()
        return JobClient(job)

    def get_execution_plan(self) -> str:
        """
        Creates the plan with which the system will execute the program, and returns it as
        a String using a JSON representation of the execution data flow graph (Flink's format:
        nodes with id, type, pact, contents, parallelism and predecessors with ship_strategy).

        Note that this needs to be called, before the plan is executed.

        In a notebook the returned string renders as a picture of the job graph (operators,
        parallelism, ship strategies); ``print()`` shows the JSON.

        :return: The execution plan of the program, as a JSON String.
        """
        from pyflink_go._notebook import ExecutionPlan
        plan = self._build_plan(None, clear=False)
        return ExecutionPlan(_engine.api().execution_plan(_engine.codec().packb(plan)))

    def register_cached_file(self, file_path: str, name: str, executable: bool = False):
        """
        Registers a file at the distributed cache under the given name (recorded in the
        configuration; workers read local files directly).

        :param file_path: The path of the file.
        :param name: The name under which the file is registered.
        :param executable: Flag indicating whether the file should be executable.
        """
        existing = self._configuration.get_string("pipeline.cached-files", "")
        entry = "name:%s,path:%s,executable:%s" % (name, file_path, str(executable).lower())
        self._configuration.set_string("pipeline.cached-files",
                                       ";".join(p for p in (existing, entry) if p))

    @staticmethod
    def get_execution_environment(configuration: Configuration = None) \
            -> 'StreamExecutionEnvironment':
        """
        Creates an execution environment that represents the context in which the
        program is currently executed: a local environment whose jobs run in this process.

        The given configuration's keys are applied on top of the defaults; ``parallelism.default``
        and ``execution.runtime-mode`` are honoured among others.

        :param configuration: The configuration to instantiate the environment with.
        :return: The execution environment of the context in which the program is executed.
        """
        if configuration is not None and not isinstance(configuration, Configuration):
            raise TypeError("configuration must be a Configuration, got %s"
                            % type(configuration).__name__)
        env = StreamExecutionEnvironment(configuration)
        env._validate_configuration()
        _engine.prestart(min(env.get_parallelism(), _default_parallelism()))
        return env

    def create_input(self, input_format, type_info: Optional[TypeInformation] = None):
        """
        Create an input data stream with an InputFormat (Java input formats are not available).
        """
        raise NotImplementedError("create_input() is not supported by pyflink_go: Java input "
                                  "formats are not available")

    def add_source(self, source_func, source_name: str = 'Custom Source',
                   type_info: TypeInformation = None) -> 'DataStream':
        """
        Adds a Java SourceFunction to the streaming topology (not available; use from_source with
        FileSource or NumberSequenceSource, or from_collection).
        """
        raise NotImplementedError("add_source() is not supported by pyflink_go: Java source "
                                  "functions are not available; use from_source() or "
                                  "from_collection()")

    def from_source(self,
                    source,
                    watermark_strategy,
                    source_name: str,
                    type_info: TypeInformation = None) -> 'DataStream':
        """
        Adds a data :class:`~pyflink_go.datastream.connectors.Source` to the environment to get a
        :class:`~pyflink_go.datastream.DataStream`.

        The result will be either a bounded data stream (that can be processed in a batch way) or
        an unbounded data stream (that must be processed in a streaming way), based on the
        boundedness property of the source.

        :param source: the user defined source (FileSource, NumberSequenceSource)
        :param watermark_strategy: the watermark strategy to generate watermarks; unless it is
                                   ``no_watermarks()`` without a timestamp assigner, the
                                   source's records get their timestamps (from the strategy's
                                   TimestampAssigner, if any) and watermarks right after it
        :param source_name: the name of the source
        :param type_info: the type of the stream; sources describe it themselves by default
        :return: the data stream constructed.
        """
        from pyflink_go.common.watermark_strategy import WatermarkStrategy
        from pyflink_go.datastream.connectors.base import Source
        if not isinstance(source, Source):
            raise TypeError("from_source() takes a Source (e.g. FileSource), got %s"
                            % type(source).__name__)
        if not isinstance(watermark_strategy, WatermarkStrategy):
            raise TypeError("watermark_strategy must be a WatermarkStrategy, got %s"
                            % type(watermark_strategy).__name__)
        spec = source._source_spec()
        params = dict(spec.params)
        params["watermark_strategy"] = watermark_strategy._plan_params()
        t = Transformation(self, spec.kind, source_name, type_info or spec.out_type,
                           params=params)
        t.plan_name_prefix = "Source: "
        t.bounded = spec.bounded
        t.checks.append(lambda node: source._check(node.describe()))
        if watermark_strategy._kind == "no_watermarks" and \
                watermark_strategy._timestamp_assigner is None:
            return DataStream(self, t)
        # Timestamps and watermarks are part of the source in Flink: the stream's operator
        # settings (name, uid, parallelism) stay the source's, and the nodes follow its
        # parallelism.
        watermarks = _add_watermarks(self, ((t, 'auto'),), t.out_type, watermark_strategy,
                                     follow=t)
        return DataStream(self, t, edges=((watermarks, 'auto'),), type_info=t.out_type)

    def read_text_file(self, file_path: str, charset_name: str = "UTF-8") -> DataStream:
        """
        Reads the given file line-by-line and creates a DataStream that contains a string with the
        contents of each such line. The charset with the given name will be used to read the files.

        :param file_path: The path of the file, as a URI (e.g., "file:///some/local/file" or
                          "/some/local/file").
        :param charset_name: The name of the character set used to read the file.
        :return: The DataStream that represents the data read from the given file as text lines.
        """
        from pyflink_go.datastream.connectors.file_system import FileSource, StreamFormat
        source = FileSource.for_record_stream_format(StreamFormat.text_line_format(charset_name),
                                                     file_path).build()
        spec = source._source_spec()
        t = Transformation(self, spec.kind, "Custom File Source", spec.out_type,
                           params=spec.params)
        t.checks.append(lambda node: source._check(node.describe()))
        return DataStream(self, t)

    def from_collection(self, collection: List[Any],
                        type_info: TypeInformation = None) -> DataStream:
        """
        Creates a data stream from the given non-empty collection. The type of the data stream is
        that of the elements in the collection.

        Note that this operation will result in a non-parallel data stream source, i.e. a data
        stream source with parallelism one.

        Without ``type_info`` the elements are arbitrary Python objects (the stream type is
        PICKLED_BYTE_ARRAY). With it, each element is checked and converted now: tuples for
        Types.TUPLE, Rows with field names for Types.ROW (from tuples, lists, dicts or Rows),
        floats rounded to 32 bits for Types.FLOAT, and so on.

        :param collection: The collection of elements to create the data stream from.
        :param type_info: The TypeInformation for the produced data stream
        :return: the data stream representing the given collection.
        """
        elements = list(collection)
        if type_info is None:
            out_type = Types.PICKLED_BYTE_ARRAY()
        elif not isinstance(type_info, TypeInformation):
            raise TypeError("type_info must be a TypeInformation, got %s"
                            % type(type_info).__name__)
        else:
            out_type = type_info
            convert = type_info._converter()
            converted = []
            for index, element in enumerate(elements):
                try:
                    converted.append(convert(element))
                except (TypeError, ValueError, OverflowError) as e:
                    raise type(e)("from_collection: element %d (%r) does not match type_info "
                                  "%s: %s" % (index, element, type_info, e)) from e
            elements = converted
        t = Transformation(self, "collection_source", "Collection Source", out_type,
                           params={"values": elements}, parallelism=1)
        t.max_parallelism = 1
        t.can_be_parallel = False
        return DataStream(self, t)

    def from_elements(self, *elements: Any, type_info: TypeInformation = None) -> DataStream:
        """
        Creates a data stream from the given elements, like :func:`from_collection` (a
        non-parallel source named "Collection Source").

        Example:
        ::

            >>> env.from_elements("hello", "world").print()

        :param elements: The elements to create the data stream from.
        :param type_info: The TypeInformation for the produced data stream.
        :return: the data stream representing the given elements.
        """
        return self.from_collection(list(elements), type_info)

    def is_unaligned_checkpoints_enabled(self):
        """
        Returns whether Unaligned Checkpoints are enabled.
        """
        return self._checkpoint_config.is_unaligned_checkpoints_enabled()

    def is_force_unaligned_checkpoints(self):
        """
        Returns whether Unaligned Checkpoints are force-enabled.
        """
        return self._checkpoint_config.is_force_unaligned_checkpoints()

    def close(self):
        """
        Close and clean up the execution environment: recorded transformations are dropped.
        """
        self._transformations = []
