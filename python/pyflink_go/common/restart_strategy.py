"""Restart strategies: what the engine does when a job fails, as in PyFlink's RestartStrategies.

Each configuration knows the Flink configuration keys it stands for, so that setting a
restart strategy on the environment ends up in the job plan's ``config``.
"""

from abc import ABCMeta
from datetime import timedelta
from typing import Dict, Optional, Union

from pyflink_go._durations import format_duration_ms

__all__ = ['RestartStrategies', 'RestartStrategyConfiguration']


def _millis(name: str, value: Union[int, timedelta]) -> int:
    if isinstance(value, timedelta):
        return int(value.total_seconds() * 1000)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("The parameter '%s' only supports integer and datetime.timedelta, current "
                    "input type is %s." % (name, type(value)))


class RestartStrategyConfiguration(object, metaclass=ABCMeta):
    """
    Abstract configuration for restart strategies.
    """

    def __init__(self, config: Dict[str, str]):
        self._config = dict(config)

    def get_description(self) -> str:
        """
        Returns a description which is shown in the web interface.
        """
        return ', '.join('%s=%s' % item for item in self._config.items())

    def _to_config(self) -> Dict[str, str]:
        return dict(self._config)

    def __eq__(self, other):
        return isinstance(other, RestartStrategyConfiguration) and \
            type(self) is type(other) and self._config == other._config

    def __hash__(self):
        return hash(frozenset(self._config.items()))


class RestartStrategies(object):
    """
    This class defines methods to generate RestartStrategyConfigurations.
    """

    class NoRestartStrategyConfiguration(RestartStrategyConfiguration):
        """
        Configuration representing no restart strategy.
        """

        def __init__(self):
            super().__init__({"restart-strategy.type": "none"})

    class FixedDelayRestartStrategyConfiguration(RestartStrategyConfiguration):
        """
        Configuration representing a fixed delay restart strategy.
        """

        def __init__(self, restart_attempts: int, delay_between_attempts_interval):
            self._attempts = int(restart_attempts)
            self._delay = _millis('delay_between_attempts_interval',
                                  delay_between_attempts_interval)
            super().__init__({
                "restart-strategy.type": "fixed-delay",
                "restart-strategy.fixed-delay.attempts": str(self._attempts),
                "restart-strategy.fixed-delay.delay": format_duration_ms(self._delay),
            })

        def get_restart_attempts(self) -> int:
            """The number of restart attempts."""
            return self._attempts

        def get_delay_between_attempts_interval(self) -> timedelta:
            """The delay in-between restart attempts."""
            return timedelta(milliseconds=self._delay)

    class FailureRateRestartStrategyConfiguration(RestartStrategyConfiguration):
        """
        Configuration representing a failure rate restart strategy.
        """

        def __init__(self, max_failure_rate: int, failure_interval,
                     delay_between_attempts_interval):
            self._rate = int(max_failure_rate)
            self._interval = _millis('failure_interval', failure_interval)
            self._delay = _millis('delay_between_attempts_interval',
                                  delay_between_attempts_interval)
            super().__init__({
                "restart-strategy.type": "failure-rate",
                "restart-strategy.failure-rate.max-failures-per-interval": str(self._rate),
                "restart-strategy.failure-rate.failure-rate-interval":
                    format_duration_ms(self._interval),
                "restart-strategy.failure-rate.delay": format_duration_ms(self._delay),
            })

        def get_max_failure_rate(self) -> int:
            """The maximum number of restarts in the failure interval."""
            return self._rate

        def get_failure_interval(self) -> timedelta:
            """The interval in which failures are counted."""
            return timedelta(milliseconds=self._interval)

        def get_delay_between_attempts_interval(self) -> timedelta:
            """The delay in-between restart attempts."""
            return timedelta(milliseconds=self._delay)

    class FallbackRestartStrategyConfiguration(RestartStrategyConfiguration):
        """
        Restart strategy configuration that could be used by jobs to use cluster level restart
        strategy.
        """

        def __init__(self):
            super().__init__({})

    @staticmethod
    def _from_config(config: Dict[str, str]) -> Optional[RestartStrategyConfiguration]:
        kind = config.get("restart-strategy.type")
        if kind is None:
            return None
        if kind in ("none", "off", "disable"):
            return RestartStrategies.NoRestartStrategyConfiguration()
        from pyflink_go._durations import parse_duration_ms
        if kind in ("fixed-delay", "fixeddelay"):
            return RestartStrategies.FixedDelayRestartStrategyConfiguration(
                int(config.get("restart-strategy.fixed-delay.attempts", "1")),
                parse_duration_ms(config.get("restart-strategy.fixed-delay.delay", "1 s")))
        if kind in ("failure-rate", "failurerate"):
            return RestartStrategies.FailureRateRestartStrategyConfiguration(
                int(config.get("restart-strategy.failure-rate.max-failures-per-interval", "1")),
                parse_duration_ms(
                    config.get("restart-strategy.failure-rate.failure-rate-interval", "1 min")),
                parse_duration_ms(config.get("restart-strategy.failure-rate.delay", "1 s")))
        return RestartStrategies.FallbackRestartStrategyConfiguration()

    @staticmethod
    def no_restart() -> 'NoRestartStrategyConfiguration':
        """
        Generates NoRestartStrategyConfiguration.

        :return: The :class:`NoRestartStrategyConfiguration`.
        """
        return RestartStrategies.NoRestartStrategyConfiguration()

    @staticmethod
    def fall_back_restart() -> 'FallbackRestartStrategyConfiguration':
        """
        Generates a FallbackRestartStrategyConfiguration (use the cluster's restart strategy).
        """
        return RestartStrategies.FallbackRestartStrategyConfiguration()

    @staticmethod
    def fixed_delay_restart(restart_attempts: int, delay_between_attempts: int) -> \
            'FixedDelayRestartStrategyConfiguration':
        """
        Generates a FixedDelayRestartStrategyConfiguration.

        :param restart_attempts: Number of restart attempts for the FixedDelayRestartStrategy.
        :param delay_between_attempts: Delay in-between restart attempts for the
                                       FixedDelayRestartStrategy, the input could be integer value
                                       in milliseconds or datetime.timedelta object.
        :return: The :class:`FixedDelayRestartStrategyConfiguration`.
        """
        return RestartStrategies.FixedDelayRestartStrategyConfiguration(restart_attempts,
                                                                        delay_between_attempts)

    @staticmethod
    def failure_rate_restart(failure_rate: int, failure_interval: int, delay_interval: int) -> \
            'FailureRateRestartStrategyConfiguration':
        """
        Generates a FailureRateRestartStrategyConfiguration.

        :param failure_rate: Maximum number of restarts in given interval ``failure_interval``
                             before failing a job.
        :param failure_interval: Time interval for failures, the input could be integer value
                                 in milliseconds or datetime.timedelta object.
        :param delay_interval: Delay in-between restart attempts, the input could be integer value
                               in milliseconds or datetime.timedelta object.
        """
        return RestartStrategies.FailureRateRestartStrategyConfiguration(failure_rate,
                                                                         failure_interval,
                                                                         delay_interval)
