"""Measuring the extractors against annotated corpora: corpus readers and scoring commands.

Nothing here runs in the pipeline; each scoring module is a command that takes the corpora folder
as an argument and skips cleanly when it is absent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where a denominator is 0)."""
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def print_results(report: str, results: Mapping[str, Any], json_path: Path | None) -> int:
    """Print a command's report and, when asked, write its figures as JSON; the exit status."""
    print(report)
    if json_path:
        json_path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0
