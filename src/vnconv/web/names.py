"""Names from the browser are display names only: what is stored on disk and in a zip is made safe here.

An uploaded file is stored as ``<job id>/input<suffix>`` (the suffix picks the adapter, and only a plain
``.abc`` suffix is kept); the name the client sent is shown and becomes the download's and zip member's
name after :func:`display_name` has dropped every folder part that could climb out (``..``, absolute paths,
drive letters, backslashes) and every control character.
"""

from __future__ import annotations

import posixpath
import re

__all__ = ["display_name", "stored_suffix", "unique_names", "output_name"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}\Z")
_DRIVE = re.compile(r"\A[A-Za-z]:")


def display_name(raw: str | None, fallback: str = "file.txt") -> str:
    """A relative POSIX path of safe parts: ``../../x.txt`` -> ``x.txt``, ``C:\\a\\b.doc`` -> ``a/b.doc``."""
    text = _DRIVE.sub("", (raw or "").replace("\\", "/"))
    parts = []
    for part in text.split("/"):
        part = _CONTROL.sub("_", part).strip().rstrip(".")
        if part and part not in (".", ".."):
            parts.append(part[:120])
    return "/".join(parts[-8:]) or fallback


def stored_suffix(name: str) -> str:
    """The lower-case suffix of ``name`` if it is a plain one (``.docx``), else ``.txt``."""
    suffix = posixpath.splitext(name)[1].lower()
    return suffix if _SUFFIX.match(suffix) else ".txt"


def output_name(name: str, suffix: str) -> str:
    """``plan.doc`` converted to ``.docx`` is ``plan.docx``; other names keep theirs."""
    stem, old = posixpath.splitext(name)
    return name if old.lower() == suffix else stem + suffix


def unique_names(names: list[str]) -> list[str]:
    """The same names, each unique regardless of case: the second ``a.txt`` becomes ``a (2).txt``."""
    seen: set[str] = set()
    out = []
    for name in names:
        stem, ext = posixpath.splitext(name)
        candidate, n = name, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{stem} ({n}){ext}"
        seen.add(candidate.lower())
        out.append(candidate)
    return out
