"""A module the udf tests pickle functions from by reference, to test imports in workers."""


def double(x):
    """Returns x * 2."""
    return x * 2
