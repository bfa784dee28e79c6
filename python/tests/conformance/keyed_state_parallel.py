# Keyed state at parallelism 2: a collection source is non-parallel, so each key still sees its
# elements in input order and the running sums follow it. Which subtask prints a key, and how
# the subtasks interleave, is not fixed.
from pyflink.common import Types
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.functions import KeyedProcessFunction, RuntimeContext
from pyflink.datastream.state import ValueStateDescriptor


class RunningSum(KeyedProcessFunction):
    def open(self, runtime_context: RuntimeContext):
        self.total = runtime_context.get_state(ValueStateDescriptor("total", Types.LONG()))

    def process_element(self, value, ctx: 'KeyedProcessFunction.Context'):
        total = (self.total.value() or 0) + value[1]
        self.total.update(total)
        yield value[0], value[1], total


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(2)
data = [("a", 1), ("b", 10), ("a", 2), ("b", 20), ("a", 3), ("b", 30), ("b", 40), ("a", 4)]
env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.LONG()])) \
    .key_by(lambda x: x[0]) \
    .process(RunningSum()) \
    .print()
env.execute("keyed state parallel")
