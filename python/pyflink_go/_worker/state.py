"""Keyed state a worker holds for one stream: the reduce accumulators by encoded key."""

__all__ = ['KeyedState', 'REDUCE_STATE']

# The state name of the reduce accumulator in Batch.State / Result.State.
REDUCE_STATE = 'reduce'


class KeyedState(object):
    """Accumulators by encoded key (bytes), and which keys changed since the last write-back.

    Keys are the engine's encoded keys, not decoded objects: values that are
    equal in Python but encode differently (1 and 1.0, say) are different keys,
    as they are for the engine's partitioning.
    """

    def __init__(self):
        self.accumulators = {}
        self.changed = set()

    def install(self, entries):
        """Installs ``[key, name, value]`` entries from the engine; a None value clears the key."""
        for key, name, value in entries:
            if name != REDUCE_STATE:
                raise ValueError('unknown state name %r' % (name,))
            if value is None:
                self.accumulators.pop(key, None)
            else:
                self.accumulators[key] = value

    def write_back(self, evict):
        """Returns ``[key, name, value]`` entries for changed and evicted keys, and drops the evicted ones.

        Evicted keys the worker does not hold are reported as cleared (value None).
        """
        accumulators = self.accumulators
        keys = self.changed.union(evict) if evict else self.changed
        entries = [[key, REDUCE_STATE, accumulators.get(key)] for key in sorted(keys)]
        self.changed.clear()  # in place: the reduce stage holds this set
        if evict:
            for key in evict:
                accumulators.pop(key, None)
        return entries

    def final_keys(self):
        """The keys held, in the order of their encodings (BATCH mode's final emission order)."""
        return sorted(self.accumulators)
