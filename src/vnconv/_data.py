"""Where the shipped data files live (charset tables, font list, language data): the bottom of the layers."""

from __future__ import annotations

import functools
from pathlib import Path

from .errors import TableError

__all__ = ["table_dir"]


@functools.cache
def table_dir() -> Path:
    """The folder holding the table files: inside the installed package, or the source tree's ``tables/``.
    (Both are looked for on disk first, an installed package's first; importlib.resources, which costs more
    start-up time than the look, only for a package that is not on disk, in a zip.)"""
    here = Path(__file__).resolve().parent
    packaged = here / "_tables"
    if packaged.is_dir():
        return packaged
    source = here.parents[1] / "tables"
    if source.is_dir():
        return source
    from importlib import resources

    zipped = resources.files("vnconv") / "_tables"
    if zipped.is_dir():
        return Path(str(zipped))
    raise TableError(f"vnconv table folder not found (looked in {packaged} and {source})")
