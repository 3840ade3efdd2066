"""RTF in, RTF out: text under legacy fonts repaired to Unicode, legacy fonts renamed, the rest kept byte for byte.

How an RTF file is read:

* The group structure ``{ … }`` is followed with a state stack: current font (``\\fN``, ``\\plain`` → ``\\deffN``),
  Unicode skip count (``\\ucN``), hidden text (``\\v``).
* The font table (``\\fonttbl``) gives each ``\\fN`` its name (looked up in ``tables/fonts.tsv``), its
  ``\\fcharsetN`` / ``\\cpgN`` code page, and the byte range of its name (renamed in place).
* Text is literal characters, ``\\'xx`` escapes, ``\\uN`` escapes (their ``\\ucN`` fallback characters skipped) and
  the character control words (``\\~ \\- \\_ \\lquote`` …). Under a legacy font every byte — ``\\'xx``, a raw
  8-bit byte or a ``\\uN`` whose code point is below 256 — is a legacy byte (font text); under another font
  bytes are decoded with the font's code page and ``\\uN`` is the character it names. ``\\-`` (optional
  hyphen) under a TCVN3 font is the byte 0xAD, the letter ``ư``.
* Destinations that hold no document text are skipped: ``\\*\\…`` (except shape instructions and annotations),
  ``\\info``, ``\\stylesheet``, ``\\colortbl``, ``\\pict``, ``\\object`` data, list tables, field instructions,
  shape properties, bookmarks, ``\\listtext``/``\\pntext`` (computed numbers) …
* Text is repaired paragraph by paragraph (``\\par``, ``\\cell``, ``\\row`` … end one) through
  :func:`vnconv.repair_runs`, one run per stretch of text with one font. Footnotes, headers,
  footers, annotations and text boxes are paragraphs of their own; hidden text (``\\v``: WinHelp jump
  targets) is repaired on its own and never merged with the visible words around it.
* A run whose text changed is rewritten as ASCII-safe RTF (``\\uN?`` escapes, with as many fallback
  characters as the ``\\ucN`` in force); nothing else in the file changes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DocumentError
from ..charsets.fonts import FontInfo, lookup
from ..charsets.fonttext import font_text
from . import Options, Result, atomic_output, read_bytes, source_hint
from .runs import Tally, capitals, repair_units

__all__ = ["convert_file", "detect_file", "convert_bytes", "RtfFont"]

FORMAT = "rtf"

_TOKEN = re.compile(
    rb"\\(?:([a-zA-Z]{1,32})(-?[0-9]{1,10})?( ?)|'([0-9a-fA-F]{2})|(.))"  # control word / hex / symbol
    rb"|([{}])"  # group
    rb"|([\r\n]+)"  # ignored line breaks
    rb"|([^\\{}\r\n]+)",  # text
    re.S,
)

#: \fcharsetN -> Python codec (None: the document's \ansicpg)
_CHARSET_CODEPAGE: dict[int, str | None] = {
    0: None, 1: None, 2: "symbol", 77: "mac_roman", 128: "cp932", 129: "cp949", 130: "cp1361", 134: "cp936",
    136: "cp950", 161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257",
    204: "cp1251", 222: "cp874", 238: "cp1250", 254: "cp437", 255: "cp850",
}

#: destinations (control words opening a group) whose content is not document text
_SKIP_DESTS = frozenset(
    """
    colortbl stylesheet info pict listtable listoverridetable list listlevel leveltext levelnumbers listname
    listoverride revtbl rsidtbl fldinst bkmkstart bkmkend objdata objclass objname objalias objsect objtime
    sn sv listtext pntext pntxta pntxtb pn pnseclvl datafield xmlnstbl themedata colorschememapping
    latentstyles datastore mmathPr upr filetbl pgdsctbl nonshppict shppict macpict wmetafile dibitmap
    wbitmap template docvar userprops generator ffname ffdeftext ffformat ffhelptext ffstattext ffentrymcr
    ffexitmcr formfield blipuid picprop atnid atnauthor atntime atnref atndate atnicn falt panose fname
    title subject author operator keywords comment doccomm hlinkbase creatim revtim printim buptim
    password passwordhash protusertbl mhtmltag htmltag factoidname xmlattrname xmlattrvalue
    """.split()
)
#: starred destinations whose text is document text
_DESCEND_STARRED = frozenset({"shpinst", "annotation", "shptxt", "dptxbxtext", "footnote", "txbxcontent"})
#: destinations that are stories of their own (repaired as separate paragraphs)
_OWN_CONTEXT = frozenset(
    """
    footnote annotation header headerl headerr headerf footer footerl footerr footerf shptxt dptxbxtext
    shprslt txe xe tc ftnsep ftnsepc aftnsep aftnsepc ftncn aftncn
    """.split()
)
#: control words that end a paragraph (a repair context)
_BREAKS = frozenset({"par", "sect", "cell", "row", "nestcell", "nestrow", "page", "column", "sbkpage", "pagebb"})
#: control words standing for one character (font text: the cp1252 character of the byte)
_CHAR_WORDS = {
    "lquote": "\u2018", "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022",
    "endash": "\u2013", "emdash": "\u2014",
}
#: control words that separate words without ending the paragraph
_SEPARATOR_WORDS = {"tab": "\t", "line": "\n", "emspace": " ", "enspace": " ", "qmspace": " "}
_FONT_MODES = frozenset({"fonttbl", "fontentry", "fontsub", "falt"})
_CHAR_SYMBOLS = {"~": "\xa0", "-": "\xad", "_": "\u2011", "\\": "\\", "{": "{", "}": "}"}


@dataclass
class RtfFont:
    """One font table entry."""

    number: int
    charset: int | None = None  #: \fcharsetN
    cpg: int | None = None  #: \cpgN
    name: str = ""
    name_span: tuple[int, int] | None = None  #: byte range of the name in the file
    falt: str = ""
    falt_span: tuple[int, int] | None = None
    charset_span: tuple[int, int] | None = None  #: byte range of "\fcharsetN"
    info: FontInfo | None = None
    looked_up: bool = False


@dataclass
class _Piece:
    """A stretch of text with one font state, between two non-text tokens."""

    start: int
    end: int
    font: int | None
    uc: int
    delim: bool  #: preceded by a control word ended without a delimiter
    hidden: bool = False
    parts: list[tuple[str, object]] = field(default_factory=list)  #: ("b", bytes) / ("u", str)
    text: str = ""
    hint: str | None = None
    upper: bool = False


@dataclass
class _State:
    font: int | None
    uc: int
    hidden: bool
    skip: bool
    mode: str  #: "" text, "fonttbl", "fontentry", "falt"
    context: bool  #: this group opened a story of its own


class _Parser:
    def __init__(self, data: bytes, path: str, options: Options) -> None:
        self.data = data
        self.path = path
        self.options = options
        self.fallback = source_hint(options)
        #: the document's one engine (evidence carries from paragraph to paragraph) and its record
        self.tally = Tally(options, path)
        self.fonts: dict[int, RtfFont] = {}
        self.deff: int | None = None
        self.ansicpg = "cp1252"
        self.replacements: list[tuple[int, int, bytes]] = []
        self.warnings: list[str] = []
        self.changed = 0
        self.runs = 0
        self.legacy_chars: Counter[str] = Counter()  #: charset -> non-ASCII characters under its fonts
        self.font_chars: Counter[str] = Counter()  #: font name -> non-ASCII characters
        self.para: list[_Piece | str] = []
        self.para_stack: list[list[_Piece | str]] = []
        self.hidden_para: list[_Piece | str] = []
        self.piece: _Piece | None = None
        self.skip_chars = 0
        self.prev_undelimited = False

    def _skip_one(self, pos: int) -> bool:
        """Skip one character of the fallback text after a ``\\uN`` (``\\ucN`` counts them); the skipped
        bytes still belong to the piece that ``\\uN`` opened."""
        if not self.skip_chars:
            return False
        self.skip_chars -= 1
        if self.piece is not None:
            self.piece.end = pos
        return True

    # --- fonts -------------------------------------------------------------------------------------------

    def font_of(self, number: int | None) -> RtfFont | None:
        return self.fonts.get(number) if number is not None else None

    @staticmethod
    def info(font: RtfFont | None) -> FontInfo | None:
        if font is None:
            return None
        if font.info is None and font.name and not font.looked_up:
            font.info = lookup(font.name.strip())
            font.looked_up = True
        return font.info

    def codepage(self, font: RtfFont | None) -> str:
        if font is not None:
            if font.cpg:
                return f"cp{font.cpg}"
            if font.charset is not None:
                cp = _CHARSET_CODEPAGE.get(font.charset)
                if cp:
                    return cp
        return self.ansicpg

    # --- pieces ------------------------------------------------------------------------------------------
    def add_text(self, state: _State, start: int, end: int, kind: str, value: object) -> None:
        p = self.piece
        if p is None or p.font != state.font or p.uc != state.uc or p.hidden != state.hidden:
            self.close_piece()
            p = self.piece = _Piece(start, end, state.font, state.uc, self.prev_undelimited, state.hidden)
        p.end = end
        if kind == "b" and p.parts and p.parts[-1][0] == "b":
            p.parts[-1] = ("b", p.parts[-1][1] + value)  # type: ignore[operator]
        elif kind:
            p.parts.append((kind, value))

    def close_piece(self) -> None:
        p = self.piece
        if p is None:
            return
        self.piece = None
        font = self.font_of(p.font)
        info = self.info(font)
        legacy = info is not None and info.charset is not None
        out: list[str] = []
        for kind, value in p.parts:
            if kind == "u":
                out.append(value)  # type: ignore[arg-type]
            elif legacy:
                out.append(font_text(value))  # type: ignore[arg-type]
            else:
                out.append(_decode_bytes(value, self.codepage(font)))  # type: ignore[arg-type]
        p.text = "".join(out)
        p.hint = self.fallback
        if legacy:
            assert info is not None
            p.hint = info.charset
            p.upper = info.uppercase
            n = sum(1 for c in p.text if ord(c) > 127)
            if n:
                self.legacy_chars[info.charset or ""] += n
                self.font_chars[font.name] += n  # type: ignore[union-attr]
        if p.hidden:
            if self.hidden_para:  # separate hidden stretches (two jump targets are two words)
                self.hidden_para.append(" ")
            self.hidden_para.append(p)
            self.para.append(" ")
        else:
            self.para.append(p)

    def separator(self, text: str) -> None:
        self.close_piece()
        self.para.append(text)

    def flush(self) -> None:
        self.close_piece()
        for para in (self.para, self.hidden_para):
            pieces = [x for x in para if isinstance(x, _Piece)]
            if pieces and (any(p.hint for p in pieces) or any(_non_ascii(p.text) for p in pieces)):
                self.repair(para)
            para.clear()

    def repair(self, para: list[_Piece | str]) -> None:
        texts = [x.text if isinstance(x, _Piece) else x for x in para]
        hints = [x.hint if isinstance(x, _Piece) else None for x in para]
        infos = [self.info(self.font_of(x.font)) if isinstance(x, _Piece) else None for x in para]
        faces = [i.name if i is not None else None for i in infos]
        fixed = repair_units(self.tally, "document", texts, hints, faces, infos, xml=False)
        upper = [isinstance(x, _Piece) and x.upper for x in para]
        fixed, marks = capitals(texts, fixed, upper, self.options)
        for item, new, caps in zip(para, fixed, marks):
            if not isinstance(item, _Piece):
                continue
            self.runs += 1
            if new == item.text and not caps:
                continue
            self.changed += 1
            encoded = _encode_text(new, item.uc)
            if caps:
                encoded = b"{\\caps " + encoded + b"}"
            elif item.delim and encoded[:1] and (encoded[:1].isalnum() or encoded[:1] in b" -"):
                encoded = b" " + encoded
            self.replacements.append((item.start, item.end, encoded))

    # --- the main loop -----------------------------------------------------------------------------------
    def run(self) -> None:
        """Read the whole document: one token at a time, each handed to the handler of its kind."""
        data = self.data
        if not data.lstrip()[:6].startswith(b"{\\rtf"):
            raise DocumentError(self.path, "not an RTF file (it does not start with {\\rtf)")
        pos = data.index(b"{")
        n = len(data)
        self.state = _State(None, 1, False, False, "", False)
        self.stack: list[_State] = []
        self.group_start = False  # the previous token opened a group
        self.starred = False
        self.entry: RtfFont | None = None  # font table entry being read
        self.name_done = False
        match = _TOKEN.match
        undelimited = False
        while pos < n:
            m = match(data, pos)
            if m is None:  # a lone backslash at the end
                break
            start, pos = m.start(), m.end()
            word, param, space, hexd, sym, brace, newline, text = m.groups()
            self.prev_undelimited, undelimited = undelimited, word is not None and not space
            if newline is not None:
                continue
            if brace is not None:
                if self._brace(brace):
                    break
            elif word is not None:
                pos = self._word(word.decode("ascii"), param, start, pos)
            elif sym is not None:
                self._symbol(sym.decode("latin-1"), start, pos)
            elif hexd is not None:
                self._hex(bytes([int(hexd, 16)]), start, pos)
            else:
                self._text(text, start, pos)
        else:
            if self.stack:
                self.warnings.append("the document ends inside an open group (truncated file?)")
        self.flush()
        while self.para_stack:
            self.para = self.para_stack.pop()
            self.flush()
        self._rename_fonts()

    # --- token handlers ----------------------------------------------------------------------------------

    def _brace(self, brace: bytes) -> bool:
        """A group opens or closes; True when the document group has ended."""
        self.skip_chars = 0
        state = self.state
        if state.mode == "" and not state.skip:
            self.close_piece()
        if brace == b"{":
            self.stack.append(state)
            inner = _State(state.font, state.uc, state.hidden, state.skip, state.mode, False)
            if inner.mode == "fontentry":
                inner.mode = "fontsub"
            self.state = inner
            self.group_start = True
            self.starred = False
            return False
        if state.context:
            self.flush()
            self.para = self.para_stack.pop() if self.para_stack else []
        if state.mode == "fontentry" and self.entry is not None:
            self.entry = None
        if not self.stack:
            self.warnings.append("unbalanced braces: a '}' closes more groups than were opened")
            self.state = _State(None, 1, False, False, "", False)
            return False
        self.state = self.stack.pop()
        self.group_start = False
        return not self.stack  # the end of the document group

    def _destination(self, state: _State, dest: str) -> None:
        """The first control word of a group: a font table part, a destination to skip, or a story of its own."""
        mode = state.mode
        if mode == "fonttbl" and dest == "f":
            state.mode = "fontentry"
        elif mode in ("fontentry", "fontsub", "fonttbl") and self.starred and dest == "falt":
            state.mode = "falt"
        elif mode in _FONT_MODES:
            state.skip = True
            state.mode = "skip"
        elif dest == "fonttbl":
            state.mode = "fonttbl"
            state.skip = True
        elif self.starred and dest not in _DESCEND_STARRED or dest in _SKIP_DESTS:
            state.skip = True
        elif dest in _OWN_CONTEXT and not state.skip:
            self.close_piece()
            state.context = True
            self.para_stack.append(self.para)
            self.para = []

    def _word(self, w: str, param: bytes | None, start: int, end: int) -> int:
        """A control word; returns where the next token starts (``\\binN`` jumps over its data)."""
        state = self.state
        if self.group_start:
            self.group_start = False
            self._destination(state, w)
            self.starred = False
        value = int(param) if param is not None else None
        if w == "bin" and value:  # binary data: skip it, whatever the state
            self.close_piece()
            return end + max(value, 0)
        if state.mode in _FONT_MODES:
            self.entry, self.name_done = self._font_word(state, w, value, start, end, self.entry, self.name_done)
            return end
        if state.skip:
            return end
        self.skip_chars = 0
        if w == "u" and value is not None:
            self._unicode(state, value, start, end)
            return end
        ch = _CHAR_WORDS.get(w)
        if ch is not None:
            self.add_text(state, start, end, "b", ch.encode("cp1252"))
        elif w in _BREAKS:
            self.flush()
        elif w in _SEPARATOR_WORDS:
            self.separator(_SEPARATOR_WORDS[w])
        else:
            self.close_piece()
            self._setting(state, w, value)
        return end

    def _unicode(self, state: _State, value: int, start: int, end: int) -> None:
        """``\\uN``: its character, then ``\\ucN`` characters of fallback text to skip."""
        if value < 0:
            value += 65536
        self.add_text(state, start, end, "u", self._u_char(state, value))
        self.skip_chars = state.uc

    def _setting(self, state: _State, w: str, value: int | None) -> None:
        """A control word that changes the font, the hidden flag, ``\\uc`` or the document's code page."""
        if w == "f":
            state.font = value
        elif w == "plain":
            state.font = self.deff
            state.hidden = False
        elif w == "uc":
            state.uc = max(value or 0, 0)
        elif w == "v":
            state.hidden = value != 0
        elif w == "deff" and len(self.stack) == 1:
            self.deff = value
            state.font = value
            self.stack[0].font = value
        elif w == "ansicpg" and value:
            self.ansicpg = f"cp{value}"
        elif w in ("mac", "pc", "pca") and len(self.stack) == 1:
            self.ansicpg = {"mac": "mac_roman", "pc": "cp437", "pca": "cp850"}[w]

    def _symbol(self, s: str, start: int, end: int) -> None:
        """A control symbol: ``\\*``, an escaped character, a special space or hyphen, a line break."""
        if self.group_start and s == "*":
            self.starred = True
            return
        self.group_start = False
        state = self.state
        if state.mode in _FONT_MODES or state.skip or self._skip_one(end):
            return
        if s in ("\n", "\r"):
            self.flush()
            return
        ch = _CHAR_SYMBOLS.get(s)
        if ch is None:
            self.close_piece()
        elif s in "\\{}_":
            self.add_text(state, start, end, "u", ch)
        else:
            self.add_text(state, start, end, "b", ch.encode("latin-1"))

    def _hex(self, byte: bytes, start: int, end: int) -> None:
        """A ``\\'hh`` byte."""
        self.group_start = False
        state = self.state
        if state.mode in _FONT_MODES:
            self.entry, self.name_done = self._font_text(state, byte, start, end, self.entry, self.name_done,
                                                         hexed=True)
        elif not (state.skip or self._skip_one(end)):
            self.add_text(state, start, end, "b", byte)

    def _text(self, text: bytes, start: int, end: int) -> None:
        """Plain text (less the fallback characters a ``\\uN`` still owes)."""
        self.group_start = False
        state = self.state
        if state.mode in _FONT_MODES:
            self.entry, self.name_done = self._font_text(state, text, start, end, self.entry, self.name_done)
            return
        if state.skip:
            return
        if self.skip_chars:
            text, start = self._skip_fallback(text, start)
            if not text:
                return
        self.add_text(state, start, end, "b", text)

    def _skip_fallback(self, text: bytes, start: int) -> tuple[bytes, int]:
        """Drop the fallback characters still owed after ``\\uN`` from the front of ``text``; the skipped
        bytes still belong to the piece that ``\\uN`` opened."""
        k = min(self.skip_chars, len(text))
        self.skip_chars -= k
        if self.piece is not None:
            self.piece.end = start + k
        return text[k:], start + k

    def _u_char(self, state: _State, value: int) -> str:
        info = self.info(self.font_of(state.font))
        legacy = info is not None and info.charset is not None
        if legacy and value < 256:
            return font_text(bytes([value]))
        return chr(value) if not 0xD800 <= value <= 0xDFFF else "\ufffd"

    # --- font table --------------------------------------------------------------------------------------
    def _font_word(self, state, w, value, start, end, entry, name_done):  # type: ignore[no-untyped-def]
        if state.mode == "fonttbl" and w == "f" or state.mode == "fontentry" and w == "f" and entry is None:
            # an entry without its own group ({\fonttbl\f0 Name;\f1 …}) or the first word of an entry group
            entry = self.fonts.setdefault(value or 0, RtfFont(value or 0))
            return entry, False
        if entry is None:
            return entry, name_done
        if w == "fcharset" and state.mode != "falt":
            entry.charset = value
            entry.charset_span = (start, end)
        elif w == "cpg" and state.mode != "falt":
            entry.cpg = value
        return entry, name_done

    def _font_text(self, state, chunk, start, end, entry, name_done, hexed=False):  # type: ignore[no-untyped-def]
        if entry is None:
            return entry, name_done
        if state.mode == "falt":
            text = chunk.decode("cp1252", "replace")
            stripped = text.strip().rstrip(";")
            if stripped:
                entry.falt += text
                if entry.falt_span is None:
                    entry.falt_span = (start, end)
                else:
                    entry.falt_span = (entry.falt_span[0], end)
            return entry, name_done
        if state.mode == "fontsub" or name_done:
            return entry, name_done
        text = chunk.decode(self.codepage(entry) if hexed else "cp1252", "replace")
        if ";" in text and not hexed:
            cut = text.index(";")
            part = text[:cut]
            end = start + len(chunk[:cut])
            name_done = True
        else:
            part = text
        if part:
            lead = len(part) - len(part.lstrip())
            if not entry.name and lead:
                start += lead
                part = part.lstrip()
            if part:
                if entry.name_span is None:
                    entry.name_span = (start, end)
                else:
                    entry.name_span = (entry.name_span[0], end)
                entry.name += part
        if name_done:
            self._finish_font(entry)
        return entry, name_done

    def _finish_font(self, entry: RtfFont) -> None:
        entry.name = entry.name.strip()
        entry.info = lookup(entry.name)
        entry.looked_up = True

    def _rename_fonts(self) -> None:
        for f in self.fonts.values():
            info = self.info(f)
            if info is None or info.charset is None or f.name_span is None:
                continue
            s, e = f.name_span
            # keep whitespace that followed the name
            raw = self.data[s:e]
            tail = raw[len(raw.rstrip()):]
            self.replacements.append((s, e, info.replacement.encode("ascii") + tail))
            if f.charset == 2 and f.charset_span is not None:
                cs, ce = f.charset_span
                self.replacements.append((cs, ce, b"\\fcharset0" + (b" " if self.data[ce - 1 : ce] == b" " else b"")))
            if f.falt_span is not None:
                alt = lookup(f.falt.strip())
                if alt is not None and alt.charset is not None:
                    s2, e2 = f.falt_span
                    raw2 = self.data[s2:e2]
                    lead = raw2[: len(raw2) - len(raw2.lstrip())]
                    self.replacements.append((s2, e2, lead + alt.replacement.encode("ascii")))

    def output(self) -> bytes:
        if not self.replacements:
            return self.data
        out = []
        pos = 0
        for s, e, new in sorted(self.replacements, key=lambda r: (r[0], r[1])):
            if s < pos:  # overlapping edits cannot happen; keep the first one
                continue
            out.append(self.data[pos:s])
            out.append(new)
            pos = e
        out.append(self.data[pos:])
        return b"".join(out)


def _non_ascii(text: str) -> bool:
    return not text.isascii()


def _decode_bytes(data: bytes, codepage: str) -> str:
    if codepage == "symbol":
        return "".join(chr(0xF000 + b) if b >= 0x20 else chr(b) for b in data)
    try:
        return data.decode(codepage, "replace")
    except LookupError:
        return data.decode("cp1252", "replace")


def _encode_text(text: str, uc: int) -> bytes:
    """Unicode text as ASCII-safe RTF: ``\\uN`` escapes with ``uc`` fallback characters."""
    out: list[str] = []
    fallback = "?" * uc if uc else " "
    for ch in text:
        o = ord(ch)
        if 0x20 <= o < 0x7F:
            out.append("\\" + ch if ch in "\\{}" else ch)
        elif ch == "\t":
            out.append("\\tab ")
        elif ch == "\n":
            out.append("\\line ")
        elif o > 0xFFFF:
            units = ch.encode("utf-16-le")
            for i in range(0, 4, 2):
                u = int.from_bytes(units[i : i + 2], "little")
                out.append(f"\\u{u - 65536 if u > 32767 else u}{fallback}")
        else:
            out.append(f"\\u{o - 65536 if o > 32767 else o}{fallback}")
    return "".join(out).encode("ascii")


def _parse(data: bytes, path: str, options: Options) -> _Parser:
    parser = _Parser(data, path, options)
    parser.run()
    return parser


def convert_bytes(data: bytes, options: Options | None = None, path: str = "<rtf>") -> tuple[bytes, _Parser]:
    """Convert RTF bytes; returns the new bytes and the parser (its counts and warnings)."""
    parser = _parse(data, path, options or Options())
    return parser.output(), parser


def _result(src: Path, parser: _Parser, output: str | None) -> Result:
    legacy_fonts = sorted(
        {f.name for f in parser.fonts.values() if f.info is not None and f.info.charset is not None}
    )
    charset = parser.legacy_chars.most_common(1)[0][0] if parser.legacy_chars else None
    total = sum(parser.legacy_chars.values())
    confidence = round(parser.legacy_chars[charset] / total, 3) if charset else 0.0
    found = parser.tally.fill(Result(str(src), FORMAT))  # what the engine's record says about the text
    return Result(
        path=str(src),
        format=FORMAT,
        output=output,
        charset=charset,
        confidence=confidence,
        changed=parser.changed,
        warnings=list(parser.warnings) + found.warnings,
        details={
            "fonts": {
                f.name: {"charset": f.info.charset, "chars": parser.font_chars.get(f.name, 0)}
                for f in sorted(parser.fonts.values(), key=lambda f: f.number)
                if f.info is not None and f.info.charset is not None
            },
            "legacy_fonts": legacy_fonts,
            "charsets": dict(parser.legacy_chars),
            "runs": parser.runs,
            "changed_as": found.details["changed_as"],
        },
    )


def convert_file(src: Path, dst: Path, options: Options) -> Result:
    data = read_bytes(src)
    out, parser = convert_bytes(data, options, str(src))
    with atomic_output(dst) as fh:
        fh.write(out)
    return _result(src, parser, str(dst))


def detect_file(src: Path, options: Options) -> Result:
    data = read_bytes(src)
    parser = _parse(data, str(src), options)
    return _result(src, parser, None)
