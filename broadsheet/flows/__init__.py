"""Prefect flows: one per stage, wired by `broadsheet.flows.pipeline.broadsheet_flow`.

Each flow reads as the table of contents of its stage; the work is done by the stage's
`stage.py` in the library (`broadsheet.<stage>.stage`). Tasks pass `StageOutput`s (paths and
hashes), never data frames. The top-level `flows/` folder of the repository holds the deployment
entry points (`prefect.yaml` names `flows/refresh.py:refresh_flow`).
"""
