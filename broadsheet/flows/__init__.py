"""Prefect flows: one per stage, wired by `broadsheet.flows.pipeline.broadsheet_flow`.

Each flow reads as the table of contents of its stage; the work is done by the stage's
`stage.py` in the library (`broadsheet.<stage>.stage`). Tasks pass `StageOutput`s (paths and
hashes), never data frames. The top-level `flows/` folder of the repository holds the deployment
entry points (`prefect.yaml` names `flows/refresh.py:refresh_flow`).
"""

from broadsheet.memory import return_freed_pages_promptly

# Runs before any flow module imports Polars and PyArrow, whether the flows are reached through
# `broadsheet run` or a deployment's entry file (see broadsheet.memory).
return_freed_pages_promptly()
