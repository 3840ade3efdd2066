"""The WordprocessingML names (elements, attributes, font slots) the docx modules look for."""

from __future__ import annotations

from .ooxml import NS

_W = NS["w"]


def _w(local: str) -> str:
    return f"{{{_W}}}{local}"


W_DOCUMENT, W_P, W_R, W_T, W_DELTEXT = _w("document"), _w("p"), _w("r"), _w("t"), _w("delText")
W_PPR, W_RPR, W_PSTYLE, W_RSTYLE, W_RFONTS = _w("pPr"), _w("rPr"), _w("pStyle"), _w("rStyle"), _w("rFonts")
W_TAB, W_PTAB, W_BR, W_CR = _w("tab"), _w("ptab"), _w("br"), _w("cr")
W_SOFTHYPHEN, W_NOBREAKHYPHEN, W_SYM = _w("softHyphen"), _w("noBreakHyphen"), _w("sym")
W_LASTRENDERED = _w("lastRenderedPageBreak")
W_DEL, W_MOVEFROM = _w("del"), _w("moveFrom")
W_SDTPR, W_SDTENDPR, W_CUSTOMXMLPR, W_SMARTTAGPR = _w("sdtPr"), _w("sdtEndPr"), _w("customXmlPr"), _w("smartTagPr")
W_TBL, W_TBLPR, W_TBLSTYLE, W_TXBXCONTENT = _w("tbl"), _w("tblPr"), _w("tblStyle"), _w("txbxContent")
W_STYLE, W_STYLEID, W_TYPE, W_BASEDON, W_DEFAULT = _w("style"), _w("styleId"), _w("type"), _w("basedOn"), _w("default")
W_DOCDEFAULTS, W_RPRDEFAULT = _w("docDefaults"), _w("rPrDefault")
W_VAL, W_NAME, W_FONT, W_CHAR = _w("val"), _w("name"), _w("font"), _w("char")
W_CAPS, W_RTL, W_CS = _w("caps"), _w("rtl"), _w("cs")
W_LVL, W_LVLTEXT = _w("lvl"), _w("lvlText")
W_FONTS, W_ALTNAME, W_CHARSET, W_PANOSE, W_SIG = _w("fonts"), _w("altName"), _w("charset"), _w("panose1"), _w("sig")
W_EMBEDS = {_w("embedRegular"), _w("embedBold"), _w("embedItalic"), _w("embedBoldItalic")}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MC_ALTERNATE, MC_CHOICE, MC_FALLBACK = (f"{{{NS['mc']}}}{t}" for t in ("AlternateContent", "Choice", "Fallback"))
M_OMATH = {f"{{{NS['m']}}}oMath", f"{{{NS['m']}}}oMathPara"}
V_TEXTPATH = f"{{{NS['v']}}}textpath"
C_CHARTSPACE = f"{{{NS['c']}}}chartSpace"

SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}
_RFONT_ATTRS = tuple(_w(s) for s in SLOTS)
#: what may stand before <w:caps/> in a w:rPr (CT_RPr's sequence)
_BEFORE_CAPS = {_w(t) for t in ("rStyle", "rFonts", "b", "bCs", "i", "iCs")}
#: parts whose paragraphs hold text, by relationship type (from the main or glossary document)
_STORY_KINDS = ("header", "footer", "footnotes", "endnotes", "comments")
_STORY_ROOTS = {_w(t) for t in ("document", "hdr", "ftr", "footnotes", "endnotes", "comments", "glossaryDocument")}
#: inside a paragraph: not containers of its runs
_NOT_RUN_CONTAINERS = {W_PPR, W_RPR, W_P, W_SDTPR, W_SDTENDPR, W_CUSTOMXMLPR, W_SMARTTAGPR} | M_OMATH
#: structural run content: piece kind -> the character the engine sees
_STRUCT = {W_TAB: ("tab", "\t"), W_PTAB: ("tab", "\t"), W_BR: ("nl", "\n"), W_CR: ("nl", "\n"),
           W_NOBREAKHYPHEN: ("nbh", "-")}  # fmt: skip
_STRUCT_KINDS = (("tab", "\t", W_TAB), ("nl", "\n", W_BR), ("nbh", "-", W_NOBREAKHYPHEN))
_DOCX_CONTENT_HINTS = ("wordprocessingml", "drawingml", ".theme+xml", "ms-word.styleswitheffects")
