"""An OPC zip package (.docx, .xlsx …) opened for reading and saved back atomically: its members in order,
content types, relationships and parsed XML parts; every untouched member byte-identical (same name, order,
date and compression; only the parts marked modified are re-serialised).

Every read error becomes :class:`~vnconv.DocumentError` naming the file and the cause.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ...errors import DocumentError
from ..files import atomic_output
from ..runs import valid_text as valid_xml_text

__all__ = ["NS", "STRICT_PREFIX", "Package", "Relationship", "parse_xml", "serialize_xml", "valid_xml_text",
           "rels_name", "resolve_target", "q"]

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


q = _q
