"""ConfigOption and ConfigOptions: typed configuration keys with defaults."""

from typing import Generic, TypeVar

__all__ = ['ConfigOption', 'ConfigOptions']

T = TypeVar('T')


class ConfigOptions(object):
    """
    {@code ConfigOptions} are used to build a :class:`~pyflink_go.common.ConfigOption`. The option
    is typically built in one of the following patterns:

    Example:
    ::

        >>> ConfigOptions.key("key").string_type().default_value("value")
        >>> ConfigOptions.key("key").int_type().no_default_value()
    """

    @staticmethod
    def key(key: str) -> 'ConfigOptions.OptionBuilder':
        """
        Starts building a new ConfigOption.

        :param key: The key for the config option.
        :return: The builder for the config option with the given key.
        """
        return ConfigOptions.OptionBuilder(key)

    class OptionBuilder(object):
        """The builder for a config option with a given key."""

        def __init__(self, key: str):
            self._key = key

        def boolean_type(self) -> 'ConfigOptions.TypedConfigOptionBuilder[bool]':
            """Defines that the value of the option should be of bool type."""
            return ConfigOptions.TypedConfigOptionBuilder(self._key, bool)

        def int_type(self) -> 'ConfigOptions.TypedConfigOptionBuilder[int]':
            """Defines that the value of the option should be of int type (32 bits)."""
            return ConfigOptions.TypedConfigOptionBuilder(self._key, int)

        def long_type(self) -> 'ConfigOptions.TypedConfigOptionBuilder[int]':
            """Defines that the value of the option should be of int type (64 bits)."""
            return ConfigOptions.TypedConfigOptionBuilder(self._key, int)

        def float_type(self) -> 'ConfigOptions.TypedConfigOptionBuilder[float]':
            """Defines that the value of the option should be of float type."""
            return ConfigOptions.TypedConfigOptionBuilder(self._key, float)

        def double_type(self) -> 'ConfigOptions.TypedConfigOptionBuilder[float]':
            """Defines that the value of the option should be of float type."""
            return ConfigOptions.TypedConfigOptionBuilder(self._key, float)

        def string_type(self) -> 'ConfigOptions.TypedConfigOptionBuilder[str]':
            """Defines that the value of the option should be of str type."""
            return ConfigOptions.TypedConfigOptionBuilder(self._key, str)

    class TypedConfigOptionBuilder(Generic[T]):
        """Builder for a config option with a defined type."""

        def __init__(self, key: str, value_type: type):
            self._key = key
            self._value_type = value_type

        def default_value(self, value: T) -> 'ConfigOption[T]':
            """Creates a ConfigOption with the given default value."""
            return ConfigOption(self._key, self._value_type, value)

        def no_default_value(self) -> 'ConfigOption[str]':
            """Creates a ConfigOption without a default value."""
            return ConfigOption(self._key, self._value_type, None)


class ConfigOption(Generic[T]):
    """
    A {@code ConfigOption} describes a configuration parameter. It encapsulates the configuration
    key and an optional default value for the configuration parameter. Once created, a config
    option is immutable.
    """

    def __init__(self, key: str, value_type: type = str, default_value=None):
        self._key = key
        self._value_type = value_type
        self._default_value = default_value

    def key(self) -> str:
        """The configuration key."""
        return self._key

    def default_value(self):
        """The default value, or None."""
        return self._default_value

    def has_default_value(self) -> bool:
        """Whether the option has a default value."""
        return self._default_value is not None

    def __repr__(self):
        return 'Key: \'%s\' , default: %s' % (self._key, self._default_value)
