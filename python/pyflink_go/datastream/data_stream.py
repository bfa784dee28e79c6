"""DataStream, KeyedStream, DataStreamSink and CloseableIterator, as in
``pyflink.datastream.data_stream``.

A stream is a view on the transformation that produces it (or, after ``union`` or a
partitioning call, on several upstream edges). Applying an operation records a new
transformation in the environment; nothing runs until ``execute()``.
"""

import weakref
from typing import Any, Callable, Optional, Tuple, Union

from pyflink_go.common.execution_config import ExecutionConfig
from pyflink_go.common.typeinfo import PickledBytesTypeInfo, RowTypeInfo, TupleTypeInfo, \
    TypeInformation, Types
from pyflink_go.datastream._accumulate import AccumulateReduceFunction, AccumulateType
from pyflink_go.datastream._transformation import Transformation, validate_max_parallelism, \
    validate_parallelism
from pyflink_go.datastream.functions import FilterFunction, FlatMapFunction, \
    KeyedProcessFunction, KeySelector, MapFunction, ProcessFunction, ReduceFunction, \
    SinkFunction
from pyflink_go.datastream.slot_sharing_group import SlotSharingGroup

__all__ = ['CloseableIterator', 'DataStream', 'KeyedStream', 'ConnectedStreams', 'WindowedStream',
           'DataStreamSink', 'BroadcastStream', 'BroadcastConnectedStream', 'AllWindowedStream',
           'CachedDataStream']

Edge = Tuple[Transformation, str]

_PRINT_SINK_FUNCTION = "org.apache.flink.streaming.api.functions.sink.PrintSinkFunction"
_DISCARDING_SINK_FUNCTIONS = (
    "org.apache.flink.streaming.api.functions.sink.DiscardingSink",
    "org.apache.flink.streaming.api.functions.sink.legacy.DiscardingSink",
)
_PRINT_SINK = "org.apache.flink.streaming.api.functions.sink.PrintSink"


def _output_type(output_type) -> TypeInformation:
    """PyFlink's rule: None means PICKLED, a list means ROW of those field types."""
    if output_type is None:
        return Types.PICKLED_BYTE_ARRAY()
    if isinstance(output_type, list):
        return RowTypeInfo(output_type)
    if isinstance(output_type, TypeInformation):
        return output_type
    raise TypeError("output_type must be None, list or TypeInformation, got %s"
                    % type(output_type).__name__)


def _not_supported(what: str) -> NotImplementedError:
    return NotImplementedError("%s is not supported by pyflink_go yet" % what)


class DataStream(object):
    """
    A DataStream represents a stream of elements of the same type. A DataStream can be transformed
    into another DataStream by applying a transformation as for example:

    ::

        >>> DataStream.map(MapFunctionImpl())
        >>> DataStream.filter(FilterFunctionImpl())
    """

    def __init__(self, env, transformation: Optional[Transformation] = None,
                 edges: Optional[Tuple[Edge, ...]] = None,
                 type_info: Optional[TypeInformation] = None):
        self._env = env
        self._transformation = transformation
        self._edges = tuple(edges) if edges is not None else ((transformation, 'auto'),)
        self._type = type_info if type_info is not None else transformation.out_type

    # ---- operator properties ----

    def _operator(self, method: str) -> Transformation:
        if self._transformation is None:
            raise TypeError("%s() applies to the stream of one operator; this stream comes from "
                            "union() or a partitioning method (shuffle, rebalance, ...)" % method)
        return self._transformation

    def get_name(self) -> str:
        """
        Gets the name of the current data stream. This name is used by the visualization and logging
        during runtime.

        :return: Name of the stream.
        """
        return self._operator('get_name').name

    def name(self, name: str) -> 'DataStream':
        """
        Sets the name of the current data stream. This name is used by the visualization and logging
        during runtime.

        :param name: Name of the stream.
        :return: The named operator.
        """
        self._operator('name').name = name
        return self

    def uid(self, uid: str) -> 'DataStream':
        """
        Sets an ID for this operator. The specified ID is used to assign the same operator ID across
        job submissions (for example when starting a job from a savepoint).

        Important: this ID needs to be unique per transformation and job. Otherwise, job submission
        will fail.

        :param uid: The unique user-specified ID of this transformation.
        :return: The operator with the specified ID.
        """
        self._operator('uid').uid = uid
        return self

    def set_uid_hash(self, uid_hash: str) -> 'DataStream':
        """
        Sets an user provided hash for this operator. This will be used AS IS the create the
        JobVertexID.

        :param uid_hash: The user provided hash for this operator.
        :return: The operator with the user provided hash.
        """
        self._operator('set_uid_hash').uid_hash = uid_hash
        return self

    def set_parallelism(self, parallelism: int) -> 'DataStream':
        """
        Sets the parallelism for this operator.

        :param parallelism: THe parallelism for this operator.
        :return: The operator with set parallelism.
        """
        t = self._operator('set_parallelism')
        validate_parallelism(parallelism, t.can_be_parallel)
        t.parallelism = parallelism
        return self

    def set_max_parallelism(self, max_parallelism: int) -> 'DataStream':
        """
        Sets the maximum parallelism of this operator.

        The maximum parallelism specifies the upper bound for dynamic scaling. It also defines the
        number of key groups used for partitioned state.

        :param max_parallelism: Maximum parallelism.
        :return: The operator with set maximum parallelism.
        """
        t = self._operator('set_max_parallelism')
        validate_max_parallelism(max_parallelism, t.can_be_parallel)
        t.max_parallelism = max_parallelism
        return self

    def get_type(self) -> TypeInformation:
        """
        Gets the type of the stream.

        :return: The type of the DataStream.
        """
        return self._type

    def get_execution_environment(self):
        """
        Returns the StreamExecutionEnvironment that was used to create this DataStream.

        :return: The Execution Environment.
        """
        return self._env

    def get_execution_config(self) -> ExecutionConfig:
        """
        Returns the ExecutionConfig of the environment of this stream.
        """
        return self._env.get_config()

    def force_non_parallel(self) -> 'DataStream':
        """
        Sets the parallelism and maximum parallelism of this operator to one. And mark this operator
        cannot set a non-1 degree of parallelism.

        :return: The operator with only one parallelism.
        """
        t = self._operator('force_non_parallel')
        t.parallelism = 1
        t.max_parallelism = 1
        t.can_be_parallel = False
        return self

    def set_buffer_timeout(self, timeout_millis: int) -> 'DataStream':
        """
        Sets the buffering timeout for data produced by this operation. The timeout defines how long
        data may linger in a partially full buffer before being sent over the network.

        :param timeout_millis: The maximum time between two output flushes.
        :return: The operator with buffer timeout set.
        """
        if timeout_millis < -1:
            raise ValueError("Timeout must be >= -1")
        self._operator('set_buffer_timeout').buffer_timeout = timeout_millis
        return self

    def start_new_chain(self) -> 'DataStream':
        """
        Starts a new task chain beginning at this operator. This operator will not be chained
        (thread co-located for increased performance) to any previous tasks even if possible.

        :return: The operator with chaining set.
        """
        self._operator('start_new_chain').chaining = 'start_new_chain'
        return self

    def disable_chaining(self) -> 'DataStream':
        """
        Turns off chaining for this operator so thread co-location will not be used as an
        optimization.

        :return: The operator with chaining disabled.
        """
        self._operator('disable_chaining').chaining = 'disable'
        return self

    def slot_sharing_group(self, slot_sharing_group: Union[str, SlotSharingGroup]) -> 'DataStream':
        """
        Sets the slot sharing group of this operation.

        :param slot_sharing_group: The slot sharing group name or which contains name and its
                        resource spec.
        :return: This operator.
        """
        t = self._operator('slot_sharing_group')
        t.slot_sharing_group = slot_sharing_group.get_name() \
            if isinstance(slot_sharing_group, SlotSharingGroup) else slot_sharing_group
        return self

    def set_description(self, description: str) -> 'DataStream':
        """
        Sets the description for this operator.

        :param description: The description for this operator.
        :return: The operator with new description.
        """
        self._operator('set_description').description = description
        return self

    # ---- recording operators ----

    def _python_operator(self, func: str, fn: Any, name: str, out_type: TypeInformation,
                         keyed: bool = False, declare_out_type: bool = True,
                         edges: Optional[Tuple[Edge, ...]] = None) -> 'DataStream':
        params = {"func": func}
        if keyed:
            params["keyed"] = True
        t = Transformation(self._env, "python", name, out_type,
                           inputs=edges if edges is not None else self._edges, params=params, fn=fn)
        if declare_out_type and not isinstance(out_type, PickledBytesTypeInfo):
            t.type_params["out_type"] = out_type
        self._env._add_operator(t)
        return DataStream(self._env, t)

    def map(self, func: Union[Callable, MapFunction], output_type: TypeInformation = None) \
            -> 'DataStream':
        """
        Applies a Map transformation on a DataStream. The transformation calls a MapFunction for
        each element of the DataStream. Each MapFunction call returns exactly one element.

        Note that If user does not specify the output data type, the output data will be serialized
        as pickle primitive byte array.

        :param func: The MapFunction that is called for each element of the DataStream.
        :param output_type: The type information of the MapFunction output data.
        :return: The transformed DataStream.
        """
        if not isinstance(func, MapFunction) and not callable(func):
            raise TypeError("The input must be a MapFunction or a callable function")
        return self._python_operator("map", func, "Map", _output_type(output_type))

    def flat_map(self, func: Union[Callable, FlatMapFunction],
                 output_type: TypeInformation = None) -> 'DataStream':
        """
        Applies a FlatMap transformation on a DataStream. The transformation calls a FlatMapFunction
        for each element of the DataStream. Each FlatMapFunction call can return any number of
        elements including none.

        :param func: The FlatMapFunction that is called for each element of the DataStream.
        :param output_type: The type information of output data.
        :return: The transformed DataStream.
        """
        if not isinstance(func, FlatMapFunction) and not callable(func):
            raise TypeError("The input must be a FlatMapFunction or a callable function")
        return self._python_operator("flat_map", func, "FlatMap", _output_type(output_type))

    def filter(self, func: Union[Callable, FilterFunction]) -> 'DataStream':
        """
        Applies a Filter transformation on a DataStream. The transformation calls a FilterFunction
        for each element of the DataStream and retains only those element for which the function
        returns true. Elements for which the function returns false are filtered.

        :param func: The FilterFunction that is called for each element of the DataStream.
        :return: The filtered DataStream.
        """
        if not isinstance(func, FilterFunction) and not callable(func):
            raise TypeError("The input must be a FilterFunction or a callable function")
        return self._python_operator("filter", func, "Filter", self._type, declare_out_type=False)

    def key_by(self, key_selector: Union[Callable, KeySelector],
               key_type: TypeInformation = None) -> 'KeyedStream':
        """
        Creates a new KeyedStream that uses the provided key for partitioning its operator states.

        :param key_selector: The KeySelector to be used for extracting the key for partitioning.
        :param key_type: The type information describing the key type.
        :return: The DataStream with partitioned state(i.e. KeyedStream).
        """
        if not isinstance(key_selector, KeySelector) and not callable(key_selector):
            raise TypeError("Parameter key_selector should be type of KeySelector or a callable "
                            "function.")
        if key_type is None:
            key_type = Types.PICKLED_BYTE_ARRAY()
        elif not isinstance(key_type, TypeInformation):
            raise TypeError("key_type must be None or a TypeInformation, got %s"
                            % type(key_type).__name__)
        t = Transformation(self._env, "python", "_stream_key_by_map_operator", self._type,
                           inputs=self._edges, params={"func": "key_by"}, fn=key_selector)
        t.type_params["key_type"] = key_type
        self._env._add_operator(t)
        return KeyedStream(self._env, t, self._type, self)

    def process(self, func: ProcessFunction, output_type: TypeInformation = None) -> 'DataStream':
        """
        Applies the given ProcessFunction on the input stream, thereby creating a transformed output
        stream. The function is called for every element and can produce zero or more outputs.

        Process functions are not executable yet: a job that contains one fails at execute() with
        NotImplementedError.

        :param func: The ProcessFunction that is called for each element in the stream.
        :param output_type: TypeInformation for the result type of the function.
        :return: The transformed DataStream.
        """
        if not isinstance(func, ProcessFunction):
            raise TypeError("The input must be a ProcessFunction")
        stream = self._python_operator("process", func, "PROCESS", _output_type(output_type))
        stream._transformation.unsupported = "DataStream.process() is not supported by " \
                                             "pyflink_go yet"
        return stream

    def union(self, *streams: 'DataStream') -> 'DataStream':
        """
        Creates a new DataStream by merging DataStream outputs of the same type with each other. The
        DataStreams merged using this operator will be transformed simultaneously.

        :param streams: The DataStream to union outputwith.
        :return: The DataStream.
        """
        edges = list(self._edges)
        for stream in streams:
            if isinstance(stream, KeyedStream):
                stream = stream._values()
            if not isinstance(stream, DataStream):
                raise TypeError("union() takes DataStreams, got %s" % type(stream).__name__)
            if stream._env is not self._env:
                raise ValueError("Cannot union streams of different execution environments")
            if stream.get_type() != self._type:
                raise ValueError("Cannot union streams of different types: %s and %s"
                                 % (self._type, stream.get_type()))
            edges.extend(stream._edges)
        return DataStream(self._env, None, tuple(edges), self._type)

    def _partitioned(self, partition: str) -> 'DataStream':
        return DataStream(self._env, None, tuple((t, partition) for t, _ in self._edges),
                          self._type)

    def shuffle(self) -> 'DataStream':
        """
        Sets the partitioning of the DataStream so that the output elements are shuffled uniformly
        randomly to the next operation.

        :return: The DataStream with shuffle partitioning set.
        """
        return self._partitioned('shuffle')

    def rescale(self) -> 'DataStream':
        """
        Sets the partitioning of the DataStream so that the output elements are distributed evenly
        to a subset of instances of the next operation in a round-robin fashion.

        The subset of downstream operations to which the upstream operation sends elements depends
        on the degree of parallelism of both the upstream and downstream operation.

        :return: The DataStream with rescale partitioning set.
        """
        return self._partitioned('rescale')

    def rebalance(self) -> 'DataStream':
        """
        Sets the partitioning of the DataStream so that the output elements are distributed evenly
        to instances of the next operation in a round-robin fashion.

        :return: The DataStream with rebalance partition set.
        """
        return self._partitioned('rebalance')

    def forward(self) -> 'DataStream':
        """
        Sets the partitioning of the DataStream so that the output elements are forwarded to the
        local sub-task of the next operation.

        :return: The DataStream with forward partitioning set.
        """
        return self._partitioned('forward')

    def broadcast(self, broadcast_state_descriptor=None, *other_broadcast_state_descriptors) \
            -> 'DataStream':
        """
        Sets the partitioning of the DataStream so that the output elements are broadcasted to every
        parallel instance of the next operation.

        Broadcast state (passing MapStateDescriptors) is not supported yet.

        :return: The DataStream with broadcast partitioning set.
        """
        if broadcast_state_descriptor is not None:
            raise _not_supported("DataStream.broadcast() with broadcast state descriptors")
        return self._partitioned('broadcast')

    def project(self, *field_indexes: int) -> 'DataStream':
        """
        Initiates a Project transformation on a Tuple DataStream.

        Note that only Tuple DataStreams can be projected.

        :param field_indexes: The field indexes of the input tuples that are retained. The order of
                              fields in the output tuple corresponds to the order of field indexes.
        :return: The projected DataStream.
        """
        if not isinstance(self._type, TupleTypeInfo):
            raise Exception('Only Tuple DataStreams can be projected.')
        from pyflink_go.datastream._projection import Projection
        field_types = self._type.get_field_types()
        for index in field_indexes:
            if not 0 <= index < len(field_types):
                raise IndexError("project(): field index %d is out of range for %s"
                                 % (index, self._type))
        out_type = Types.TUPLE([field_types[i] for i in field_indexes])
        return self._python_operator("map", Projection(field_indexes), "Projection", out_type)

    def assign_timestamps_and_watermarks(self, watermark_strategy) -> 'DataStream':
        """
        Assigns timestamps to the elements in the data stream and generates watermarks to signal
        event time progress. The given WatermarkStrategy is used to create a TimestampAssigner and
        WatermarkGenerator.

        Event-time operators are not available yet, so the strategy does not change what the job
        computes; the returned stream carries it for them.

        :param watermark_strategy: The strategy to generate watermarks based on event timestamps.
        :return: The stream after the transformation, with assigned timestamps and watermarks.
        """
        from pyflink_go.common.watermark_strategy import WatermarkStrategy
        if not isinstance(watermark_strategy, WatermarkStrategy):
            raise TypeError("watermark_strategy must be a WatermarkStrategy, got %s"
                            % type(watermark_strategy).__name__)
        stream = DataStream(self._env, None, self._edges, self._type)
        stream._watermark_strategy = watermark_strategy
        return stream

    def window_all(self, window_assigner) -> 'AllWindowedStream':
        """
        Windows this data stream to a AllWindowedStream (not supported yet).
        """
        raise _not_supported("DataStream.window_all()")

    def connect(self, ds) -> 'ConnectedStreams':
        """
        Connects this stream with another one for CoFunctions (not supported yet).
        """
        raise _not_supported("DataStream.connect()")

    def partition_custom(self, partitioner, key_selector) -> 'DataStream':
        """
        Partitions a DataStream on the key returned by the selector, using a custom partitioner
        (not supported yet).
        """
        raise _not_supported("DataStream.partition_custom()")

    def get_side_output(self, output_tag) -> 'DataStream':
        """
        Gets the DataStream that contains the elements emitted into the given side output (not
        supported yet).
        """
        raise _not_supported("DataStream.get_side_output()")

    def cache(self) -> 'CachedDataStream':
        """
        Caches the intermediate result of the transformation (not supported yet).
        """
        raise _not_supported("DataStream.cache()")

    # ---- sinks ----

    def _sink(self, kind: str, name: str, params: dict, parallelism: int = None) \
            -> 'DataStreamSink':
        t = Transformation(self._env, kind, name, self._type, inputs=self._edges, params=params,
                           parallelism=parallelism)
        self._env._add_operator(t)
        return DataStreamSink(t)

    def _to_string(self, style: str) -> 'DataStream':
        t = Transformation(self._env, "python", "Map", Types.STRING(), inputs=self._edges,
                           params={"func": "to_string", "fn": None, "style": style})
        self._env._add_operator(t)
        return DataStream(self._env, t)

    def _align_output_type(self) -> 'DataStream':
        """
        Render the stream as text the way PyFlink does before printing: untyped values with
        ``str()``, rows as ``+I[a,1]``; other types are printed by the engine itself.
        """
        if isinstance(self._type, PickledBytesTypeInfo):
            return self._to_string("pickled")
        if isinstance(self._type, RowTypeInfo):
            return self._to_string("row")
        return self

    def _file_sink(self, sink, name: str) -> 'DataStreamSink':
        spec = sink._sink_spec()
        stream = self._to_string("pickled") if isinstance(self._type, PickledBytesTypeInfo) \
            else self
        return stream._sink(spec.kind, name, spec.params)

    def add_sink(self, sink_func: SinkFunction) -> 'DataStreamSink':
        """
        Adds the given sink to this DataStream. Only streams with sinks added will be executed once
        the StreamExecutionEnvironment.execute() method is called.

        Supported: StreamingFileSink, and SinkFunction of Flink's PrintSinkFunction and
        DiscardingSink classes.

        :param sink_func: The SinkFunction object.
        :return: The closed DataStream.
        """
        if getattr(sink_func, "_sink_spec", None) is not None:
            return self._file_sink(sink_func, "Unnamed")
        if isinstance(sink_func, SinkFunction) and \
                sink_func.get_java_function() == _PRINT_SINK_FUNCTION:
            return self._align_output_type()._sink("print_sink", "Unnamed", {"identifier": None})
        if isinstance(sink_func, SinkFunction) and \
                sink_func.get_java_function() in _DISCARDING_SINK_FUNCTIONS:
            return self._sink("discard_sink", "Unnamed", {})
        raise NotImplementedError(
            "add_sink(): the sink function %r is not available in pyflink_go; use "
            "StreamingFileSink, FileSink (with sink_to) or print()"
            % (getattr(sink_func, "get_java_function", lambda: sink_func)(),))

    def sink_to(self, sink) -> 'DataStreamSink':
        """
        Adds the given sink to this DataStream. Only streams with sinks added will be
        executed once the StreamExecutionEnvironment.execute() method is called.

        Supported: FileSink, and Sink of Flink's PrintSink class.

        :param sink: The user defined sink.
        :return: The closed DataStream.
        """
        from pyflink_go.datastream.connectors.base import Sink
        if not isinstance(sink, Sink):
            raise TypeError("sink_to() takes a Sink (e.g. FileSink), got %s"
                            % type(sink).__name__)
        if sink.get_java_function() == _PRINT_SINK:
            return self._align_output_type()._sink("print_sink", "Sink", {"identifier": None})
        return self._file_sink(sink, "Sink")

    def print(self, sink_identifier: str = None) -> 'DataStreamSink':
        """
        Writes a DataStream to the standard output stream (stdout).

        For each element of the DataStream the object string is written. With parallelism above
        one each line starts with the 1-based subtask index (``3> ``), after the sink identifier
        if one is given (``id:3> ``).

        :param sink_identifier: The string to prefix the output with.
        :return: The closed DataStream.
        """
        return self._align_output_type()._sink("print_sink", "Print to Std. Out",
                                               {"identifier": sink_identifier})

    def execute_and_collect(self, job_execution_name: str = None, limit: int = None) \
            -> Union['CloseableIterator', list]:
        """
        Triggers the distributed execution of the streaming dataflow and returns an iterator over
        the elements of the given DataStream.

        The DataStream application is executed in the regular distributed manner on the target
        environment, and the events from the stream are polled back to this application process.
        The returned iterator must be closed to free all resources (use it in a ``with`` block);
        closing it early cancels the job.

        :param job_execution_name: The name of the job execution.
        :param limit: The limit for the collected elements; with a limit a list is returned.
        """
        if limit is not None and (not isinstance(limit, int) or limit <= 0):
            raise ValueError("Limit must be greater than 0")
        t = Transformation(self._env, "collect_sink", "Data stream collect sink", self._type,
                           inputs=self._edges, params={"limit": limit}, parallelism=1)
        self._env._add_operator(t)
        job = self._env._submit(job_execution_name or "DataStream Collect")
        iterator = CloseableIterator(job, self._type)
        if limit is None:
            return iterator
        from pyflink_go._notebook import CollectedRows
        with iterator:
            return CollectedRows(value for _, value in zip(range(limit), iterator))


class DataStreamSink(object):
    """
    A Stream Sink. This is used for emitting elements from a streaming topology.
    """

    def __init__(self, transformation: Transformation):
        self._transformation = transformation

    def name(self, name: str) -> 'DataStreamSink':
        """
        Sets the name of this sink. THis name is used by the visualization and logging during
        runtime.

        :param name: The name of this sink.
        :return: The named sink.
        """
        self._transformation.name = name
        return self

    def uid(self, uid: str) -> 'DataStreamSink':
        """
        Sets an ID for this operator. The specified ID is used to assign the same operator ID across
        job submissions (for example when starting a job from a savepoint).

        :param uid: The unique user-specified ID of this transformation.
        :return: The operator with the specified ID.
        """
        self._transformation.uid = uid
        return self

    def set_uid_hash(self, uid_hash: str) -> 'DataStreamSink':
        """
        Sets an user provided hash for this operator. This will be used AS IS the create the
        JobVertexID.

        :param uid_hash: The user provided hash for this operator.
        :return: The operator with the user provided hash.
        """
        self._transformation.uid_hash = uid_hash
        return self

    def set_parallelism(self, parallelism: int) -> 'DataStreamSink':
        """
        Sets the parallelism for this operator.

        :param parallelism: THe parallelism for this operator.
        :return: The operator with set parallelism.
        """
        validate_parallelism(parallelism, self._transformation.can_be_parallel)
        self._transformation.parallelism = parallelism
        return self

    def set_description(self, description: str) -> 'DataStreamSink':
        """
        Sets the description for this sink.

        :param description: The description for this sink.
        :return: The sink with new description.
        """
        self._transformation.description = description
        return self

    def disable_chaining(self) -> 'DataStreamSink':
        """
        Turns off chaining for this operator so thread co-location will not be used as an
        optimization.

        :return: The operator with chaining disabled.
        """
        self._transformation.chaining = 'disable'
        return self

    def slot_sharing_group(self, slot_sharing_group: Union[str, SlotSharingGroup]) \
            -> 'DataStreamSink':
        """
        Sets the slot sharing group of this operation.

        :param slot_sharing_group: The slot sharing group name or which contains name and its
                        resource spec.
        :return: This operator.
        """
        self._transformation.slot_sharing_group = slot_sharing_group.get_name() \
            if isinstance(slot_sharing_group, SlotSharingGroup) else slot_sharing_group
        return self


class KeyedStream(DataStream):
    """
    A KeyedStream represents a DataStream on which operator state is partitioned by key using a
    provided KeySelector. Typical operations supported by a DataStream are also possible on a
    KeyedStream, with the exception of partitioning methods such as shuffle, forward and keyBy.

    Reduce-style operations, such as reduce and sum work on elements that have the same key.
    """

    def __init__(self, env, key_by: Transformation, original_data_type_info: TypeInformation,
                 origin_stream: DataStream):
        super(KeyedStream, self).__init__(env, key_by, ((key_by, 'hash'),),
                                          original_data_type_info)
        self._original_data_type_info = original_data_type_info
        self._origin_stream = origin_stream

    def map(self, func: Union[Callable, MapFunction], output_type: TypeInformation = None) \
            -> 'DataStream':
        """
        Applies a Map transformation on a KeyedStream. The transformation calls a MapFunction for
        each element of the DataStream. Each MapFunction call returns exactly one element.

        Note that If user does not specify the output data type, the output data will be serialized
        as pickle primitive byte array.

        :param func: The MapFunction that is called for each element of the DataStream.
        :param output_type: The type information of the MapFunction output data.
        :return: The transformed DataStream.
        """
        if not isinstance(func, MapFunction) and not callable(func):
            raise TypeError("The input must be a MapFunction or a callable function")
        return self._python_operator("map", func, "Map", _output_type(output_type), keyed=True)

    def flat_map(self, func: Union[Callable, FlatMapFunction],
                 output_type: TypeInformation = None) -> 'DataStream':
        """
        Applies a FlatMap transformation on a KeyedStream. The transformation calls a
        FlatMapFunction for each element of the DataStream. Each FlatMapFunction call can return
        any number of elements including none.

        :param func: The FlatMapFunction that is called for each element of the DataStream.
        :param output_type: The type information of output data.
        :return: The transformed DataStream.
        """
        if not isinstance(func, FlatMapFunction) and not callable(func):
            raise TypeError("The input must be a FlatMapFunction or a callable function")
        return self._python_operator("flat_map", func, "FlatMap", _output_type(output_type),
                                     keyed=True)

    def reduce(self, func: Union[Callable, ReduceFunction]) -> 'DataStream':
        """
        Applies a reduce transformation on the grouped data stream grouped on by the given
        key position. The `ReduceFunction` will receive input values based on the key value.
        Only input values with the same key will go to the same reducer.

        In STREAMING mode the rolling result is emitted for every element; in BATCH mode only the
        final result per key.

        Example:
        ::

            >>> ds = env.from_collection([(1, 'a'), (2, 'a'), (3, 'a'), (4, 'b'])
            >>> ds.key_by(lambda x: x[1]).reduce(lambda a, b: (a[0] + b[0], b[1]))

        :param func: The ReduceFunction that is called for each element of the DataStream.
        :return: The transformed DataStream.
        """
        if not isinstance(func, ReduceFunction) and not callable(func):
            raise TypeError("The input must be a ReduceFunction or a callable function")
        return self._python_operator("reduce", func, "Reduce", self._original_data_type_info,
                                     keyed=True)

    def filter(self, func: Union[Callable, FilterFunction]) -> 'DataStream':
        """
        Applies a Filter transformation on a KeyedStream; the output keeps the input type.

        :param func: The FilterFunction that is called for each element of the DataStream.
        :return: The filtered DataStream.
        """
        if not isinstance(func, FilterFunction) and not callable(func):
            raise TypeError("The input must be a FilterFunction or a callable function")
        return self._python_operator("filter", func, "Filter", self._original_data_type_info,
                                     keyed=True, declare_out_type=False)

    AccumulateType = AccumulateType

    def _accumulate(self, position: Union[int, str], acc_type: AccumulateType) -> 'DataStream':
        if not isinstance(position, int) and not isinstance(position, str):
            raise TypeError("The field position must be of int or str type to locate the value to "
                            "calculate for min, max, min_by, max_by and sum."
                            "The given type is: %s" % type(position))
        return self.reduce(AccumulateReduceFunction(position, acc_type))

    def sum(self, position_to_sum: Union[int, str] = 0) -> 'DataStream':
        """
        Applies an aggregation that gives a rolling sum of the data stream at the given position
        grouped by the given key. An independent aggregate is kept per key.

        Example(Tuple data to sum):
        ::

            >>> ds = env.from_collection([('a', 1), ('a', 2), ('b', 1), ('b', 5)])
            >>> ds.key_by(lambda x: x[0]).sum(1)

        :param position_to_sum: The field position in the data points to sum, type can be int
                                (field position) or str (field name, for Row data).
        :return: The transformed DataStream.
        """
        return self._accumulate(position_to_sum, AccumulateType.SUM)

    def min(self, position_to_min: Union[int, str] = 0) -> 'DataStream':
        """
        Applies an aggregation that gives the current minimum of the data stream at the given
        position by the given key. The other fields keep the values of the first element.

        :param position_to_min: The field position in the data points to minimize, int (field
                                position) or str (field name, for Row data).
        :return: The transformed DataStream.
        """
        return self._accumulate(position_to_min, AccumulateType.MIN)

    def max(self, position_to_max: Union[int, str] = 0) -> 'DataStream':
        """
        Applies an aggregation that gives the current maximum of the data stream at the given
        position by the given key. The other fields keep the values of the first element.

        :param position_to_max: The field position in the data points to maximize, int (field
                                position) or str (field name, for Row data).
        :return: The transformed DataStream.
        """
        return self._accumulate(position_to_max, AccumulateType.MAX)

    def min_by(self, position_to_min_by: Union[int, str] = 0) -> 'DataStream':
        """
        Applies an aggregation that gives the element with the current minimum at the given
        position by the given key; on ties the first element is kept.

        :param position_to_min_by: The field position in the data points to minimize, int (field
                                   position) or str (field name, for Row data).
        :return: The transformed DataStream.
        """
        return self._accumulate(position_to_min_by, AccumulateType.MIN_BY)

    def max_by(self, position_to_max_by: Union[int, str] = 0) -> 'DataStream':
        """
        Applies an aggregation that gives the element with the current maximum at the given
        position by the given key; on ties the first element is kept.

        :param position_to_max_by: The field position in the data points to maximize, int (field
                                   position) or str (field name, for Row data).
        :return: The transformed DataStream.
        """
        return self._accumulate(position_to_max_by, AccumulateType.MAX_BY)

    def add_sink(self, sink_func: SinkFunction) -> 'DataStreamSink':
        return self._values().add_sink(sink_func)

    def sink_to(self, sink) -> 'DataStreamSink':
        return self._values().sink_to(sink)

    def execute_and_collect(self, job_execution_name: str = None, limit: int = None) \
            -> Union['CloseableIterator', list]:
        return self._values().execute_and_collect(job_execution_name, limit)

    def key_by(self, key_selector: Union[Callable, KeySelector],
               key_type: TypeInformation = None) -> 'KeyedStream':
        """Re-keys the stream this KeyedStream was created from."""
        return self._origin_stream.key_by(key_selector, key_type)

    def process(self, func: KeyedProcessFunction,  # type: ignore
                output_type: TypeInformation = None) -> 'DataStream':
        """
        Applies the given KeyedProcessFunction on the input stream, thereby creating a transformed
        output stream.

        Keyed process functions are not executable yet: a job that contains one fails at
        execute() with NotImplementedError.

        :param func: The KeyedProcessFunction that is called for each element in the stream.
        :param output_type: TypeInformation for the result type of the function.
        :return: The transformed DataStream.
        """
        if not isinstance(func, KeyedProcessFunction):
            raise TypeError("KeyedProcessFunction is required for KeyedStream.")
        stream = self._python_operator("process", func, "KEYED PROCESS",
                                       _output_type(output_type), keyed=True)
        stream._transformation.unsupported = "KeyedStream.process() is not supported by " \
                                             "pyflink_go yet"
        return stream

    def window(self, window_assigner) -> 'WindowedStream':
        """
        Windows this data stream to a WindowedStream (not supported yet).
        """
        raise _not_supported("KeyedStream.window()")

    def count_window(self, size: int, slide: int = 0):
        """
        Windows this KeyedStream into tumbling or sliding count windows (not supported yet).
        """
        raise _not_supported("KeyedStream.count_window()")

    def union(self, *streams) -> 'DataStream':
        return self._values().union(*streams)

    def connect(self, ds):
        raise _not_supported("KeyedStream.connect()")

    def shuffle(self) -> 'DataStream':
        raise Exception('Cannot override partitioning for KeyedStream.')

    def project(self, *field_indexes) -> 'DataStream':
        return self._values().project(*field_indexes)

    def rescale(self) -> 'DataStream':
        raise Exception('Cannot override partitioning for KeyedStream.')

    def rebalance(self) -> 'DataStream':
        raise Exception('Cannot override partitioning for KeyedStream.')

    def forward(self) -> 'DataStream':
        raise Exception('Cannot override partitioning for KeyedStream.')

    def broadcast(self, *args):
        """
        Not supported, partitioning for KeyedStream cannot be overridden.
        """
        raise Exception('Cannot override partitioning for KeyedStream.')

    def partition_custom(self, partitioner, key_selector) -> 'DataStream':
        raise Exception('Cannot override partitioning for KeyedStream.')

    def print(self, sink_identifier=None):
        # As in PyFlink, a KeyedStream prints its values and ignores the sink identifier.
        return self._values().print()

    def _values(self) -> 'DataStream':
        """The keyed values as a plain stream (still partitioned by key)."""
        return DataStream(self._env, None, self._edges, self._original_data_type_info)

    def set_parallelism(self, parallelism: int):
        raise Exception("Set parallelism for KeyedStream is not supported.")

    def name(self, name: str):
        raise Exception("Set name for KeyedStream is not supported.")

    def get_name(self) -> str:
        raise Exception("Get name of KeyedStream is not supported.")

    def uid(self, uid: str):
        raise Exception("Set uid for KeyedStream is not supported.")

    def set_uid_hash(self, uid_hash: str):
        raise Exception("Set uid hash for KeyedStream is not supported.")

    def set_max_parallelism(self, max_parallelism: int):
        raise Exception("Set max parallelism for KeyedStream is not supported.")

    def force_non_parallel(self):
        raise Exception("Set force non-parallel for KeyedStream is not supported.")

    def set_buffer_timeout(self, timeout_millis: int):
        raise Exception("Set buffer timeout for KeyedStream is not supported.")

    def start_new_chain(self) -> 'DataStream':
        raise Exception("Start new chain for KeyedStream is not supported.")

    def disable_chaining(self) -> 'DataStream':
        raise Exception("Disable chaining for KeyedStream is not supported.")

    def slot_sharing_group(self, slot_sharing_group: Union[str, SlotSharingGroup]) -> 'DataStream':
        raise Exception("Setting slot sharing group for KeyedStream is not supported.")

    def set_description(self, description: str) -> 'DataStream':
        raise Exception("Set description for KeyedStream is not supported.")

    def cache(self) -> 'CachedDataStream':
        raise Exception("Cache for KeyedStream is not supported.")


class CloseableIterator(object):
    """
    An iterator over the elements collected from a running job; also a context manager.
    Closing it before the end cancels the job.
    """

    def __init__(self, job, type_info: TypeInformation = None):
        self._job = job
        self._type_info = type_info
        self._closed = False
        # An iterator dropped without close() still stops its job.
        self._finalizer = weakref.finalize(self, CloseableIterator._stop, job)

    @staticmethod
    def _stop(job) -> None:
        try:
            if not job.ended:
                job.cancel_and_wait()
        finally:
            job.release()

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def next(self):
        """The next collected element; raises StopIteration at the end of the job, and
        JobExecutionError if the job failed."""
        job = self._job
        if self._closed:
            raise StopIteration('No more data.')
        try:
            while not job.rows:
                if job.ended:
                    error = job.error()
                    self.close()
                    if error is not None and job.state == 'FAILED':
                        raise error
                    raise StopIteration('No more data.')
                job.poll()
        except KeyboardInterrupt:
            self.close()
            raise
        return job.rows.popleft()

    def close(self):
        """Stop collecting: cancels the job if it is still running, then frees it."""
        if self._closed:
            return
        self._closed = True
        self._finalizer.detach()
        try:
            CloseableIterator._stop(self._job)
        finally:
            self._job.rows.clear()


class _Unsupported(object):
    """Base of stream kinds that exist in PyFlink's API but cannot be built yet."""

    def __init__(self, *args, **kwargs):
        raise _not_supported(type(self).__name__)


class ConnectedStreams(_Unsupported):
    """
    ConnectedStreams represent two connected streams of (possibly) different data types (not
    supported yet).
    """


class WindowedStream(_Unsupported):
    """
    A WindowedStream represents a data stream where elements are grouped by key, and for each
    key, the stream of elements is split into windows (not supported yet).
    """


class AllWindowedStream(_Unsupported):
    """
    A AllWindowedStream represents a data stream where the stream of elements is split into
    windows (not supported yet).
    """


class BroadcastStream(_Unsupported):
    """
    A stream with broadcast state (not supported yet).
    """


class BroadcastConnectedStream(_Unsupported):
    """
    A stream connected with a BroadcastStream (not supported yet).
    """


class CachedDataStream(_Unsupported):
    """
    A cached intermediate result (not supported yet).
    """
