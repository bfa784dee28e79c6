"""Keyed state with a time-to-live: a running sum per name in a ValueState.

The shape of Flink's own Python example (flink-python/pyflink/examples/datastream/
state_access.py), on pyflink_go:

    python examples/state_access.py

The state expires one second after it was last read or written (it never does in this short
job). The values are FLOATs, 32-bit as in Flink, so the sums carry float32 rounding, e.g.
('Alice', 110.0999984741211). At the default parallelism (the CPU count) each line starts with
its subtask ("2> "), and the order between keys may vary from run to run, as in PyFlink.
"""

from pyflink_go.common import Time
from pyflink_go.common.typeinfo import Types
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.datastream.functions import KeyedProcessFunction, RuntimeContext
from pyflink_go.datastream.state import StateTtlConfig, ValueStateDescriptor


class Sum(KeyedProcessFunction):

    def __init__(self):
        self.state = None

    def open(self, runtime_context: RuntimeContext):
        state_descriptor = ValueStateDescriptor("state", Types.FLOAT())
        state_ttl_config = StateTtlConfig \
            .new_builder(Time.seconds(1)) \
            .set_update_type(StateTtlConfig.UpdateType.OnReadAndWrite) \
            .disable_cleanup_in_background() \
            .build()
        state_descriptor.enable_time_to_live(state_ttl_config)
        self.state = runtime_context.get_state(state_descriptor)

    def process_element(self, value, ctx: 'KeyedProcessFunction.Context'):
        # retrieve the current count
        current = self.state.value()
        if current is None:
            current = 0

        # update the state's count
        current += value[1]
        self.state.update(current)

        yield value[0], current


def state_access_demo():
    env = StreamExecutionEnvironment.get_execution_environment()

    ds = env.from_collection(
        collection=[
            ('Alice', 110.1),
            ('Bob', 30.2),
            ('Alice', 20.0),
            ('Bob', 53.1),
            ('Alice', 13.1),
            ('Bob', 3.1),
            ('Bob', 16.1),
            ('Alice', 20.1)
        ],
        type_info=Types.TUPLE([Types.STRING(), Types.FLOAT()]))

    # apply the process function onto a keyed stream
    ds.key_by(lambda value: value[0]) \
      .process(Sum()) \
      .print()

    # submit for execution
    env.execute()


if __name__ == '__main__':
    state_access_demo()
