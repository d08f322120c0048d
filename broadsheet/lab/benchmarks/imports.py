"""Import hooks of the benchmarks: run something when a module has been executed.

A finder placed first on `sys.meta_path` asks the finders after it for a module's spec and
replaces the spec's `exec_module`, so that the benchmark can time the module's execution or wrap
its functions right after it ran, without importing anything the measured command would not.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from typing import Any


def spec_from_the_others(finder: Any, name: str, path, target=None) -> ModuleSpec | None:
    """The spec that the finders other than `finder` give for module `name`, or None."""
    for other in sys.meta_path:
        if other is finder or not hasattr(other, "find_spec"):
            continue
        spec = other.find_spec(name, path, target)
        if spec is not None:
            return spec
    return None


def wrap_execution(spec: ModuleSpec, wrap: Callable[[Callable], Callable]) -> bool:
    """Replace the spec's `exec_module` by `wrap(exec_module)`; False where the loader is shared
    by many modules (built-ins, frozen modules), which is left alone."""
    loader = spec.loader
    if loader is None or isinstance(loader, type) or not hasattr(loader, "exec_module"):
        return False
    loader.exec_module = wrap(loader.exec_module)
    return True
