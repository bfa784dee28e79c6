# A ProcessFunction splitting a stream: even numbers to the main output, odd ones (as strings)
# to a side output; both printed with an identifier. Two sinks print, so how their lines
# interleave is not fixed.
from pyflink.common import Types
from pyflink.datastream import OutputTag, ProcessFunction, StreamExecutionEnvironment

odd = OutputTag("odd", Types.STRING())


class Split(ProcessFunction):
    def process_element(self, value, ctx: 'ProcessFunction.Context'):
        if value % 2 == 0:
            yield value * 10
        else:
            yield odd, "odd-%d" % value


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
main = env.from_collection([1, 2, 3, 4, 5], type_info=Types.INT()).process(Split(), Types.INT())
main.print("main")
main.get_side_output(odd).print("side")
env.execute("side output")
