"""The data card (`README.md` of a release): what it holds, how it was built, what changed."""

from __future__ import annotations

from collections import Counter

import polars as pl

from broadsheet.release.candidate import Candidate
from broadsheet.release.datapackage import data_dictionary_markdown
from broadsheet.release.history import diff_markdown
from broadsheet.schema import dataset_meta, load_schemas, schema_version


def data_card(candidate: Candidate, documents: pl.DataFrame, previous: dict | None, diff: dict) -> str:
    """The release's README: Hugging Face front matter, what is inside, and the data dictionary."""
    meta = dataset_meta()
    languages = sorted(set(documents["language"].to_list()) - {"und"}) or ["en"]
    formats = ", ".join(f"{n} {fmt}" for fmt, n in sorted(Counter(documents["source_format"].to_list()).items()))
    empty = [name for name, info in candidate.tables.items() if info.rows == 0 and name != "rejects"]
    gaps = (
        "Empty in this release, though defined and validated: "
        + ", ".join(f"`{name}`" for name in empty)
        + ". Their extractors are not part of this build yet."
        if empty
        else "Every table has rows in this release."
    )
    schemas = load_schemas()
    configs = "\n".join(
        f"- config_name: {name}\n  data_files: {info.path}" + ("\n  default: true" if name == "documents" else "")
        for name, info in candidate.tables.items()
    )
    counts = "\n".join(
        f"| `{name}` | {info.rows} | {schemas[name].description.strip()} |" for name, info in candidate.tables.items()
    )
    n_docs = candidate.tables["documents"].rows
    size = "n<1K" if n_docs < 1000 else "1K<n<10K" if n_docs < 10_000 else "10K<n<100K" if n_docs < 100_000 else "100K<n<1M"
    language_lines = "\n".join(f"- {lang}" for lang in languages)
    previous_line = f"Previous release: `{previous['version']}`." if previous else "This is the first release in this folder."
    return f"""---
pretty_name: {meta["title"]}
license: {meta["license"].lower()}
language:
{language_lines}
size_categories:
- {size}
task_categories:
- token-classification
- text-classification
tags:
- news
- named-entities
- quotations
- attribution
- temporal-expressions
- timeml
configs:
{configs}
---

# {meta["title"]}

Release `{candidate.version}` of {candidate.release_date.isoformat()}, schema version
`{schema_version()}`. {previous_line}

{meta["description"].strip()}

## Tables

| table | rows | one row is |
|---|---|---|
{counts}

Every offset (`*_char`) is a character offset into `documents.text`, end-exclusive, so
`documents.text[start_char:end_char]` is the row's `surface`; the release was refused unless
every span matched and every key resolved. `manifest.json` lists every file with its SHA-256;
`validation/` holds the Great Expectations results and Data Docs of the checks this release
passed.

## Sources

Built from {candidate.tables["documents"].rows} documents ({formats}); inputs that could not become
documents are listed in `rejects` with the reason. Text cut as scraping debris is listed in
`cleaning_log`, with the rule that cut it.

## Changes

{diff_markdown(diff, meta.get("max_row_drop"))}

## Known gaps

{gaps}

## Loading

```python
import polars as pl
claims = pl.read_parquet("claims.parquet")
documents = pl.read_parquet("documents.parquet")
claims.join(documents.select("doc_id", "title", "published_date"), on="doc_id")
```

## Data dictionary

{data_dictionary_markdown(schemas)}
"""
