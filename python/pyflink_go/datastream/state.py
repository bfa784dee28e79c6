"""Keyed and broadcast state interfaces and their descriptors, as in ``pyflink.datastream.state``.

Functions declare state with a descriptor (name and type) and get a state object from the
runtime context; the worker provides the implementations.
"""

from abc import ABC, abstractmethod
from enum import Enum
from typing import Dict, Generic, Iterable, Iterator, List, Optional, Tuple, TypeVar

from pyflink_go.common.time import Duration, Time
from pyflink_go.common.typeinfo import TypeInformation, Types

__all__ = [
    'ValueStateDescriptor',
    'ValueState',
    'ListStateDescriptor',
    'ListState',
    'MapStateDescriptor',
    'MapState',
    'ReducingStateDescriptor',
    'ReducingState',
    'AggregatingStateDescriptor',
    'AggregatingState',
    'ReadOnlyBroadcastState',
    'BroadcastState',
    'OperatorStateStore',
    'StateDescriptor',
    'StateTtlConfig',
]

T = TypeVar('T')
K = TypeVar('K')
V = TypeVar('V')
IN = TypeVar('IN')
OUT = TypeVar('OUT')


class OperatorStateStore(ABC):
    """
    Interface for getting operator states. Currently, only BroadcastState is supported.
    """

    @abstractmethod
    def get_broadcast_state(self, state_descriptor: 'MapStateDescriptor') -> 'BroadcastState':
        """
        Fetches the BroadcastState described by given MapStateDescriptor, which has read/write
        access to the broadcast operator state.
        """
        pass


class State(ABC):
    """
    Interface that different types of partitioned state must implement.
    """

    @abstractmethod
    def clear(self) -> None:
        """
        Removes the value mapped under the current key.
        """
        pass


class ValueState(State, Generic[T]):
    """
    State interface for partitioned single-value state. The value can be retrieved or updated.
    """

    @abstractmethod
    def value(self) -> T:
        """
        Returns the current value for the state. When the state is not partitioned the returned
        value is the same for all inputs in a given operator instance. If state partitioning is
        applied, the value returned depends on the current operator input, as the operator
        maintains an independent state for each partition.
        """
        pass

    @abstractmethod
    def update(self, value: T) -> None:
        """
        Updates the operator state accessible by :func:`value` to the given value. The next time
        :func:`value` is called (for the same state partition) the returned state will represent
        the updated value.
        """
        pass


class AppendingState(State, Generic[IN, OUT]):
    """
    Base interface for partitioned state that supports adding elements and inspecting the current
    state.
    """

    @abstractmethod
    def get(self) -> OUT:
        """
        Returns the elements under the current key.
        """
        pass

    @abstractmethod
    def add(self, value: IN) -> None:
        """
        Adding the given value to the tail of this list state.
        """
        pass


class MergingState(AppendingState[IN, OUT]):
    """
    Extension of AppendingState that allows merging of state.
    """
    pass


class ReducingState(MergingState[T, T]):
    """
    State interface for reducing state. Elements can be added to the state, they will be combined
    using a reduce function.
    """
    pass


class AggregatingState(MergingState[IN, OUT]):
    """
    State interface for aggregating state, based on an AggregateFunction. Elements that are added
    to this type of state will be eagerly pre-aggregated using a given AggregateFunction.
    """
    pass


class ListState(MergingState[T, Iterable[T]]):
    """
    State interface for partitioned list state in Operations.
    The state is accessed and modified by user functions, and checkpointed consistently
    by the system as part of the distributed snapshots.
    """

    @abstractmethod
    def update(self, values: List[T]) -> None:
        """
        Updating existing values to to the given list of values.
        """
        pass

    @abstractmethod
    def add_all(self, values: List[T]) -> None:
        """
        Adding the given values to the tail of this list state.
        """
        pass

    def __iter__(self) -> Iterator[T]:
        return iter(self.get())


class MapState(State, Generic[K, V]):
    """
    State interface for partitioned key-value state. The key-value pair can be added, updated
    and retrieved.
    """

    @abstractmethod
    def get(self, key: K) -> V:
        """
        Returns the current value associated with the given key.
        """
        pass

    @abstractmethod
    def put(self, key: K, value: V) -> None:
        """
        Associates a new value with the given key.
        """
        pass

    @abstractmethod
    def put_all(self, dict_value: Dict[K, V]) -> None:
        """
        Copies all of the mappings from the given map into the state.
        """
        pass

    @abstractmethod
    def remove(self, key: K) -> None:
        """
        Deletes the mapping of the given key.
        """
        pass

    @abstractmethod
    def contains(self, key: K) -> bool:
        """
        Returns whether there exists the given mapping.
        """
        pass

    @abstractmethod
    def items(self) -> Iterable[Tuple[K, V]]:
        """
        Returns all the mappings in the state.
        """
        pass

    @abstractmethod
    def keys(self) -> Iterable[K]:
        """
        Returns all the keys in the state.
        """
        pass

    @abstractmethod
    def values(self) -> Iterable[V]:
        """
        Returns all the values in the state.
        """
        pass

    @abstractmethod
    def is_empty(self) -> bool:
        """
        Returns true if this state contains no key-value mappings, otherwise false.
        """
        pass

    def __getitem__(self, key: K) -> V:
        return self.get(key)

    def __setitem__(self, key: K, value: V) -> None:
        self.put(key, value)

    def __delitem__(self, key: K) -> None:
        self.remove(key)

    def __contains__(self, key: K) -> bool:
        return self.contains(key)

    def __iter__(self) -> Iterator[K]:
        return iter(self.keys())


class ReadOnlyBroadcastState(State, Generic[K, V]):
    """
    A read-only view of the BroadcastState.
    Although read-only, the user code should not modify the value returned by the :meth:`get` or
    the items returned by :meth:`items`, as this can lead to inconsistent states.
    """

    @abstractmethod
    def get(self, key: K) -> V:
        """
        Returns the current value associated with the given key.
        """
        pass

    @abstractmethod
    def contains(self, key: K) -> bool:
        """
        Returns whether there exists the given mapping.
        """
        pass

    @abstractmethod
    def items(self) -> Iterable[Tuple[K, V]]:
        """
        Returns all the mappings in the state.
        """
        pass

    @abstractmethod
    def keys(self) -> Iterable[K]:
        """
        Returns all the keys in the state.
        """
        pass

    @abstractmethod
    def values(self) -> Iterable[V]:
        """
        Returns all the values in the state.
        """
        pass

    @abstractmethod
    def is_empty(self) -> bool:
        """
        Returns true if this state contains no key-value mappings, otherwise false.
        """
        pass

    def __getitem__(self, key: K) -> V:
        return self.get(key)

    def __contains__(self, key: K) -> bool:
        return self.contains(key)

    def __iter__(self) -> Iterator[K]:
        return iter(self.keys())


class BroadcastState(ReadOnlyBroadcastState[K, V]):
    """
    A type of state that can be created to store the state of a BroadcastStream. This state
    assumes that the same elements are sent to all instances of an operator.
    """

    @abstractmethod
    def put(self, key: K, value: V) -> None:
        """
        Associates a new value with the given key.
        """
        pass

    @abstractmethod
    def put_all(self, dict_value: Dict[K, V]) -> None:
        """
        Copies all of the mappings from the given map into the state.
        """
        pass

    @abstractmethod
    def remove(self, key: K) -> None:
        """
        Deletes the mapping of the given key.
        """
        pass

    def __setitem__(self, key: K, value: V) -> None:
        self.put(key, value)

    def __delitem__(self, key: K) -> None:
        self.remove(key)


class StateDescriptor(ABC):
    """
    Base class for state descriptors. A StateDescriptor is used for creating partitioned State in
    stateful operations.
    """

    def __init__(self, name: str, type_info: TypeInformation):
        """
        Constructor for StateDescriptor.

        :param name: The name of the state
        :param type_info: The type information of the value.
        """
        self.name = name
        self.type_info = type_info
        self._ttl_config = None  # type: Optional[StateTtlConfig]

    def get_name(self) -> str:
        """
        Get the name of the state.

        :return: The name of the state.
        """
        return self.name

    def enable_time_to_live(self, ttl_config: 'StateTtlConfig'):
        """
        Configures optional activation of state time-to-live (TTL).

        State user value will expire, become unavailable and be cleaned up in storage depending on
        configured StateTtlConfig.

        :param ttl_config: Configuration of state TTL
        """
        if not isinstance(ttl_config, StateTtlConfig):
            raise TypeError("ttl_config must be a StateTtlConfig, got %s"
                            % type(ttl_config).__name__)
        self._ttl_config = ttl_config


class ValueStateDescriptor(StateDescriptor):
    """
    StateDescriptor for ValueState. This can be used to create partitioned value state using
    RuntimeContext.get_state(ValueStateDescriptor).
    """

    def __init__(self, name: str, value_type_info: TypeInformation):
        """
        Constructor of the ValueStateDescriptor.

        :param name: The name of the state.
        :param value_type_info: the type information of the state.
        """
        super(ValueStateDescriptor, self).__init__(name, value_type_info)


class ListStateDescriptor(StateDescriptor):
    """
    StateDescriptor for ListState. This can be used to create state where the type is a list that
    can be appended and iterated over.
    """

    def __init__(self, name: str, elem_type_info: TypeInformation):
        """
        Constructor of the ListStateDescriptor.

        :param name: The name of the state.
        :param elem_type_info: the type information of the state element.
        """
        super(ListStateDescriptor, self).__init__(name, Types.LIST(elem_type_info))


class MapStateDescriptor(StateDescriptor):
    """
    StateDescriptor for MapState. This can be used to create state where the type is a map that can
    be updated and iterated over.
    """

    def __init__(self, name: str, key_type_info: TypeInformation, value_type_info: TypeInformation):
        """
        Constructor of the MapStateDescriptor.

        :param name: The name of the state.
        :param key_type_info: The type information of the key.
        :param value_type_info: the type information of the value.
        """
        super(MapStateDescriptor, self).__init__(name, Types.MAP(key_type_info, value_type_info))


class ReducingStateDescriptor(StateDescriptor):
    """
    StateDescriptor for ReducingState. This can be used to create partitioned reducing state using
    RuntimeContext.get_reducing_state(ReducingStateDescriptor).
    """

    def __init__(self, name: str, reduce_function, type_info: TypeInformation):
        """
        Constructor of the ReducingStateDescriptor.

        :param name: The name of the state.
        :param reduce_function: The ReduceFunction used to aggregate the state.
        :param type_info: The type of the values in the state.
        """
        super(ReducingStateDescriptor, self).__init__(name, type_info)
        from pyflink_go.datastream.functions import ReduceFunction, ReduceFunctionWrapper
        if not isinstance(reduce_function, ReduceFunction):
            if callable(reduce_function):
                reduce_function = ReduceFunctionWrapper(reduce_function)  # type: ignore
            else:
                raise TypeError("The input must be a ReduceFunction or a callable function!")
        self._reduce_function = reduce_function

    def get_reduce_function(self):
        """The ReduceFunction that combines the added values."""
        return self._reduce_function


class AggregatingStateDescriptor(StateDescriptor):
    """
    A StateDescriptor for AggregatingState.

    The type internally stored in the state is the type of the Accumulator of the
    :func:`~pyflink_go.datastream.functions.AggregateFunction`.
    """

    def __init__(self, name: str, agg_function, state_type_info):
        super(AggregatingStateDescriptor, self).__init__(name, state_type_info)
        from pyflink_go.datastream.functions import AggregateFunction
        if not isinstance(agg_function, AggregateFunction):
            raise TypeError("The input must be a pyflink.datastream.functions.AggregateFunction!")
        self._agg_function = agg_function

    def get_agg_function(self):
        """The AggregateFunction that pre-aggregates the added values."""
        return self._agg_function


class StateTtlConfig(object):
    """
    Configuration of state time-to-live: how long a state value lives after it was last written
    (or read), and whether expired values may still be returned. Only processing-time TTL exists.

    Build one with :func:`StateTtlConfig.new_builder`:
    ::

        >>> ttl_config = StateTtlConfig \\
        ...     .new_builder(Time.seconds(1)) \\
        ...     .set_update_type(StateTtlConfig.UpdateType.OnReadAndWrite) \\
        ...     .disable_cleanup_in_background() \\
        ...     .build()
        >>> state_descriptor.enable_time_to_live(ttl_config)

    Besides PyFlink's getters the built config has plain attributes for the runtime: ``ttl``
    (milliseconds; 0 when the update type is ``Disabled``), ``update_type``,
    ``state_visibility`` and ``ttl_time_characteristic`` (the enum member names, e.g.
    ``"OnCreateAndWrite"``, ``"NeverReturnExpired"``, ``"ProcessingTime"``).
    """

    class UpdateType(Enum):
        """
        This option value configures when to update last access timestamp which prolongs state
        TTL.

        - Disabled: TTL is disabled. State does not expire.
        - OnCreateAndWrite: Last access timestamp is initialised when state is created and
          updated on every write operation.
        - OnReadAndWrite: The same as OnCreateAndWrite but also updated on read.
        """

        Disabled = 0
        OnCreateAndWrite = 1
        OnReadAndWrite = 2

    class StateVisibility(Enum):
        """
        This option configures whether expired user value can be returned or not.

        - ReturnExpiredIfNotCleanedUp: Return expired user value if it is not cleaned up yet.
        - NeverReturnExpired: Never return expired user value.
        """

        ReturnExpiredIfNotCleanedUp = 0
        NeverReturnExpired = 1

    class TtlTimeCharacteristic(Enum):
        """
        This option configures time scale to use for ttl.

        - ProcessingTime: Processing time.
        """

        ProcessingTime = 0

    def __init__(self,
                 update_type: 'StateTtlConfig.UpdateType',
                 state_visibility: 'StateTtlConfig.StateVisibility',
                 ttl_time_characteristic: 'StateTtlConfig.TtlTimeCharacteristic',
                 ttl: Time,
                 cleanup_strategies: 'StateTtlConfig.CleanupStrategies'):
        self._update_type = update_type
        self._state_visibility = state_visibility
        self._ttl_time_characteristic = ttl_time_characteristic
        self._ttl = ttl
        self._cleanup_strategies = cleanup_strategies
        # Plain values the runtime reads.
        self.ttl = ttl.to_milliseconds() if self.is_enabled() else 0
        self.update_type = update_type.name
        self.state_visibility = state_visibility.name
        self.ttl_time_characteristic = ttl_time_characteristic.name

    @staticmethod
    def new_builder(ttl: Time) -> 'StateTtlConfig.Builder':
        """
        A builder of a StateTtlConfig whose values live for ``ttl``.

        :param ttl: The time to live (a Time; a Duration is accepted as well).
        """
        return StateTtlConfig.Builder(ttl)

    def get_update_type(self) -> 'StateTtlConfig.UpdateType':
        """When the last access timestamp is updated."""
        return self._update_type

    def get_state_visibility(self) -> 'StateTtlConfig.StateVisibility':
        """Whether expired values may be returned."""
        return self._state_visibility

    def get_ttl(self) -> Time:
        """The time to live."""
        return self._ttl

    def get_ttl_time_characteristic(self) -> 'StateTtlConfig.TtlTimeCharacteristic':
        """The time scale of the TTL."""
        return self._ttl_time_characteristic

    def is_enabled(self) -> bool:
        """Whether values expire (the update type is not Disabled)."""
        return self._update_type != StateTtlConfig.UpdateType.Disabled

    def get_cleanup_strategies(self) -> 'StateTtlConfig.CleanupStrategies':
        """When expired values are cleaned up."""
        return self._cleanup_strategies

    def __repr__(self):
        return "StateTtlConfig<update_type={}, state_visibility={}, " \
               "ttl_time_characteristic={}, ttl={}>".format(self._update_type,
                                                            self._state_visibility,
                                                            self._ttl_time_characteristic,
                                                            self._ttl)

    class Builder(object):
        """
        Builder for the StateTtlConfig.
        """

        def __init__(self, ttl: Time):
            self._ttl = StateTtlConfig._check_ttl(ttl)
            self._update_type = StateTtlConfig.UpdateType.OnCreateAndWrite
            self._state_visibility = StateTtlConfig.StateVisibility.NeverReturnExpired
            self._ttl_time_characteristic = StateTtlConfig.TtlTimeCharacteristic.ProcessingTime
            self._is_cleanup_in_background = True
            self._strategies = {}  # type: Dict

        def set_update_type(self, update_type: 'StateTtlConfig.UpdateType') \
                -> 'StateTtlConfig.Builder':
            """
            Sets the ttl update type.

            :param update_type: The ttl update type configures when to update last access
                                timestamp which prolongs state TTL.
            """
            if not isinstance(update_type, StateTtlConfig.UpdateType):
                raise TypeError("update_type must be a StateTtlConfig.UpdateType, got %r"
                                % (update_type,))
            self._update_type = update_type
            return self

        def update_ttl_on_create_and_write(self) -> 'StateTtlConfig.Builder':
            """Sets the update type to OnCreateAndWrite."""
            return self.set_update_type(StateTtlConfig.UpdateType.OnCreateAndWrite)

        def update_ttl_on_read_and_write(self) -> 'StateTtlConfig.Builder':
            """Sets the update type to OnReadAndWrite."""
            return self.set_update_type(StateTtlConfig.UpdateType.OnReadAndWrite)

        def set_state_visibility(self, state_visibility: 'StateTtlConfig.StateVisibility') \
                -> 'StateTtlConfig.Builder':
            """
            Sets the state visibility.

            :param state_visibility: The state visibility configures whether expired user value
                                     can be returned or not.
            """
            if not isinstance(state_visibility, StateTtlConfig.StateVisibility):
                raise TypeError("state_visibility must be a StateTtlConfig.StateVisibility, "
                                "got %r" % (state_visibility,))
            self._state_visibility = state_visibility
            return self

        def return_expired_if_not_cleaned_up(self) -> 'StateTtlConfig.Builder':
            """Sets the visibility to ReturnExpiredIfNotCleanedUp."""
            return self.set_state_visibility(
                StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp)

        def never_return_expired(self) -> 'StateTtlConfig.Builder':
            """Sets the visibility to NeverReturnExpired."""
            return self.set_state_visibility(StateTtlConfig.StateVisibility.NeverReturnExpired)

        def set_ttl_time_characteristic(
                self, ttl_time_characteristic: 'StateTtlConfig.TtlTimeCharacteristic') \
                -> 'StateTtlConfig.Builder':
            """
            Sets the time characteristic.

            :param ttl_time_characteristic: The time characteristic configures time scale to use
                                            for ttl.
            """
            if not isinstance(ttl_time_characteristic, StateTtlConfig.TtlTimeCharacteristic):
                raise TypeError("ttl_time_characteristic must be a "
                                "StateTtlConfig.TtlTimeCharacteristic, got %r"
                                % (ttl_time_characteristic,))
            self._ttl_time_characteristic = ttl_time_characteristic
            return self

        def use_processing_time(self) -> 'StateTtlConfig.Builder':
            """Sets the time characteristic to ProcessingTime."""
            return self.set_ttl_time_characteristic(
                StateTtlConfig.TtlTimeCharacteristic.ProcessingTime)

        def cleanup_full_snapshot(self) -> 'StateTtlConfig.Builder':
            """
            Cleanup expired state in full snapshot on checkpoint.
            """
            self._strategies[StateTtlConfig.CleanupStrategies.Strategies.FULL_STATE_SCAN_SNAPSHOT] \
                = StateTtlConfig.CleanupStrategies.EMPTY_STRATEGY
            return self

        def cleanup_incrementally(self, cleanup_size: int,
                                  run_cleanup_for_every_record) -> 'StateTtlConfig.Builder':
            """
            Cleanup expired state incrementally: upon every state access (and, with
            ``run_cleanup_for_every_record``, for every record) a bunch of keys is checked for
            expiration and the expired ones are cleaned up.

            :param cleanup_size: max number of keys pulled from queue for clean up upon state
                                 touch for any key
            :param run_cleanup_for_every_record: run incremental cleanup per each processed record
            """
            self._strategies[StateTtlConfig.CleanupStrategies.Strategies.INCREMENTAL_CLEANUP] = \
                StateTtlConfig.CleanupStrategies.IncrementalCleanupStrategy(
                    cleanup_size, run_cleanup_for_every_record)
            return self

        def cleanup_in_rocksdb_compact_filter(self, query_time_after_num_entries,
                                              periodic_compaction_time=None) \
                -> 'StateTtlConfig.Builder':
            """
            Cleanup expired state while the state store compacts (RocksDB's compaction filter;
            here the Pebble backend's compaction).

            :param query_time_after_num_entries: number of state entries to process by compaction
                                                 filter before updating current timestamp
            :param periodic_compaction_time: periodic compaction which could speed up expired
                                             state cleanup (a Duration; 30 days by default).
            """
            self._strategies[
                StateTtlConfig.CleanupStrategies.Strategies.ROCKSDB_COMPACTION_FILTER] = \
                StateTtlConfig.CleanupStrategies.RocksdbCompactFilterCleanupStrategy(
                    query_time_after_num_entries, periodic_compaction_time)
            return self

        def disable_cleanup_in_background(self) -> 'StateTtlConfig.Builder':
            """
            Disable default cleanup of expired state in background (enabled by default).

            If some specific cleanup is configured, e.g. :func:`cleanup_incrementally` or
            :func:`cleanup_in_rocksdb_compact_filter`, this setting does not disable it.
            """
            self._is_cleanup_in_background = False
            return self

        def set_ttl(self, ttl: Time) -> 'StateTtlConfig.Builder':
            """
            Sets the ttl time.

            :param ttl: The ttl time.
            """
            self._ttl = StateTtlConfig._check_ttl(ttl)
            return self

        def build(self) -> 'StateTtlConfig':
            """The StateTtlConfig with the values set on this builder."""
            if self._ttl.to_milliseconds() <= 0:
                raise ValueError("TTL is expected to be positive.")
            return StateTtlConfig(
                self._update_type,
                self._state_visibility,
                self._ttl_time_characteristic,
                self._ttl,
                StateTtlConfig.CleanupStrategies(dict(self._strategies),
                                                 self._is_cleanup_in_background))

    @staticmethod
    def _check_ttl(ttl) -> Time:
        if isinstance(ttl, Duration):
            ttl = Time.milliseconds(ttl.to_milliseconds())
        if not isinstance(ttl, Time):
            raise TypeError("The ttl must be a Time, got %s" % type(ttl).__name__)
        return ttl

    class CleanupStrategies(object):
        """
        TTL cleanup strategies.

        This class configures when to cleanup expired state with TTL. By default, state is always
        cleaned up on explicit read access if found expired. Currently cleanup of state full
        snapshot can be additionally activated.
        """

        class Strategies(Enum):
            """
            Fixed strategies ordinals in strategies config field.
            """

            FULL_STATE_SCAN_SNAPSHOT = 0
            INCREMENTAL_CLEANUP = 1
            ROCKSDB_COMPACTION_FILTER = 2

        class CleanupStrategy(ABC):
            """
            Base interface for cleanup strategies configurations.
            """
            pass

        class EmptyCleanupStrategy(CleanupStrategy):
            """A strategy without settings."""
            pass

        class IncrementalCleanupStrategy(CleanupStrategy):
            """
            Configuration of the incremental cleanup strategy.
            """

            def __init__(self, cleanup_size: int, run_cleanup_for_every_record: bool):
                self._cleanup_size = cleanup_size
                self._run_cleanup_for_every_record = run_cleanup_for_every_record

            def get_cleanup_size(self) -> int:
                """Max number of keys checked for expiration upon a state access."""
                return self._cleanup_size

            def run_cleanup_for_every_record(self) -> bool:
                """Whether the cleanup also runs for every record."""
                return self._run_cleanup_for_every_record

        class RocksdbCompactFilterCleanupStrategy(CleanupStrategy):
            """
            Configuration of cleanup strategy using custom compaction filter in RocksDB.
            """

            def __init__(self, query_time_after_num_entries: int,
                         periodic_compaction_time=None):
                self._query_time_after_num_entries = query_time_after_num_entries
                self._periodic_compaction_time = periodic_compaction_time \
                    if periodic_compaction_time else Duration.of_days(30)

            def get_query_time_after_num_entries(self) -> int:
                """Number of entries the compaction filter processes between time queries."""
                return self._query_time_after_num_entries

            def get_periodic_compaction_time(self) -> Duration:
                """How often files are compacted to clean up expired entries."""
                return self._periodic_compaction_time

        EMPTY_STRATEGY = EmptyCleanupStrategy()

        def __init__(self, strategies: Dict, is_cleanup_in_background: bool):
            self._strategies = strategies
            self._is_cleanup_in_background = is_cleanup_in_background

        def is_cleanup_in_background(self) -> bool:
            """Whether expired state is cleaned up in the background by default."""
            return self._is_cleanup_in_background

        def in_full_snapshot(self) -> bool:
            """Whether expired state is left out of full snapshots."""
            return StateTtlConfig.CleanupStrategies.Strategies.FULL_STATE_SCAN_SNAPSHOT \
                in self._strategies

        def get_incremental_cleanup_strategy(self) \
                -> Optional['StateTtlConfig.CleanupStrategies.IncrementalCleanupStrategy']:
            """The incremental cleanup settings; by default (cleanup in background) 5 keys per
            access, not for every record."""
            default = StateTtlConfig.CleanupStrategies.IncrementalCleanupStrategy(5, False) \
                if self._is_cleanup_in_background else None
            return self._strategies.get(
                StateTtlConfig.CleanupStrategies.Strategies.INCREMENTAL_CLEANUP, default)

        def get_rocksdb_compact_filter_cleanup_strategy(self) \
                -> Optional['StateTtlConfig.CleanupStrategies.RocksdbCompactFilterCleanupStrategy']:
            """The compaction cleanup settings; by default (cleanup in background) a time query
            every 1000 entries."""
            default = StateTtlConfig.CleanupStrategies.RocksdbCompactFilterCleanupStrategy(1000) \
                if self._is_cleanup_in_background else None
            return self._strategies.get(
                StateTtlConfig.CleanupStrategies.Strategies.ROCKSDB_COMPACTION_FILTER, default)
