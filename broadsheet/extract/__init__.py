"""Extractors: per-document functions that find entities, claims and dates as exact text spans."""
