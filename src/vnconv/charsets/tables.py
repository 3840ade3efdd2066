"""Read the charset tables in ``tables/`` (the single source of truth) into plain mappings.

See ``tables/README.md`` for the file format. Parsing is cheap and happens once per charset, on first use.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .._data import table_dir
from ..errors import TableError

__all__ = ["CharsetTable", "table_dir", "table_names", "load_table"]




@dataclass(frozen=True)
class CharsetTable:
    """One charset table: metadata plus decode and encode mappings.

    ``decode`` maps byte sequences (one byte, or a canonical multi-byte spelling) to text; ``encode`` maps
    single characters to their bytes (rows flagged ``=`` or ``>``); ``sequences`` maps characters to the
    multi-byte spellings flagged ``=``.
    """

    name: str
    title: str
    kind: str
    aliases: tuple[str, ...]
    decode: dict[bytes, str]
    encode: dict[str, bytes]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def single(self) -> dict[int, str]:
        """Byte value -> text for the one-byte rows."""
        return {b[0]: s for b, s in self.decode.items() if len(b) == 1}

    def repertoire(self) -> frozenset[str]:
        """Every character this charset can encode without loss (``=`` rows)."""
        return frozenset(c for c, b in self.encode.items() if self.decode.get(b) == c)


def _parse_codepoints(field_: str, where: str) -> str:
    if field_ == "-":
        return ""
    try:
        return "".join(chr(int(cp[2:], 16)) for cp in field_.split() if cp.startswith("U+"))
    except ValueError as exc:
        raise TableError(f"{where}: bad code point field {field_!r}") from exc


def table_names() -> list[str]:
    """Canonical names of every charset table present, sorted."""
    return sorted(p.stem for p in table_dir().glob("*.tsv") if not p.stem.startswith(("vi_", "fonts")))


@functools.cache
def load_table(name: str) -> CharsetTable:
    """Parse ``tables/<name>.tsv``; check it for consistency; raise :class:`TableError` if it is wrong."""
    path = table_dir() / f"{name}.tsv"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TableError(f"cannot read charset table {path}: {exc.strerror}") from exc
    meta: dict[str, str] = {}
    decode: dict[bytes, str] = {}
    encode: dict[str, bytes] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        where = f"{path.name}:{lineno}"
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() and " " not in key.strip() and key.strip() not in meta:
                meta[key.strip()] = value.strip()
            continue
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise TableError(f"{where}: expected bytes, code points and flag, got {line!r}")
        try:
            seq = bytes.fromhex(cols[0])
        except ValueError as exc:
            raise TableError(f"{where}: bad byte field {cols[0]!r}") from exc
        chars = _parse_codepoints(cols[1], where)
        flag = cols[2].strip()
        if flag not in ("=", "<", ">"):
            raise TableError(f"{where}: flag must be =, < or >, got {flag!r}")
        if flag in ("=", "<"):
            if seq in decode:
                raise TableError(f"{where}: bytes {cols[0]} have two rows")
            decode[seq] = chars
        if flag in ("=", ">") and len(chars) == 1:
            if chars in encode and flag == "=" and decode.get(encode[chars]) == chars:
                raise TableError(f"{where}: U+{ord(chars):04X} has two '=' rows")
            if flag == "=" or chars not in encode:
                encode[chars] = seq
    if meta.get("charset") != name:
        raise TableError(f"{path.name}: header 'charset: {name}' missing or different")
    kind = meta.get("kind", "")
    if kind not in ("single", "combining", "viqr"):
        raise TableError(f"{path.name}: kind must be single, combining or viqr, got {kind!r}")
    if kind == "combining":
        for seq, chars in decode.items():
            if len(seq) > 1:
                parts = []
                for b in seq:
                    if bytes([b]) not in decode:
                        raise TableError(f"{path.name}: {seq.hex(' ').upper()} uses undefined byte {b:02X}")
                    parts.append(decode[bytes([b])])
                got = unicodedata.normalize("NFC", "".join(parts))
                if got != chars:
                    raise TableError(
                        f"{path.name}: {seq.hex(' ').upper()} is declared {chars!r} but its bytes decode to {got!r}"
                    )
    return CharsetTable(
        name=name,
        title=meta.get("title", name),
        kind=kind,
        aliases=tuple(meta.get("aliases", "").split()),
        decode=decode,
        encode=encode,
        meta=meta,
    )
