"""Writing a stage's tables: each table's rows are let go once the table is on disk."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from broadsheet.schema import load_schemas
from broadsheet.stageio import save, with_reject_ids
from broadsheet.tableio import read_table


def _reject(uri: str) -> dict:
    return {
        "source_uri": uri,
        "source_format": "txt",
        "stage": "clean",
        "reason": "empty_after_cleaning",
        "detail": "no text left",
        "raw_sha256": None,
        "doc_id": None,
    }


def test_save_writes_every_table_and_empties_the_dict_it_was_given(tmp_path):
    tables = {"rejects": [_reject("a.txt"), _reject("b.txt")]}
    out = save("clean", tmp_path, tables)
    assert tables == {}  # the rows are let go as each table is written
    assert out.files["rejects"].rows == 2
    written = read_table(out.path("rejects"), load_schemas()["rejects"]).to_dicts()
    assert sorted(r["source_uri"] for r in written) == ["a.txt", "b.txt"] and all(r["reject_id"] for r in written)
    # a mapping that is not a dict is read, not emptied
    kept = {"rejects": [_reject("c.txt")]}
    save("clean", tmp_path, MappingProxyType(kept))
    assert kept == {"rejects": [_reject("c.txt")]}


def test_a_stages_rows_become_one_table_each():
    from broadsheet.clean.documents import CleanStageRows
    from broadsheet.stageio import tables_of

    rows = CleanStageRows(documents=[], cleaning_log=[], rejects=[_reject("a.txt")])
    tables = tables_of(rows)
    assert set(tables) == {"documents", "cleaning_log", "rejects", "sentences"} <= set(load_schemas())
    assert tables["rejects"] is rows.rejects  # the very lists, not copies


def _extracted(doc_id: str, n: int) -> dict:
    return {"doc_id": doc_id, "text_sha256": "0" * 64, "n_mentions": n, "n_claims": 0, "n_dates": n}


def test_rows_held_as_columns_read_back_as_the_rows_and_write_the_same_file(tmp_path):
    from broadsheet.frames import ColumnRows

    ts = load_schemas()["extracted"]
    rows = [_extracted("d_2", 3), _extracted("d_1", 0)]
    held = ColumnRows.of(rows, ts)
    assert len(held) == 2 and list(held) == rows and held[1] == rows[1] and held[-1] == rows[1]
    assert held[:1] == rows[:1] and held == rows and held == ColumnRows.of(rows, ts)
    assert held != [_extracted("d_2", 3), _extracted("d_1", 1)]
    assert ColumnRows.of(held, ts) is held  # columns already: not built again
    with pytest.raises(IndexError):
        held[2]
    as_dicts = save("extract", tmp_path / "a", {"extracted": rows})
    as_columns = save("extract", tmp_path / "b", {"extracted": held})
    assert as_columns.files["extracted"].sha256 == as_dicts.files["extracted"].sha256


def test_a_row_that_does_not_fit_its_table_is_refused_when_held_as_columns():
    from broadsheet.frames import ColumnRows
    from broadsheet.schema import SchemaError

    with pytest.raises(SchemaError, match="n_claims"):
        ColumnRows.of([{**_extracted("d_1", 0), "n_claims": "many"}], load_schemas()["extracted"])


def test_tables_on_disk_are_read_when_looked_up_and_never_held(tmp_path):
    from broadsheet.tableio import TablesOnDisk

    out = save("clean", tmp_path, {"rejects": [_reject("a.txt")]})
    tables = TablesOnDisk({"rejects": out.path("rejects")}, load_schemas())
    assert list(tables) == ["rejects"] and len(tables) == 1 and "rejects" in tables
    first = tables["rejects"]
    assert first.to_dicts()[0]["source_uri"] == "a.txt"
    assert tables["rejects"] is not first  # each lookup reads the file again: nothing is kept
    assert tables.columns("rejects", ["stage", "source_uri"]).columns == ["stage", "source_uri"]
    out.path("rejects").unlink()
    assert list(tables) == ["rejects"] and "rejects" in tables  # listing or asking reads none of them
    with pytest.raises(FileNotFoundError):
        tables["rejects"]


def test_tables_on_disk_look_up_held_tables_beside_the_files(tmp_path):
    import polars as pl

    from broadsheet.schema import SchemaError
    from broadsheet.tableio import TablesOnDisk, table_columns

    out = save("clean", tmp_path, {"rejects": [_reject("a.txt")]})
    held = pl.DataFrame({"doc_id": ["d_1"], "n_claims": [2]})
    tables = TablesOnDisk({"rejects": out.path("rejects")}, load_schemas(), held={"extracted": held})
    assert sorted(tables) == ["extracted", "rejects"] and len(tables) == 2 and "extracted" in tables
    assert tables["extracted"] is held
    assert table_columns(tables, "extracted", ["n_claims"]).to_dicts() == [{"n_claims": 2}]
    assert table_columns({"t": held}, "t", ["doc_id"]).to_dicts() == [{"doc_id": "d_1"}]
    with pytest.raises(SchemaError, match="no columns nonsense"):
        tables.columns("rejects", ["nonsense"])


def test_a_table_written_a_row_group_at_a_time_is_the_table_sorted(tmp_path, monkeypatch):
    import polars as pl
    import pyarrow.parquet as pq

    from broadsheet import tableio
    from broadsheet.frames import ColumnRows, sort_rows

    ts = load_schemas()["rejects"]
    rows = with_reject_ids([_reject(f"{name}.txt") for name in ["q", "c", "x", "a", "m", "b", "z"]])
    frame = ColumnRows.of(rows, ts).frame
    whole = tableio.write_table(frame, ts, tmp_path / "whole.parquet")
    monkeypatch.setattr(tableio, "ROW_GROUP_SIZE", 3)
    info = tableio.write_table(frame, ts, tmp_path / "groups.parquet")
    assert pq.ParquetFile(tmp_path / "groups.parquet").metadata.num_row_groups == 3  # 3 + 3 + 1 rows
    assert pq.ParquetFile(tmp_path / "whole.parquet").metadata.num_row_groups == 1
    assert info.rows == whole.rows == 7
    back = pl.read_parquet(tmp_path / "groups.parquet")
    assert back.equals(pl.read_parquet(tmp_path / "whole.parquet"))
    assert back.equals(sort_rows(frame, ts))
