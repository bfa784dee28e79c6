# Keyed sum/min/max/min_by/max_by on typed tuples, named rows and scalars (rolling, STREAMING).
from pyflink.datastream import StreamExecutionEnvironment, RuntimeExecutionMode
from pyflink.common import Types, Row
env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
t = Types.TUPLE([Types.STRING(), Types.INT()])
data = [("a", 3), ("b", 2), ("a", 1), ("b", 5), ("a", 2)]
for agg in ("sum", "min", "max", "min_by", "max_by"):
    ks = env.from_collection(data, type_info=t).key_by(lambda x: x[0])
    getattr(ks, agg)(1).print(agg)
    env.execute(agg)
r = Types.ROW_NAMED(["k", "v"], [Types.STRING(), Types.DOUBLE()])
env.from_collection([Row(k="a", v=1.5), Row(k="a", v=2.0)], type_info=r).key_by(lambda x: x.k).sum("v").print("row")
env.execute("row")
env.from_collection([1, 2, 3], type_info=Types.LONG()).key_by(lambda x: x % 2).sum().print("scalar")
env.execute("scalar")
