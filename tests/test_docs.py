"""The examples in the documentation and the docstrings run and say what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

from conftest import ROOT


@pytest.mark.parametrize("name", ["docs/repair.md", "README.md"])
def test_doc_examples(name: str) -> None:
    result = doctest.testfile(str(ROOT / name), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.split("#")[0].strip() for line in lines[2:6] if line.startswith("make")]
    assert lines[2] == "```sh" and commands == ["make demo", "make test"]


@pytest.mark.parametrize("module", ["vnconv", "vnconv.detect", "vnconv.charsets.fonts"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
