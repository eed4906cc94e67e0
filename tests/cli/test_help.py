"""`--help` as a new coordinator reads it: the usage names the commands, the examples show
every command, and every option of every command says what it does and its default."""

from __future__ import annotations

import argparse

import pytest

from handout.cli.main import COMMANDS, command_module
from tests.conftest import ROOT, run_build

NAMES = ["build", *COMMANDS]


def parser_of(name: str) -> argparse.ArgumentParser:
    return command_module("build" if name == "build" else COMMANDS[name]).parser(ROOT)


def test_the_usage_and_examples_name_every_command() -> None:
    text = parser_of("build").format_help()
    usage = text.split("\n\n", 1)[0]
    assert "COMMAND" in usage
    commands = text.split("commands:", 1)[1].split("options:", 1)[0]
    examples = text.split("examples:", 1)[1]
    for name in COMMANDS:
        assert f"  {name} " in commands, f"{name} missing from the list of commands"
        assert f"python build.py {name}" in examples, f"{name} missing from the examples"


@pytest.mark.parametrize("name", NAMES)
def test_every_option_has_help_and_its_default(name: str) -> None:
    for action in parser_of(name)._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        label = "/".join(action.option_strings) or action.dest
        assert action.help, f"{name}: {label} has no help text"
        if action.option_strings and not action.required:
            assert "default" in action.help, f"{name}: {label} does not say its default"


def test_import_hsds_names_the_versions_it_reads() -> None:
    text = parser_of("import-hsds").format_help()
    assert "HSDS 3.0 data set" not in text
    for version in ("1.x", "2.0", "3.0", "3.1"):
        assert version in text


def test_a_mistyped_command_gets_the_right_one() -> None:
    result = run_build("verify-sheets")
    assert result.returncode == 2
    assert "there is no command `verify-sheets`; did you mean `verify-sheet`?" in result.stderr
    assert "Traceback" not in result.stderr
