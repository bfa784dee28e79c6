"""Upper-case a small collection of fruit names and print them: APPLE, BANANA, MELON.

    python examples/uppercase_stream.py

The same program runs unmodified on PyFlink with ``from pyflink.datastream import ...``,
or on pyflink_go through ``python -m pyflink_go`` with the PyFlink import.
"""

from pyflink_go.datastream import StreamExecutionEnvironment

env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)

data = env.from_collection(["apple", "banana", "melon"])

processed = data.map(lambda x: x.upper())

processed.print()

env.execute("Uppercase Stream")
