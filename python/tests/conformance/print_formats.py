# How print() renders each type, at parallelism 1: untyped values through Python's str(),
# ROW through PyFlink's '+I[a,1]' form, every other type as Flink's Java toString().
import datetime
import decimal

from pyflink.common import Row, Types
from pyflink.datastream import StreamExecutionEnvironment

env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)

cases = [
    ([7], Types.INT()),
    ([2 ** 40], Types.LONG()),
    ([True], Types.BOOLEAN()),
    ([0.5, 1e10, 1e-4, 3.0], Types.DOUBLE()),
    ([0.1], Types.FLOAT()),
    (["raw text"], Types.STRING()),
    ([("a", 1)], Types.TUPLE([Types.STRING(), Types.INT()])),
    ([Row("a", 1)], Types.ROW([Types.STRING(), Types.INT()])),
    ([Row(name="b", n=2)], Types.ROW_NAMED(["name", "n"], [Types.STRING(), Types.INT()])),
    ([{"k": 1}], Types.MAP(Types.STRING(), Types.INT())),
    ([datetime.date(2021, 1, 9)], Types.SQL_DATE()),
    ([datetime.time(12, 0, 0)], Types.SQL_TIME()),
    ([decimal.Decimal("1.50")], Types.BIG_DEC()),
    ([("a", 1), [1, 2], {"a": 1}, None, True, 1.5, Row("a", 1), Row(x=1)], None),
]
for values, type_info in cases:
    if type_info is None:
        env.from_collection(values).print()
    else:
        env.from_collection(values, type_info=type_info).print()
    env.execute("print formats")

# PyFlink's collection source takes neither a null tuple field nor a LIST value; a LIST made by
# a map prints as a Java list.
env.from_collection([3], type_info=Types.INT()) \
    .map(lambda n: list(range(1, n + 1)), output_type=Types.LIST(Types.INT())).print()
env.execute("list")

env.from_collection(["x"]).print("id")
env.execute("identifier")
