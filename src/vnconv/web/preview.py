"""Side-by-side previews: each changed unit as segments of words, the changed ones marked with the why.

A segment is ``{"text": ..., "changed": bool, "reason": str}``; the two sides of a row hold the same words in
the same order, so the page can show them side by side. The reasons are the repair engine's own
(:func:`vnconv.explain` on the stored text); where the engine had nothing to say (a document's font told the
charset), the reason names the charset the file was converted from.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import vnconv

__all__ = ["file_rows", "text_preview", "MAX_ROWS"]

#: changed units shown per file (the download holds them all)
MAX_ROWS = 200
_WORDS = re.compile(r"\s+|[^\s]+")


def _reasons(fixes: list[vnconv.Fix], start: int, end: int) -> str:
    found = [f.reason for f in fixes if f.start < end and f.end > start]
    return "; ".join(dict.fromkeys(found))


def _row(before: str, after: str, fixes: list[vnconv.Fix], fallback: str) -> dict[str, Any]:
    """The word diff of one unit: ``{"before": [segments], "after": [segments]}``."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    offsets, pos = [], 0
    for word in old:
        offsets.append(pos)
        pos += len(word)
    offsets.append(pos)
    left: list[dict[str, Any]] = []
    right: list[dict[str, Any]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            left.append({"text": a, "changed": False, "reason": ""})
            right.append({"text": b, "changed": False, "reason": ""})
            continue
        reason = _reasons(fixes, offsets[i1], offsets[i2]) or fallback
        if a:
            left.append({"text": a, "changed": True, "reason": reason})
        if b:
            right.append({"text": b, "changed": True, "reason": reason})
    return {"before": left, "after": right}


def file_rows(changes: list[Any], charset: str | None) -> list[dict[str, Any]]:
    """Rows for the first :data:`MAX_ROWS` of a :class:`vnconv.pipelines.reading.Change` list."""
    fallback = f"{charset.upper()} text converted to Unicode" if charset else "converted to Unicode"
    rows = []
    for change in changes[:MAX_ROWS]:
        row = _row(change.before, change.after, vnconv.explain(change.before), fallback)
        row["piece"], row["index"] = change.piece, change.index
        rows.append(row)
    return rows


def text_preview(text: str) -> dict[str, Any]:
    """Pasted text: the repaired text, the charsets the engine read, and one row per changed line."""
    repaired = vnconv.repair(text)
    rows = []
    old_lines, new_lines = text.splitlines(), repaired.splitlines()
    charsets: dict[str, int] = {}
    if len(old_lines) == len(new_lines):
        pairs = [(i, a, b) for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    else:  # the lines do not line up (never expected): the whole text as one row
        pairs = [(0, text, repaired)] if text != repaired else []
    for index, before, after in pairs[:MAX_ROWS]:
        fixes = vnconv.explain(before)
        for fix in fixes:
            charsets[fix.charset] = charsets.get(fix.charset, 0) + 1
        row = _row(before, after, fixes, "repaired")
        row["piece"], row["index"] = "text", index
        rows.append(row)
    return {"text": repaired, "charsets": charsets, "rows": rows, "changed": len(pairs)}
