"""Plain text out of a document file: the pieces (parts, sheets) and their units (paragraphs, rows, lines).

Used twice by :func:`vnconv.read_document`: on the original file (the text as stored, legacy font text and
all) and on vnconv's conversion of it (Unicode). Conversion changes text only, never the structure, so the two
extractions line up unit by unit, and the pairs that differ are the document's record of changes.

* .docx: the main document, then headers, footers, footnotes, endnotes and comments; a paragraph is one unit
  (text boxes are paragraphs of their own; ``mc:Fallback`` copies are skipped); ``w:tab`` is a tab,
  ``w:br``/``w:cr`` a line break, ``w:softHyphen`` U+00AD (in TCVN3 font text it is the letter ``ư``).
* .xlsx: one piece a sheet, in workbook order; a row is one unit, its cells joined by tabs.
* .rtf: one piece; a paragraph (``\\par``, ``\\cell``, ``\\row`` …) is one unit.
* text: one piece; a line is one unit.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..documents import rtf as _rtf_adapter
from ..errors import DocumentError

Units = list[str]
Pieces = list[tuple[str, Units]]  #: (piece name, its units)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)

#: .docx parts whose text is document text, in reading order after word/document.xml
_DOCX_STORIES = re.compile(r"word/(header|footer|footnotes|endnotes|comments)\d*\.xml$")


def pieces(path: Path, fmt: str) -> Pieces:
    """The pieces of ``path`` read as format ``fmt`` ("text", "docx", "xlsx", "rtf")."""
    try:
        if fmt == "docx":
            return _docx(path)
        if fmt == "xlsx":
            return _xlsx(path)
        if fmt == "rtf":
            return [("text", _rtf(path.read_bytes()))]
        return [("text", path.read_text(encoding="utf-8").splitlines())]
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, UnicodeDecodeError) as exc:
        raise DocumentError(str(path), f"cannot read its text ({exc})") from None


def _xml(zf: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(zf.read(name), _PARSER)


# -- .docx -----------------------------------------------------------------------------------------------
def _docx(path: Path) -> Pieces:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        parts = ["word/document.xml"] + sorted(n for n in names if _DOCX_STORIES.match(n))
        return [(part, _paragraphs(_xml(zf, part))) for part in parts if part in names]


def _paragraphs(root: etree._Element) -> Units:
    out: Units = []
    for p in root.iter(f"{{{_W}}}p"):
        if _in_fallback(p):
            continue
        buf: list[str] = []
        _run_text(p, buf)
        out.append("".join(buf))
    return out


def _in_fallback(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == f"{{{_MC}}}Fallback":
            return True
        parent = parent.getparent()
    return False


_SIMPLE = {f"{{{_W}}}tab": "\t", f"{{{_W}}}br": "\n", f"{{{_W}}}cr": "\n", f"{{{_W}}}softHyphen": "\u00ad",
           f"{{{_W}}}noBreakHyphen": "\u2011"}
_TEXT = {f"{{{_W}}}t"}
_SKIP = {f"{{{_W}}}p", f"{{{_MC}}}Fallback", f"{{{_W}}}instrText", f"{{{_W}}}delText", f"{{{_W}}}pPr",
         f"{{{_W}}}rPr"}


def _run_text(el: etree._Element, buf: list[str]) -> None:
    """The text of paragraph ``el`` without the paragraphs nested in it (text boxes)."""
    for child in el:
        tag = child.tag
        if tag in _TEXT:
            buf.append(child.text or "")
        elif tag in _SIMPLE:
            buf.append(_SIMPLE[tag])
        elif tag == f"{{{_W}}}sym":
            code = child.get(f"{{{_W}}}char")
            if code:
                try:
                    buf.append(chr(int(code, 16)))
                except ValueError:
                    pass
        elif tag not in _SKIP and isinstance(tag, str):
            _run_text(child, buf)


# -- .xlsx -----------------------------------------------------------------------------------------------
def _xlsx(path: Path) -> Pieces:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        shared = _shared_strings(zf) if "xl/sharedStrings.xml" in names else []
        rels = {r.get("Id"): r.get("Target") for r in _xml(zf, "xl/_rels/workbook.xml.rels")
                if r.tag == f"{{{_REL}}}Relationship"}
        out: Pieces = []
        for sheet in _xml(zf, "xl/workbook.xml").iter(f"{{{_S}}}sheet"):
            target = rels.get(sheet.get(f"{{{_R}}}id")) or ""
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            if name in names:
                out.append((sheet.get("name") or name, list(_rows(_xml(zf, name), shared))))
        return out


def _string_item(si: etree._Element) -> str:
    """A shared or inline string: its ``t`` elements, phonetic runs (``rPh``) left out."""
    return "".join(t.text or "" for t in si.iter(f"{{{_S}}}t") if t.getparent().tag != f"{{{_S}}}rPh")


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    return [_string_item(si) for si in _xml(zf, "xl/sharedStrings.xml").iter(f"{{{_S}}}si")]


def _rows(root: etree._Element, shared: list[str]) -> Iterator[str]:
    for row in root.iter(f"{{{_S}}}row"):
        cells = []
        for c in row.iter(f"{{{_S}}}c"):
            kind = c.get("t")
            v = c.find(f"{{{_S}}}v")
            if kind == "inlineStr":
                is_ = c.find(f"{{{_S}}}is")
                cells.append(_string_item(is_) if is_ is not None else "")
            elif v is None or v.text is None:
                cells.append("")
            elif kind == "s":
                i = int(v.text)
                cells.append(shared[i] if 0 <= i < len(shared) else "")
            elif kind == "b":
                cells.append("TRUE" if v.text == "1" else "FALSE")
            else:
                cells.append(v.text)
        yield "\t".join(cells).rstrip("\t")


# -- .rtf ------------------------------------------------------------------------------------------------
# The RTF adapter's own tokeniser, destination lists and control-word tables (one definition); the font
# table is read by the adapter, skipped here; a cell ends in a tab, every other break in a line end.
_RTF_SKIP = _rtf_adapter._SKIP_DESTS | {"fonttbl"}
_RTF_BREAK = {name: "\t" if name in ("cell", "nestcell") else "\n" for name in _rtf_adapter._BREAKS}
_RTF_CHAR = {**_rtf_adapter._CHAR_WORDS, **_rtf_adapter._SEPARATOR_WORDS}
_RTF_SYMBOL = {k.encode(): v for k, v in _rtf_adapter._CHAR_SYMBOLS.items()}


def _codepage(data: bytes) -> str:
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    codepage = f"cp{int(m.group(1))}" if m else "cp1252"
    try:
        b"".decode(codepage)
    except LookupError:
        codepage = "cp1252"
    return codepage


def _rtf(data: bytes) -> Units:
    """The paragraphs of an RTF document as text (``\\uN`` and ``\\'hh`` read, destinations skipped)."""
    codepage = _codepage(data)
    out: list[str] = []
    stack: list[tuple[bool, int]] = []
    skip, uc, pending, star = False, 1, 0, False  # in a skipped destination; \ucN; fallback owed; after \*
    for m in _rtf_adapter._TOKEN.finditer(data):
        word, arg, _space, hexa, sym, brace, _newline, text = m.groups()
        if brace:
            if brace == b"{":
                stack.append((skip, uc))
            elif stack:
                skip, uc = stack.pop()
            star, pending = False, 0
            continue
        if pending and (hexa or text or sym):
            if text and len(text) > pending:
                text, pending = text[pending:], 0
            else:
                pending -= len(text) if text else 1
                continue
        if word:
            name = word.decode("ascii")
            if name in _RTF_SKIP or (star and name not in _rtf_adapter._DESCEND_STARRED):
                skip = True
            star = False
            if skip:
                continue
            if name == "uc" and arg:
                uc = int(arg)
            elif name == "u" and arg:
                out.append(chr(int(arg) % 65536))
                pending = uc
            else:
                out.append(_RTF_BREAK.get(name) or _RTF_CHAR.get(name) or "")
        elif sym == b"*":
            star = True
        elif skip:
            continue
        elif hexa:
            out.append(bytes([int(hexa, 16)]).decode(codepage, "replace"))
        elif sym:
            out.append(_RTF_SYMBOL.get(sym, ""))
        elif text:
            out.append(text.decode(codepage, "replace"))
    units = "".join(out).split("\n")
    return units[:-1] if units and units[-1] == "" else units
