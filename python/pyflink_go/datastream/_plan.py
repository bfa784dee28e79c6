"""Turn the environment's transformations into the job plan of engine/plan/PLAN.md.

The plan holds every transformation reachable from the recorded ones, in creation
order (inputs always come first). User functions are pickled here, so a function
that cannot be pickled fails when the job is built, naming its operator.
"""

import os
import sys
from typing import Any, Dict, List

from pyflink_go import _engine
from pyflink_go._pickle import dumps_function
from pyflink_go.datastream._transformation import NO_FUNCTION, PickledParam, Transformation

__all__ = ['build_plan', 'reachable', 'default_max_parallelism']

PLAN_VERSION = 1


def reachable(recorded: List[Transformation]) -> List[Transformation]:
    """The recorded transformations and all their upstream ones, ordered by id."""
    seen = {}
    stack = list(recorded)
    while stack:
        t = stack.pop()
        if t.id in seen:
            continue
        seen[t.id] = t
        stack.extend(edge[0] for edge in t.inputs)
    return [seen[i] for i in sorted(seen)]


def default_max_parallelism(parallelism: int) -> int:
    """Flink's default max parallelism: 1.5 x parallelism rounded up to a power of two,
    kept within [128, 32768]."""
    target = parallelism + parallelism // 2
    power = 1
    while power < target:
        power <<= 1
    return min(max(power, 128), 1 << 15)


def _check_edges(t: Transformation) -> None:
    for up, partition, *_ in t.inputs:
        if partition == 'forward' and up.parallelism != t.parallelism:
            raise ValueError(
                "Forward partitioning does not allow change of parallelism. Upstream operation: "
                "%s parallelism: %d, downstream operation: %s parallelism: %d. You must use "
                "another partitioning strategy, such as broadcast, rebalance, shuffle or global."
                % (up.describe(), up.parallelism, t.describe(), t.parallelism))


def _node(t: Transformation, pickle_functions: bool) -> Dict[str, Any]:
    if t.unsupported:
        raise NotImplementedError("%s (operator %s)" % (t.unsupported, t.describe()))
    for check in t.checks:
        check(t)
    _check_edges(t)
    params = dict(t.params)
    for key, factory in t.param_factories.items():
        params[key] = factory()
    params = _pickle_nested(params, t, pickle_functions)
    for key, type_info in t.type_params.items():
        params[key] = type_info.to_plan_type()
    for key, obj in t.pickled_params.items():
        params[key] = None if obj is None or not pickle_functions \
            else dumps_function(obj, t.describe())
    if t.fn is not NO_FUNCTION:
        params["fn"] = dumps_function(t.fn, t.describe()) if pickle_functions else b""
    return {
        "id": t.id,
        "kind": t.kind,
        "name": t.plan_name_prefix + t.name,
        "uid": t.uid,
        "parallelism": t.parallelism,
        "max_parallelism": t.max_parallelism,
        "chaining": t.chaining,
        "inputs": [_input(edge) for edge in t.inputs],
        "out_type": t.out_type.to_plan_type(),
        "params": params,
    }


def _input(edge) -> Dict[str, Any]:
    up, partition, *tag = edge
    entry = {"node": up.id, "partition": partition}  # type: Dict[str, Any]
    if tag and tag[0] is not None:
        entry["tag"] = tag[0]
    return entry


def _pickle_nested(value: Any, t: Transformation, pickle_functions: bool) -> Any:
    """``value`` with every PickledParam inside dicts and lists replaced by its pickle."""
    if isinstance(value, PickledParam):
        return dumps_function(value.value, t.describe()) if pickle_functions else b""
    if isinstance(value, dict):
        return {k: _pickle_nested(v, t, pickle_functions) for k, v in value.items()}
    if isinstance(value, list):
        return [_pickle_nested(v, t, pickle_functions) for v in value]
    return value


def _runtime_mode(env, nodes: List[Transformation]) -> str:
    mode = env._runtime_mode_name()
    if mode == "AUTOMATIC":
        bounded = all(t.bounded for t in nodes if t.is_source)
        return "BATCH" if bounded else "STREAMING"
    return mode


def build_plan(env, recorded: List[Transformation], job_name: str = None,
               pickle_functions: bool = True) -> Dict[str, Any]:
    """The plan dict for the given recorded transformations of ``env``.

    :param env: the StreamExecutionEnvironment the transformations belong to.
    :param recorded: the transformations to run (sinks and operators; sources are found
                     through their inputs).
    :param job_name: the job's name; by default the ``pipeline.name`` setting, else Flink's
                     default name for the runtime mode.
    :param pickle_functions: False leaves user functions out (``fn`` is empty bytes).
    """
    nodes = reachable(recorded)
    for t in nodes:
        if t.follow is not None:
            t.parallelism = t.follow.parallelism
            t.max_parallelism = t.follow.max_parallelism
    if not any(not t.is_source for t in nodes):
        raise RuntimeError("No operators defined in streaming topology. Cannot execute.")
    mode = _runtime_mode(env, nodes)
    if job_name is None:
        job_name = env._configured_job_name() or \
            ("Flink Batch Job" if mode == "BATCH" else "Flink Streaming Job")
    parallelism = env.get_parallelism()
    max_parallelism = env.get_max_parallelism()
    if max_parallelism <= 0:
        max_parallelism = default_max_parallelism(parallelism)
    return {
        "version": PLAN_VERSION,
        "job_name": job_name,
        "job_id": os.urandom(16).hex(),
        "mode": mode,
        "parallelism": parallelism,
        "max_parallelism": max_parallelism,
        "chaining": env.is_chaining_enabled(),
        "config": env._configuration.to_dict(),
        "job_parameters": env.get_config().get_global_job_parameters(),
        "python": {
            "executable": env._python_executable() or sys.executable,
            "path": _engine.python_path(env._python_files),
        },
        "nodes": [_node(t, pickle_functions) for t in nodes],
    }
