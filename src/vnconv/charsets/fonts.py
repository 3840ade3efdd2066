"""Legacy font names -> the charset their glyphs follow (``tables/fonts.tsv``).

>>> lookup(".VnTimeH")
FontInfo(name='.VnTimeH', charset='tcvn3', uppercase=True, replacement='Times New Roman')
>>> lookup("VNI Times").charset
'vni'
>>> lookup("Times New Roman") is None
True
"""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass

from .._data import table_dir

__all__ = ["FontInfo", "lookup", "fonts", "normalize_font_name"]


@dataclass(frozen=True)
class FontInfo:
    """What a legacy font means: the charset of its codes, whether it draws capitals, its Unicode stand-in.

    ``charset`` is None for legacy symbol fonts (their codes are not letters and are left alone).
    """

    name: str
    charset: str | None
    uppercase: bool
    replacement: str


def normalize_font_name(name: str) -> str:
    """``.VnTime``, ``.vn time``, ``VnTime`` and ``.VNTime`` all give ``vntime``."""
    return "".join(c for c in name.lower() if c not in " .-_\t").strip()


@functools.cache
def _rows() -> tuple[dict[str, FontInfo], list[tuple[str, FontInfo]]]:
    exact: dict[str, FontInfo] = {}
    patterns: list[tuple[str, FontInfo]] = []
    text = (table_dir() / "fonts.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        name, charset, case, replacement = cols[:4]
        info = FontInfo(name, None if charset == "-" else charset, case == "upper", replacement)
        key = normalize_font_name(name)
        if "*" in name:
            patterns.append((key, info))
        else:
            exact.setdefault(key, info)
    return exact, patterns


@functools.lru_cache(maxsize=4096)
def lookup(font_name: str | None) -> FontInfo | None:
    """The :class:`FontInfo` of a legacy font name (any common spelling), or None for other fonts."""
    if not font_name:
        return None
    key = normalize_font_name(font_name)
    exact, patterns = _rows()
    found = exact.get(key)
    if found is None:
        for pattern, info in patterns:
            if fnmatch.fnmatchcase(key, pattern):
                found = info
                break
    if found is None:
        return None
    return FontInfo(font_name, found.charset, found.uppercase, found.replacement)


def fonts() -> list[FontInfo]:
    """Every row of the font table (exact names, then patterns)."""
    exact, patterns = _rows()
    return list(exact.values()) + [info for _, info in patterns]
