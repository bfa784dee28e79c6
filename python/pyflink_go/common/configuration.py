"""Configuration: Flink's key/value configuration object, held in Python.

Values keep the type they were set with (``set_integer`` stores an int) and are
converted on read, as Flink's Configuration does; ``to_dict`` gives the string
form that travels to the engine in the job plan.
"""

from typing import Dict, Set

__all__ = ['Configuration']


def _to_string(value) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (bytes, bytearray)):
        import base64
        return base64.b64encode(bytes(value)).decode('ascii')
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _to_int(key: str, value) -> int:
    if isinstance(value, bool):
        raise ValueError("Configuration key '%s': cannot read boolean %r as an integer"
                         % (key, value))
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError("Configuration key '%s': could not parse %r as an integer"
                         % (key, value)) from None


def _to_bool(key: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('true', 'false'):
        return text == 'true'
    raise ValueError("Configuration key '%s': could not parse %r as a boolean "
                     "(expected 'true' or 'false')" % (key, value))


def _to_float(key: str, value) -> float:
    if isinstance(value, bool):
        raise ValueError("Configuration key '%s': cannot read boolean %r as a float"
                         % (key, value))
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError("Configuration key '%s': could not parse %r as a float"
                         % (key, value)) from None


class Configuration:
    """
    Lightweight configuration object which stores key/value pairs.

    Example::

        >>> config = Configuration()
        >>> config.set_integer("parallelism.default", 2)
        >>> config.get_string("parallelism.default", None)
        '2'
    """

    def __init__(self, other: 'Configuration' = None, j_configuration=None):
        """
        Creates a new configuration.

        :param other: Optional, if this parameter exists, creates a new configuration with a
                      copy of the given configuration.
        :param j_configuration: Accepted for signature compatibility with PyFlink; a
                                Configuration passed here is copied like ``other``.
        """
        self._data = {}  # type: Dict[str, object]
        source = other if other is not None else j_configuration
        if isinstance(source, Configuration):
            self._data.update(source._data)
        elif isinstance(source, dict):
            self._data.update(source)

    def get_string(self, key: str, default_value: str) -> str:
        """
        Returns the value associated with the given key as a string.

        :param key: The key pointing to the associated value.
        :param default_value: The default value which is returned in case there is no value
                              associated with the given key.
        :return: The (default) value associated with the given key.
        """
        if key not in self._data:
            return default_value
        return _to_string(self._data[key])

    def set_string(self, key: str, value: str) -> 'Configuration':
        """
        Adds the given key/value pair to the configuration object.

        :param key: The key of the key/value pair to be added.
        :param value: The value of the key/value pair to be added.
        """
        self._data[key] = value
        return self

    def get_integer(self, key: str, default_value: int) -> int:
        """
        Returns the value associated with the given key as an integer.

        :param key: The key pointing to the associated value.
        :param default_value: The default value which is returned in case there is no value
                              associated with the given key.
        :return: The (default) value associated with the given key.
        """
        if key not in self._data:
            return default_value
        return _to_int(key, self._data[key])

    def set_integer(self, key: str, value: int) -> 'Configuration':
        """
        Adds the given key/value pair to the configuration object.

        :param key: The key of the key/value pair to be added.
        :param value: The value of the key/value pair to be added.
        """
        self._data[key] = int(value)
        return self

    def get_boolean(self, key: str, default_value: bool) -> bool:
        """
        Returns the value associated with the given key as a boolean.

        :param key: The key pointing to the associated value.
        :param default_value: The default value which is returned in case there is no value
                              associated with the given key.
        :return: The (default) value associated with the given key.
        """
        if key not in self._data:
            return default_value
        return _to_bool(key, self._data[key])

    def set_boolean(self, key: str, value: bool) -> 'Configuration':
        """
        Adds the given key/value pair to the configuration object.

        :param key: The key of the key/value pair to be added.
        :param value: The value of the key/value pair to be added.
        """
        self._data[key] = bool(value)
        return self

    def get_float(self, key: str, default_value: float) -> float:
        """
        Returns the value associated with the given key as a float.

        :param key: The key pointing to the associated value.
        :param default_value: The default value which is returned in case there is no value
                              associated with the given key.
        :return: The (default) value associated with the given key.
        """
        if key not in self._data:
            return float(default_value)
        return _to_float(key, self._data[key])

    def set_float(self, key: str, value: float) -> 'Configuration':
        """
        Adds the given key/value pair to the configuration object.

        :param key: The key of the key/value pair to be added.
        :param value: The value of the key/value pair to be added.
        """
        self._data[key] = float(value)
        return self

    def get_bytearray(self, key: str, default_value: bytearray) -> bytearray:
        """
        Returns the value associated with the given key as a byte array.

        :param key: The key pointing to the associated value.
        :param default_value: The default value which is returned in case there is no value
                              associated with the given key.
        :return: The (default) value associated with the given key.
        """
        if key not in self._data:
            return default_value
        value = self._data[key]
        if isinstance(value, (bytes, bytearray)):
            return bytearray(value)
        import base64
        return bytearray(base64.b64decode(str(value)))

    def set_bytearray(self, key: str, value: bytearray) -> 'Configuration':
        """
        Adds the given byte array to the configuration object.

        :param key: The key under which the bytes are added.
        :param value: The byte array to be added.
        """
        self._data[key] = bytes(value)
        return self

    def key_set(self) -> Set[str]:
        """
        Returns the keys of all key/value pairs stored inside this configuration object.

        :return: The keys of all key/value pairs stored inside this configuration object.
        """
        return set(self._data)

    def add_all_to_dict(self, target_dict: Dict):
        """
        Adds all entries in this configuration to the given dict.

        :param target_dict: The dict to be updated.
        """
        target_dict.update(self.to_dict())

    def add_all(self, other: 'Configuration', prefix: str = None) -> 'Configuration':
        """
        Adds all entries from the given configuration into this configuration. The keys are
        prepended with the given prefix if exist.

        :param other: The configuration whose entries are added to this configuration.
        :param prefix: Optional, the prefix to prepend.
        """
        for key, value in other._data.items():
            self._data[key if prefix is None else prefix + key] = value
        return self

    def contains_key(self, key: str) -> bool:
        """
        Checks whether there is an entry with the specified key.

        :param key: Key of entry.
        :return: True if the key is stored, false otherwise.
        """
        return key in self._data

    def to_dict(self) -> Dict[str, str]:
        """
        Converts the configuration into a dict representation of string key-pair.

        :return: Dict representation of the configuration.
        """
        return {key: _to_string(value) for key, value in self._data.items()}

    def remove_config(self, key: str) -> bool:
        """
        Removes given config key from the configuration.

        :param key: The config key to remove.
        :return: True if config has been removed, false otherwise.
        """
        return self._data.pop(key, _MISSING) is not _MISSING

    def __deepcopy__(self, memodict=None):
        return Configuration(other=self)

    def __copy__(self):
        return Configuration(other=self)

    def __hash__(self):
        return hash(frozenset(self.to_dict().items()))

    def __eq__(self, other):
        if isinstance(other, Configuration):
            return self.to_dict() == other.to_dict()
        return False

    def __str__(self):
        return '{' + ', '.join('%s=%s' % item for item in self.to_dict().items()) + '}'

    def __repr__(self):
        return 'Configuration(%s)' % self


_MISSING = object()
