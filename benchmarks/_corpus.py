"""The benchmarks' (and the accuracy tests') corpus: real Vietnamese text from the machine's gettext
catalogs, as distinct lines, split into a tuning half and a held-out half by catalog file hash."""

from __future__ import annotations

import gettext
import glob
import hashlib
import os
import random
import unicodedata
from collections.abc import Callable, Iterator

LOCALE = "/usr/share/locale/vi/LC_MESSAGES/*.mo"


def _catalogs() -> Iterator[tuple[str, dict[object, object]]]:
    for path in sorted(glob.glob(LOCALE)):
        try:
            with open(path, "rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        except Exception:
            continue
        yield path, catalog


def held_out(path: str) -> bool:
    """Whether a catalog belongs to the held-out half (by a hash of its file name: stable on every machine
    that has it, independent of which other catalogs are installed)."""
    return hashlib.sha256(os.path.basename(path).encode()).digest()[0] % 2 == 1


def catalog_lines(keep: Callable[[str], bool] = str.strip, half: str = "all") -> list[str]:  # type: ignore[assignment]
    """Every translated line (NFC) of the Vietnamese catalogs that ``keep`` accepts, in a stable order.
    ``half``: "all", "tune" (the catalogs the engine is tuned on) or "held-out" (the others)."""
    lines: list[str] = []
    for path, catalog in _catalogs():
        if half != "all" and held_out(path) != (half == "held-out"):
            continue
        for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
            if key == "" or not isinstance(value, str):
                continue
            lines += [line for line in unicodedata.normalize("NFC", value).splitlines() if keep(line)]
    return lines


def source_lines(keep: Callable[[str], bool] = str.strip) -> list[str]:
    """The English source lines (msgids) of the catalogs that ``keep`` accepts: distinct ASCII text."""
    lines: list[str] = []
    for _, catalog in _catalogs():
        for key in catalog:
            text = key[0] if isinstance(key, tuple) else key
            if isinstance(text, str) and text:
                lines += [line for line in text.splitlines() if keep(line)]
    return sorted(set(lines))


def distinct_lines(lines: list[str], size: int, seed: int = 5) -> list[str]:
    """Lines of about ``size`` UTF-8 bytes in all, none repeated: the distinct lines shuffled, then (when more
    is asked for than they hold) two of them joined by a space, pairs never repeated."""
    pool = list(dict.fromkeys(lines))
    rng = random.Random(seed)
    rng.shuffle(pool)
    out: list[str] = []
    n = 0
    for line in pool:
        if n >= size:
            return out
        out.append(line)
        n += len(line.encode()) + 1
    k = len(pool)
    step = 1
    while n < size and step < k:
        for i in range(k):
            line = pool[i] + " " + pool[(i + step) % k]
            out.append(line)
            n += len(line.encode()) + 1
            if n >= size:
                break
        step += 1
    return out
