"""Read any archive file as Unicode text: what a RAG loader, a search indexer or a notebook calls.

>>> doc = read_document("plan.docx")          # doctest: +SKIP
>>> doc.charsets, doc.fonts_renamed           # doctest: +SKIP
({'tcvn3': 812}, {'.VnTime': 'Times New Roman'})

The file is converted exactly as ``vnconv convert`` converts it (same detection, fonts, repair), into a
temporary folder of the system's (never next to the input; removed before the call returns); text files are
converted in memory. The text is then taken from the converted document, and the original's text beside it
gives the record of what changed (:attr:`Document.changes`).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..documents import FORMATS, Options, Result, convert_file
from ..errors import DocumentError
from . import extract

__all__ = ["Change", "Document", "Piece", "read_document", "read_text", "converted_document"]


@dataclass(frozen=True)
class Piece:
    """One part of a document: ``word/document.xml``, a header, a sheet (by its name), or ``text``."""

    name: str
    text: str


@dataclass(frozen=True)
class Change:
    """One unit (paragraph, row, line) whose text the conversion changed."""

    piece: str  #: the piece it is in
    index: int  #: its number in the piece (0-based: paragraph, row or line)
    before: str  #: as stored (legacy font text looks like mojibake: ``Céng hoµ``)
    after: str  #: as converted (``Cộng hoà``)


@dataclass
class Document:
    """A file read as Unicode text, with what was found in it."""

    path: str
    format: str  #: "text", "docx", "xlsx", "rtf" (a .doc is read as the .docx LibreOffice makes of it)
    text: str  #: the whole text: pieces joined by a blank line
    pieces: list[Piece] = field(default_factory=list)
    charset: str | None = None  #: the main legacy charset found (None: none)
    charsets: dict[str, int] = field(default_factory=dict)  #: legacy charset -> units (runs, cells, lines) in it
    fonts: dict[str, int] = field(default_factory=dict)  #: font name -> units under it (documents with fonts)
    fonts_renamed: dict[str, str] = field(default_factory=dict)  #: legacy font -> the Unicode font put instead
    changes: list[Change] = field(default_factory=list)  #: the units the conversion changed, in order
    warnings: list[str] = field(default_factory=list)
    result: Result | None = None  #: the conversion's full report record (as ``vnconv convert --report``)

    @property
    def metadata(self) -> dict[str, Any]:
        """Flat metadata for a loader's document: source, format, charsets, fonts renamed, changes."""
        return {
            "source": self.path,
            "format": self.format,
            "charset": self.charset,
            "charsets": dict(self.charsets),
            "fonts_renamed": dict(self.fonts_renamed),
            "changed_units": len(self.changes),
        }


def _options(options: dict[str, Any]) -> Options:
    known = set(Options.__dataclass_fields__)
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    opts = Options(**options)
    opts.target = "unicode"
    return opts


def read_document(path: str | os.PathLike[str], **options: Any) -> Document:
    """Read ``path`` (.txt/.csv/any text, .docx, .xlsx, .rtf; .doc/.xls through LibreOffice) as Unicode.

    ``options`` are those of :class:`vnconv.documents.Options` (``source="tcvn3"``, ``tone_style="new"``,
    ``restore=False``, ``uppercase``, ``timeout`` …; ``target`` is always Unicode). Raises
    :class:`vnconv.DocumentError` naming the file and the cause (unreadable, corrupt, LibreOffice missing).
    """
    src = Path(path)
    opts = _options(options)
    fmt = FORMATS.get(src.suffix.lower(), "text")
    if fmt == "text":
        return _read_text_file(src, opts)
    with tempfile.TemporaryDirectory(prefix="vnconv-read-") as tmp:
        original = src
        if fmt == "office":  # LibreOffice's .docx/.xlsx of it is the document that is converted and compared
            from ..documents import office

            original = office.to_ooxml(src, Path(tmp), opts.timeout)
        kind = FORMATS.get(original.suffix.lower(), "text")
        dst = Path(tmp) / f"converted.{'docx' if kind == 'docx' else 'xlsx' if kind == 'xlsx' else kind}"
        try:
            result = convert_file(original, dst, opts)
        except DocumentError as exc:
            raise DocumentError(str(src), exc.cause) from None
        result.path = str(src)
        after = extract.pieces(dst, kind)
        before = extract.pieces(original, kind)
    return _document(src, kind, result, after, before)


def converted_document(original: str | os.PathLike[str], converted: str | os.PathLike[str], result: Result) -> Document:
    """The :class:`Document` of a file that :func:`vnconv.documents.convert_file` has already converted to
    Unicode (``original`` to ``converted``, ``result`` its record): what :func:`read_document` gives, without
    converting again. A .doc/.xls is given as the .docx/.xlsx LibreOffice made of it."""
    src, dst = Path(original), Path(converted)
    kind = FORMATS.get(src.suffix.lower(), "text")
    if kind == "office":
        raise DocumentError(str(src), "give the .docx/.xlsx LibreOffice made of it, not the .doc/.xls")
    try:
        if kind == "text":
            return _text_document(src, src.read_bytes(), dst.read_bytes(), result)
        return _document(src, kind, result, extract.pieces(dst, kind), extract.pieces(src, kind))
    except OSError as exc:
        raise DocumentError(str(src), exc.strerror or str(exc)) from None


def read_text(path: str | os.PathLike[str], **options: Any) -> str:
    """The text of ``path`` as Unicode (NFC unless ``form="NFD"``): :func:`read_document`'s ``text``."""
    return read_document(path, **options).text


def _read_text_file(src: Path, opts: Options) -> Document:
    from ..documents import text as text_adapter

    try:
        fh = open(src, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise DocumentError(str(src), exc.strerror or str(exc)) from None
    with fh:
        if os.path.isdir(src):
            raise DocumentError(str(src), "is a directory, not a file")
        data = fh.read()
    out, result = text_adapter.convert_bytes(data, opts, name=str(src))
    return _text_document(src, data, out, result)


def _text_document(src: Path, data: bytes, out: bytes, result: Result) -> Document:
    """The Document of a text file: ``data`` as stored, ``out`` converted (UTF-8)."""
    text = out.decode("utf-8")
    before = None
    encoding = result.details.get("encoding")
    if encoding:
        # as stored, shown the way a viewer shows legacy bytes (Windows-1252 font text) or as decoded
        try:
            stored = data.decode("utf-8") if encoding in ("utf-8", "utf-8-sig") else data.decode("cp1252")
        except UnicodeDecodeError:
            stored = data.decode("latin-1")
        before = [("text", stored.lstrip("\ufeff").splitlines())]
    return _document(src, "text", result, [("text", text.splitlines())], before, whole=text)


def _document(src: Path, fmt: str, result: Result, after: extract.Pieces, before: extract.Pieces | None,
              whole: str | None = None) -> Document:
    pieces = [Piece(name, "\n".join(units)) for name, units in after]
    changes: list[Change] = []
    if before is not None:
        old = dict(before)
        for name, units in after:
            was = old.get(name)
            if was is None or len(was) != len(units):
                continue  # the structures do not line up (never expected): no record rather than a wrong one
            changes += [Change(name, i, a, b) for i, (a, b) in enumerate(zip(was, units)) if a != b]
    details = result.details
    charsets = {str(k): int(v) for k, v in (details.get("charsets") or {}).items()}
    if not charsets and result.charset:
        charsets = {result.charset: int(details.get("lines") or 1)}
    fonts = {}
    for name, value in (details.get("fonts") or {}).items():
        fonts[str(name)] = int(value["chars"]) if isinstance(value, dict) else int(value)
    return Document(
        path=str(src),
        format=fmt,
        text=whole if whole is not None else "\n\n".join(p.text for p in pieces),
        pieces=pieces,
        charset=result.charset,
        charsets=charsets,
        fonts=fonts,
        fonts_renamed={str(k): str(v) for k, v in (details.get("renamed_fonts") or {}).items()},
        changes=changes,
        warnings=list(result.warnings),
        result=result,
    )

