"""ExecutionConfig: per-job settings (parallelism, watermark interval, job parameters, ...).

It reads and writes the environment's Configuration, so ``env.get_config().set_parallelism(2)``,
``env.set_parallelism(2)`` and ``configure({"parallelism.default": "2"})`` are the same thing.
"""

from typing import Dict, List

from pyflink_go._durations import format_duration_ms, parse_duration_ms
from pyflink_go.common import _config_keys as keys
from pyflink_go.common.configuration import Configuration
from pyflink_go.common.execution_mode import ExecutionMode
from pyflink_go.common.input_dependency_constraint import InputDependencyConstraint
from pyflink_go.common.restart_strategy import RestartStrategies, RestartStrategyConfiguration

__all__ = ['ExecutionConfig']

_MAX_MAX_PARALLELISM = 1 << 15


class ExecutionConfig(object):
    """
    A config to define the behavior of the program execution. It allows to define (among other
    options) the following settings:

    - The default parallelism of the program, i.e., how many parallel tasks to use for
      all functions that do not define a specific value directly.
    - The interval of automatic watermark emission.
    - User-defined global job parameters, readable in functions through the runtime context.
    - Whether records may be reused between chained operators (object reuse).

    :data:`PARALLELISM_DEFAULT`:
    The flag value indicating use of the default parallelism.
    """

    PARALLELISM_DEFAULT = -1

    def __init__(self, configuration: Configuration = None, default_parallelism: int = 1):
        self._configuration = configuration if configuration is not None else Configuration()
        self._default_parallelism = default_parallelism
        self._execution_mode = ExecutionMode.PIPELINED
        self._input_dependency_constraint = InputDependencyConstraint.ANY
        self._kryo_serializers = {}  # type: Dict[str, str]
        self._default_kryo_serializers = {}  # type: Dict[str, str]
        self._kryo_types = []  # type: List[str]
        self._pojo_types = []  # type: List[str]

    # ---- closure cleaner, kryo, avro: accepted for compatibility, no effect ----

    def _flag(self, key: str, default: bool) -> bool:
        return self._configuration.get_boolean(key, default)

    def _set_flag(self, key: str, value: bool) -> 'ExecutionConfig':
        self._configuration.set_boolean(key, value)
        return self

    def enable_closure_cleaner(self) -> 'ExecutionConfig':
        """
        Enables the closure cleaner (a Java-side feature; it has no effect here).

        :return: This object.
        """
        self._configuration.set_string("pipeline.closure-cleaner-level", "RECURSIVE")
        return self

    def disable_closure_cleaner(self) -> 'ExecutionConfig':
        """
        Disables the closure cleaner (a Java-side feature; it has no effect here).

        :return: This object.
        """
        self._configuration.set_string("pipeline.closure-cleaner-level", "NONE")
        return self

    def is_closure_cleaner_enabled(self) -> bool:
        """
        Returns whether the closure cleaner is enabled.

        :return: ``True`` means enable and ``False`` means disable.
        """
        return self._configuration.get_string("pipeline.closure-cleaner-level",
                                              "RECURSIVE").upper() != "NONE"

    def set_auto_watermark_interval(self, interval: int) -> 'ExecutionConfig':
        """
        Sets the interval of the automatic watermark emission. Watermarks are used throughout
        the streaming system to keep track of the progress of time. They are used, for example,
        for time based windowing.

        :param interval: The integer value interval between watermarks in milliseconds.
        :return: This object.
        """
        if interval < 0:
            raise ValueError("Auto watermark interval must not be negative.")
        self._configuration.set_string(keys.AUTO_WATERMARK_INTERVAL, format_duration_ms(interval))
        return self

    def get_auto_watermark_interval(self) -> int:
        """
        Returns the interval of the automatic watermark emission.

        :return: The integer value interval in milliseconds of the automatic watermark emission.
        """
        return parse_duration_ms(
            self._configuration.get_string(keys.AUTO_WATERMARK_INTERVAL, "200 ms"))

    def set_latency_tracking_interval(self, interval: int) -> 'ExecutionConfig':
        """
        Interval for sending latency tracking marks from the sources to the sinks.

        :param interval: Interval in milliseconds; 0 or less disables it.
        :return: This object.
        """
        self._configuration.set_string("metrics.latency.interval", format_duration_ms(interval))
        return self

    def get_latency_tracking_interval(self) -> int:
        """
        Returns the latency tracking interval.

        :return: The latency tracking interval in milliseconds.
        """
        return parse_duration_ms(self._configuration.get_string("metrics.latency.interval", "0"))

    def get_parallelism(self) -> int:
        """
        Gets the parallelism with which operation are executed by default. Operations can
        individually override this value to use a specific parallelism.

        :return: The parallelism used by operations, unless they override that value.
        """
        return self._configuration.get_integer(keys.PARALLELISM, self._default_parallelism)

    def set_parallelism(self, parallelism: int) -> 'ExecutionConfig':
        """
        Sets the parallelism for operations executed through this environment.
        Setting a parallelism of x here will cause all operators (such as join, map, reduce) to run
        with x parallel instances.

        This method overrides the default parallelism for this environment.
        The local execution environment uses by default a value equal to the number of hardware
        contexts (CPU cores / threads).

        :param parallelism: The parallelism to use.
        :return: This object.
        """
        if parallelism != ExecutionConfig.PARALLELISM_DEFAULT and parallelism < 1:
            raise ValueError("Parallelism must be at least one, or "
                             "ExecutionConfig.PARALLELISM_DEFAULT (use system default).")
        if parallelism == ExecutionConfig.PARALLELISM_DEFAULT:
            self._configuration.remove_config(keys.PARALLELISM)
        else:
            self._configuration.set_integer(keys.PARALLELISM, parallelism)
        return self

    def get_max_parallelism(self) -> int:
        """
        Gets the maximum degree of parallelism defined for the program.

        The maximum degree of parallelism specifies the upper limit for dynamic scaling. It also
        defines the number of key groups used for partitioned state.

        :return: Maximum degree of parallelism, or -1 when it was not set.
        """
        return self._configuration.get_integer(keys.MAX_PARALLELISM, -1)

    def set_max_parallelism(self, max_parallelism: int) -> 'ExecutionConfig':
        """
        Sets the maximum degree of parallelism defined for the program.

        The maximum degree of parallelism specifies the upper limit for dynamic scaling. It also
        defines the number of key groups used for partitioned state.

        :param max_parallelism: Maximum degree of parallelism to be used for the program.
        """
        if not 0 < max_parallelism <= _MAX_MAX_PARALLELISM:
            raise ValueError("Maximum parallelism must be between 1 and %d. Found: %d"
                             % (_MAX_MAX_PARALLELISM, max_parallelism))
        self._configuration.set_integer(keys.MAX_PARALLELISM, max_parallelism)
        return self

    def get_task_cancellation_interval(self) -> int:
        """
        Gets the interval (in milliseconds) between consecutive attempts to cancel a running task.

        :return: The integer value interval in milliseconds.
        """
        return self._configuration.get_integer("task.cancellation.interval", 30000)

    def set_task_cancellation_interval(self, interval: int) -> 'ExecutionConfig':
        """
        Sets the configuration parameter specifying the interval (in milliseconds)
        between consecutive attempts to cancel a running task.

        :param interval: The integer value interval in milliseconds.
        :return: This object.
        """
        self._configuration.set_integer("task.cancellation.interval", interval)
        return self

    def get_task_cancellation_timeout(self) -> int:
        """
        Returns the timeout (in milliseconds) after which an ongoing task
        cancellation leads to a fatal error.

        :return: The timeout in milliseconds.
        """
        return self._configuration.get_integer("task.cancellation.timeout", 180000)

    def set_task_cancellation_timeout(self, timeout: int) -> 'ExecutionConfig':
        """
        Sets the timeout (in milliseconds) after which an ongoing task cancellation
        is considered failed, i.e. a fatal error.

        :param timeout: The task cancellation timeout (in milliseconds).
        :return: This object.
        """
        self._configuration.set_integer("task.cancellation.timeout", timeout)
        return self

    def set_restart_strategy(
            self,
            restart_strategy_configuration: RestartStrategyConfiguration) -> 'ExecutionConfig':
        """
        Sets the restart strategy to be used for recovery.

        Example:
        ::

            >>> config.set_restart_strategy(RestartStrategies.fixed_delay_restart(10, 1000))

        :param restart_strategy_configuration: Configuration defining the restart strategy to use.
        """
        for key in list(self._configuration.key_set()):
            if key.startswith("restart-strategy."):
                self._configuration.remove_config(key)
        for key, value in restart_strategy_configuration._to_config().items():
            self._configuration.set_string(key, value)
        return self

    def get_restart_strategy(self) -> RestartStrategyConfiguration:
        """
        Returns the restart strategy which has been set for the current job.

        :return: The specified restart configuration, or a fallback configuration when unset.
        """
        configured = RestartStrategies._from_config(self._configuration.to_dict())
        return configured if configured is not None else RestartStrategies.fall_back_restart()

    def set_execution_mode(self, execution_mode: ExecutionMode) -> 'ExecutionConfig':
        """
        Sets the execution mode of the legacy batch API. It has no effect on DataStream jobs;
        use ``StreamExecutionEnvironment.set_runtime_mode`` instead.

        :param execution_mode: The execution mode to use.
        """
        self._execution_mode = execution_mode
        return self

    def get_execution_mode(self) -> 'ExecutionMode':
        """
        Gets the execution mode of the legacy batch API.

        :return: The execution mode for the program.
        """
        return self._execution_mode

    def set_default_input_dependency_constraint(
            self, input_dependency_constraint: InputDependencyConstraint) -> 'ExecutionConfig':
        """
        Sets the default input dependency constraint for vertex scheduling (no effect here).

        :param input_dependency_constraint: The input dependency constraint.
        """
        self._input_dependency_constraint = input_dependency_constraint
        return self

    def get_default_input_dependency_constraint(self) -> 'InputDependencyConstraint':
        """
        Gets the default input dependency constraint for vertex scheduling.

        :return: The input dependency constraint of this job.
        """
        return self._input_dependency_constraint

    def enable_force_kryo(self) -> 'ExecutionConfig':
        """
        Forces the Java Kryo serializer for POJOs (no effect here).
        """
        return self._set_flag("pipeline.force-kryo", True)

    def disable_force_kryo(self) -> 'ExecutionConfig':
        """
        Disable use of Kryo serializer for all POJOs.
        """
        return self._set_flag("pipeline.force-kryo", False)

    def is_force_kryo_enabled(self) -> bool:
        """
        :return: Boolean value that represent whether the usage of Kryo serializer for all POJOs
                 is enabled.
        """
        return self._flag("pipeline.force-kryo", False)

    def enable_generic_types(self) -> 'ExecutionConfig':
        """
        Enables the use generic types which are serialized via Kryo (no effect here).
        """
        return self._set_flag("pipeline.generic-types", True)

    def disable_generic_types(self) -> 'ExecutionConfig':
        """
        Disables the use of generic types (types that would be serialized via Kryo).
        """
        return self._set_flag("pipeline.generic-types", False)

    def has_generic_types_disabled(self) -> bool:
        """
        Checks whether generic types are supported.

        :return: Boolean value that represent whether the generic types are supported.
        """
        return not self._flag("pipeline.generic-types", True)

    def enable_auto_generated_uids(self) -> 'ExecutionConfig':
        """
        Enables the engine to automatically generate uids for operators.
        """
        return self._set_flag("pipeline.auto-generate-uids", True)

    def disable_auto_generated_uids(self) -> 'ExecutionConfig':
        """
        Disables auto-generated UIDs, forcing users to manually specify UIDs on operators.
        """
        return self._set_flag("pipeline.auto-generate-uids", False)

    def has_auto_generated_uids_enabled(self) -> bool:
        """
        Checks whether auto generated UIDs are supported.

        :return: Boolean value that represent whether auto generated UIDs are supported.
        """
        return self._flag("pipeline.auto-generate-uids", True)

    def enable_force_avro(self) -> 'ExecutionConfig':
        """
        Forces the Avro serializer for POJOs (no effect here).
        """
        return self._set_flag("pipeline.force-avro", True)

    def disable_force_avro(self) -> 'ExecutionConfig':
        """
        Disables the Apache Avro serializer as the forced serializer for POJOs.
        """
        return self._set_flag("pipeline.force-avro", False)

    def is_force_avro_enabled(self) -> bool:
        """
        Returns whether the Apache Avro is the default serializer for POJOs.

        :return: Boolean value that represent whether the Apache Avro is the default serializer
                 for POJOs.
        """
        return self._flag("pipeline.force-avro", False)

    def enable_object_reuse(self) -> 'ExecutionConfig':
        """
        Enables reusing objects that the engine internally uses for deserialization and passing
        data to user-code functions.

        :return: This object.
        """
        return self._set_flag(keys.OBJECT_REUSE, True)

    def disable_object_reuse(self) -> 'ExecutionConfig':
        """
        Disables reusing objects that the engine internally uses for deserialization and passing
        data to user-code functions.

        :return: This object.
        """
        return self._set_flag(keys.OBJECT_REUSE, False)

    def is_object_reuse_enabled(self) -> bool:
        """
        Returns whether object reuse has been enabled or disabled.

        :return: Boolean value that represent whether object reuse has been enabled or disabled.
        """
        return self._flag(keys.OBJECT_REUSE, False)

    def get_global_job_parameters(self) -> Dict[str, str]:
        """
        Gets current configuration dict.

        :return: The configuration dict.
        """
        from pyflink_go.common._config_keys import parse_map
        return parse_map(self._configuration.get_string(keys.GLOBAL_JOB_PARAMETERS, ""))

    def set_global_job_parameters(self, global_job_parameters_dict: Dict) -> 'ExecutionConfig':
        """
        Register a custom, serializable user configuration dict. Functions read the entries with
        ``runtime_context.get_job_parameter(key, default)``.

        Example:
        ::

            >>> config.set_global_job_parameters({"environment.checkpoint_interval": "1000"})

        :param global_job_parameters_dict: Custom user configuration dict.
        """
        from pyflink_go.common._config_keys import format_map
        values = {str(k): v if isinstance(v, str) else str(v)
                  for k, v in global_job_parameters_dict.items()}
        self._configuration.set_string(keys.GLOBAL_JOB_PARAMETERS, format_map(values))
        return self

    def add_default_kryo_serializer(self, type_class_name: str, serializer_class_name: str) \
            -> 'ExecutionConfig':
        """
        Adds a new Kryo default serializer to the Runtime (recorded; no effect here).

        :param type_class_name: The full-qualified java class name of the types serialized with
                                the given serializer.
        :param serializer_class_name: The full-qualified java class name of the serializer to use.
        """
        self._default_kryo_serializers[type_class_name] = serializer_class_name
        return self

    def register_type_with_kryo_serializer(self, type_class_name: str,
                                           serializer_class_name: str) -> 'ExecutionConfig':
        """
        Registers the given Serializer via its class as a serializer for the given type at the
        KryoSerializer (recorded; no effect here).

        :param type_class_name: The full-qualified java class name of the types serialized with
                                the given serializer.
        :param serializer_class_name: The full-qualified java class name of the serializer to use.
        """
        self._kryo_serializers[type_class_name] = serializer_class_name
        return self

    def register_pojo_type(self, type_class_name: str) -> 'ExecutionConfig':
        """
        Registers the given type with the serialization stack (recorded; no effect here).

        :param type_class_name: The full-qualified java class name of the type to register.
        """
        self._pojo_types.append(type_class_name)
        return self

    def register_kryo_type(self, type_class_name: str) -> 'ExecutionConfig':
        """
        Registers the given type with the serialization stack (recorded; no effect here).

        :param type_class_name: The full-qualified java class name of the type to register.
        """
        self._kryo_types.append(type_class_name)
        return self

    def get_registered_types_with_kryo_serializer_classes(self) -> Dict[str, str]:
        """
        Returns the registered types with their Kryo Serializer classes.
        """
        return dict(self._kryo_serializers)

    def get_default_kryo_serializer_classes(self) -> Dict[str, str]:
        """
        Returns the registered default Kryo Serializer classes.
        """
        return dict(self._default_kryo_serializers)

    def get_registered_kryo_types(self) -> List[str]:
        """
        Returns the registered Kryo types.
        """
        return list(self._kryo_types)

    def get_registered_pojo_types(self) -> List[str]:
        """
        Returns the registered POJO types.
        """
        return list(self._pojo_types)

    def is_auto_type_registration_disabled(self) -> bool:
        """
        Returns whether automatic type registration is disabled.
        """
        return not self._flag("pipeline.auto-type-registration", True)

    def disable_auto_type_registration(self) -> 'ExecutionConfig':
        """
        Control whether the engine is automatically registering all types in the user programs.
        """
        return self._set_flag("pipeline.auto-type-registration", False)

    def is_use_snapshot_compression(self) -> bool:
        """
        Returns whether the compression (snappy) for keyed state in full checkpoints and
        savepoints is enabled.
        """
        return self._flag("execution.checkpointing.snapshot-compression", False)

    def set_use_snapshot_compression(self, use_snapshot_compression: bool) -> 'ExecutionConfig':
        """
        Control whether the compression (snappy) for keyed state in full checkpoints and
        savepoints is enabled.
        """
        return self._set_flag("execution.checkpointing.snapshot-compression",
                              use_snapshot_compression)

    def __eq__(self, other):
        return isinstance(other, ExecutionConfig) and \
            self._configuration == other._configuration and \
            self._default_parallelism == other._default_parallelism

    def __hash__(self):
        return hash(self._configuration)
