"""Stable identifiers: the same inputs give the same id on any machine, in any run."""

from __future__ import annotations

import hashlib


def stable_id(prefix: str, *parts: object) -> str:
    """`<prefix>_` + 16 hex digits of SHA-256 over the parts (joined by a unit separator)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"
