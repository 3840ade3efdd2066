"""Pipelines: vnconv as a pre-processing step — whole files read as Unicode text, columns repaired in their
own kind (pandas, Dask, Spark), loaders for LangChain and LlamaIndex.

Everything here sits on top of :mod:`vnconv.documents` and :mod:`vnconv.repair`; the framework modules
(:mod:`vnconv.dask`, :mod:`vnconv.spark`, :mod:`vnconv.loaders`) import their framework only when used, and
this package imports the document adapters only when a file is read (``import vnconv`` stays fast).
"""

from __future__ import annotations

from typing import Any

from .columns import repair_column

__all__ = ["read_text", "read_document", "Document", "Piece", "Change", "repair_column"]

_READING = frozenset({"read_text", "read_document", "Document", "Piece", "Change"})


def __getattr__(name: str) -> Any:
    if name in _READING:
        from . import reading

        return getattr(reading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
