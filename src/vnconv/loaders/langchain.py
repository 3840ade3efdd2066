"""A LangChain document loader that reads legacy Vietnamese archives as Unicode.

>>> from vnconv.loaders.langchain import VnconvLoader        # doctest: +SKIP
>>> docs = VnconvLoader("archive/", pieces=True).load()

One ``Document`` a file (or, with ``pieces=True``, one a part or sheet, with ``metadata["piece"]``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

try:
    from langchain_core.document_loaders import BaseLoader
    from langchain_core.documents import Document as LCDocument
except ImportError as exc:  # pragma: no cover - the extra is installed by make test
    raise ImportError("vnconv.loaders.langchain needs langchain-core: pip install 'vnconv[langchain]'") from exc

from ..errors import DocumentError
from ..pipelines.reading import read_document
from . import expand_paths

__all__ = ["VnconvLoader"]

log = logging.getLogger(__name__)


class VnconvLoader(BaseLoader):
    """Load files (or folders, searched by ``glob``) with :func:`vnconv.read_document`.

    ``silent_errors``: log a file that cannot be read and go on (default: raise its
    :class:`vnconv.DocumentError`). ``options`` as :func:`vnconv.read_document`.
    """

    def __init__(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        glob: str | None = None,
        pieces: bool = False,
        silent_errors: bool = False,
        **options: Any,
    ) -> None:
        self.paths = paths
        self.glob = glob
        self.pieces = pieces
        self.silent_errors = silent_errors
        self.options = options

    def lazy_load(self) -> Iterator[LCDocument]:
        for path in expand_paths(self.paths, self.glob):
            try:
                doc = read_document(path, **self.options)
            except DocumentError as exc:
                if not self.silent_errors:
                    raise
                log.warning("%s", exc)
                continue
            if not self.pieces:
                yield LCDocument(page_content=doc.text, metadata=doc.metadata)
                continue
            for piece in doc.pieces:
                yield LCDocument(page_content=piece.text, metadata={**doc.metadata, "piece": piece.name})
