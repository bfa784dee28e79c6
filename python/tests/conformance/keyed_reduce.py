# Rolling keyed reduce in STREAMING mode, then the final value per key in BATCH mode.
from pyflink.common import Types
from pyflink.datastream import RuntimeExecutionMode, StreamExecutionEnvironment

env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
data = [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5)]
typed = Types.TUPLE([Types.STRING(), Types.INT()])
env.from_collection(data, type_info=typed).key_by(lambda x: x[0]) \
    .reduce(lambda a, b: (a[0], a[1] + b[1])).print()
env.execute("streaming reduce")

env.set_runtime_mode(RuntimeExecutionMode.BATCH)
env.from_collection(data, type_info=typed).key_by(lambda x: x[0]).sum(1).print()
env.execute("batch sum")
