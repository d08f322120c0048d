"""Giving freed memory back to the system, between the steps of a stage that each hold a lot.

A stage's rows are Python objects: a row's dict (about a kilobyte) is allocated by the C library's
malloc, which keeps what Python frees in its heap for the next allocation. But the tables are then
built by Polars and Arrow, which allocate through allocators of their own, so without giving those
pages back the run's peak is what Python held at its highest plus what Polars and Arrow hold while
a table is written. Measured on the extract stage of the 2,452 TempEval-3 silver articles (the
per-document results read from the cache), twice each: the stage's peak RSS went from 489 and
501 MiB to 435 and 440 MiB when the freed pages were returned after the claim clusters and as each
table was written, in the same time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from collections.abc import Callable

# Polars allocates through jemalloc and Arrow through mimalloc, and each keeps the pages of what it
# freed for seconds, to reuse them: a stage that builds a table, writes it and lets it go kept its
# pages while the next table was built beside them, so the run's memory rose with every table
# built. With these, freed pages go back to the system at once. On the extract stage's suite over
# 9,808 articles (every table made a pandas frame in turn), the process peaked at 636 MiB and
# kept 434 after it without them, 551 and 345 with them; a whole build of those articles peaked
# at 933 MiB instead of 1,092 with them and the suites' frames let go (`broadsheet.validate.suites`).
PROMPT_RETURN = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0", "MIMALLOC_PURGE_DELAY": "0"}


def return_freed_pages_promptly() -> None:
    """Ask Polars' and Arrow's allocators to give freed pages back at once (a value already set wins).

    The allocators read these settings once, as the library loads: call this before Polars or
    PyArrow is imported. Worker processes started afterwards inherit them.
    """
    for name, value in PROMPT_RETURN.items():
        os.environ.setdefault(name, value)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    # glibc's malloc_trim; other C libraries (musl, macOS, Windows) have no such call, and there
    # this is a no-op.
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> bool:
    """Return the pages the C library's heap holds free to the system; whether it could."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
