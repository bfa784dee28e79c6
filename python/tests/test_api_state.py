"""State in the API: descriptors, StateTtlConfig and its builder, and the state interfaces'
Python conveniences."""

import pickle

import cloudpickle
import pytest

from pyflink_go.common import Duration, Time, Types
from pyflink_go.datastream.functions import AggregateFunction, ReduceFunction
from pyflink_go.datastream.state import AggregatingStateDescriptor, ListStateDescriptor, \
    MapState, MapStateDescriptor, ReducingStateDescriptor, StateTtlConfig, ValueStateDescriptor

Strategies = StateTtlConfig.CleanupStrategies.Strategies


# ---- StateTtlConfig ----

def test_builder_defaults_as_pyflink():
    config = StateTtlConfig.new_builder(Time.seconds(1)).build()
    assert config.get_ttl() == Time.seconds(1)
    assert config.get_update_type() is StateTtlConfig.UpdateType.OnCreateAndWrite
    assert config.get_state_visibility() is StateTtlConfig.StateVisibility.NeverReturnExpired
    assert config.get_ttl_time_characteristic() is \
        StateTtlConfig.TtlTimeCharacteristic.ProcessingTime
    assert config.is_enabled()
    cleanup = config.get_cleanup_strategies()
    assert cleanup.is_cleanup_in_background() and not cleanup.in_full_snapshot()
    incremental = cleanup.get_incremental_cleanup_strategy()
    assert (incremental.get_cleanup_size(), incremental.run_cleanup_for_every_record()) == \
        (5, False)
    compaction = cleanup.get_rocksdb_compact_filter_cleanup_strategy()
    assert compaction.get_query_time_after_num_entries() == 1000
    assert compaction.get_periodic_compaction_time() == Duration.of_days(30)


def test_plain_attributes_for_the_runtime():
    config = StateTtlConfig.new_builder(Time.minutes(2)) \
        .update_ttl_on_read_and_write() \
        .return_expired_if_not_cleaned_up() \
        .build()
    assert (config.ttl, config.update_type, config.state_visibility,
            config.ttl_time_characteristic) == \
        (120000, "OnReadAndWrite", "ReturnExpiredIfNotCleanedUp", "ProcessingTime")


def test_disabled_update_type_means_no_ttl():
    config = StateTtlConfig.new_builder(Time.seconds(5)) \
        .set_update_type(StateTtlConfig.UpdateType.Disabled).build()
    assert not config.is_enabled()
    assert (config.ttl, config.update_type) == (0, "Disabled")
    assert config.get_ttl() == Time.seconds(5)


def test_every_builder_method_chains():
    builder = StateTtlConfig.new_builder(Time.seconds(1))
    for call in (lambda b: b.set_update_type(StateTtlConfig.UpdateType.OnCreateAndWrite),
                 lambda b: b.update_ttl_on_create_and_write(),
                 lambda b: b.update_ttl_on_read_and_write(),
                 lambda b: b.set_state_visibility(
                     StateTtlConfig.StateVisibility.NeverReturnExpired),
                 lambda b: b.never_return_expired(),
                 lambda b: b.return_expired_if_not_cleaned_up(),
                 lambda b: b.set_ttl_time_characteristic(
                     StateTtlConfig.TtlTimeCharacteristic.ProcessingTime),
                 lambda b: b.use_processing_time(),
                 lambda b: b.cleanup_full_snapshot(),
                 lambda b: b.cleanup_incrementally(10, True),
                 lambda b: b.cleanup_in_rocksdb_compact_filter(500),
                 lambda b: b.disable_cleanup_in_background(),
                 lambda b: b.set_ttl(Time.seconds(3))):
        assert call(builder) is builder
    config = builder.build()
    assert config.ttl == 3000
    cleanup = config.get_cleanup_strategies()
    assert not cleanup.is_cleanup_in_background() and cleanup.in_full_snapshot()
    incremental = cleanup.get_incremental_cleanup_strategy()
    assert (incremental.get_cleanup_size(), incremental.run_cleanup_for_every_record()) == \
        (10, True)
    assert cleanup.get_rocksdb_compact_filter_cleanup_strategy() \
        .get_query_time_after_num_entries() == 500


def test_without_background_cleanup_there_are_no_default_strategies():
    cleanup = StateTtlConfig.new_builder(Time.seconds(1)).disable_cleanup_in_background() \
        .build().get_cleanup_strategies()
    assert cleanup.get_incremental_cleanup_strategy() is None
    assert cleanup.get_rocksdb_compact_filter_cleanup_strategy() is None


def test_builder_changes_do_not_reach_built_configs():
    builder = StateTtlConfig.new_builder(Time.seconds(1))
    first = builder.build()
    builder.cleanup_full_snapshot().set_ttl(Time.seconds(9))
    assert first.ttl == 1000 and not first.get_cleanup_strategies().in_full_snapshot()


def test_duration_ttl_is_accepted():
    assert StateTtlConfig.new_builder(Duration.of_millis(1500)).build().ttl == 1500


@pytest.mark.parametrize("call, error, message", [
    (lambda: StateTtlConfig.new_builder(1000), TypeError, "The ttl must be a Time, got int"),
    (lambda: StateTtlConfig.new_builder(Time.seconds(0)).build(), ValueError,
     "TTL is expected to be positive."),
    (lambda: StateTtlConfig.new_builder(Time.seconds(1)).set_update_type("OnReadAndWrite"),
     TypeError, "update_type must be a StateTtlConfig.UpdateType"),
    (lambda: StateTtlConfig.new_builder(Time.seconds(1)).set_state_visibility(1), TypeError,
     "state_visibility must be a StateTtlConfig.StateVisibility"),
    (lambda: ValueStateDescriptor("v", Types.INT()).enable_time_to_live(Time.seconds(1)),
     TypeError, "ttl_config must be a StateTtlConfig, got Time"),
])
def test_bad_ttl_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_enum_values_as_pyflink():
    assert [(m.name, m.value) for m in StateTtlConfig.UpdateType] == \
        [("Disabled", 0), ("OnCreateAndWrite", 1), ("OnReadAndWrite", 2)]
    assert [(m.name, m.value) for m in StateTtlConfig.StateVisibility] == \
        [("ReturnExpiredIfNotCleanedUp", 0), ("NeverReturnExpired", 1)]
    assert [m.name for m in Strategies] == \
        ["FULL_STATE_SCAN_SNAPSHOT", "INCREMENTAL_CLEANUP", "ROCKSDB_COMPACTION_FILTER"]


def test_descriptor_keeps_its_ttl_through_pickling():
    descriptor = ValueStateDescriptor("state", Types.FLOAT())
    assert descriptor._ttl_config is None
    config = StateTtlConfig.new_builder(Time.seconds(1)) \
        .set_update_type(StateTtlConfig.UpdateType.OnReadAndWrite) \
        .disable_cleanup_in_background().build()
    descriptor.enable_time_to_live(config)
    for dumps, loads in ((pickle.dumps, pickle.loads), (cloudpickle.dumps, cloudpickle.loads)):
        copy = loads(dumps(descriptor))
        assert copy.get_name() == "state" and copy.type_info == Types.FLOAT()
        assert (copy._ttl_config.ttl, copy._ttl_config.update_type,
                copy._ttl_config.state_visibility) == \
            (1000, "OnReadAndWrite", "NeverReturnExpired")


# ---- descriptors ----

class Sum(ReduceFunction):
    def reduce(self, value1, value2):
        return value1 + value2


class Average(AggregateFunction):
    def create_accumulator(self):
        return 0, 0

    def add(self, value, accumulator):
        return accumulator[0] + value, accumulator[1] + 1

    def get_result(self, accumulator):
        return accumulator[0] / accumulator[1]

    def merge(self, acc_a, acc_b):
        return acc_a[0] + acc_b[0], acc_a[1] + acc_b[1]


def test_descriptor_types():
    assert ListStateDescriptor("l", Types.INT()).type_info == Types.LIST(Types.INT())
    assert MapStateDescriptor("m", Types.STRING(), Types.INT()).type_info == \
        Types.MAP(Types.STRING(), Types.INT())
    reducing = ReducingStateDescriptor("r", lambda a, b: a + b, Types.INT())
    assert reducing.get_reduce_function().reduce(2, 3) == 5
    assert isinstance(ReducingStateDescriptor("r", Sum(), Types.INT()).get_reduce_function(), Sum)
    aggregating = AggregatingStateDescriptor("a", Average(), Types.PICKLED_BYTE_ARRAY())
    assert isinstance(aggregating.get_agg_function(), Average)


def test_descriptor_function_errors_as_pyflink():
    with pytest.raises(TypeError, match="The input must be a ReduceFunction or a callable"):
        ReducingStateDescriptor("r", 1, Types.INT())
    with pytest.raises(TypeError, match="pyflink.datastream.functions.AggregateFunction!"):
        AggregatingStateDescriptor("a", lambda x: x, Types.INT())


class DictMapState(MapState):
    """A MapState over a dict, to check the conveniences the interface adds."""

    def __init__(self):
        self._d = {}

    def get(self, key):
        return self._d.get(key)

    def put(self, key, value):
        self._d[key] = value

    def put_all(self, dict_value):
        self._d.update(dict_value)

    def remove(self, key):
        del self._d[key]

    def contains(self, key):
        return key in self._d

    def items(self):
        return self._d.items()

    def keys(self):
        return self._d.keys()

    def values(self):
        return self._d.values()

    def is_empty(self):
        return not self._d

    def clear(self):
        self._d.clear()


def test_map_state_supports_in_indexing_and_iteration():
    state = DictMapState()
    state["a"] = 1
    state.put_all({"b": 2})
    assert "a" in state and "z" not in state
    assert state["b"] == 2 and sorted(state) == ["a", "b"]
    del state["a"]
    assert list(state) == ["b"]
