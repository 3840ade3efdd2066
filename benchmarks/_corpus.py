"""The benchmarks' corpus: real Vietnamese text from the machine's gettext catalogs."""

from __future__ import annotations

import gettext
import glob
import unicodedata
from typing import Callable

LOCALE = "/usr/share/locale/vi/LC_MESSAGES/*.mo"


def catalog_lines(keep: Callable[[str], bool] = str.strip) -> list[str]:  # type: ignore[assignment]
    """Every translated line (NFC) of the Vietnamese catalogs that ``keep`` accepts, in a stable order."""
    lines: list[str] = []
    for path in sorted(glob.glob(LOCALE)):
        try:
            with open(path, "rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        except Exception:
            continue
        for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
            if key == "" or not isinstance(value, str):
                continue
            lines += [line for line in unicodedata.normalize("NFC", value).splitlines() if keep(line)]
    return lines
