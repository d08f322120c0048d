"""Prefect flows: one per stage, wired by `flows.pipeline.broadsheet_flow`.

Each flow reads as the table of contents of its stage; the work is done by the library
(`broadsheet.stages` and the modules it calls). Tasks pass `StageOutput`s (paths and hashes).
"""
