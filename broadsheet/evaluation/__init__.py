"""Measuring the extractors against annotated corpora: corpus readers and scoring commands.

Nothing here runs in the pipeline; each scoring module is a command that takes the corpora folder
as an argument and skips cleanly when it is absent.
"""
