"""Document loaders for RAG frameworks; each module imports its framework when it is imported.

* :mod:`vnconv.loaders.langchain`: ``VnconvLoader``, a LangChain ``BaseLoader`` (``pip install 'vnconv[langchain]'``)
* :mod:`vnconv.loaders.llamaindex`: ``VnconvReader``, a LlamaIndex reader (``pip install 'vnconv[llamaindex]'``)

Both read files with :func:`vnconv.read_document` (every format ``vnconv convert`` converts) and give each
document the metadata source, format, charset, charsets, fonts_renamed and changed_units.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..documents import FORMATS

__all__ = ["expand_paths"]

#: extensions a folder is searched for when no glob is given
TEXT_SUFFIXES = frozenset({".txt", ".csv", ".tsv", ".md", ".html", ".htm", ".xml", ".json"}) | frozenset(FORMATS)


def expand_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], glob: str | None = None) -> Iterator[Path]:
    """Files named by ``paths``: files as they are, folders searched (recursively) by ``glob`` or by suffix."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = path.rglob(glob) if glob else (f for f in path.rglob("*") if f.suffix.lower() in TEXT_SUFFIXES)
            yield from sorted(f for f in found if f.is_file())
        else:
            yield path
