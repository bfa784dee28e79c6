"""
Important classes of the DataStream API (mirroring ``pyflink.datastream``):

    - :class:`StreamExecutionEnvironment`:
      The context in which a streaming program is executed.
    - :class:`DataStream`:
      Represents a stream of elements of the same type. A DataStream can be transformed
      into another DataStream by applying a transformation.
    - :class:`KeyedStream`:
      A DataStream partitioned by key, for keyed operations such as reduce and sum.
    - :class:`MapFunction`, :class:`FlatMapFunction`, :class:`FilterFunction`,
      :class:`ReduceFunction`, :class:`KeySelector`, :class:`ProcessFunction`, ...:
      The user-defined function interfaces.
    - :class:`RuntimeExecutionMode`, :class:`CheckpointingMode`, :class:`CheckpointConfig`,
      :class:`TimeCharacteristic`: execution settings.

Example:
::

    >>> from pyflink_go.datastream import StreamExecutionEnvironment
    >>> env = StreamExecutionEnvironment.get_execution_environment()
    >>> env.from_collection(["apple", "banana"]).map(lambda s: s.upper()).print()
    >>> env.execute("Uppercase")
"""
from pyflink_go.datastream.checkpoint_config import CheckpointConfig, \
    ExternalizedCheckpointCleanup
from pyflink_go.datastream.externalized_checkpoint_retention import \
    ExternalizedCheckpointRetention
from pyflink_go.datastream.checkpointing_mode import CheckpointingMode
from pyflink_go.datastream.data_stream import DataStream, KeyedStream, WindowedStream, \
    ConnectedStreams, DataStreamSink, BroadcastStream, BroadcastConnectedStream
from pyflink_go.datastream.execution_mode import RuntimeExecutionMode
from pyflink_go.datastream.functions import (MapFunction, CoMapFunction, FlatMapFunction,
                                             CoFlatMapFunction, ReduceFunction, RuntimeContext,
                                             KeySelector, FilterFunction, Partitioner,
                                             SourceFunction, SinkFunction, CoProcessFunction,
                                             KeyedProcessFunction, KeyedCoProcessFunction,
                                             AggregateFunction, WindowFunction,
                                             ProcessWindowFunction, BroadcastProcessFunction,
                                             KeyedBroadcastProcessFunction)
from pyflink_go.datastream.slot_sharing_group import SlotSharingGroup, MemorySize
from pyflink_go.datastream.state_backend import (StateBackend, MemoryStateBackend,
                                                 FsStateBackend, RocksDBStateBackend,
                                                 CustomStateBackend, PredefinedOptions,
                                                 HashMapStateBackend,
                                                 EmbeddedRocksDBStateBackend)
from pyflink_go.datastream.checkpoint_storage import (CheckpointStorage,
                                                      JobManagerCheckpointStorage,
                                                      FileSystemCheckpointStorage,
                                                      CustomCheckpointStorage)
from pyflink_go.datastream.stream_execution_environment import StreamExecutionEnvironment
from pyflink_go.datastream.time_characteristic import TimeCharacteristic
from pyflink_go.datastream.time_domain import TimeDomain
from pyflink_go.datastream.functions import ProcessFunction
from pyflink_go.datastream.timerservice import TimerService
from pyflink_go.datastream.window import Window, TimeWindow, CountWindow, WindowAssigner, \
    MergingWindowAssigner, TriggerResult, Trigger, GlobalWindow
from pyflink_go.datastream.output_tag import OutputTag

__all__ = [
    'StreamExecutionEnvironment',
    'DataStream',
    'KeyedStream',
    'WindowedStream',
    'ConnectedStreams',
    'BroadcastStream',
    'BroadcastConnectedStream',
    'DataStreamSink',
    'MapFunction',
    'CoMapFunction',
    'FlatMapFunction',
    'CoFlatMapFunction',
    'ReduceFunction',
    'FilterFunction',
    'ProcessFunction',
    'KeyedProcessFunction',
    'CoProcessFunction',
    'KeyedCoProcessFunction',
    'WindowFunction',
    'ProcessWindowFunction',
    'AggregateFunction',
    'BroadcastProcessFunction',
    'KeyedBroadcastProcessFunction',
    'RuntimeContext',
    'TimerService',
    'CheckpointingMode',
    'CheckpointConfig',
    'ExternalizedCheckpointCleanup',
    'ExternalizedCheckpointRetention',
    'StateBackend',
    'HashMapStateBackend',
    'EmbeddedRocksDBStateBackend',
    'CustomStateBackend',
    'MemoryStateBackend',
    'RocksDBStateBackend',
    'FsStateBackend',
    'PredefinedOptions',
    'CheckpointStorage',
    'JobManagerCheckpointStorage',
    'FileSystemCheckpointStorage',
    'CustomCheckpointStorage',
    'RuntimeExecutionMode',
    'Window',
    'TimeWindow',
    'CountWindow',
    'GlobalWindow',
    'WindowAssigner',
    'MergingWindowAssigner',
    'TriggerResult',
    'Trigger',
    'TimeCharacteristic',
    'TimeDomain',
    'KeySelector',
    'Partitioner',
    'SourceFunction',
    'SinkFunction',
    'SlotSharingGroup',
    'MemorySize',
    'OutputTag'
]
