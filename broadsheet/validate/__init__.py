"""The validate stage: Great Expectations suites generated from `schemas/`.

- `stage.py`: validate one stage's tables, or the release candidate, and refuse what fails;
- `suites.py`: a table's schema as a GX suite, running it, and failures in words;
- `checks.py`: the checks GX cannot express alone (list elements, foreign keys, spans, derived
  values, counts, coverage), computed in Polars as boolean columns that GX then checks.
"""
