# A union of three sources followed by a Python map, at parallelism 1; the results are collected
# and sorted, as the interleaving of the sources is not fixed.
from pyflink.common import Types
from pyflink.datastream import StreamExecutionEnvironment

env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
a = env.from_collection([1, 3, 5], type_info=Types.INT())
b = env.from_collection([2, 4], type_info=Types.INT())
c = env.from_collection([6], type_info=Types.INT())
print(sorted(a.union(b, c).map(lambda x: x * x, output_type=Types.INT()).execute_and_collect()))
