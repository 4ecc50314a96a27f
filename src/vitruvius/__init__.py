"""vitruvius: a backend architecture specialist as software."""

__version__ = "0.1.0"
