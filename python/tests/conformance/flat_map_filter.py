# flat_map with a generator function and a lambda returning a list, then filter with a lambda and
# with a FilterFunction, at parallelism 1.
from pyflink.common import Types
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.functions import FilterFunction


def words(line):
    for w in line.split():
        yield w


class LongerThan(FilterFunction):
    def __init__(self, n):
        self.n = n

    def filter(self, value):
        return len(value) > self.n


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
env.from_collection(["to be or", "not to be", ""], type_info=Types.STRING()) \
    .flat_map(words, output_type=Types.STRING()) \
    .filter(lambda w: w != "or") \
    .flat_map(lambda w: [w, w.upper()], output_type=Types.STRING()) \
    .filter(LongerThan(1)) \
    .print()
env.execute("flat_map filter")
