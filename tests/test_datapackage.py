import json
import re

import pytest

from broadsheet.release.datapackage import (
    FIELD_TYPES,
    Resource,
    data_dictionary_markdown,
    datapackage_json,
    source_groups,
    xsd_pattern,
)
from broadsheet.schema import dataset_meta, load_schemas

SCHEMAS = load_schemas()
META = {**dataset_meta(), "version": "2026.01.01-0123abcd"}
RELEASE = [name for name, ts in SCHEMAS.items() if ts.release]


def package():
    resources = [Resource(name=n, path=f"{n}.parquet", bytes=100 + i, sha256=f"{i:064x}", rows=i) for i, n in enumerate(RELEASE)]
    return datapackage_json({n: SCHEMAS[n] for n in RELEASE}, resources, META)


def test_package_describes_the_dataset_and_every_resource():
    pkg = package()
    assert pkg["profile"] == "tabular-data-package"
    assert re.fullmatch(r"[a-z0-9._-]+", pkg["name"])
    assert pkg["version"] == META["version"]
    assert [(lic["name"], lic["path"]) for lic in pkg["licenses"]] == [(lic["name"], lic["path"]) for lic in META["licenses"]]
    assert all(lic["broadsheet:covers"] for lic in pkg["licenses"]), "each licence says what it covers"
    assert [r["name"] for r in pkg["resources"]] == RELEASE
    first = pkg["resources"][1]
    assert first["path"] == f"{RELEASE[1]}.parquet" and first["rows"] == 1
    assert first["hash"] == f"sha256:{1:064x}" and first["profile"] == "tabular-data-resource"


@pytest.mark.parametrize("name", RELEASE)
def test_fields_match_the_yaml_columns(name):
    ts = SCHEMAS[name]
    resource = next(r for r in package()["resources"] if r["name"] == name)
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == [c.name for c in ts.columns]
    for field, col in zip(fields, ts.columns, strict=True):
        assert field["type"] == FIELD_TYPES[col.type]
        assert field.get("broadsheet:type") == (col.type if col.is_list else None)
        # Frictionless reads a Parquet null integer as NaN: only nullable integers declare it missing.
        assert ("missingValues" in field) is (col.nullable and col.type == "int64")
        assert field["description"] == " ".join(col.description.split())
        constraints = field["constraints"]
        assert constraints["required"] is (not col.nullable)
        assert constraints.get("unique", False) is col.unique
        if not col.is_list:
            assert constraints.get("enum") == (list(col.enum) if col.enum else None)
            assert constraints.get("minimum") == col.min and constraints.get("maximum") == col.max
            assert ("pattern" in constraints) is (col.pattern is not None)
    key = resource["schema"]["primaryKey"]
    assert (key if isinstance(key, list) else [key]) == list(ts.primary_key)


def test_created_contributors_and_sources_are_passed_through_and_sources_group_by_host_or_folder():
    groups = source_groups(["seeds/a.txt", "https://news.example/2026/a#L3", "seeds/b.md", "https://news.example/b", "one.txt"])
    assert groups == [
        {"title": "https://news.example/", "path": "https://news.example/", "broadsheet:documents": 2},
        {"title": "one.txt", "path": "one.txt", "broadsheet:documents": 1},
        {"title": "seeds/", "path": "seeds/", "broadsheet:documents": 2},
    ]
    resources = [Resource(name="rejects", path="rejects.parquet", bytes=1, sha256="0" * 64, rows=0)]
    pkg = datapackage_json(SCHEMAS, resources, {**META, "created": "2026-01-01T00:00:00Z", "sources": groups})
    assert pkg["created"] == "2026-01-01T00:00:00Z" and pkg["sources"] == groups
    assert pkg["contributors"] == META["contributors"]


def test_text_licences_are_summed_up_per_source_and_an_undeclared_one_says_so():
    from broadsheet.release.datapackage import NOT_STATED, text_licenses

    names = ["wire", "seeds", "wire", "blog", "wire"]
    licences = ["CC-BY-4.0", "CC0-1.0", "CC-BY-4.0", None, "https://wire.example/terms"]
    summed = text_licenses(names, licences)
    pkg = datapackage_json(SCHEMAS, [], {**META, "broadsheet:textLicenses": summed})
    assert pkg["broadsheet:textLicenses"] == summed
    assert summed == [
        {"source": "blog", "license": NOT_STATED, "documents": 1},
        {"source": "seeds", "license": "CC0-1.0", "documents": 1},
        {"source": "wire", "license": "CC-BY-4.0", "documents": 2},
        {"source": "wire", "license": "https://wire.example/terms", "documents": 1},
    ]


def test_foreign_keys_are_declared_for_every_scalar_reference():
    resources = {r["name"]: r for r in package()["resources"]}
    for name in RELEASE:
        ts = SCHEMAS[name]
        declared = {
            (fk["fields"], fk["reference"]["resource"] or name, fk["reference"]["fields"])
            for fk in resources[name]["schema"].get("foreignKeys", [])
        }
        expected = {(c.name, c.referenced_table, c.referenced_column) for c in ts.columns if c.references and not c.is_list}
        assert declared == expected, name
        for fk in resources[name]["schema"].get("foreignKeys", []):
            assert fk["reference"]["resource"] in set(RELEASE) | {""}
    claims = {f["name"]: f for f in resources["claims"]["schema"]["fields"]}
    assert claims["entity_ids"]["type"] == "any" and claims["entity_ids"]["broadsheet:type"] == "list<string>"
    assert claims["entity_ids"]["broadsheet:elements"]["references"] == "entities.entity_id"
    duplicate = next(fk for fk in resources["documents"]["schema"]["foreignKeys"] if fk["fields"] == "duplicate_cluster_id")
    assert duplicate["reference"] == {"resource": "", "fields": "doc_id"}


def test_package_is_deterministic_json():
    assert json.dumps(package(), sort_keys=False) == json.dumps(package(), sort_keys=False)


def test_package_refuses_a_resource_without_schema():
    with pytest.raises(KeyError, match="extras"):
        datapackage_json(SCHEMAS, [Resource("extras", "extras.parquet", 1, "0" * 64, 0)], META)


@pytest.mark.parametrize(
    ("pattern", "xsd", "good", "bad"),
    [
        ("^d_[0-9a-f]{16}$", "d_[0-9a-f]{16}", "d_0123456789abcdef", "xd_0123456789abcdef"),
        ("^https?://", "(https?://).*", "https://a.org/x", "ftp://a.org"),
        ("^([a-z]{2}|und)$", "(([a-z]{2}|und))", "und", "undx"),
        ("[0-9]$", ".*([0-9])", "abc1", "1abc"),
    ],
)
def test_patterns_become_anchored_xsd_patterns_that_accept_the_same_values(pattern, xsd, good, bad):
    assert xsd_pattern(pattern) == xsd
    for value in (good, bad):
        assert bool(re.fullmatch(xsd, value)) == bool(re.search(pattern, value))


def test_data_dictionary_has_a_section_and_a_row_per_release_column():
    md = data_dictionary_markdown(SCHEMAS)
    headings = re.findall(r"^### `(\w+)`$", md, flags=re.M)
    assert headings == RELEASE
    for name in RELEASE:
        section = md.split(f"### `{name}`")[1].split("\n### ")[0]
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        assert [re.match(r"\| `(\w+)`", r).group(1) for r in rows] == [c.name for c in SCHEMAS[name].columns]
        # Five cells per row: a pipe inside a pattern or description must not open a sixth.
        assert all(len(re.split(r"(?<!\\)\|", r)) == 7 for r in rows)
    assert "Span: `documents.text[start_char:end_char] == surface`." in md
    assert "references `documents.doc_id`" in md


def test_data_dictionary_can_include_intermediate_tables():
    intermediate = [n for n, ts in SCHEMAS.items() if not ts.release]
    assert intermediate
    full = data_dictionary_markdown(SCHEMAS, release_only=False)
    assert all(f"### `{n}`" in full for n in intermediate)
    assert not any(f"### `{n}`" in data_dictionary_markdown(SCHEMAS) for n in intermediate)
