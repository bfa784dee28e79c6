# A Row-typed stream at parallelism 1: map to named rows and print them (a None field prints as
# None), then, in a second job, a keyed reduce over row fields printed as rows.
from pyflink.common import Row, Types
from pyflink.datastream import StreamExecutionEnvironment

env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
row_t = Types.ROW_NAMED(["user", "amount", "note"], [Types.STRING(), Types.LONG(), Types.STRING()])


def rows():
    return env.from_collection([("ann", 3), ("bob", 5), ("ann", 4)],
                               type_info=Types.TUPLE([Types.STRING(), Types.INT()])) \
        .map(lambda x: Row(user=x[0], amount=x[1] * 100, note=None if x[1] % 2 else "even"),
             output_type=row_t)


rows().print("row")
env.execute("rows")
rows().key_by(lambda r: r.user, key_type=Types.STRING()) \
    .reduce(lambda a, b: Row(user=a.user, amount=a.amount + b.amount, note=b.note or a.note)) \
    .print("total")
env.execute("row totals")
