"""The examples in the documentation and the docstrings run and say what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

from conftest import ROOT


@pytest.mark.parametrize("name", ["repair.md"])
def test_doc_examples(name: str) -> None:
    result = doctest.testfile(str(ROOT / "docs" / name), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("module", ["vnconv", "vnconv.detect", "vnconv.fonts"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
