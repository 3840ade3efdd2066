"""Where the shipped data files live (charset tables, font list, language data): the bottom of the layers."""

from __future__ import annotations

import functools
from pathlib import Path

from .errors import TableError

__all__ = ["table_dir"]


@functools.cache
def table_dir() -> Path:
    """The folder holding the table files: inside the installed package, or the source tree's ``tables/``.
    (An installed package's folder is looked for beside this file first: importing importlib.resources costs
    more start-up time than the look.)"""
    here = Path(__file__).resolve().parent / "_tables"
    if here.is_dir():
        return here
    from importlib import resources

    packaged = resources.files("vnconv") / "_tables"
    if packaged.is_dir():
        return Path(str(packaged))
    source = Path(__file__).resolve().parents[2] / "tables"
    if source.is_dir():
        return source
    raise TableError(f"vnconv table folder not found (looked in {packaged} and {source})")
