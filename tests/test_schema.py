import datetime as dt
import textwrap

import polars as pl
import pyarrow as pa
import pytest

from broadsheet.frames import arrow_schema, conform, from_rows, polars_schema, sort_rows
from broadsheet.paths import schemas_dir
from broadsheet.schema import (
    NOT_TABLES,
    SchemaError,
    dataset_meta,
    load_fields,
    load_schema,
    load_schemas,
    schema_fingerprint,
    schema_version,
)

DATASET = """\
name: demo
title: Demo
schema_version: "2.1.0"
description: A demo dataset.
licenses:
  - {name: CC0-1.0, path: https://creativecommons.org/publicdomain/zero/1.0/, covers: everything}
text_license: The demo texts are CC0 too.
tables: [documents, notes]
"""
DOCUMENTS = """\
name: documents
description: One row per document.
release: true
primary_key: [doc_id]
columns:
  - name: doc_id
    type: string
    nullable: false
    unique: true
    description: Id.
  - name: text
    type: string
    nullable: false
    description: Text.
"""
NOTES = """\
name: notes
description: One row per note.
release: true
primary_key: [doc_id, start_char]
spans:
  - {start: start_char, end: end_char, text: surface}
columns:
  - name: doc_id
    type: string
    nullable: false
    references: documents.doc_id
    description: Document.
  - name: start_char
    type: int64
    nullable: false
    min: 0
    description: Start.
  - name: end_char
    type: int64
    nullable: false
    description: End.
  - name: surface
    type: string
    nullable: false
    description: Surface.
  - name: kind
    type: string
    nullable: true
    enum: [a, b]
    description: Kind.
  - name: tags
    type: list<string>
    nullable: false
    description: Tags.
  - name: day
    type: date
    nullable: true
    description: Day.
"""


def write_schemas(directory, **files):
    contents = {"dataset": DATASET, "documents": DOCUMENTS, "notes": NOTES, **files}
    for name, text in contents.items():
        if text is not None:
            (directory / f"{name}.yaml").write_text(textwrap.dedent(text))
    return directory


# --- the repository's schemas -------------------------------------------------------------------


def test_repository_schemas_load_with_release_tables_in_dataset_order():
    schemas = load_schemas()
    meta = dataset_meta()
    assert list(schemas)[: len(meta["tables"])] == meta["tables"]
    assert all(ts.release for ts in list(schemas.values())[: len(meta["tables"])])
    assert not any(ts.release for ts in list(schemas.values())[len(meta["tables"]) :])
    assert schema_version() == meta["schema_version"]


@pytest.mark.parametrize("name", sorted(p.stem for p in schemas_dir().glob("*.yaml") if p.name not in NOT_TABLES))
def test_every_repository_schema_gives_arrow_and_polars_schemas(name):
    ts = load_schema(name)
    schema = arrow_schema(ts)
    assert schema.names == [c.name for c in ts.columns]
    for col in ts.columns:
        field = schema.field(col.name)
        assert field.nullable == col.nullable
        assert field.metadata[b"description"].decode() == col.description.strip()
    assert list(polars_schema(ts)) == schema.names
    empty = from_rows([], ts)
    assert empty.height == 0 and dict(empty.schema) == polars_schema(ts)


# --- types and frames ----------------------------------------------------------------------------


@pytest.fixture
def notes(tmp_path):
    return load_schema("notes", write_schemas(tmp_path))


def note(**overrides):
    row = {"doc_id": "d1", "start_char": 0, "end_char": 2, "surface": "ab", "kind": None, "tags": [], "day": None}
    return {**row, **overrides}


def test_arrow_types_follow_the_yaml(notes):
    schema = arrow_schema(notes)
    assert schema.field("start_char").type == pa.int64()
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("day").type == pa.date32()
    assert not schema.field("doc_id").nullable and schema.field("kind").nullable


def test_from_rows_builds_typed_columns_and_accepts_iso_dates(notes):
    df = from_rows([note(day="2020-01-03", tags=("x",)), note(start_char=5, day=dt.date(2021, 2, 1))], notes)
    assert df.schema["day"] == pl.Date and df["day"].to_list() == [dt.date(2020, 1, 3), dt.date(2021, 2, 1)]
    assert df["tags"].to_list() == [["x"], []]


def test_from_rows_rejects_missing_and_unexpected_keys(notes):
    row = note()
    del row["surface"]
    with pytest.raises(SchemaError, match=r"row 0: missing surface"):
        from_rows([row], notes)
    with pytest.raises(SchemaError, match=r"row 1: unexpected colour"):
        from_rows([note(), note(colour="red")], notes)


def test_from_rows_rejects_values_of_the_wrong_type(notes):
    with pytest.raises(SchemaError, match="column 'start_char'"):
        from_rows([note(start_char="zero")], notes)


def test_conform_orders_columns_and_makes_lossless_casts(notes):
    df = pl.DataFrame(
        {
            "day": ["2020-01-03"],
            "tags": [["x"]],
            "kind": pl.Series([None], dtype=pl.Null),
            "surface": ["ab"],
            "end_char": pl.Series([2], dtype=pl.Int32),
            "start_char": [0.0],
            "doc_id": ["d1"],
        }
    )
    out = conform(df, notes)
    assert out.columns == [c.name for c in notes.columns]
    assert dict(out.schema) == polars_schema(notes)
    assert out.row(0) == ("d1", 0, 2, "ab", None, ["x"], dt.date(2020, 1, 3))


def test_conform_names_missing_and_unexpected_columns(notes):
    df = from_rows([note()], notes).drop("surface", "kind").with_columns(extra=pl.lit(1))
    with pytest.raises(SchemaError, match=r"missing columns: surface, kind; unexpected columns: extra"):
        conform(df, notes)


@pytest.mark.parametrize(
    ("column", "values"),
    [("start_char", [0.5]), ("start_char", ["0"]), ("surface", [1]), ("day", ["03/01/2020"]), ("tags", [[1]])],
)
def test_conform_refuses_casts_that_could_change_a_value(notes, column, values):
    df = from_rows([note()], notes).with_columns(pl.Series(column, values))
    with pytest.raises(SchemaError, match=f"column '{column}'"):
        conform(df, notes)


def test_sort_rows_uses_sort_by_then_is_stable(notes):
    df = from_rows([note(doc_id="d2"), note(start_char=3), note()], notes)
    assert sort_rows(df, notes).select("doc_id", "start_char").rows() == [("d1", 0), ("d1", 3), ("d2", 0)]
    assert notes.sort_by == notes.primary_key


# --- checking the YAML ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notes_yaml", "message"),
    [
        (NOTES.replace("    min: 0\n", "    minimum: 0\n"), r"notes\.yaml: columns\.start_char\.minimum: unknown key"),
        (NOTES.replace("type: date", "type: datetime"), r"notes\.yaml: columns\.day\.type: unknown type 'datetime'"),
        (NOTES.replace("    min: 0\n", "    enum: [a]\n"), r"notes\.yaml: columns\.start_char\.enum: only string columns"),
        (NOTES.replace("    enum: [a, b]\n", "    min: 1\n"), r"notes\.yaml: columns\.kind\.min: only numeric columns"),
        (
            NOTES.replace("references: documents.doc_id", "references: articles.doc_id"),
            r"columns\.doc_id\.references: no table 'articles'",
        ),
        (
            NOTES.replace("references: documents.doc_id", "references: documents.id"),
            r"columns\.doc_id\.references: table 'documents' has no column 'id'",
        ),
        (NOTES.replace("text: surface}", "text: snippet}"), r"notes\.yaml: spans\[0\]\.text: no column 'snippet'"),
        (
            NOTES.replace("primary_key: [doc_id, start_char]", "primary_key: [doc_id, kind]"),
            r"primary_key: column 'kind' is nullable",
        ),
        (NOTES.replace("name: notes\n", "name: remarks\n", 1), r"name: 'remarks' differs from the file name"),
        (NOTES.replace("release: true\n", "release: true\nowner: me\n"), r"notes\.yaml: owner: unknown key"),
        (NOTES + "  - name: kind\n    type: string\n    nullable: true\n    description: Again.\n", r"'kind' is defined twice"),
        (
            NOTES.replace("    description: End.\n", "    derived: md5(surface)\n    description: End.\n"),
            r"columns\.end_char\.derived: must be FUNCTION\(column\)",
        ),
        (
            NOTES.replace("    description: End.\n", "    derived: chars(text)\n    description: End.\n"),
            r"columns\.end_char\.derived: 'text' is not a string column",
        ),
    ],
)
def test_malformed_yaml_is_refused_with_file_and_key(tmp_path, notes_yaml, message):
    write_schemas(tmp_path, notes=notes_yaml)
    with pytest.raises(SchemaError, match=message):
        load_schema("notes", tmp_path)
    with pytest.raises(SchemaError, match=message):
        load_schemas(tmp_path)


def test_dataset_must_list_exactly_the_release_tables(tmp_path):
    write_schemas(tmp_path, dataset=DATASET.replace("[documents, notes]", "[documents]"))
    with pytest.raises(SchemaError, match="release tables missing from the list: notes"):
        load_schemas(tmp_path)
    write_schemas(tmp_path, dataset=DATASET.replace("[documents, notes]", "[documents, notes, claims]"))
    with pytest.raises(SchemaError, match=r"tables\[2\]: no schema file claims\.yaml"):
        load_schemas(tmp_path)


def test_invalid_yaml_syntax_names_the_file(tmp_path):
    write_schemas(tmp_path, documents=DOCUMENTS.replace("description: Text.", "description: Text: more."))
    with pytest.raises(SchemaError, match=r"documents\.yaml: not valid YAML"):
        load_schemas(tmp_path)


def test_fingerprint_follows_content_not_layout(tmp_path):
    write_schemas(tmp_path)
    first = schema_fingerprint(tmp_path)
    (tmp_path / "notes.yaml").write_text("# a comment\n" + NOTES)
    assert schema_fingerprint(tmp_path) == first
    (tmp_path / "notes.yaml").write_text(NOTES.replace("description: Kind.", "description: The kind."))
    assert schema_fingerprint(tmp_path) != first
    assert schema_version(tmp_path) == "2.1.0"


FIELDS = """\
fields:
  doc_id:
    type: string
    pattern: '^d_[0-9]+$'
    description: A document's id.
  start_char:
    type: int64
    nullable: false
    min: 0
    description: Start.
"""


def test_a_shared_field_is_defined_once_and_a_column_adds_or_overrides_the_rest(tmp_path):
    notes = NOTES.replace(
        "  - name: doc_id\n    type: string\n    nullable: false\n    references: documents.doc_id\n    description: Document.\n",
        "  - field: doc_id\n    nullable: false\n    references: documents.doc_id\n",
    ).replace(
        "  - name: start_char\n    type: int64\n    nullable: false\n    min: 0\n    description: Start.\n",
        "  - field: start_char\n",
    )
    assert "field: doc_id" in notes and "field: start_char" in notes
    write_schemas(tmp_path, fields=FIELDS, notes=notes)
    doc_id = load_schemas(tmp_path)["notes"].column("doc_id")
    assert (doc_id.type, doc_id.pattern, doc_id.nullable, doc_id.references) == (
        "string",
        "^d_[0-9]+$",
        False,
        "documents.doc_id",
    )
    assert doc_id.description == "A document's id."
    assert load_schemas(tmp_path)["notes"].column("start_char").min == 0
    assert "fields" not in load_schemas(tmp_path)


def test_moving_a_column_into_a_shared_field_leaves_the_fingerprint_alone(tmp_path):
    write_schemas(tmp_path)
    before = schema_fingerprint(tmp_path)
    notes = NOTES.replace(
        "  - name: start_char\n    type: int64\n    nullable: false\n    min: 0\n    description: Start.\n",
        "  - field: start_char\n",
    )
    write_schemas(tmp_path, fields=FIELDS, notes=notes)
    assert schema_fingerprint(tmp_path) == before


@pytest.mark.parametrize(
    ("fields", "column", "message"),
    [
        (FIELDS, "  - field: nowhere\n", r"notes\.yaml: columns\[\d\]\.field: no field 'nowhere' in fields\.yaml"),
        (FIELDS, "  - field: start_char\n    name: start_char\n", r"give `name` or `field`, not both"),
        (
            "fields:\n  start_char: {type: int64, description: S., colour: red}\n",
            "  - field: start_char\n",
            r"fields\.yaml: fields\.start_char\.colour: unknown key",
        ),
        (
            "fields:\n  start_char: {type: number, description: S.}\n",
            "  - field: start_char\n",
            r"fields\.yaml: .*unknown type 'number'",
        ),
    ],
)
def test_a_bad_shared_field_names_the_file_and_key(tmp_path, fields, column, message):
    notes = NOTES.replace(
        "  - name: start_char\n    type: int64\n    nullable: false\n    min: 0\n    description: Start.\n", column
    )
    write_schemas(tmp_path, fields=fields, notes=notes)
    with pytest.raises(SchemaError, match=message):
        load_schemas(tmp_path)


def test_the_repository_fields_are_used_by_more_than_one_table():
    # A field only one table uses is a column of that table, not a shared field.
    users = {name: 0 for name in load_fields()}
    for ts in load_schemas().values():
        for col in ts.columns:
            if col.name in users:
                users[col.name] += 1
    assert {name: n for name, n in users.items() if n < 2} == {}


def test_row_violations_name_what_the_suite_would_refuse():
    from broadsheet.frames import row_violations
    from broadsheet.schema import load_schema

    ts = load_schema("rejects")
    good = {
        "reject_id": "r_" + "0" * 16,
        "source_uri": "a.txt",
        "source_name": "inbox",
        "text_license": None,
        "doc_id": None,
        "source_format": "txt",
        "stage": "ingest",
        "reason": "too_large",
        "detail": "big",
        "raw_sha256": None,
    }
    assert row_violations(good, ts) == []
    bad = {**good, "stage": "publish", "reject_id": "x", "detail": None}
    problems = row_violations(bad, ts)
    assert any("stage 'publish' is not one of" in p for p in problems)
    assert any("reject_id 'x' does not match" in p for p in problems)
    assert "detail is null" in problems
