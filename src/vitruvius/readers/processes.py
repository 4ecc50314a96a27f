"""Whether a reader may hand work to other processes."""

from __future__ import annotations

import os


def may_start_processes() -> bool:
    """True when this process has more than one core to give worker processes and may start them: a daemon
    process (itself a multiprocessing worker, as when a library user calls vitruvius from a pool) may not."""
    if (os.cpu_count() or 1) < 2:
        return False
    import multiprocessing  # loaded only by a run large enough to want workers

    return not multiprocessing.current_process().daemon
