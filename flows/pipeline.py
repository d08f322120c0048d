"""Entry point of the whole pipeline as a Prefect flow, by path: `flows/pipeline.py:broadsheet_flow`.

The flow lives in the package, `broadsheet.flows.pipeline`; `broadsheet run` calls it.
"""

from broadsheet.flows.pipeline import broadsheet_flow

__all__ = ["broadsheet_flow"]
