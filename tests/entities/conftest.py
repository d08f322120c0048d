"""Fixtures shared by the entity tests."""

from __future__ import annotations

import pytest

from broadsheet.entities.recognizer import DEFAULT_MODEL_DIR, ensemble_members, load_recognizer


@pytest.fixture(scope="session")
def recognizer():  # noqa: ANN201
    """The shipped model, loaded once (about a second); tests that change it load their own."""
    if not ensemble_members(DEFAULT_MODEL_DIR):
        pytest.fail(f"the shipped model is missing from {DEFAULT_MODEL_DIR}")
    return load_recognizer()
