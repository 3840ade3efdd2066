"""Repair engine (PRELIMINARY: the public signatures are final, the internals are being built).

Adapters (docx, xlsx, rtf …) call :func:`repair_runs`; users call :func:`repair`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .fonttext import _NOT_FONT, convert

__all__ = ["repair", "repair_runs"]


def repair(
    text: str,
    *,
    hint: str | None = None,
    form: str = "NFC",
    tone_style: str | None = None,
    restore: bool = True,
) -> str:
    """Turn any mix of Unicode and legacy font text into NFC Unicode; text that is right stays as it is.

    ``hint``: the charset the surrounding font or document suggests (``"tcvn3"`` for a ``.VnTime`` run);
    it tips ambiguous text toward that charset but never converts text that is already Unicode.
    """
    return repair_runs([text], [hint], form=form, tone_style=tone_style, restore=restore)[0]


def repair_runs(
    runs: Sequence[str],
    hints: Sequence[str | None] | None = None,
    *,
    form: str = "NFC",
    tone_style: str | None = None,
    restore: bool = True,
) -> list[str]:
    """Repair a paragraph given as consecutive runs (pieces of text with their own font), in context.

    Returns one string per run. ``hints[i]`` is the charset run ``i``'s font suggests (None for a Unicode
    font). A word split across runs is repaired as a whole; its text goes to the run where it starts.
    """
    hints = list(hints) if hints is not None else [None] * len(runs)
    out = []
    for text, hint in zip(runs, hints):
        if hint and text and not _NOT_FONT.search(text):
            out.append(convert(text, hint, errors="replace"))
        else:
            out.append(text)
    return out
