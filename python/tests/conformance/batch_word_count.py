# Word count in BATCH mode at parallelism 1: each word's final count is printed once.
from pyflink.common import Types
from pyflink.datastream import RuntimeExecutionMode, StreamExecutionEnvironment

env = StreamExecutionEnvironment.get_execution_environment()
env.set_runtime_mode(RuntimeExecutionMode.BATCH)
env.set_parallelism(1)
lines = ["the cat sat", "the dog sat on the mat", "a cat"]
env.from_collection(lines, type_info=Types.STRING()) \
    .flat_map(lambda line: line.split(), output_type=Types.STRING()) \
    .map(lambda w: (w, 1), output_type=Types.TUPLE([Types.STRING(), Types.INT()])) \
    .key_by(lambda x: x[0]) \
    .reduce(lambda a, b: (a[0], a[1] + b[1])) \
    .print()
env.execute("batch word count")
