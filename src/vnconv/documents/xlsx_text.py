"""SpreadsheetML text: names, escapes (``_xHHHH_``), formulas and header/footer codes, cell references."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..charsets.fonts import FontInfo
from .ooxml import NS

X = NS["x"]
R = NS["r"]
A = NS["a"]
C = NS["c"]
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
EP = NS["ep"]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _x(local: str) -> str:
    return f"{{{X}}}{local}"


_T, _R, _RPR, _RFONT, _SI, _V, _F, _IS, _C = (_x(n) for n in ("t", "r", "rPr", "rFont", "si", "v", "f", "is", "c"))

#: a legacy font's charset and whether it draws capitals: what a text's conversion depends on
Key = tuple[str, bool] | None


def _key(info: FontInfo | None) -> Key:
    return (info.charset, info.uppercase) if info is not None and info.charset else None


# -- text escapes ------------------------------------------------------------------------------------------
_XESC = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NEEDS_XESC = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def _unescape(text: str) -> str:
    """SpreadsheetML ``_xHHHH_`` escapes (``_x000D_``) to the characters they stand for."""
    return _XESC.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _escape(text: str) -> str:
    text = re.sub(r"_(?=x[0-9A-Fa-f]{4}_)", "_x005F_", text)
    return _NEEDS_XESC.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _set_text(t: etree._Element, text: str) -> None:
    t.text = _escape(text)
    if text != text.strip() or "\n" in text:
        t.set(XML_SPACE, "preserve")


# -- formulas ----------------------------------------------------------------------------------------------
_UNQUOTED_SHEET = re.compile(r"([^\W\d][\w.]*(?::[^\W\d][\w.]*)?)!")


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _rename_ref(name: str, renames: dict[str, str]) -> str:
    if not renames or name.startswith("["):
        return name
    parts = name.split(":")
    return ":".join(renames.get(p, renames.get(p.casefold(), p)) for p in parts)


def rewrite_formula(
    formula: str, renames: dict[str, str] | None = None, literal: Callable[[str], str] | None = None
) -> str:
    """``formula`` with sheet names renamed (``renames``: old → new; references are re-quoted) and its string
    literals passed through ``literal``; everything else (references, functions, numbers) kept as it is.

    >>> rewrite_formula("='Sổ cái'!A1&\\"x\\"", {"Sổ cái": "Sổ Cái"}, str.upper)
    "='Sổ Cái'!A1&\\"X\\""
    """
    renames = renames or {}
    if not renames and (literal is None or '"' not in formula):
        return formula
    out: list[str] = []
    i = 0
    n = len(formula)
    while i < n:
        ch = formula[i]
        if ch == '"' or ch == "'":
            j = i + 1
            buf: list[str] = []
            while j < n:
                if formula[j] == ch:
                    if j + 1 < n and formula[j + 1] == ch:
                        buf.append(ch)
                        j += 2
                        continue
                    break
                buf.append(formula[j])
                j += 1
            inner = "".join(buf)
            if ch == '"':
                new = literal(inner) if literal is not None and inner else inner
                out.append('"' + new.replace('"', '""') + '"' if new != inner else formula[i : j + 1])
            else:
                new = _rename_ref(inner, renames) if j + 1 < n and formula[j + 1] == "!" else inner
                out.append(_quote_sheet(new) if new != inner else formula[i : j + 1])
            i = j + 1
            continue
        if renames and (i == 0 or not (formula[i - 1].isalnum() or formula[i - 1] in "_.]")):
            m = _UNQUOTED_SHEET.match(formula, i)
            if m is not None:
                name = m.group(1)
                new = _rename_ref(name, renames)
                out.append(_quote_sheet(new) + "!" if new != name else m.group(0))
                i = m.end()
                continue
        out.append(ch)
        i += 1
    return "".join(out)


# -- header / footer ---------------------------------------------------------------------------------------
_HF_CODE = re.compile(r'&(?:"((?:[^"]|"")*)"|(&)|([LCR])|(\d+)|(K(?:[0-9A-Fa-f]{6}|\d\d[+-]\d{3}))|([A-Za-z])|)')


def convert_header_footer(
    text: str,
    default: FontInfo | None,
    fix: Callable[[list[str], list[FontInfo | None]], list[str]],
    font_info: Callable[[str], FontInfo | None],
    rename: Callable[[str], str | None],
) -> str:
    """Repair the text of a header/footer string (``&L&"VnTime,Bold"&12Céng hoµ&R&P``) section by section,
    each text stretch with the font its ``&"Font,Style"`` codes set, and rename legacy font names in them."""
    pieces: list[str | tuple[str, FontInfo | None]] = []  # codes as str, text stretches as (text, font)
    sections: list[list[int]] = [[]]  # indexes of the text pieces of each section
    current = default
    pos = 0
    for m in _HF_CODE.finditer(text):
        if m.start() > pos:
            sections[-1].append(len(pieces))
            pieces.append((text[pos : m.start()], current))
        pos = m.end()
        font, amp, section = m.group(1), m.group(2), m.group(3)
        if amp:
            sections[-1].append(len(pieces))
            pieces.append(("&", current))
            continue
        code = m.group(0)
        if section:
            current = default
            sections.append([])
        elif font is not None:
            name, _, style = font.replace('""', '"').partition(",")
            if name.strip() and name.strip() != "-":
                current = font_info(name.strip())
                new = rename(name.strip())
                if new is not None:
                    code = '&"' + (new + ("," + style if _ or style else "")).replace('"', '""') + '"'
        pieces.append(code)
    if pos < len(text):
        sections[-1].append(len(pieces))
        pieces.append((text[pos:], current))
    for idx in sections:
        if not idx:
            continue
        stretches = [pieces[i] for i in idx]
        texts = [s[0] for s in stretches]  # type: ignore[index]
        infos = [s[1] for s in stretches]  # type: ignore[index]
        outs = fix(texts, infos)
        for i, new, info in zip(idx, outs, infos):
            pieces[i] = (new, info)
    out: list[str] = []
    for p in pieces:
        out.append(p if isinstance(p, str) else p[0].replace("&", "&&"))
    return "".join(out)


# -- the workbook ------------------------------------------------------------------------------------------
@dataclass
class _Sheet:
    name: str
    part: str
    element: etree._Element  #: <sheet> in workbook.xml
    kind: str  #: "worksheet" or "chartsheet"
    cells: dict[str, etree._Element] | None = None
    rows: dict[int, etree._Element] | None = None
    cols: list[tuple[int, int, int]] = field(default_factory=list)
    changed: bool = False


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out
