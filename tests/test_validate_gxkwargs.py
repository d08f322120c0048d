"""The one-reading kwargs helpers return what GX's own return, on every expectation the suites make."""

import pytest

from broadsheet.schema import load_schemas
from broadsheet.validate import gxkwargs
from broadsheet.validate.suites import load_great_expectations, suite_for


@pytest.fixture(scope="module")
def expectations():
    load_great_expectations()
    found = [e for ts in load_schemas().values() for e in suite_for(ts).expectations]
    assert len(found) > 100
    return found


def test_the_helpers_are_installed_on_the_pinned_release():
    import great_expectations as gx
    from great_expectations.expectations.expectation import Expectation

    load_great_expectations()
    if gx.__version__ != gxkwargs.PATCHED_RELEASE:
        pytest.skip(f"GX {gx.__version__} keeps its own helpers")
    for name, replacement in gxkwargs.REPLACEMENTS.items():
        assert getattr(Expectation, name) is replacement


@pytest.mark.parametrize("name", ["_get_domain_kwargs", "_get_success_kwargs"])
def test_kwargs_dicts_match_the_originals(expectations, name):
    original = gxkwargs.original(name)
    for expectation in expectations:
        assert getattr(expectation, name)() == original(expectation), type(expectation).__name__


def test_single_kwarg_matches_the_original(expectations):
    original = gxkwargs.original("_get_success_kwarg")
    for expectation in expectations:
        keys = set(expectation.domain_keys) | set(expectation.success_keys) | {"result_format", "no_such_key"}
        for key in sorted(keys):
            assert expectation._get_success_kwarg(key, "default") == original(expectation, key, "default")


def test_another_release_is_left_alone(monkeypatch):
    class Other:
        __version__ = "0.0.1"

    from great_expectations.expectations.expectation import Expectation

    monkeypatch.delattr(Expectation, gxkwargs._PATCHED, raising=False)
    monkeypatch.setattr(Expectation, "_get_domain_kwargs", gxkwargs.original("_get_domain_kwargs"))
    assert gxkwargs.apply(Other) is False
    assert Expectation._get_domain_kwargs is gxkwargs.original("_get_domain_kwargs")


def test_a_configuration_is_built_once_within_a_validation_and_afresh_outside(expectations):
    import great_expectations as gx

    if gx.__version__ != gxkwargs.PATCHED_RELEASE:
        pytest.skip(f"GX {gx.__version__} keeps its own helpers")
    expectation = expectations[0]
    assert expectation.configuration is not expectation.configuration
    with gxkwargs.one_configuration_per_validation():
        first = expectation.configuration
        assert expectation.configuration is first
        assert first == gxkwargs.original("configuration").fget(expectation)
    assert expectation.configuration is not first
