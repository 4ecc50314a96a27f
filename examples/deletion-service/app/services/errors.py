class NotFound(Exception):
    """The thing asked for does not exist."""


class Conflict(Exception):
    """The request clashes with the current state (a duplicate, a transition that is not allowed)."""
