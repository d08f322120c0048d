"""broadsheet: news articles in, a validated open dataset of documents, entities, claims and dates out.

The library holds pure functions (no Prefect inside); the Prefect flows in the top-level
``flows`` package only wire them together.
"""

from broadsheet.version import __version__

__all__ = ["__version__", "load"]


def __getattr__(name: str):
    # `broadsheet.load(...)` without importing the download machinery on every `import broadsheet`.
    if name == "load":
        from broadsheet.download import load

        return load
    raise AttributeError(f"module 'broadsheet' has no attribute {name!r}")
