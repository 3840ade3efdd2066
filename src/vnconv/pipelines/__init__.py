"""Pipelines: vnconv as a pre-processing step — whole files read as Unicode text, columns repaired in place
(pandas, Dask, Spark), loaders for LangChain and LlamaIndex.

Everything here sits on top of :mod:`vnconv.documents` and :mod:`vnconv.repair`; the framework modules
(:mod:`vnconv.dask`, :mod:`vnconv.spark`, :mod:`vnconv.loaders`) import their framework only when used.
"""

from __future__ import annotations

from .columns import repair_column
from .reading import Change, Document, Piece, read_document, read_text

__all__ = ["Change", "Document", "Piece", "read_document", "read_text", "repair_column"]
