"""The side-by-side benchmark harness: pyflink-go against PyFlink and Flink Java.

Modules, one job each:
  setup     installs what the runs need (PyFlink venv, Maven build, our package)
  engines   how each engine runs a workload (command, environment)
  workloads the workloads of issue 3 and their variants
  measure   runs one command and measures wall time, CPU of the process tree, peak RSS
  outputs   normalizes and compares the outputs of the engines
  sizes     installed size of each engine
  stats     medians, ratios and derived figures
  report    the console table, bench/results/RESULTS.md and chart.png
  profile   py-spy / cProfile / pprof of our side where a target is missed
"""
