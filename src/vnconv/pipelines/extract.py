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
_RTF_TOKEN = re.compile(
    rb"\\(?:([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?|'([0-9a-fA-F]{2})|(.))|([{}])|[\r\n]+|([^\\{}\r\n]+)", re.DOTALL
)
_RTF_SKIP = frozenset(
    b"fonttbl colortbl stylesheet info pict listtable listoverridetable revtbl rsidtbl fldinst bkmkstart "
    b"bkmkend objdata themedata colorschememapping latentstyles datastore xmlnstbl generator filetbl "
    b"listtext pntext pn template userprops docvar shpinst sp sn sv nonshppict".split()
)
_RTF_BREAK = {b"par": "\n", b"cell": "\t", b"row": "\n", b"line": "\n", b"sect": "\n", b"page": "\n",
              b"tab": "\t", b"nestcell": "\t", b"nestrow": "\n"}
_RTF_CHAR = {b"emdash": "\u2014", b"endash": "\u2013", b"lquote": "\u2018", b"rquote": "\u2019",
             b"ldblquote": "\u201c", b"rdblquote": "\u201d", b"bullet": "\u2022", b"emspace": "\u2003",
             b"enspace": "\u2002"}
_RTF_SYMBOL = {b"~": "\u00a0", b"-": "\u00ad", b"_": "\u2011", b"\\": "\\", b"{": "{", b"}": "}"}


def _rtf(data: bytes) -> Units:
    """The paragraphs of an RTF document as text (``\\uN`` and ``\\'hh`` read, destinations skipped)."""
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    codepage = f"cp{int(m.group(1))}" if m else "cp1252"
    try:
        b"".decode(codepage)
    except LookupError:
        codepage = "cp1252"
    out: list[str] = []
    stack: list[tuple[bool, int]] = []
    skip, uc, pending = False, 1, 0  # skipping a destination; \ucN; fallback characters still to skip
    star = False
    for word, arg, hexa, sym, brace, text in _RTF_TOKEN.findall(data):
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
            if word in _RTF_SKIP or star:
                skip = True
            star = False
            if skip:
                continue
            if word == b"uc" and arg:
                uc = int(arg)
            elif word == b"u" and arg:
                out.append(chr(int(arg) % 65536))
                pending = uc
            elif word in _RTF_BREAK:
                out.append(_RTF_BREAK[word])
            elif word in _RTF_CHAR:
                out.append(_RTF_CHAR[word])
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
