"""Common classes shared by the DataStream API: types, configuration, time, results.

Mirrors ``pyflink.common``:

    - :class:`Types` and :class:`TypeInformation`: the declared types of streams.
    - :class:`Row` and :class:`RowKind`: rows with field names and a change kind.
    - :class:`Configuration`, :class:`ExecutionConfig`: job settings.
    - :class:`Duration`, :class:`Time`, :class:`Instant`: time values.
    - :class:`WatermarkStrategy`, :class:`Encoder`, :class:`SimpleStringSchema`.
    - :class:`JobExecutionResult`, :class:`JobClient`, :class:`JobStatus`, :class:`JobID`.
"""
from pyflink_go.common.completable_future import CompletableFuture
from pyflink_go.common.config_options import ConfigOption, ConfigOptions
from pyflink_go.common.configuration import Configuration
from pyflink_go.common.execution_config import ExecutionConfig
from pyflink_go.common.execution_mode import ExecutionMode
from pyflink_go.common.input_dependency_constraint import InputDependencyConstraint
from pyflink_go.common.job_client import JobClient
from pyflink_go.common.job_execution_result import JobExecutionResult
from pyflink_go.common.job_id import JobID
from pyflink_go.common.job_status import JobStatus
from pyflink_go.common.restart_strategy import RestartStrategies, RestartStrategyConfiguration
from pyflink_go.common.serialization import SerializationSchema, DeserializationSchema, \
    SimpleStringSchema, Encoder
from pyflink_go.common.serializer import TypeSerializer
from pyflink_go.common.typeinfo import Types, TypeInformation
from pyflink_go.common.time import Duration, Instant, Time
from pyflink_go.common.watermark_strategy import WatermarkStrategy, \
    AssignerWithPeriodicWatermarksWrapper

__all__ = [
    'Configuration',
    'ConfigOption',
    'ConfigOptions',
    'ExecutionConfig',
    "TypeInformation",
    "TypeSerializer",
    "Types",
    'SerializationSchema',
    'DeserializationSchema',
    'SimpleStringSchema',
    'Encoder',
    'CompletableFuture',
    'ExecutionMode',
    'InputDependencyConstraint',
    'JobClient',
    'JobExecutionResult',
    'JobID',
    'JobStatus',
    'RestartStrategies',
    'RestartStrategyConfiguration',
    "Row",
    "RowKind",
    "WatermarkStrategy",
    "Duration",
    "Instant",
    "Time",
    "AssignerWithPeriodicWatermarksWrapper"
]


def __getattr__(name):
    # Row and RowKind live with the value codec; load them on first use.
    if name in ('Row', 'RowKind'):
        from pyflink_go.common import types
        value = getattr(types, name)
        globals()[name] = value
        return value
    raise AttributeError("module 'pyflink_go.common' has no attribute %r" % name)
