"""DataStream, KeyedStream, DataStreamSink and CloseableIterator, as in
``pyflink.datastream.data_stream``.

A stream is a view on the transformation that produces it (or, after ``union`` or a
partitioning call, on several upstream edges). Applying an operation records a new
transformation in the environment; nothing runs until ``execute()``.
"""

import weakref
from typing import Any, Callable, List, Optional, Tuple, Union

from pyflink_go.common.execution_config import ExecutionConfig
from pyflink_go.common.typeinfo import PickledBytesTypeInfo, RowTypeInfo, TupleTypeInfo, \
    TypeInformation, Types
from pyflink_go.datastream._accumulate import AccumulateReduceFunction, AccumulateType
from pyflink_go.datastream._reduce_shape import native_reduce_spec
from pyflink_go.datastream._transformation import Transformation, validate_max_parallelism, \
    validate_parallelism
from pyflink_go.datastream.functions import AggregateFunction, AllWindowFunction, \
    BroadcastProcessFunction, CoFlatMapFunction, CoMapFunction, CoProcessFunction, \
    FilterFunction, FlatMapFunction, KeyedBroadcastProcessFunction, KeyedCoProcessFunction, \
    KeyedProcessFunction, KeySelector, MapFunction, ProcessAllWindowFunction, ProcessFunction, \
    ProcessWindowFunction, ReduceFunction, ReduceFunctionWrapper, SinkFunction, WindowFunction
from pyflink_go.datastream.output_tag import OutputTag
from pyflink_go.datastream.slot_sharing_group import SlotSharingGroup
from pyflink_go.datastream.state import MapStateDescriptor
from pyflink_go.datastream.window import CountSlidingWindowAssigner, \
    CountTumblingWindowAssigner, MergingWindowAssigner, Trigger, WindowAssigner, \
    assigner_plan_data, is_built_in_assigner, is_built_in_trigger, trigger_plan_data

__all__ = ['CloseableIterator', 'DataStream', 'KeyedStream', 'ConnectedStreams', 'WindowedStream',
           'DataStreamSink', 'BroadcastStream', 'BroadcastConnectedStream', 'AllWindowedStream',
           'CachedDataStream']

Edge = Tuple[Transformation, str]

_PRINT_SINK_FUNCTION = "org.apache.flink.streaming.api.functions.sink.PrintSinkFunction"
_NATIVE_NUMERIC = frozenset(("BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE"))


def _native_field(type_info, position):
    """The field index a typed keyed aggregation can run natively on (-1 for a numeric
    scalar stream), or None when the values are untyped or the field is not numeric."""
    to_plan = getattr(type_info, "to_plan_type", None)
    if to_plan is None:
        return None
    t = to_plan()
    kind = t.get("t")
    if kind in _NATIVE_NUMERIC:
        return -1 if position == 0 else None
    if kind not in ("TUPLE", "ROW"):
        return None
    fields = t.get("fields") or []
    if isinstance(position, str):
        names = t.get("names") or []
        if kind != "ROW" or position not in names:
            return None
        position = names.index(position)
    if not isinstance(position, int) or not 0 <= position < len(fields):
        return None
    return position if fields[position].get("t") in _NATIVE_NUMERIC else None


def _same_plan_type(a, b) -> bool:
    """Whether two type infos are the same declared type in the plan."""
    to_a, to_b = getattr(a, "to_plan_type", None), getattr(b, "to_plan_type", None)
    return to_a is not None and to_b is not None and to_a() == to_b()


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


def _identity(value):
    """The function of the map that reads a side output (as PyFlink's get_side_output)."""
    return value


def _add_watermarks(env, edges: Tuple[Edge, ...], type_info: TypeInformation, watermark_strategy,
                    follow: Optional[Transformation] = None) -> Transformation:
    """
    The nodes of a watermark strategy after ``edges``: a ``timestamp_assigner`` Python operator
    when the strategy has a TimestampAssigner, then a ``watermarks`` node. Without ``follow``
    they are recorded as operators (assign_timestamps_and_watermarks); with it they run at the
    parallelism of that node (the source of from_source) and are reached through it.

    :return: the watermarks node.
    """
    from pyflink_go.common.watermark_strategy import TimestampAssigner
    assigner = watermark_strategy._timestamp_assigner
    if assigner is not None:
        if not isinstance(assigner, TimestampAssigner) and not callable(assigner):
            raise TypeError("The timestamp assigner must be a TimestampAssigner or a callable "
                            "function, got %s" % type(assigner).__name__)
        stamp = Transformation(env, "python", "Extract-Timestamp", type_info, inputs=edges,
                               params={"func": "timestamp_assigner"}, fn=assigner)
        stamp.follow = follow
        if follow is None:
            env._add_operator(stamp)
        edges = ((stamp, 'auto'),)
    upstream = edges[0][0]
    watermarks = Transformation(env, "watermarks", "Timestamps/Watermarks", type_info,
                                inputs=edges,
                                params={"strategy": watermark_strategy._watermarks_params()},
                                parallelism=upstream.parallelism)
    watermarks.param_factories["interval_ms"] = \
        lambda: env.get_config().get_auto_watermark_interval()
    watermarks.follow = follow
    if follow is None:
        env._add_operator(watermarks)
    return watermarks


def _milliseconds_arg(value, what: str) -> int:
    """An argument in milliseconds: an int, or a Time or Duration."""
    if isinstance(value, bool):
        raise TypeError("%s must be an int (milliseconds), Time or Duration, got bool" % what)
    if isinstance(value, int):
        return value
    to_milliseconds = getattr(value, "to_milliseconds", None)
    if to_milliseconds is None or isinstance(value, type):
        raise TypeError("%s must be an int (milliseconds), Time or Duration, got %s"
                        % (what, type(value).__name__))
    return int(to_milliseconds())


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
        if self._transformation is not None and len(t.inputs) == 1:
            # The key extraction runs at its input's parallelism, chained to it, as Flink
            # aligns its key-by map operator: each key's records keep their order.
            t.follow = self._transformation
        self._env._add_operator(t)
        return KeyedStream(self._env, t, self._type, self)

    def process(self, func: ProcessFunction, output_type: TypeInformation = None) -> 'DataStream':
        """
        Applies the given ProcessFunction on the input stream, thereby creating a transformed output
        stream.

        The function will be called for every element in the input streams and can produce zero or
        more output elements (``yield`` them or return an iterable; ``yield tag, value`` emits to
        the side output of an OutputTag).

        :param func: The ProcessFunction that is called for each element in the stream.
        :param output_type: TypeInformation for the result type of the function.
        :return: The transformed DataStream.
        """
        if not isinstance(func, ProcessFunction):
            raise TypeError("The input must be a ProcessFunction")
        return self._python_operator("process", func, "PROCESS", _output_type(output_type))

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

        If :class:`~state.MapStateDescriptor` s are passed in, it returns a
        :class:`BroadcastStream` with :class:`~state.BroadcastState` s implicitly created as the
        descriptors specified.

        Example:
        ::

            >>> map_state_desc1 = MapStateDescriptor("state1", Types.INT(), Types.INT())
            >>> map_state_desc2 = MapStateDescriptor("state2", Types.INT(), Types.STRING())
            >>> broadcast_stream = ds1.broadcast(map_state_desc1, map_state_desc2)
            >>> broadcast_connected_stream = ds2.connect(broadcast_stream)

        :param broadcast_state_descriptor: the first MapStateDescriptor describing BroadcastState.
        :param other_broadcast_state_descriptors: the rest of MapStateDescriptors describing
            BroadcastStates, if any.
        :return: The DataStream with broadcast partitioning set or a BroadcastStream which can be
            used in :meth:`connect` to create a BroadcastConnectedStream for further processing of
            the elements.
        """
        if broadcast_state_descriptor is not None:
            descriptors = [broadcast_state_descriptor, *other_broadcast_state_descriptors]
            for descriptor in descriptors:
                if not isinstance(descriptor, MapStateDescriptor):
                    raise TypeError("broadcast_state_descriptor must be MapStateDescriptor")
            return BroadcastStream(self._partitioned('broadcast'), descriptors)
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

        The TimestampAssigner runs as a Python operator chained to its neighbours; watermarks are
        generated by the engine, every ``get_config().get_auto_watermark_interval()`` ms (200 by
        default), and a final watermark at the end of a bounded input fires every pending
        event-time window and timer.

        :param watermark_strategy: The strategy to generate watermarks based on event timestamps.
        :return: The stream after the transformation, with assigned timestamps and watermarks.
        """
        from pyflink_go.common.watermark_strategy import WatermarkStrategy
        if not isinstance(watermark_strategy, WatermarkStrategy):
            raise TypeError("watermark_strategy must be a WatermarkStrategy, got %s"
                            % type(watermark_strategy).__name__)
        watermarks = _add_watermarks(self._env, self._edges, self._type, watermark_strategy)
        return DataStream(self._env, watermarks)

    def window_all(self, window_assigner: WindowAssigner) -> 'AllWindowedStream':
        """
        Windows this data stream to a AllWindowedStream, which evaluates windows over a non key
        grouped stream. Elements are put into windows by a WindowAssigner. The grouping of
        elements is done by window.

        A Trigger can be defined to specify when windows are evaluated. However, WindowAssigners
        have a default Trigger that is used if a Trigger is not specified.

        The window operator of a non-keyed stream runs with parallelism 1.

        :param window_assigner: The WindowAssigner that assigns elements to windows.
        :return: The trigger windows data stream.
        """
        return AllWindowedStream(self, window_assigner)

    def connect(self, ds: Union['DataStream', 'BroadcastStream']) \
            -> Union['ConnectedStreams', 'BroadcastConnectedStream']:
        """
        If ds is a :class:`DataStream`, creates a new :class:`ConnectedStreams` by connecting
        DataStream outputs of (possible) different types with each other. The DataStreams connected
        using this operator can be used with CoFunctions to apply joint transformations.

        If ds is a :class:`BroadcastStream`, creates a new :class:`BroadcastConnectedStream` by
        connecting the current :class:`DataStream` with a :class:`BroadcastStream`. The latter can
        be created using the :meth:`broadcast` method. The resulting stream can be further processed
        using the :meth:`BroadcastConnectedStream.process` method.

        :param ds: The DataStream or BroadcastStream with which this stream will be connected.
        :return: The ConnectedStreams or BroadcastConnectedStream.
        """
        if isinstance(ds, BroadcastStream):
            return BroadcastConnectedStream(self, ds, ds.broadcast_state_descriptors)
        if not isinstance(ds, DataStream):
            raise TypeError("connect() takes a DataStream or a BroadcastStream, got %s"
                            % type(ds).__name__)
        return ConnectedStreams(self, ds)

    def partition_custom(self, partitioner, key_selector) -> 'DataStream':
        """
        Partitions a DataStream on the key returned by the selector, using a custom partitioner
        (not supported yet).
        """
        raise _not_supported("DataStream.partition_custom()")

    def get_side_output(self, output_tag: OutputTag) -> 'DataStream':
        """
        Gets the :class:`DataStream` that contains the elements that are emitted from an operation
        into the side output with the given :class:`OutputTag`.

        As in PyFlink, the side output is read by a Map operator that converts the elements to the
        tag's type.

        :param output_tag: output tag for the side stream
        :return: The DataStream with specified output tag
        """
        if not isinstance(output_tag, OutputTag):
            raise TypeError("output_tag must be an OutputTag, got %s" % type(output_tag).__name__)
        operator = self._operator('get_side_output')
        return self._python_operator("map", _identity, "Map", output_tag.type_info,
                                     edges=((operator, 'auto', output_tag.tag_id),))

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

        NOTE: as in Flink, printing is not fault tolerant: it is at-least-once. A printed line
        cannot be taken back, so when a job with checkpointing enabled fails and restores from a
        checkpoint, the records processed after that checkpoint are printed again. Write to a
        :class:`~pyflink_go.datastream.connectors.file_system.FileSink` for exactly-once output.

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

        NOTE: the elements are at-least-once. They are handed to the iterator as they arrive and
        cannot be taken back, so when a job with checkpointing enabled fails and restores from a
        checkpoint, the elements produced after that checkpoint are returned again. (Flink holds
        collected elements back until their checkpoint completes, which makes its collect
        exactly-once; pyflink_go does not.)

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
        ds = self.reduce(AccumulateReduceFunction(position, acc_type))
        native = _native_field(self._original_data_type_info, position)
        if native is not None:
            # A numeric field of a typed stream: the engine aggregates it in Go,
            # with the same results, and never calls the Python function.
            ds._transformation.params["native"] = {"kind": acc_type.name, "pos": native}
        return ds

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

        The function will be called for every element in the input streams and can produce zero or
        more output elements; it may use keyed state and register timers, which call its
        ``on_timer``.

        :param func: The KeyedProcessFunction that is called for each element in the stream.
        :param output_type: TypeInformation for the result type of the function.
        :return: The transformed DataStream.
        """
        if not isinstance(func, KeyedProcessFunction):
            raise TypeError("KeyedProcessFunction is required for KeyedStream.")
        return self._python_operator("keyed_process", func, "KEYED PROCESS",
                                     _output_type(output_type), keyed=True)

    def window(self, window_assigner: WindowAssigner) -> 'WindowedStream':
        """
        Windows this data stream to a WindowedStream, which evaluates windows over a key
        grouped stream. Elements are put into windows by a WindowAssigner. The grouping of
        elements is done both by key and by window.

        A Trigger can be defined to specify when windows are evaluated. However, WindowAssigners
        have a default Trigger that is used if a Trigger is not specified.

        :param window_assigner: The WindowAssigner that assigns elements to windows.
        :return: The trigger windows data stream.
        """
        return WindowedStream(self, window_assigner)

    def count_window(self, size: int, slide: int = 0) -> 'WindowedStream':
        """
        Windows this KeyedStream into tumbling or sliding count windows.

        :param size: The size of the windows in number of elements.
        :param slide: The slide interval in number of elements.
        """
        if slide == 0:
            return WindowedStream(self, CountTumblingWindowAssigner(size))
        return WindowedStream(self, CountSlidingWindowAssigner(size, slide))

    def union(self, *streams) -> 'DataStream':
        return self._values().union(*streams)

    def connect(self, ds: Union['DataStream', 'BroadcastStream']) \
            -> Union['ConnectedStreams', 'BroadcastConnectedStream']:
        """
        Connects this keyed stream with a DataStream (for CoFunctions; keyed co-functions when
        both are keyed) or with a BroadcastStream (for a KeyedBroadcastProcessFunction).

        :param ds: The DataStream or BroadcastStream with which this stream will be connected.
        :return: The ConnectedStreams or BroadcastConnectedStream.
        """
        return DataStream.connect(self, ds)

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


# ---- windows ----

class _WindowedStreamBase(object):
    """What WindowedStream and AllWindowedStream share: the window settings and the window node
    every function call records."""

    _stream_kind = "Window"
    _all = False

    def __init__(self, env, edges: Tuple[Edge, ...], input_type: TypeInformation,
                 window_assigner: WindowAssigner):
        if not isinstance(window_assigner, WindowAssigner):
            raise TypeError("window_assigner must be a WindowAssigner, got %s"
                            % type(window_assigner).__name__)
        self._env = env
        self._edges = edges
        self._input_type = input_type
        self._window_assigner = window_assigner
        self._allowed_lateness = 0
        self._late_data_output_tag = None  # type: Optional[OutputTag]
        self._window_trigger = None  # type: Optional[Trigger]

    def get_execution_environment(self):
        return self._env

    def get_input_type(self) -> TypeInformation:
        return self._input_type

    def trigger(self, trigger: Trigger):
        """
        Sets the Trigger that should be used to trigger window emission.
        """
        if not isinstance(trigger, Trigger):
            raise TypeError("trigger must be a Trigger, got %s" % type(trigger).__name__)
        if isinstance(self._window_assigner, MergingWindowAssigner) \
                and trigger.can_merge() is not True:
            raise TypeError("A merging window assigner cannot be used with a trigger that does "
                            "not support merging.")
        self._window_trigger = trigger
        return self

    def allowed_lateness(self, time_ms: int):
        """
        Sets the time by which elements are allowed to be late. Elements that arrive behind the
        watermark by more than the specified time will be dropped. By default, the allowed lateness
        is 0.

        Setting an allowed lateness is only valid for event-time windows.

        :param time_ms: The allowed lateness in milliseconds (a Time or Duration is accepted
                        too).
        """
        lateness = _milliseconds_arg(time_ms, "time_ms")
        if lateness < 0:
            raise ValueError("The allowed lateness cannot be negative.")
        self._allowed_lateness = lateness
        return self

    def side_output_late_data(self, output_tag: OutputTag):
        """
        Send late arriving data to the side output identified by the given :class:`OutputTag`. Data
        is considered late after the watermark has passed the end of the window plus the allowed
        lateness set using :func:`allowed_lateness`.

        You can get the stream of late data using :func:`~DataStream.get_side_output` on the
        :class:`DataStream` resulting from the windowed operation with the same :class:`OutputTag`.
        """
        if not isinstance(output_tag, OutputTag):
            raise TypeError("output_tag must be an OutputTag, got %s" % type(output_tag).__name__)
        self._late_data_output_tag = output_tag
        return self

    # ---- the window node ----

    def _window_function_types(self):
        raise NotImplementedError

    def _check_window_function(self, window_function) -> None:
        if window_function is not None and \
                not isinstance(window_function, self._window_function_types()):
            names = " or ".join(t.__name__ for t in self._window_function_types())
            raise TypeError("window_function should be a %s" % names)

    def _window(self, kind: str, fn, window_function, out_type: TypeInformation,
                func_desc: str, accumulator_type: Optional[TypeInformation] = None,
                native_reduce=None) -> DataStream:
        assigner = self._window_assigner
        trigger = self._window_trigger
        shown_trigger = trigger if trigger is not None else \
            assigner.get_default_trigger(self._env)
        # A trigger the engine does not run natively (a user's Trigger subclass, also
        # inside a PurgingTrigger) runs in the worker beside the window function: the
        # plan names no trigger and the function carries it.
        python_trigger = trigger is not None and not is_built_in_trigger(trigger)
        params = {
            "assigner": assigner_plan_data(assigner),
            "trigger": trigger_plan_data(trigger)
            if trigger is not None and not python_trigger else None,
            "allowed_lateness": self._allowed_lateness,
            "late_tag": self._late_data_output_tag.tag_id
            if self._late_data_output_tag is not None else None,
            "all": self._all,
        }
        if native_reduce is not None and not python_trigger:
            # A reduce of per-field expressions: the engine reduces natively and
            # never calls the function (see _reduce_shape).
            params["native_reduce"] = native_reduce
        function = {"kind": kind, "fn": fn, "window_fn": window_function, "all": self._all}
        if python_trigger:
            function["trigger"] = trigger
        t = Transformation(self._env, "window", type(assigner).__name__, out_type,
                           inputs=self._edges, params=params, fn=function,
                           parallelism=1 if self._all else None)
        if self._all:
            t.max_parallelism = 1
            t.can_be_parallel = False
        if not isinstance(out_type, PickledBytesTypeInfo):
            t.type_params["out_type"] = out_type
        if accumulator_type is not None:
            t.type_params["accumulator_type"] = accumulator_type
        t.description = "%s(%s, %s, %s)" % (self._stream_kind, assigner,
                                            type(shown_trigger).__name__, func_desc)
        if not is_built_in_assigner(assigner):
            t.unsupported = "custom Python window assigners (%s) are not supported by " \
                            "pyflink_go yet; use one of the assigners of " \
                            "pyflink.datastream.window" % type(assigner).__name__
        self._env._add_operator(t)
        return DataStream(self._env, t)

    def _reduce(self, reduce_function, window_function, output_type) -> DataStream:
        if not isinstance(reduce_function, ReduceFunction):
            if not callable(reduce_function):
                raise TypeError("The input must be a ReduceFunction or a callable function!")
            reduce_function = ReduceFunctionWrapper(reduce_function)
            func_desc = type(reduce_function._func).__name__
        else:
            func_desc = type(reduce_function).__name__
        self._check_window_function(window_function)
        native = None
        if window_function is None:
            out_type = self._input_type if output_type is None else _output_type(output_type)
            if _same_plan_type(out_type, self._input_type):
                native = native_reduce_spec(reduce_function, self._input_type)
        else:
            # With a window function the reduce stays in Python, beside it.
            out_type = _output_type(output_type)
            func_desc = "%s, %s" % (func_desc, type(window_function).__name__)
        return self._window("reduce", reduce_function, window_function, out_type, func_desc,
                            native_reduce=native)

    def _aggregate(self, aggregate_function, window_function, accumulator_type,
                   output_type) -> DataStream:
        if not isinstance(aggregate_function, AggregateFunction):
            raise TypeError("The input must be a pyflink.datastream.functions.AggregateFunction!")
        self._check_window_function(window_function)
        if accumulator_type is None:
            accumulator_type = Types.PICKLED_BYTE_ARRAY()
        elif isinstance(accumulator_type, list):
            accumulator_type = RowTypeInfo(accumulator_type)
        elif not isinstance(accumulator_type, TypeInformation):
            raise TypeError("accumulator_type must be None, list or TypeInformation, got %s"
                            % type(accumulator_type).__name__)
        func_desc = type(aggregate_function).__name__
        if window_function is not None:
            func_desc = "%s, %s" % (func_desc, type(window_function).__name__)
        return self._window("aggregate", aggregate_function, window_function,
                            _output_type(output_type), func_desc, accumulator_type)


class WindowedStream(_WindowedStreamBase):
    """
    A WindowedStream represents a data stream where elements are grouped by key, and for each
    key, the stream of elements is split into windows based on a WindowAssigner. Window emission
    is triggered based on a Trigger.

    The windows are conceptually evaluated for each key individually, meaning windows can trigger
    at different points for each key.

    Note that the WindowedStream is purely an API construct, during runtime the WindowedStream will
    be collapsed together with the KeyedStream and the operation over the window into one single
    operation.
    """

    def __init__(self, keyed_stream: 'KeyedStream', window_assigner: WindowAssigner):
        super(WindowedStream, self).__init__(keyed_stream._env, keyed_stream._edges,
                                             keyed_stream._original_data_type_info,
                                             window_assigner)
        self._keyed_stream = keyed_stream

    def _window_function_types(self):
        return WindowFunction, ProcessWindowFunction

    def trigger(self, trigger: Trigger) -> 'WindowedStream':
        """
        Sets the Trigger that should be used to trigger window emission.
        """
        return super(WindowedStream, self).trigger(trigger)

    def allowed_lateness(self, time_ms: int) -> 'WindowedStream':
        """
        Sets the time by which elements are allowed to be late. Elements that arrive behind the
        watermark by more than the specified time will be dropped. By default, the allowed lateness
        is 0.

        Setting an allowed lateness is only valid for event-time windows.
        """
        return super(WindowedStream, self).allowed_lateness(time_ms)

    def side_output_late_data(self, output_tag: OutputTag) -> 'WindowedStream':
        """
        Send late arriving data to the side output identified by the given :class:`OutputTag`. Data
        is considered late after the watermark has passed the end of the window plus the allowed
        lateness set using :func:`allowed_lateness`.

        Example:
        ::

            >>> tag = OutputTag("late-data", Types.TUPLE([Types.INT(), Types.STRING()]))
            >>> main_stream = ds.key_by(lambda x: x[1]) \\
            ...                 .window(TumblingEventTimeWindows.of(Time.seconds(5))) \\
            ...                 .side_output_late_data(tag) \\
            ...                 .reduce(lambda a, b: a[0] + b[0], b[1])
            >>> late_stream = main_stream.get_side_output(tag)
        """
        return super(WindowedStream, self).side_output_late_data(output_tag)

    def reduce(self,
               reduce_function: Union[Callable, ReduceFunction],
               window_function: Union[WindowFunction, ProcessWindowFunction] = None,
               output_type: TypeInformation = None) -> DataStream:
        """
        Applies a reduce function to the window. The window function is called for each evaluation
        of the window for each key individually. The output of the reduce function is interpreted as
        a regular non-windowed stream.

        Arriving data is incrementally aggregated: only the reduced value is kept per window.

        Example:
        ::

            >>> ds.key_by(lambda x: x[1]) \\
            ...     .window(TumblingEventTimeWindows.of(Time.seconds(5))) \\
            ...     .reduce(lambda a, b: a[0] + b[0], b[1])

        :param reduce_function: The reduce function.
        :param window_function: The window function.
        :param output_type: Type information for the result type of the window function.
        :return: The data stream that is the result of applying the reduce function to the window.
        """
        return self._reduce(reduce_function, window_function, output_type)

    def aggregate(self,
                  aggregate_function: AggregateFunction,
                  window_function: Union[WindowFunction, ProcessWindowFunction] = None,
                  accumulator_type: TypeInformation = None,
                  output_type: TypeInformation = None) -> DataStream:
        """
        Applies the given window function to each window. The window function is called for each
        evaluation of the window for each key individually. The output of the window function is
        interpreted as a regular non-windowed stream.

        Arriving data is incrementally aggregated using the given aggregate function. This means
        that the window function typically has only a single value to process when called.

        Example:
        ::

            >>> class AverageAggregate(AggregateFunction):
            ...     def create_accumulator(self) -> Tuple[int, int]:
            ...         return 0, 0
            ...
            ...     def add(self, value: Tuple[str, int], accumulator: Tuple[int, int]) \\
            ...             -> Tuple[int, int]:
            ...         return accumulator[0] + value[1], accumulator[1] + 1
            ...
            ...     def get_result(self, accumulator: Tuple[int, int]) -> float:
            ...         return accumulator[0] / accumulator[1]
            ...
            ...     def merge(self, a: Tuple[int, int], b: Tuple[int, int]) -> Tuple[int, int]:
            ...         return a[0] + b[0], a[1] + b[1]
            >>> ds.key_by(lambda x: x[1]) \\
            ...     .window(TumblingEventTimeWindows.of(Time.seconds(5))) \\
            ...     .aggregate(AverageAggregate(),
            ...                accumulator_type=Types.TUPLE([Types.LONG(), Types.LONG()]),
            ...                output_type=Types.DOUBLE())

        :param aggregate_function: The aggregation function that is used for incremental
                                   aggregation.
        :param window_function: The window function.
        :param accumulator_type: Type information for the internal accumulator type of the
                                 aggregation function.
        :param output_type: Type information for the result type of the window function.
        :return: The data stream that is the result of applying the window function to the window.
        """
        return self._aggregate(aggregate_function, window_function, accumulator_type,
                               output_type)

    def apply(self, window_function: WindowFunction,
              output_type: TypeInformation = None) -> DataStream:
        """
        Applies the given window function to each window. The window function is called for each
        evaluation of the window for each key individually. The output of the window function is
        interpreted as a regular non-windowed stream.

        Note that this function requires that all data in the windows is buffered until the window
        is evaluated, as the function provides no means of incremental aggregation.

        :param window_function: The window function.
        :param output_type: Type information for the result type of the window function.
        :return: The data stream that is the result of applying the window function to the window.
        """
        if not isinstance(window_function, WindowFunction):
            raise TypeError("window_function should be a WindowFunction")
        return self._window("apply", window_function, None, _output_type(output_type),
                            type(window_function).__name__)

    def process(self, process_window_function: ProcessWindowFunction,
                output_type: TypeInformation = None) -> DataStream:
        """
        Applies the given window function to each window. The window function is called for each
        evaluation of the window for each key individually. The output of the window function is
        interpreted as a regular non-windowed stream.

        Note that this function requires that all data in the windows is buffered until the window
        is evaluated, as the function provides no means of incremental aggregation.

        :param process_window_function: The window function.
        :param output_type: Type information for the result type of the window function.
        :return: The data stream that is the result of applying the window function to the window.
        """
        if not isinstance(process_window_function, ProcessWindowFunction):
            raise TypeError("process_window_function should be a ProcessWindowFunction")
        return self._window("process", process_window_function, None, _output_type(output_type),
                            type(process_window_function).__name__)


class AllWindowedStream(_WindowedStreamBase):
    """
    A AllWindowedStream represents a data stream where the stream of elements is split into windows
    based on a WindowAssigner. Window emission is triggered based on a Trigger.

    The window operator runs with parallelism 1: every element goes to it.

    Note that the AllWindowedStream is purely an API construct, during runtime the AllWindowedStream
    will be collapsed together with the operation over the window into one single operation.
    """

    _stream_kind = "AllWindow"
    _all = True

    def __init__(self, data_stream: DataStream, window_assigner: WindowAssigner):
        if isinstance(data_stream, KeyedStream):
            data_stream = data_stream._values()
        super(AllWindowedStream, self).__init__(
            data_stream._env, tuple((edge[0], 'global') + tuple(edge[2:])
                                    for edge in data_stream._edges),
            data_stream.get_type(), window_assigner)

    def _window_function_types(self):
        return AllWindowFunction, ProcessAllWindowFunction

    def trigger(self, trigger: Trigger) -> 'AllWindowedStream':
        """
        Sets the Trigger that should be used to trigger window emission.
        """
        return super(AllWindowedStream, self).trigger(trigger)

    def allowed_lateness(self, time_ms: int) -> 'AllWindowedStream':
        """
        Sets the time by which elements are allowed to be late. Elements that arrive behind the
        watermark by more than the specified time will be dropped. By default, the allowed lateness
        is 0.

        Setting an allowed lateness is only valid for event-time windows.
        """
        return super(AllWindowedStream, self).allowed_lateness(time_ms)

    def side_output_late_data(self, output_tag: OutputTag) -> 'AllWindowedStream':
        """
        Send late arriving data to the side output identified by the given :class:`OutputTag`. Data
        is considered late after the watermark has passed the end of the window plus the allowed
        lateness set using :func:`allowed_lateness`.

        Example:
        ::

            >>> tag = OutputTag("late-data", Types.TUPLE([Types.INT(), Types.STRING()]))
            >>> main_stream = ds.window_all(TumblingEventTimeWindows.of(Time.seconds(5))) \\
            ...                 .side_output_late_data(tag) \\
            ...                 .process(MyProcessAllWindowFunction(),
            ...                          Types.TUPLE([Types.LONG(), Types.LONG(), Types.INT()]))
            >>> late_stream = main_stream.get_side_output(tag)
        """
        return super(AllWindowedStream, self).side_output_late_data(output_tag)

    def reduce(self,
               reduce_function: Union[Callable, ReduceFunction],
               window_function: Union[AllWindowFunction, ProcessAllWindowFunction] = None,
               output_type: TypeInformation = None) -> DataStream:
        """
        Applies the given window function to each window. The window function is called for each
        evaluation of the window. The output of the window function is interpreted as a regular
        non-windowed stream.

        Arriving data is incrementally aggregated using the given reducer.

        Example:
        ::

            >>> ds.window_all(TumblingEventTimeWindows.of(Time.seconds(5))) \\
            ...   .reduce(lambda a, b: a[0] + b[0], b[1])

        :param reduce_function: The reduce function.
        :param window_function: The window function.
        :param output_type: Type information for the result type of the window function.
        :return: The data stream that is the result of applying the reduce function to the window.
        """
        return self._reduce(reduce_function, window_function, output_type)

    def aggregate(self,
                  aggregate_function: AggregateFunction,
                  window_function: Union[AllWindowFunction, ProcessAllWindowFunction] = None,
                  accumulator_type: TypeInformation = None,
                  output_type: TypeInformation = None) -> DataStream:
        """
        Applies the given window function to each window. The window function is called for each
        evaluation of the window. The output of the window function is interpreted as a regular
        non-windowed stream.

        Arriving data is incrementally aggregated using the given aggregate function. This means
        that the window function typically has only a single value to process when called.

        :param aggregate_function: The aggregation function that is used for incremental
                                   aggregation.
        :param window_function: The window function.
        :param accumulator_type: Type information for the internal accumulator type of the
                                 aggregation function.
        :param output_type: Type information for the result type of the window function.
        :return: The data stream that is the result of applying the window function to the window.
        """
        return self._aggregate(aggregate_function, window_function, accumulator_type,
                               output_type)

    def apply(self, window_function: AllWindowFunction,
              output_type: TypeInformation = None) -> DataStream:
        """
        Applies the given window function to each window. The window function is called for each
        evaluation of the window. The output of the window function is interpreted as a regular
        non-windowed stream.

        Note that this function requires that all data in the windows is buffered until the window
        is evaluated, as the function provides no means of incremental aggregation.

        :param window_function: The window function.
        :param output_type: Type information for the result type of the window function.
        :return: The data stream that is the result of applying the window function to the window.
        """
        if not isinstance(window_function, AllWindowFunction):
            raise TypeError("window_function should be a AllWindowFunction")
        return self._window("apply", window_function, None, _output_type(output_type),
                            type(window_function).__name__)

    def process(self, process_window_function: ProcessAllWindowFunction,
                output_type: TypeInformation = None) -> DataStream:
        """
        Applies the given window function to each window. The window function is called for each
        evaluation of the window. The output of the window function is interpreted as a regular
        non-windowed stream.

        Note that this function requires that all data in the windows is buffered until the window
        is evaluated, as the function provides no means of incremental aggregation.

        :param process_window_function: The window function.
        :param output_type: Type information for the result type of the window function.
        :return: The data stream that is the result of applying the window function to the window.
        """
        if not isinstance(process_window_function, ProcessAllWindowFunction):
            raise TypeError("process_window_function should be a ProcessAllWindowFunction")
        return self._window("process", process_window_function, None, _output_type(output_type),
                            type(process_window_function).__name__)


# ---- two inputs ----

def _single_edge(stream: DataStream) -> Edge:
    """The one edge a two-input operator reads ``stream`` through: a union node stands for a
    stream that merges several edges, so that the operator's inputs are exactly [first, second].
    """
    if len(stream._edges) == 1:
        return stream._edges[0]
    union = Transformation(stream._env, "union", "Union", stream.get_type(),
                           inputs=stream._edges)
    return union, 'auto'


def _two_input_operator(env, func: str, fn, name: str, first: DataStream, second: DataStream,
                        output_type, keyed: bool, params: dict = None) -> DataStream:
    if first._env is not second._env:
        raise ValueError("Cannot connect streams of different execution environments")
    out_type = _output_type(output_type)
    node_params = {"func": func}
    if keyed:
        node_params["keyed"] = True
    node_params.update(params or {})
    t = Transformation(env, "python", name, out_type,
                       inputs=(_single_edge(first), _single_edge(second)), params=node_params,
                       fn=fn)
    if not isinstance(out_type, PickledBytesTypeInfo):
        t.type_params["out_type"] = out_type
    env._add_operator(t)
    return DataStream(env, t)


class ConnectedStreams(object):
    """
    ConnectedStreams represent two connected streams of (possibly) different data types.
    Connected streams are useful for cases where operations on one stream directly
    affect the operations on the other stream, usually via shared state between the streams.

    An example for the use of connected streams would be to apply rules that change over time
    onto another stream. One of the connected streams has the rules, the other stream the
    elements to apply the rules to. The operation on the connected stream maintains the
    current set of rules in the state. It may receive either a rule update and update the state
    or a data element and apply the rules in the state to the element.

    The connected stream can be conceptually viewed as a union stream of an Either type, that
    holds either the first stream's type or the second stream's type.
    """

    def __init__(self, stream1: DataStream, stream2: DataStream):
        self.stream1 = stream1
        self.stream2 = stream2

    def key_by(self, key_selector1: Union[Callable, KeySelector],
               key_selector2: Union[Callable, KeySelector],
               key_type: TypeInformation = None) -> 'ConnectedStreams':
        """
        KeyBy operation for connected data stream. Assigns keys to the elements of
        input1 and input2 using keySelector1 and keySelector2 with explicit type information
        for the common key type.

        :param key_selector1: The `KeySelector` used for grouping the first input.
        :param key_selector2: The `KeySelector` used for grouping the second input.
        :param key_type: The type information of the common key type
        :return: The partitioned `ConnectedStreams`
        """
        ds1 = self.stream1._origin_stream if isinstance(self.stream1, KeyedStream) \
            else self.stream1
        ds2 = self.stream2._origin_stream if isinstance(self.stream2, KeyedStream) \
            else self.stream2
        return ConnectedStreams(ds1.key_by(key_selector1, key_type),
                                ds2.key_by(key_selector2, key_type))

    def map(self, func: CoMapFunction, output_type: TypeInformation = None) -> 'DataStream':
        """
        Applies a CoMap transformation on a `ConnectedStreams` and maps the output to a common
        type. The transformation calls a `CoMapFunction.map1` for each element of the first
        input and `CoMapFunction.map2` for each element of the second input. Each CoMapFunction
        call returns exactly one element.

        :param func: The CoMapFunction used to jointly transform the two input DataStreams
        :param output_type: `TypeInformation` for the result type of the function.
        :return: The transformed `DataStream`
        """
        if not isinstance(func, CoMapFunction):
            raise TypeError("The input function must be a CoMapFunction!")
        return self._operator("co_map", func, "Co-Map", output_type)

    def flat_map(self, func: CoFlatMapFunction, output_type: TypeInformation = None) \
            -> 'DataStream':
        """
        Applies a CoFlatMap transformation on a `ConnectedStreams` and maps the output to a
        common type. The transformation calls a `CoFlatMapFunction.flat_map1` for each element
        of the first input and `CoFlatMapFunction.flat_map2` for each element of the second
        input. Each CoFlatMapFunction call returns any number of elements including none.

        :param func: The CoFlatMapFunction used to jointly transform the two input DataStreams
        :param output_type: `TypeInformation` for the result type of the function.
        :return: The transformed `DataStream`
        """
        if not isinstance(func, CoFlatMapFunction):
            raise TypeError("The input must be a CoFlatMapFunction!")
        return self._operator("co_flat_map", func, "Co-Flat Map", output_type)

    def process(self,
                func: Union[CoProcessFunction, KeyedCoProcessFunction],
                output_type: TypeInformation = None) -> 'DataStream':
        """
        Applies the given CoProcessFunction (or, on two keyed streams, KeyedCoProcessFunction)
        on the connected input streams, thereby creating a transformed output stream.

        :param func: The CoProcessFunction or KeyedCoProcessFunction called for each element of
                     either input.
        :param output_type: `TypeInformation` for the result type of the function.
        :return: The transformed `DataStream`
        """
        if not isinstance(func, CoProcessFunction) and not isinstance(func, KeyedCoProcessFunction):
            raise TypeError("The input must be a CoProcessFunction or KeyedCoProcessFunction!")
        if self._is_keyed_stream():
            return self._operator("keyed_co_process", func, "Keyed Co-Process", output_type)
        return self._operator("co_process", func, "Co-Process", output_type)

    def _operator(self, func: str, fn, name: str, output_type) -> DataStream:
        return _two_input_operator(self.stream1._env, func, fn, name, self.stream1, self.stream2,
                                   output_type, self._is_keyed_stream())

    def _is_keyed_stream(self):
        return isinstance(self.stream1, KeyedStream) and isinstance(self.stream2, KeyedStream)


class BroadcastStream(object):
    """
    A BroadcastStream is a stream with :class:`state.BroadcastState` (s). This can be created by any
    stream using the :meth:`DataStream.broadcast` method and implicitly creates states where the
    user can store elements of the created :class:`BroadcastStream`. (see
    :class:`BroadcastConnectedStream`).

    Note that no further operation can be applied to these streams. The only available option is
    to connect them with a keyed or non-keyed stream, using the :meth:`KeyedStream.connect` and the
    :meth:`DataStream.connect` respectively. Applying these methods will result it a
    :class:`BroadcastConnectedStream` for further processing.
    """

    def __init__(self, input_stream: DataStream,
                 broadcast_state_descriptors: List[MapStateDescriptor]):
        self.input_stream = input_stream
        self.broadcast_state_descriptors = broadcast_state_descriptors


class BroadcastConnectedStream(object):
    """
    A BroadcastConnectedStream represents the result of connecting a keyed or non-keyed stream, with
    a :class:`BroadcastStream` with :class:`~state.BroadcastState` (s). As in the case of
    :class:`ConnectedStreams` these streams are useful for cases where operations on one stream
    directly affect the operations on the other stream, usually via shared state between the
    streams.

    An example for the use of such connected streams would be to apply rules that change over time
    onto another, possibly keyed stream. The stream with the broadcast state has the rules, and will
    store them in the broadcast state, while the other stream will contain the elements to apply the
    rules to. By broadcasting the rules, these will be available in all parallel instances, and can
    be applied to all partitions of the other stream.
    """

    def __init__(self, non_broadcast_stream: DataStream, broadcast_stream: BroadcastStream,
                 broadcast_state_descriptors: List[MapStateDescriptor]):
        self.non_broadcast_stream = non_broadcast_stream
        self.broadcast_stream = broadcast_stream
        self.broadcast_state_descriptors = broadcast_state_descriptors

    def process(self, func: Union[BroadcastProcessFunction, KeyedBroadcastProcessFunction],
                output_type: TypeInformation = None) -> 'DataStream':
        """
        Assumes as inputs a :class:`BroadcastStream` and a :class:`DataStream` or
        :class:`KeyedStream` and applies the given :class:`BroadcastProcessFunction` or
        :class:`KeyedBroadcastProcessFunction` on them, thereby creating a transformed output
        stream.

        :param func: The :class:`BroadcastProcessFunction` that is called for each element in the
            non-broadcasted :class:`DataStream`, or the :class:`KeyedBroadcastProcessFunction` that
            is called for each element in the non-broadcasted :class:`KeyedStream`.
        :param output_type: The type of the output elements, should be
            :class:`common.TypeInformation` or list (implicit :class:`RowTypeInfo`) or None (
            implicit :meth:`Types.PICKLED_BYTE_ARRAY`).
        :return: The transformed :class:`DataStream`.
        """
        if isinstance(func, BroadcastProcessFunction) and self._is_keyed_stream():
            raise TypeError("BroadcastProcessFunction should be applied to non-keyed DataStream")
        if isinstance(func, KeyedBroadcastProcessFunction) and (not self._is_keyed_stream()):
            raise TypeError("KeyedBroadcastProcessFunction should be applied to keyed DataStream")
        if not isinstance(func, (BroadcastProcessFunction, KeyedBroadcastProcessFunction)):
            raise TypeError("The input must be a BroadcastProcessFunction or "
                            "KeyedBroadcastProcessFunction!")
        states = [{"name": d.get_name(), "type": d.type_info.to_plan_type()}
                  for d in self.broadcast_state_descriptors]
        if self._is_keyed_stream():
            func_name, name = "keyed_broadcast_process", "Keyed-Co-Process-Broadcast"
        else:
            func_name, name = "broadcast_process", "Co-Process-Broadcast"
        return _two_input_operator(self.non_broadcast_stream._env, func_name, func, name,
                                   self.non_broadcast_stream, self.broadcast_stream.input_stream,
                                   output_type, self._is_keyed_stream(),
                                   {"broadcast_states": states})

    def _is_keyed_stream(self):
        return isinstance(self.non_broadcast_stream, KeyedStream)


class CachedDataStream(_Unsupported):
    """
    A cached intermediate result (not supported yet).
    """
