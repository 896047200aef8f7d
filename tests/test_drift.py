"""What the docs and the committed files promise, checked against the code (as datasette
checks its documented settings): a change to one without the other fails here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from shopx.api.graphql.schema import schema
from shopx.cli import app
from shopx.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_the_committed_schema_is_the_schema_the_code_serves():
    """Clients (and the dashboard's generated types) are built from ``schema.graphql``."""
    committed = (ROOT / "schema.graphql").read_text()
    assert committed == schema.as_str() + "\n", "the schema changed: run `make schema`"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_described_and_in_the_configuration_table(name):
    assert Settings.model_fields[name].description, f"{name} has no description"
    assert f"| `SHOPX_{name.upper()}` |" in README, f"SHOPX_{name.upper()} is not in the README"


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every command of the ``shopx`` CLI as ``("shopx db ensure-partitions", command)``,
    groups included (their own options count too)."""
    yield " ".join(("shopx", *path)), command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(typer.main.get_command(app)))


@pytest.mark.parametrize("words", sorted(COMMANDS))
def test_every_command_and_option_is_in_the_readme(words):
    command = COMMANDS[words]
    assert words in README, f"`{words}` is not in the README"
    options = [
        option
        for param in command.params
        if param.param_type_name == "option"
        for option in param.opts
        if option.startswith("--") and option != "--help"
    ]
    assert [option for option in options if option not in README] == []
