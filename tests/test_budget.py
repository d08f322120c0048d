"""The per-document time budget stops a runaway step and names the document, without Prefect."""

from __future__ import annotations

import threading
import time

import pytest

from broadsheet.budget import ENVIRONMENT_VARIABLE, TooSlow, document_budget_s, time_budget


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_step_past_its_budget_is_interrupted_in_the_main_thread():
    with pytest.raises(TooSlow) as caught, time_budget(0.05):
        _spin(30)  # would take 30 s; interrupted long before
    assert "0.05 s" in str(caught.value)


def test_too_slow_is_not_swallowed_by_handlers_of_ordinary_errors():
    with pytest.raises(TooSlow), time_budget(0.05):
        try:
            _spin(30)
        except Exception:  # what a fallback path in a step looks like
            pytest.fail("TooSlow was caught as an ordinary error")


def test_a_step_within_its_budget_is_untouched_and_the_timer_is_cleared():
    import signal

    with time_budget(5):
        value = sum(range(1000))
    assert value == 499500
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_outside_the_main_thread_an_overrun_is_judged_when_the_step_ends():
    outcome = {}

    def work():
        try:
            with time_budget(0.01):
                _spin(0.05)
        except TooSlow as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert isinstance(outcome.get("error"), TooSlow)


def test_the_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    assert document_budget_s() == 120.0
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "2.5")
    assert document_budget_s() == 2.5
    for bad in ("soon", "0", "-3"):
        monkeypatch.setenv(ENVIRONMENT_VARIABLE, bad)
        with pytest.raises(ValueError, match=ENVIRONMENT_VARIABLE):
            document_budget_s()
