"""Workload 5: the 3-record uppercase job, for startup time.

The harness measures the wall time from starting `python startup.py` to its
first output line and to its exit.
"""
from pyflink.common import Types
from pyflink.datastream import StreamExecutionEnvironment


def main():
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    words = env.from_collection(["apple", "banana", "melon"], type_info=Types.STRING())
    words.map(lambda s: s.upper(), output_type=Types.STRING()).print()
    env.execute("uppercase")


if __name__ == "__main__":
    main()
