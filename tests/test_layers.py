"""The layers: the library and the filters import neither Beam nor the jobs nor the command lines,
and the jobs do not import the command lines; not even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

FORBIDDEN = {
    "curation": ("apache_beam", "beam_jobs", "curation_cli"),
    "filters": ("apache_beam", "beam_jobs", "curation_cli"),
    "beam_jobs": ("curation_cli",),
}
ENTRY_POINTS = {"beam_jobs/__main__.py"}
"""`python -m beam_jobs` is `curation run`: a program, imported by nothing."""


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement in `path` names, with its line, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_layer_imports_one_above_it(package):
    modules = [
        path for path in sorted((ROOT / package).rglob("*.py")) if str(path.relative_to(ROOT)) not in ENTRY_POINTS
    ]
    assert modules
    crossings = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules
        for line, name in _imports(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]
    assert not crossings, "\n".join(crossings)


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    import apache_beam as beam\n    from beam_jobs.launch import plan\n")
    assert [name for _, name in _imports(module)] == ["apache_beam", "beam_jobs.launch"]
