"""One reading of an expectation's configuration per kwargs lookup, in Great Expectations 1.x.

GX rebuilds an expectation's whole configuration (a pydantic `.dict()`, a deep copy and a new
`ExpectationConfiguration`) each time its `configuration` property is read, and its kwargs helpers
read it once per key inside a comprehension: `_get_domain_kwargs` once per domain key,
`_get_success_kwargs` once per success key (after the domain ones again), `_get_success_kwarg`
twice. Validating the seeds release (303 expectations) read it about 30,000 times, a quarter of
the suites' CPU time. The replacements below read it once per call and return exactly what the
originals return: the configuration is a pure function of the expectation, which none of these
helpers modify. `tests/test_validate_gxkwargs.py` holds them against the originals on every
expectation the suites generate.

Beyond those helpers GX still read configurations about 20,000 times to validate the seeds
release's 303 expectations (building each expectation's metric dependencies reads it again and
again), about a third of the suite's time. Within :func:`one_configuration_per_validation`, which
the suites wrap around each validation, an expectation's configuration is built once and the same
object handed to every later read. That is safe there because the expectations GX validates are
made afresh from the suite for that validation (`to_domain_obj`) and nothing in GX changes an
expectation or the configuration it reads while validating (it copies the configuration before
adding the batch id); outside the block every read builds a new one, as GX does.

Applied once, when `broadsheet.validate.suites` first imports GX, and only to the GX release whose
helpers these were read from: another release keeps its own (slower, and still correct) helpers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

# The release whose helpers were read; the pin in pyproject.toml.
PATCHED_RELEASE = "1.24.1"
_PATCHED = "_broadsheet_one_configuration_read"


def _get_domain_kwargs(self: Any) -> dict[str, Any]:
    kwargs = self.configuration.kwargs
    return {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}


def _get_success_kwargs(self: Any) -> dict[str, Any]:
    kwargs = self.configuration.kwargs
    success = {key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys}
    success.update({key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys})
    return success


def _get_success_kwarg(self: Any, key: str, default: Any = None) -> Any:
    kwargs = self.configuration.kwargs
    if key in kwargs:
        return kwargs[key]
    return _ORIGINALS["_get_success_kwarg"](self, key, default)


# id(expectation) -> (expectation, its configuration), while a validation runs; the expectation is
# held so that its id cannot be reused by another object before the block ends.
_READ: ContextVar[dict[int, tuple[Any, Any]] | None] = ContextVar("broadsheet_gx_configurations", default=None)


def _configuration(self: Any) -> Any:
    build = _ORIGINALS["configuration"].fget
    read = _READ.get()
    if read is None:
        return build(self)
    held = read.get(id(self))
    if held is None or held[0] is not self:
        held = read[id(self)] = (self, build(self))
    return held[1]


@contextlib.contextmanager
def one_configuration_per_validation() -> Iterator[None]:
    """Within the block, each expectation's configuration is built once (see the module's docstring)."""
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


_ORIGINALS: dict[str, Any] = {}
REPLACEMENTS = {
    "_get_domain_kwargs": _get_domain_kwargs,
    "_get_success_kwargs": _get_success_kwargs,
    "_get_success_kwarg": _get_success_kwarg,
    "configuration": property(_configuration),
}


def apply(gx: Any) -> bool:
    """Install the replacements on GX's `Expectation` class; True if they are in place."""
    from great_expectations.expectations.expectation import Expectation

    if getattr(Expectation, _PATCHED, False):
        return True
    if getattr(gx, "__version__", None) != PATCHED_RELEASE:
        return False
    for name, replacement in REPLACEMENTS.items():
        _ORIGINALS[name] = getattr(Expectation, name)
        setattr(Expectation, name, replacement)
    setattr(Expectation, _PATCHED, True)
    return True


def original(name: str) -> Any:
    """GX's own helper `name`, as it was before `apply` (for the tests)."""
    from great_expectations.expectations.expectation import Expectation

    return _ORIGINALS.get(name, getattr(Expectation, name))
