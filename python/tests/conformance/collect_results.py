# execute_and_collect: results come back to the client as Python values, printed with print();
# a union of two sources is sorted first, as their interleaving is not fixed.
from pyflink.common import Row, Types
from pyflink.datastream import StreamExecutionEnvironment

env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)

t = Types.TUPLE([Types.STRING(), Types.INT()])
with env.from_collection([("a", 1), ("b", 2)], type_info=t) \
        .map(lambda x: (x[0] * 2, x[1] + 1), output_type=t).execute_and_collect() as results:
    for r in results:
        print(type(r).__name__, r)

rows = env.from_collection([Row(name="x", n=1), Row(name="y", n=2)],
                           type_info=Types.ROW_NAMED(["name", "n"], [Types.STRING(), Types.INT()]))
print(list(rows.execute_and_collect()))

a = env.from_collection([1, 3, 5], type_info=Types.INT())
b = env.from_collection([2, 4], type_info=Types.INT())
print(sorted(a.union(b).map(lambda x: x * x, output_type=Types.INT()).execute_and_collect()))
