"""A time budget for one document's work, so that no single input can stall a run.

The per-document steps (cleaning one record; recognizing, extracting claims and dates from one
text) are linear in the text's length for any input we know of, but a run must not depend on
that: a document whose step runs past its budget is stopped and becomes a `too_slow` reject, and
the run goes on with the next one.

The budget is enforced with a real-time interval timer (SIGALRM), which interrupts pure-Python
work between bytecodes wherever it is. Signals are delivered to the main thread only, which is
where `broadsheet run`, Prefect's tasks of it and the scheduled refresh run the stages; called from
another thread, the step cannot be interrupted, so it is judged when it ends instead (the document
is still rejected, only later). The default, 120 s per document per stage, is more than twenty
times what a long news article (100,000 characters) takes on one core; set
``BROADSHEET_DOCUMENT_BUDGET_S`` to change it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator

DEFAULT_BUDGET_S = 120.0
ENVIRONMENT_VARIABLE = "BROADSHEET_DOCUMENT_BUDGET_S"


class TooSlow(BaseException):
    """A document's step ran past its budget.

    A BaseException, not an Exception: the steps it interrupts (the recognizer's batching, the
    cleaner's rules) catch ``Exception`` to fall back to slower paths, and must not swallow it.
    """

    def __init__(self, budget_s: float) -> None:
        super().__init__(f"stopped after its time budget of {budget_s:g} s per document")
        self.budget_s = budget_s


def document_budget_s() -> float:
    """The budget in seconds: ``BROADSHEET_DOCUMENT_BUDGET_S`` when set (a positive number), else 120."""
    raw = os.environ.get(ENVIRONMENT_VARIABLE)
    if raw is None or not raw.strip():
        return DEFAULT_BUDGET_S
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{ENVIRONMENT_VARIABLE} must be a number of seconds, not {raw!r}") from None
    if not value > 0:
        raise ValueError(f"{ENVIRONMENT_VARIABLE} must be positive, not {raw!r}")
    return value


@contextlib.contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise :class:`TooSlow` inside the block once it has run `seconds` (default: the configured budget)."""
    budget = document_budget_s() if seconds is None else seconds
    interruptible = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    # A budget inside a budget (a stage calling another step that has its own) keeps the outer
    # timer, which is the one that bounds the document.
    if interruptible and signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        interruptible = False
    started = time.monotonic()
    if not interruptible:
        yield
        if time.monotonic() - started > budget:
            raise TooSlow(budget)
        return

    def on_alarm(signum, frame):  # noqa: ARG001 - the signal handler's signature
        raise TooSlow(budget)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
