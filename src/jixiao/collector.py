"""Collector settings for the commands that check many files (``check``, ``import``), not the library.

A program that calls ``run_check`` or ``check_file`` keeps its own collector; the commands opt in.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["batch_collector", "fewer_collections"]

# The youngest generation is collected after this many new container objects instead of CPython's 700.
_GEN0_THRESHOLD = 10_000


def fewer_collections() -> None:
    """Collector settings for a process that checks files: fewer, cheaper collections.

    Checking one report makes tens of thousands of short-lived objects (quantities, figures, locations)
    and next to no reference cycles: over 1,500 reports the collector finds about 200 cyclic objects to
    free. At the default threshold it runs every 700 allocations and each time walks the young objects,
    and now and then everything the imports, frameworks and caches made. Freezing that (``gc.freeze``:
    the collector no longer walks it) and collecting the young every 10,000 allocations takes about 8%
    off the CPU time of a check with the same peak memory (bench/bench_check.py prints both figures).
    A process that froze objects itself keeps them as they are: nothing more is frozen. The command sets
    this, not the library: a program that calls ``run_check`` keeps its own collector."""
    if not gc.get_freeze_count():
        gc.freeze()
    gc.set_threshold(_GEN0_THRESHOLD, *gc.get_threshold()[1:])


# The settings batch_collector found, kept while any run is under way: runs may overlap (two threads of
# a program, a run inside a run), and the settings come back only when the last of them ends.
_collector_lock = threading.Lock()
_collector_runs = 0
_collector_saved: tuple[tuple[int, int, int], bool] = ((0, 0, 0), False)


@contextmanager
def batch_collector() -> Iterator[None]:
    """``fewer_collections`` for the duration of a run, then the caller's settings again (a library
    caller, a test, keeps its process as it was): the threshold, and nothing left frozen that was not."""
    global _collector_runs, _collector_saved
    with _collector_lock:
        if not _collector_runs:
            _collector_saved = (gc.get_threshold(), not gc.get_freeze_count())
            fewer_collections()
        _collector_runs += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_runs -= 1
            if not _collector_runs:
                threshold, froze = _collector_saved
                gc.set_threshold(*threshold)
                if froze:
                    gc.unfreeze()
