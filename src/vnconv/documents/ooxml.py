"""Shared machinery of the Office Open XML adapters (.docx, .xlsx …).

* :class:`Package`: a zip package opened for reading — its members in order, content types, relationships,
  parsed XML parts — saved back atomically with every untouched member byte-identical (same name, order,
  date and compression; only the parts marked modified are re-serialised).
* Font renaming (:func:`rename_font_attributes`, :func:`rename_drawingml_fonts`) and theme fonts
  (:func:`theme_fonts`).
* DrawingML text (charts, SmartArt, shapes): :func:`repair_drawingml_text`.
* :class:`Tally`: what a conversion found and did, turned into a :class:`~vnconv.documents.Result`.
* :func:`repair_texts`: the single place the adapters call :func:`vnconv.repair_runs`.

Every read error becomes :class:`~vnconv.DocumentError` naming the file and the cause.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ..repair.engine import Repairer
from ..repair.engine import repair as _repair_text
from ..repair.engine import repair_runs as _repair_runs
from ..errors import DocumentError
from ..charsets.fonts import FontInfo, lookup
from ..charsets.fonttext import convert as _convert
from . import Options, Result, atomic_output, source_hint

__all__ = [
    "NS",
    "Package",
    "Relationship",
    "Tally",
    "parse_xml",
    "serialize_xml",
    "legacy_font",
    "looks_legacy_font",
    "is_symbol_font",
    "rename_font_attributes",
    "rename_drawingml_fonts",
    "theme_fonts",
    "repair_texts",
    "repair_drawingml_text",
    "valid_xml_text",
    "record_units",
    "vml_font_family",
    "drawn_as_capitals",
]

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "rels": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
}
#: ISO 29500 Strict namespaces start with this; the adapters only read Transitional documents
STRICT_PREFIX = "http://purl.oclc.org/ooxml/"

REL_OFFICE_DOCUMENT = "officeDocument"  #: relationship types are matched by their last path segment

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: an XML part larger than this (uncompressed) is refused rather than parsed (zip bombs)
MAX_XML_PART = 1 << 30


def _parser() -> etree.XMLParser:
    """A parser that reads no DTD, expands no entity and opens no URL (parsers are not thread-safe: one each)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)

_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _q(prefix: str, local: str) -> str:
    return f"{{{NS[prefix]}}}{local}"


def parse_xml(data: bytes, where: str) -> etree._ElementTree:
    """Parse one XML part (no DTDs, no entities, no network); ``where`` names it in the error."""
    try:
        return etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise DocumentError(where, f"malformed XML: {exc}") from None


def serialize_xml(tree: etree._ElementTree) -> bytes:
    """An XML part as bytes: UTF-8 with the declaration (keeping ``standalone``), as Office writes it."""
    standalone = tree.docinfo.standalone
    if standalone is None:
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=standalone)


def valid_xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _BAD_XML_CHARS.sub("\ufffd", text)


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str  #: the full relationship type URI
    target: str  #: a part name (zip member name) for internal targets, the URI itself for external ones
    external: bool

    @property
    def kind(self) -> str:
        """The last segment of the type URI: ``officeDocument``, ``styles``, ``header`` …"""
        return self.type.rstrip("/").rsplit("/", 1)[-1]


def rels_name(part: str) -> str:
    """The relationships part of ``part`` (``""`` is the package itself)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(source: str, target: str) -> str:
    """The zip member name a relative relationship target of ``source`` points to."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        path = target.lstrip("/")
    else:
        path = posixpath.join(posixpath.dirname(source), target)
    path = posixpath.normpath(path)
    return "" if path == "." else path.lstrip("/")


class Package:
    """An OPC zip package opened for reading; modified XML parts are written back by :meth:`save`.

    Part names are zip member names (no leading slash); look-ups ignore case, as OPC does.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._where = str(path)
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise DocumentError(self._where, exc.strerror or str(exc)) from None
        if head.startswith(_OLE2_MAGIC):
            raise DocumentError(
                self._where,
                "an OLE2 compound file, not a zip package: a password-protected (encrypted) Office file "
                "or a binary .doc/.xls with the wrong extension",
            )
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            raise DocumentError(self._where, f"not a valid zip package ({exc})") from None
        self.infos: list[zipfile.ZipInfo] = self._zip.infolist()
        self._by_lower: dict[str, str] = {}
        for info in self.infos:
            key = info.filename.lower()
            if key in self._by_lower:
                self.close()
                raise DocumentError(self._where, f"corrupt zip package: duplicate member {info.filename!r}")
            self._by_lower[key] = info.filename
            if info.flag_bits & 0x1:
                self.close()
                raise DocumentError(self._where, f"zip member {info.filename!r} is encrypted")
        self._bytes: dict[str, bytes] = {}
        self._trees: dict[str, etree._ElementTree] = {}
        self._replaced: dict[str, bytes] = {}
        self.modified: set[str] = set()
        self._rels: dict[str, list[Relationship]] = {}
        self._types: tuple[dict[str, str], dict[str, str]] | None = None
        self._parser = _parser()

    # -- reading ---------------------------------------------------------------------------------------
    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self.infos]

    def find(self, name: str) -> str | None:
        """The member name spelled as stored, or None when the package has no such part."""
        return self._by_lower.get(name.lstrip("/").lower())

    def has(self, name: str) -> bool:
        return self.find(name) is not None

    def read(self, name: str) -> bytes:
        """The stored bytes of a part (DocumentError when missing or unreadable)."""
        real = self.find(name)
        if real is None:
            raise DocumentError(self._where, f"the package has no part {name!r}")
        if real not in self._bytes:
            try:
                self._bytes[real] = self._zip.read(real)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
                raise DocumentError(self._where, f"cannot read zip member {real!r} ({exc})") from None
        return self._bytes[real]

    def xml(self, name: str) -> etree._ElementTree:
        """The parsed tree of an XML part (parsed once; edits are kept until :meth:`save`)."""
        real = self.find(name)
        if real is None:
            raise DocumentError(self._where, f"the package has no part {name!r}")
        if real not in self._trees:
            if self._zip.getinfo(real).file_size > MAX_XML_PART:
                raise DocumentError(self._where, f"{real}: part too large ({self._zip.getinfo(real).file_size} bytes)")
            try:
                self._trees[real] = etree.fromstring(self.read(real), self._parser).getroottree()
            except etree.XMLSyntaxError as exc:
                raise DocumentError(self._where, f"{real}: malformed XML ({exc})") from None
        return self._trees[real]

    def mark_modified(self, name: str) -> None:
        """Serialise this part's tree on :meth:`save` instead of copying its stored bytes."""
        real = self.find(name)
        if real is None or real not in self._trees:
            raise KeyError(name)
        self.modified.add(real)

    def replace(self, name: str, data: bytes) -> None:
        """Store new bytes for an existing part."""
        real = self.find(name)
        if real is None:
            raise KeyError(name)
        self._replaced[real] = data
        self.modified.add(real)

    def _content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        if self._types is None:
            defaults: dict[str, str] = {}
            overrides: dict[str, str] = {}
            if self.has("[Content_Types].xml"):
                root = self.xml("[Content_Types].xml").getroot()
                for el in root:
                    if not isinstance(el.tag, str):
                        continue
                    local = etree.QName(el).localname
                    if local == "Default" and el.get("Extension"):
                        defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
                    elif local == "Override" and el.get("PartName"):
                        overrides[el.get("PartName", "").lstrip("/").lower()] = el.get("ContentType", "")
            self._types = (defaults, overrides)
        return self._types

    def content_type(self, name: str) -> str:
        """The content type of a part ('' when [Content_Types].xml does not say)."""
        defaults, overrides = self._content_types()
        key = name.lstrip("/").lower()
        if key in overrides:
            return overrides[key]
        ext = posixpath.splitext(key)[1].lstrip(".")
        return defaults.get(ext, "")

    def rels(self, part: str) -> list[Relationship]:
        """The relationships of ``part`` (``""``: of the package), targets resolved to part names."""
        source = (self.find(part) or part) if part else ""
        if source in self._rels:
            return self._rels[source]
        found: list[Relationship] = []
        rname = rels_name(source) if source else "_rels/.rels"
        if self.has(rname):
            root = self.xml(rname).getroot()
            for el in root:
                if not isinstance(el.tag, str) or etree.QName(el).localname != "Relationship":
                    continue
                rtype = el.get("Type", "")
                target = el.get("Target", "")
                external = el.get("TargetMode", "") == "External"
                if not external:
                    resolved = resolve_target(source, target)
                    target = self.find(resolved) or resolved
                found.append(Relationship(el.get("Id", ""), rtype, target, external))
        self._rels[source] = found
        return found

    def related(self, part: str, kind: str) -> list[str]:
        """The existing internal parts ``part`` relates to with relationship type ``…/kind``."""
        return [r.target for r in self.rels(part) if not r.external and r.kind == kind and self.has(r.target)]

    def main_part(self) -> str:
        """The package's main part (the ``officeDocument`` relationship target)."""
        for rel in self.rels(""):
            if rel.kind == REL_OFFICE_DOCUMENT and not rel.external:
                if self.has(rel.target):
                    return self.find(rel.target) or rel.target
                raise DocumentError(self._where, f"the main part {rel.target!r} is missing")
        raise DocumentError(self._where, "not an Office Open XML package (no officeDocument relationship)")

    def reachable(self, start: str) -> Iterator[tuple[str, str]]:
        """(part, relationship kind) for every internal part reachable from ``start``, breadth first."""
        seen = {start}
        queue = [start]
        while queue:
            part = queue.pop(0)
            for rel in self.rels(part):
                if rel.external or rel.target in seen or not self.has(rel.target):
                    continue
                seen.add(rel.target)
                queue.append(rel.target)
                yield rel.target, rel.kind

    # -- writing ---------------------------------------------------------------------------------------
    def output_bytes(self, name: str) -> bytes:
        """What :meth:`save` writes for a part."""
        real = self.find(name) or name
        if real in self._replaced:
            return self._replaced[real]
        if real in self.modified:
            return serialize_xml(self._trees[real])
        return self.read(real)

    def save(self, dst: Path | str) -> None:
        """Write the package to ``dst`` atomically: members in their original order, each with its original
        name, date, attributes and compression method; unmodified members byte-identical (streamed, so large
        media need not fit in memory)."""
        with atomic_output(Path(dst)) as fh:
            with zipfile.ZipFile(fh, "w", allowZip64=True) as out:
                for info in self.infos:
                    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    zi.compress_type = info.compress_type
                    if zi.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                                                zipfile.ZIP_LZMA):  # fmt: skip
                        zi.compress_type = zipfile.ZIP_DEFLATED  # a method zipfile cannot write
                    zi.external_attr = info.external_attr
                    zi.create_system = info.create_system
                    zi.comment = info.comment
                    name = info.filename
                    if name in self._replaced or name in self.modified or name in self._bytes or info.is_dir():
                        out.writestr(zi, self.output_bytes(name))
                        continue
                    zi.file_size = info.file_size
                    big = info.file_size > 0x7FFFFFFF
                    try:
                        with self._zip.open(info) as src, out.open(zi, "w", force_zip64=big) as dst_member:
                            while chunk := src.read(1 << 20):
                                dst_member.write(chunk)
                    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                        raise DocumentError(self._where, f"cannot read zip member {name!r} ({exc})") from None
                out.comment = self._zip.comment
            # the source is read completely by now: close it before the temporary file replaces dst
            # (dst may be the source itself, for --in-place)
            self.close()


# -- fonts --------------------------------------------------------------------------------------------------
_SYMBOL_FONTS = {
    "symbol",
    "wingdings",
    "wingdings 2",
    "wingdings 3",
    "webdings",
    "marlett",
    "mt extra",
    "zapfdingbats",
    "zapf dingbats",
    "itc zapf dingbats",
    "monotype sorts",
    "ms outlook",
    "bookshelf symbol 7",
    "ms reference specialty",
    "symbol mt",
}
_LEGACY_LOOKING = re.compile(
    r"^(?:\.?vn|vni|abc|vk |vk-|tcvn|vps|viscii|bk ?hcm|vietware|vietkey|vntime|3c[ _-])|(?:^|[\s._-])vn[ _.-]",
    re.IGNORECASE,
)


def legacy_font(name: str | None) -> FontInfo | None:
    """The font table's entry for a legacy font name (None for Unicode fonts and theme references)."""
    if not name or name.startswith("+"):
        return None
    return lookup(name)


def looks_legacy_font(name: str) -> bool:
    """A font name that looks like a Vietnamese legacy font but is not in ``tables/fonts.tsv``."""
    return legacy_font(name) is None and bool(_LEGACY_LOOKING.search(name.strip()))


def is_symbol_font(name: str | None, extra: set[str] | frozenset[str] = frozenset()) -> bool:
    """Fonts whose codes are pictures, not letters (Symbol, Wingdings, .VnSymbol …): never repaired.

    ``extra``: lowercase names a document's font table marks as symbol fonts (``w:charset 02``)."""
    if not name:
        return False
    info = legacy_font(name)
    if info is not None:
        return info.charset is None
    key = name.strip().lower()
    return key in _SYMBOL_FONTS or key in extra


def rename_font_attributes(el: etree._Element, attrs: Sequence[str], tally: Tally) -> bool:
    """Replace every legacy font name held in the attributes ``attrs`` of ``el``; True when one changed."""
    changed = False
    for attr in attrs:
        value = el.get(attr)
        if value:
            new = tally.replacement(value)
            if new is not None and new != value:
                el.set(attr, new)
                changed = True
    return changed


_A_FONT_TAGS = {_q("a", t) for t in ("latin", "ea", "cs", "sym", "font", "buFont")}
_VML_FONT = re.compile(r"(font-family\s*:\s*)(&quot;|\"|')?([^;\"'&]+)(&quot;|\"|')?", re.IGNORECASE)


def rename_drawingml_fonts(root: etree._Element, tally: Tally) -> bool:
    """Rename legacy typefaces in DrawingML (``a:latin``, ``a:ea``, ``a:cs``, ``a:sym``, ``a:font``,
    ``a:buFont``: themes, charts, shapes) and VML ``font-family`` styles; True when something changed."""
    changed = False
    for el in root.iter(*_A_FONT_TAGS):
        changed |= rename_font_attributes(el, ("typeface",), tally)
    for el in root.iter(_q("v", "textpath")):
        changed |= _rename_vml_style(el, tally)
    return changed


def _rename_vml_style(el: etree._Element, tally: Tally) -> bool:
    style = el.get("style")
    if not style or "font-family" not in style.lower():
        return False

    def sub(m: re.Match[str]) -> str:
        new = tally.replacement(m.group(3).strip())
        if new is None:
            return m.group(0)
        quote_open, quote_close = m.group(2) or "", m.group(4) or ""
        return f"{m.group(1)}{quote_open}{new}{quote_close}"

    new_style = _VML_FONT.sub(sub, style)
    if new_style != style:
        el.set("style", new_style)
        return True
    return False


def vml_font_family(style: str | None) -> str | None:
    """The font-family a VML ``style`` attribute names, without quotes."""
    if not style:
        return None
    m = _VML_FONT.search(style)
    return m.group(3).strip() if m else None


def theme_fonts(theme: etree._Element | None) -> dict[str, str]:
    """The fonts a theme part defines, keyed by the names documents refer to them by: WordprocessingML's
    ``minorHAnsi`` … ``majorBidi`` and DrawingML's ``+mn-lt`` … ``+mj-cs``."""
    out: dict[str, str] = {}
    if theme is None:
        return out
    for which, wml, dml in (("majorFont", "major", "+mj"), ("minorFont", "minor", "+mn")):
        block = theme.find(f".//{_q('a', which)}")
        if block is None:
            continue
        for tag, keys in (
            ("latin", (f"{wml}Ascii", f"{wml}HAnsi", f"{dml}-lt")),
            ("ea", (f"{wml}EastAsia", f"{dml}-ea")),
            ("cs", (f"{wml}Bidi", f"{dml}-cs")),
        ):
            el = block.find(_q("a", tag))
            face = el.get("typeface") if el is not None else None
            if face:
                for key in keys:
                    out[key] = face
    return out


# -- repair and bookkeeping --------------------------------------------------------------------------------
def repair_texts(
    texts: Sequence[str], hints: Sequence[str | None], options: Options, engine: Repairer | None = None
) -> list[str]:
    """Repair the runs of one paragraph (or cell) in context: the adapters' only call into the engine.
    ``engine``: the document's :class:`Repairer` (``Tally.engine``), which learns what the document holds."""
    if not texts:
        return []
    if engine is None:
        out = _repair_runs(
            list(texts), list(hints), form=options.form, tone_style=options.tone_style, restore=options.restore
        )
    else:
        out = _repair_runs(list(texts), list(hints), engine=engine)
    if len(out) != len(texts):
        raise RuntimeError(f"repair_runs returned {len(out)} strings for {len(texts)} runs")
    return [valid_xml_text(s) for s in out]


_GUESS_ORDER = ("tcvn3", "vni", "viqr", "viscii", "vps", "cp1258", "tcvn5712", "vni-mac")


class Tally:
    """What an OOXML conversion found and did; :meth:`fill` turns it into a :class:`Result`.

    ``units`` are the pieces of text the adapter hands to the engine (runs for .docx, runs or cells for
    .xlsx). Warnings about one cause are aggregated: one line with a count and an example.
    """

    def __init__(self, options: Options, path: str) -> None:
        self.options = options
        self.path = path
        self.units = 0  #: units with some non-space text
        self.legacy_units = 0  #: … of them in a legacy font
        self.fonts: Counter[str] = Counter()  #: legacy font (as spelled) -> units in it
        self.charsets: Counter[str] = Counter()  #: charset of the font -> units in such fonts
        self.changed = 0  #: units (runs, cells) whose text changed
        self.changed_as: Counter[str] = Counter()  #: charset the changed text was in ("mixed": several)
        self.unchanged_nonascii = 0
        self.renamed: dict[str, str] = {}  #: legacy font name -> replacement written
        self.unknown_fonts: set[str] = set()
        self.parts: Counter[str] = Counter()  #: part -> units changed
        self.details: dict[str, Any] = {}
        self.warnings: list[str] = []
        self._notes: dict[tuple[str, str], list[Any]] = {}

    @property
    def engine(self) -> Repairer:
        """One repair engine for the whole document: evidence and analysis carry from paragraph to paragraph."""
        found = self.__dict__.get("_engine")
        if found is None:
            o = self.options
            found = self.__dict__["_engine"] = Repairer(form=o.form, tone_style=o.tone_style, restore=o.restore)
        return found

    # fonts
    def font(self, name: str | None) -> FontInfo | None:
        """:func:`legacy_font`, remembering unknown legacy-looking names for a warning."""
        info = legacy_font(name)
        if info is None and name and looks_legacy_font(name):
            self.unknown_fonts.add(name)
        return info

    def replacement(self, name: str) -> str | None:
        """The Unicode font replacing a legacy font name (None: not a legacy font); recorded."""
        info = self.font(name)
        if info is None:
            return None
        self.renamed[name] = info.replacement
        return info.replacement

    def count_unit(self, text: str, info: FontInfo | None) -> None:
        """Count one unit of text (ignored when blank) and the legacy font it is in."""
        if text.strip():
            self.units += 1
            if info is not None:
                self.legacy_units += 1
                self.fonts[info.name] += 1
                if info.charset:
                    self.charsets[info.charset] += 1

    # warnings
    def note(self, part: str, key: str, message: str, example: str = "") -> None:
        """Count one occurrence of a warning; ``message`` may use ``{n}`` (the count) and ``{example}``."""
        entry = self._notes.setdefault((part, key), [0, example, message])
        entry[0] += 1

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # the engine's verdicts
    def record_group(
        self, part: str, texts: Sequence[str], outs: Sequence[str], hint: str | None, font: str | None
    ) -> None:
        """Compare the engine's output for consecutive units sharing one hint with what the hint predicts,
        to report runs whose text did not look like their font's charset.

        Units the engine left alone are judged one by one (Unicode text under a legacy font); changed units
        are judged by stretches, since the engine may move a word split across units into the first one."""
        n = len(texts)
        i = 0
        while i < n:
            if outs[i] == texts[i]:
                text = texts[i]
                if text.strip() and not text.replace("\u00ad", "").isascii():
                    self.unchanged_nonascii += 1
                    if hint is not None:
                        self.note(
                            part,
                            f"unicode:{font}",
                            f"{{n}} run(s) in the legacy font {font} already hold Unicode text: kept as they are "
                            f"(e.g. {{example}})",
                            _excerpt(text),
                        )
                i += 1
                continue
            j = i + 1
            while j < n and outs[j] != texts[j]:
                j += 1
            self._record_changed(part, "".join(texts[i:j]), "".join(outs[i:j]), j - i, hint, font)
            i = j

    def _record_changed(
        self, part: str, joined_in: str, joined_out: str, n_changed: int, hint: str | None, font: str | None
    ) -> None:
        if hint is not None:
            expected = self._expected(joined_in, hint)
            if expected is not None and _nfc(expected) == _nfc(joined_out):
                self.changed_as[hint] += n_changed
                return
            guess = self.guess(joined_in, joined_out, exclude=hint)
            self.changed_as[guess] += n_changed
            self.note(
                part,
                f"mismatch:{font}:{guess}",
                f"{{n}} stretch(es) of text in {font} did not read as {hint}; repaired as "
                f"{'a mix of charsets' if guess == 'mixed' else guess} (e.g. {{example}})",
                f"{_excerpt(joined_in)} → {_excerpt(joined_out)}",
            )
        else:
            guess = self.guess(joined_in, joined_out)
            self.changed_as[guess] += n_changed
            self.note(
                part,
                f"hidden:{font}:{guess}",
                f"{{n}} stretch(es) of text in the Unicode font {font or '(default)'} held legacy text "
                f"({'mixed' if guess == 'mixed' else guess}); repaired (e.g. {{example}})",
                f"{_excerpt(joined_in)} → {_excerpt(joined_out)}",
            )

    def _expected(self, text: str, charset: str) -> str | None:
        try:
            out = _convert(text, charset, errors="replace")
        except Exception:  # noqa: BLE001 - any charset trouble just means "no prediction"
            return None
        if self.options.tone_style:
            out = _repair_text(out, hint=None, form="NFC", tone_style=self.options.tone_style)
        return out

    def guess(self, text: str, out: str, exclude: str | None = None) -> str:
        """The charset whose plain conversion of ``text`` gives ``out`` ("mixed" when none does)."""
        target = _nfc(out)
        for cs in _GUESS_ORDER:
            if cs == exclude:
                continue
            expected = self._expected(text, cs)
            if expected is not None and _nfc(expected) == target:
                return cs
        return "mixed"

    def main_charset(self) -> str | None:
        real = [(n, cs) for cs, n in self.changed_as.items() if cs != "mixed" and n]
        if not real:
            return None
        real.sort(key=lambda item: (-item[0], item[1]))
        return real[0][1]

    def fill(self, result: Result) -> Result:
        """Copy the findings into ``result``: charset, confidence, changed, warnings, details."""
        main = self.main_charset()
        result.charset = main
        result.changed = self.changed
        changed_units = sum(self.changed_as.values())
        total = changed_units + self.unchanged_nonascii
        if total:
            agree = self.changed_as.get(main, 0) if main else self.unchanged_nonascii
            result.confidence = round(agree / total, 3)
        else:
            result.confidence = 0.0
        for name in sorted(self.unknown_fonts):
            self.warn(
                f"font {name!r} looks like a legacy Vietnamese font but is not in the font table: its text was "
                "checked by content only and the font name was kept"
            )
        for (part, _key), (n, example, message) in self._notes.items():
            self.warn(f"{part}: " + message.format(n=n, example=example))
        result.warnings.extend(w for w in self.warnings if w not in result.warnings)
        details = {
            "units": self.units,
            "legacy_font_units": self.legacy_units,
            "fonts": dict(sorted(self.fonts.items())),
            "charsets": dict(sorted(self.charsets.items())),
            "changed_as": dict(sorted(self.changed_as.items())),
            "renamed_fonts": dict(sorted(self.renamed.items())),
            "parts_changed": dict(sorted((p, n) for p, n in self.parts.items() if n)),
        }
        details.update(self.details)
        result.details.update(details)
        return result


def drawn_as_capitals(texts: Sequence[str], outs: Sequence[str], upper: Sequence[bool]) -> list[bool]:
    """Which units in an uppercase font (``.VnTimeH`` …) to turn into capitals, given the engine's output.

    Text the engine repaired was legacy, so the font drew it as capitals. Text it kept is Unicode typed
    under a legacy style (a trap): left as typed when it has non-ASCII letters; ASCII-only text is read as
    legacy too (the font drew it as capitals), unless a unit in an uppercase font nearby held Unicode."""
    trap = any(
        u and a == b and not a.replace("\u00ad", "").isascii() for a, b, u in zip(texts, outs, upper)
    )
    return [u and (a != b or (a.isascii() and not trap)) for a, b, u in zip(texts, outs, upper)]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _excerpt(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# -- DrawingML text -----------------------------------------------------------------------------------------
_A_P = _q("a", "p")
_A_R = _q("a", "r")
_A_FLD = _q("a", "fld")
_A_BR = _q("a", "br")
_A_T = _q("a", "t")
_A_RPR = _q("a", "rPr")
_A_PPR = _q("a", "pPr")
_A_DEFRPR = _q("a", "defRPr")
_A_LATIN = _q("a", "latin")
_A_LSTSTYLE = _q("a", "lstStyle")


def _latin_of(props: etree._Element | None) -> str | None:
    if props is None:
        return None
    latin = props.find(_A_LATIN)
    return latin.get("typeface") if latin is not None else None


def _drawingml_paragraph_font(p: etree._Element, default: str | None) -> str | None:
    ppr = p.find(_A_PPR)
    face = _latin_of(ppr.find(_A_DEFRPR)) if ppr is not None else None
    if face:
        return face
    level = int(ppr.get("lvl", "0")) + 1 if ppr is not None and ppr.get("lvl", "0").isdigit() else 1
    for anc in p.iterancestors():
        lst = anc.find(_A_LSTSTYLE)
        if lst is not None:
            lvl = lst.find(_q("a", f"lvl{level}pPr"))
            face = _latin_of(lvl.find(_A_DEFRPR)) if lvl is not None else None
            if face:
                return face
    return default


def repair_drawingml_text(
    root: etree._Element,
    options: Options,
    tally: Tally,
    part: str,
    themes: dict[str, str] | None = None,
    default_font: str | None = None,
) -> bool:
    """Repair the text of every DrawingML paragraph (``a:p``: chart titles and labels, SmartArt, shapes).

    A run's font is its ``a:rPr/a:latin``, else the paragraph's or list style's ``a:defRPr``, else
    ``default_font`` (e.g. the chart's text properties); ``+mn-lt``-style references resolve through
    ``themes``. A paragraph's runs between line breaks go to the engine together. Legacy uppercase fonts
    give capitals (or ``cap="all"`` with ``options.uppercase == "caps"``). True when a text changed.
    """
    themes = themes or {}
    fallback_hint = source_hint(options)
    changed = False
    for p in root.iter(_A_P):
        p_font = _drawingml_paragraph_font(p, default_font)
        segments: list[list[tuple[etree._Element, etree._Element, str | None, FontInfo | None]]] = [[]]
        for child in p:
            if child.tag in (_A_R, _A_FLD):
                t = child.find(_A_T)
                if t is None:
                    continue
                rpr = child.find(_A_RPR)
                face = _latin_of(rpr) or p_font
                if face and face.startswith("+"):
                    face = themes.get(face, face)
                if is_symbol_font(face):
                    segments.append([])
                    continue
                segments[-1].append((child, t, face, tally.font(face)))
            elif child.tag == _A_BR:
                segments.append([])
        for seg in segments:
            texts = [t.text or "" for _, t, _, _ in seg]
            if not any(s.strip() for s in texts):
                continue
            hints = [info.charset if info else fallback_hint for _, _, _, info in seg]
            outs = repair_texts(texts, hints, options, tally.engine)
            _record_units(tally, part, texts, outs, hints, [face for _, _, face, _ in seg], [i for *_, i in seg])
            capitals = drawn_as_capitals(texts, outs, [bool(i and i.uppercase) for *_, i in seg])
            for (run, t, _face, _info), before, after, cap in zip(seg, texts, outs, capitals):
                caps = False
                if cap:
                    if options.uppercase == "caps":
                        caps = any(c.islower() for c in after)
                    else:
                        after = unicodedata.normalize(options.form, after.upper())
                if after != before:
                    t.text = after
                if caps:
                    rpr = run.find(_A_RPR)
                    if rpr is None:
                        rpr = etree.Element(_A_RPR)
                        run.insert(0, rpr)
                    rpr.set("cap", "all")
                if after != before or caps:
                    tally.changed += 1
                    tally.parts[part] += 1
                    changed = True
    return changed


def _record_units(
    tally: Tally,
    part: str,
    texts: Sequence[str],
    outs: Sequence[str],
    hints: Sequence[str | None],
    faces: Sequence[str | None],
    infos: Sequence[FontInfo | None],
    count: bool = True,
) -> None:
    """Count units per font/charset (unless ``count`` is False: the caller counts) and hand each stretch of
    equal hints to :meth:`Tally.record_group`."""
    if count:
        for text, info in zip(texts, infos):
            tally.count_unit(text, info)
    i = 0
    n = len(texts)
    while i < n:
        j = i + 1
        while j < n and hints[j] == hints[i]:
            j += 1
        font = next((infos[k].name for k in range(i, j) if infos[k] is not None), None) or next(
            (faces[k] for k in range(i, j) if faces[k]), None
        )
        tally.record_group(part, texts[i:j], outs[i:j], hints[i], font)
        i = j


record_units = _record_units
