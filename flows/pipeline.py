"""Entry point of the whole pipeline as a Prefect flow, by path: `flows/pipeline.py:broadsheet_flow`.

The flow lives in the package, `broadsheet.flows.pipeline`; `broadsheet run` calls it.
"""

from broadsheet.memory import return_freed_pages_promptly

# Before the flow's modules import Polars and PyArrow (see broadsheet.memory).
return_freed_pages_promptly()

from broadsheet.flows.pipeline import broadsheet_flow  # noqa: E402

__all__ = ["broadsheet_flow"]
