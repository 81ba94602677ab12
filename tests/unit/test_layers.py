"""The layer rules of design.md are import-linter contracts in pyproject.toml (`make lint` runs
`lint-imports`); this runs the same check, so `pytest` alone also fails on a broken contract."""

from pathlib import Path

from importlinter import api  # noqa: F401  (configures import-linter, as its CLI does)
from importlinter.application import use_cases

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_import_contracts_hold(capsys):
    kept = use_cases.lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out  # the report names every illegal import and its line


def test_every_rule_of_the_old_import_walk_is_still_a_contract():
    options = use_cases.read_user_options(str(PYPROJECT))
    contracts = options.contracts_options
    assert any(c["type"] == "layers" for c in contracts)
    forbidden = set().union(
        *(c["forbidden_modules"] for c in contracts if c["type"] == "forbidden")
    )
    # Qt below ui, mutagen and requests in one module each, no I/O in core
    assert {"PySide6", "qasync", "mutagen", "requests", "sqlite3", "socket", "subprocess"} <= (
        forbidden
    )
