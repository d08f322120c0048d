"""broadsheet: news articles in, a validated open dataset of documents, entities, claims and dates out.

The library holds pure functions (no Prefect inside); the Prefect flows in the top-level
``flows`` package only wire them together.
"""

__version__ = "0.1.0"
