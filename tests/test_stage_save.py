"""Writing a stage's tables: each table's rows are let go once the table is on disk."""

from __future__ import annotations

from types import MappingProxyType

from broadsheet.schema import load_schemas
from broadsheet.stageio import save
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
