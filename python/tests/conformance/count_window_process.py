# Count windows with a ProcessWindowFunction: the function sees CountWindow(id) and the
# number of each window; an incomplete count window never fires.
from typing import Iterable

from pyflink.common import Types
from pyflink.datastream import ProcessWindowFunction, StreamExecutionEnvironment
from pyflink.datastream.window import CountWindow


class Describe(ProcessWindowFunction):
    def process(self, key, context: ProcessWindowFunction.Context[CountWindow],
                elements: Iterable[tuple]):
        w = context.window()
        yield "%s %r id=%d max=%d %s" % (key, w, w.id, w.max_timestamp(),
                                        [e[1] for e in elements])


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
data = [("a", 1), ("b", 2), ("a", 3), ("a", 4), ("b", 5), ("a", 6), ("a", 7), ("b", 8)]
env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.INT()])) \
    .key_by(lambda x: x[0], key_type=Types.STRING()) \
    .count_window(2) \
    .process(Describe(), Types.STRING()) \
    .print()
env.execute("count window process")
