"""The data card (`README.md` of a release): what it holds, how it was built, what changed."""

from __future__ import annotations

from collections import Counter

import polars as pl

from broadsheet.release.candidate import Candidate
from broadsheet.release.datapackage import data_dictionary_markdown, source_groups, text_licenses
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
    # The Hugging Face `datasets` loader cannot build a split of no rows ("corresponds to no data"),
    # so an empty table is not offered as a config; the card names it below.
    configs = "\n".join(
        f"- config_name: {name}\n  data_files: {info.path}" + ("\n  default: true" if name == "documents" else "")
        for name, info in candidate.tables.items()
        if info.rows
    )
    unconfigured = [name for name, info in candidate.tables.items() if not info.rows]
    counts = "\n".join(
        f"| `{name}` | {info.rows} | {schemas[name].description.strip()} |" for name, info in candidate.tables.items()
    )
    n_docs = candidate.tables["documents"].rows
    size = "n<1K" if n_docs < 1000 else "1K<n<10K" if n_docs < 10_000 else "10K<n<100K" if n_docs < 100_000 else "100K<n<1M"
    language_lines = "\n".join(f"- {lang}" for lang in languages)
    sources = "\n".join(
        f"| `{g['title']}` | {g['broadsheet:documents']} |" for g in source_groups(documents["source_uri"].to_list())
    )
    texts = "\n".join(
        f"| `{t['source']}` | {t['documents']} | {t['license']} |"
        for t in text_licenses(documents["source_name"].to_list(), documents["text_license"].to_list())
    )
    licences = "\n".join(
        f"- [{entry['name']}]({entry['path']}): {' '.join(entry['covers'].split())}" for entry in meta["licenses"]
    )
    limitations = "\n".join(f"- {' '.join(item.split())}" for item in meta.get("limitations", [])) or "None recorded."
    own = meta["licenses"][0]
    previous_line = f"Previous release: `{previous['version']}`." if previous else "This is the first release in this folder."
    return f"""---
pretty_name: {meta["title"]}
license: other
license_name: {own["name"].lower()}-extractions-publisher-texts
license_link: {own["path"]}
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
`cleaning_log`, with the rule that cut it. Documents per source (a web host, or the folder a file
was read from):

| source | documents |
|---|---|
{sources}

## Licences

{licences}

{" ".join(meta["text_license"].split())}

| source | documents | licence of its article texts |
|---|---|---|
{texts}

## Limitations

Measured on annotated corpora that are not part of this release (the figures and the commands
that reproduce them are in the pipeline's README):

{limitations}

## Citation

Cite the release by its version (`{candidate.version}`); `CITATION.cff` in the pipeline's
repository gives the software's citation.

## Changes

{diff_markdown(diff, meta.get("max_row_drop"))}

## Known gaps

{gaps}

## Loading

{"Empty tables are not Hugging Face configs (its loader refuses a split of no rows): " + ", ".join(f"`{n}`" for n in unconfigured) + "." if unconfigured else "Every table is a Hugging Face config."}

```python
import polars as pl
claims = pl.read_parquet("claims.parquet")
documents = pl.read_parquet("documents.parquet")
claims.join(documents.select("doc_id", "title", "published_date"), on="doc_id")
# a claim's entities, one row per (claim, entity), through the bridge table
entities = pl.read_parquet("entities.parquet")
pl.read_parquet("claim_entities.parquet").join(claims, on="claim_id").join(
    entities.select("entity_id", "canonical_name", "entity_type"), on="entity_id"
)
# (the same pairs as the list column: claims.explode("entity_ids"))
```

Offsets count characters from 0, end-exclusive. In SQL engines whose strings count from 1
(DuckDB, Spark), a span is `substring(text, start_char + 1, end_char - start_char)`; pandas
reads nullable offsets as floats unless asked for nullable dtypes
(`pd.read_parquet(path, dtype_backend="numpy_nullable")`).

## Data dictionary

{data_dictionary_markdown(schemas)}
"""
