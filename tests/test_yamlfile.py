"""The one YAML reader: libyaml's safe loader gives what PyYAML's pure-Python one gives."""

from __future__ import annotations

import pytest
import yaml

from broadsheet import yamlfile
from tests.repo import REPO_ROOT


@pytest.mark.parametrize(
    "path",
    sorted((REPO_ROOT / "broadsheet").rglob("*.yaml")) + sorted((REPO_ROOT / "schemas").glob("*.yaml")),
    ids=lambda p: p.relative_to(REPO_ROOT).as_posix(),
)
def test_every_yaml_file_of_the_package_reads_as_the_pure_python_safe_loader_reads_it(path):
    text = path.read_text(encoding="utf-8")
    assert yamlfile.load(text) == yaml.safe_load(text)


def test_no_python_object_is_built():
    with pytest.raises(yaml.YAMLError):
        yamlfile.load("!!python/object/apply:os.system ['true']")
    assert yamlfile.load("when: 2026-01-02\nn: 3\n") == yaml.safe_load("when: 2026-01-02\nn: 3\n")
