"""A LlamaIndex reader that reads legacy Vietnamese archives as Unicode.

>>> from vnconv.loaders.llamaindex import VnconvReader        # doctest: +SKIP
>>> docs = VnconvReader().load_data("plan.doc")
>>> SimpleDirectoryReader("archive/", file_extractor={".doc": VnconvReader(), ".txt": VnconvReader()})

One ``Document`` a file (or, with ``pieces=True``, one a part or sheet, with ``metadata["piece"]``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

try:
    from llama_index.core.readers.base import BaseReader
    from llama_index.core.schema import Document as LIDocument
except ImportError as exc:  # pragma: no cover - the extra is installed by make test
    raise ImportError("vnconv.loaders.llamaindex needs llama-index-core: pip install 'vnconv[llamaindex]'") from exc

from ..pipelines.reading import read_document
from . import expand_paths

__all__ = ["VnconvReader"]


class VnconvReader(BaseReader):
    """Read files (or folders) with :func:`vnconv.read_document`; ``options`` as that function's."""

    def __init__(self, *, pieces: bool = False, glob: str | None = None, **options: Any) -> None:
        super().__init__()
        self._pieces = pieces
        self._glob = glob
        self._options = options

    def load_data(
        self,
        file: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        extra_info: dict[str, Any] | None = None,
        **_: Any,
    ) -> list[LIDocument]:
        out: list[LIDocument] = []
        for path in expand_paths(file, self._glob):
            doc = read_document(path, **self._options)
            meta = {**doc.metadata, **(extra_info or {})}
            if not self._pieces:
                out.append(LIDocument(text=doc.text, metadata=meta))
            else:
                out += [LIDocument(text=p.text, metadata={**meta, "piece": p.name}) for p in doc.pieces]
        return out
