"""The public repair functions: find legacy text anywhere in a string, decode it, restore the letters it
lost, and say why.

How it decides (docs/repair.md has the whole method and its measured accuracy), stage by stage:

1. **Fast path** (:mod:`~vnconv.repair.fast`): text with no legacy signal leaves after one scan.
2. **VIQR lines** (:mod:`~vnconv.repair.viqr_lines`): ASCII lines that read as Vietnamese in VIQR.
3. **Segmenting** (:mod:`~vnconv.repair.tokens`): lines, parts (between spaces), words.
4. **Reading candidates** (:mod:`~vnconv.repair.readings`, :mod:`~vnconv.repair.chunks`): each distinct
   word as it stands, as font text of each candidate charset, as UTF-8 read as Windows-1252; scored on one
   scale (:mod:`~vnconv.repair.scale`).
5. **Evidence** (:mod:`~vnconv.repair.evidence`): which charsets the document holds at all.
6. **Decisions** (:mod:`~vnconv.repair.decide`): each part's reading and why (the word decided alone, took
   its line's reading, the document prior tipped it, a font hint did).
7. **Rendering** and **lost letters** (:mod:`~vnconv.repair.render`, :mod:`~vnconv.repair.restore`).
8. **The record** (:mod:`~vnconv.repair.fixes`): :class:`Fix`, :func:`apply_fixes`.

:class:`~vnconv.repair.repairer.Repairer` puts the stages together for one document.

Every function takes a :class:`~vnconv.repair.options.RepairOptions` or its fields as keywords
(``repair(text, charsets=("tcvn3",), tone_style="new")``).
"""

from __future__ import annotations

import bisect
import operator

from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, repeat
from typing import TYPE_CHECKING

from .fast import quiet
from .fixes import Fix, Span, apply_fixes, finish
from .options import DEFAULT_CHARSETS, RepairKeywords, RepairOptions, candidates, resolve
from .nbsp import may_hold_cut_words
from .repairer import Repairer
from .viqr_lines import decode_lines, viqr_hint

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "repair", "repair_runs", "repair_stream", "repair_many", "explain", "detect_spans", "apply_fixes",
    "Fix", "Span", "Repairer", "RepairOptions", "DEFAULT_CHARSETS",
]

_DEFAULTS = RepairOptions()
_DEFAULT_CANDIDATES = candidates(_DEFAULTS)


def _check_text(text: object, name: str = "repair") -> str:
    if isinstance(text, str):
        return text
    raise TypeError(f"{name}() takes a str, not {type(text).__name__} (repair_many passes non-str values through)")


def repair(text: str, options: RepairOptions | None = None, **keywords: Unpack[RepairKeywords]) -> str:
    """Turn any mix of Unicode and legacy text into Unicode; text that is right comes back unchanged.

    Legacy font text (TCVN3, VNI, VISCII, VPS, CP1258 read as Windows-1252), UTF-8 read as Windows-1252 (also
    over font text) and VIQR lines are decoded word by word where the evidence says so; TCVN3's lost ``ư`` and
    VISCII's lost ``ễ`` are restored. Options: :class:`RepairOptions` (``hint``, ``form``, ``tone_style``,
    ``restore``, ``charsets``, ``viqr``, ``lost``), as an object or as keywords. A value that is not a str
    raises TypeError naming its type (:func:`repair_many` passes such values through).
    """
    text = _check_text(text)
    opts = resolve(options, keywords) if (keywords or options is not None) else _DEFAULTS
    if opts.hint is None:
        if text.isascii():  # ASCII text proves nothing unless it is VIQR
            unchanged = not (opts.viqr and viqr_hint(text)) or decode_lines(text, False)[0] == text
        else:
            unchanged = quiet(text, opts.viqr, _DEFAULT_CANDIDATES if opts is _DEFAULTS else candidates(opts))
        if unchanged:  # no legacy signal: nothing can change
            return text if opts.plain else finish(text, opts.tone_style, opts.form)
    return Repairer(opts).feed(text)


def explain(text: str, options: RepairOptions | None = None, **keywords: Unpack[RepairKeywords]) -> list[Fix]:
    """What :func:`repair` changes in ``text``: where (positions in ``text``), from what, to what, read as
    which charset, and why (:attr:`Fix.why`: which stage settled it).

    In the spirit of ftfy's explanations; :func:`apply_fixes` replays them (``apply_fixes(text,
    explain(text)) == repair(text)``).
    """
    text = _check_text(text, "explain")
    engine = Repairer(resolve(options, keywords))
    fixes: list[Fix] = []
    if (engine.viqr and viqr_hint(text)) or may_hold_cut_words(text):
        viqr_fixes: list[Fix] = []  # and the no-break-space words: changes made before segmenting
        decoded = engine.pre_pass(text, viqr_fixes)
        if viqr_fixes:
            engine.viqr = engine.nbsp = False
            later: list[Fix] = []
            engine.feed(decoded, fixes=later)
            # A VIQR line is decoded whole; the other fixes are in text the first stages left alone, whose
            # positions shift by what the changes before them gained or lost.
            ends: list[int] = []
            shifts: list[int] = []
            acc = 0
            for g in sorted(viqr_fixes, key=lambda g: g.start):
                acc += len(g.after) - len(g.before)
                ends.append(g.end + acc)  # where the change ends in the changed text
                shifts.append(acc)
            for f in later:
                k = bisect.bisect_right(ends, f.start)
                delta = shifts[k - 1] if k else 0
                fixes.append(Fix(f.start - delta, f.end - delta, f.before, f.after, f.charset, f.reason, f.why,
                                 f.tone_style, f.form))
            fixes.extend(viqr_fixes)
            return sorted(fixes, key=lambda f: f.start)
    engine.feed(text, fixes=fixes)
    return fixes


def detect_spans(text: str, options: RepairOptions | None = None, **keywords: Unpack[RepairKeywords]) -> list[Span]:
    """Cut ``text`` into stretches by how they read: ``"unicode"`` (right as it stands), a charset name (font
    text), ``"utf8"``/``"utf8+<charset>"`` (UTF-8 read as Windows-1252), ``"viqr"``; word by word in mixed text."""
    text = _check_text(text, "detect_spans")
    engine = Repairer(resolve(options, keywords))
    viqr_fixes: list[Fix] = []
    if engine.viqr and viqr_hint(text):
        engine.viqr_lines(text, viqr_fixes)
    if not viqr_fixes:
        return engine.spans(text)
    spans: list[Span] = []
    pos = 0
    for f in viqr_fixes:
        if f.start > pos:
            spans.extend(Span(s.start + pos, s.end + pos, s.charset) for s in engine.spans(text[pos : f.start]))
        spans.append(Span(f.start, f.end, "viqr"))
        pos = f.end
    if pos < len(text):
        spans.extend(Span(s.start + pos, s.end + pos, s.charset) for s in engine.spans(text[pos:]))
    return spans


def repair_runs(
    runs: Sequence[str],
    hints: Sequence[str | None] | None = None,
    engine: Repairer | None = None,
    options: RepairOptions | None = None,
    **keywords: Unpack[RepairKeywords],
) -> list[str]:
    """Repair a paragraph given as consecutive runs (pieces of text in their own fonts), in context.

    Returns one string per run. ``hints[i]`` is the charset run ``i``'s font names (None for a Unicode font).
    A word split across runs is repaired whole; its text goes to the run where it starts. Pass the same
    ``engine`` (a :class:`Repairer`) for every paragraph of one document: it learns what the document holds
    and reuses its analysis (options then come from the engine).
    """
    if engine is None:
        engine = Repairer(resolve(options, keywords))
    return engine.runs(runs, hints)


_BATCH = 1 << 18  #: characters of texts analysed together by repair_many (256K: 8 % faster than 64K)


def repair_many(
    texts: Iterable[object], options: RepairOptions | None = None, **keywords: Unpack[RepairKeywords]
) -> list[object]:
    """Repair a column of texts (spreadsheet cells, database fields), read as the lines of one document.

    Returns a list as long as ``texts``, in order. What the column shows (which charsets it holds, whether
    its soft hyphens were lost) helps each text: a short text alone is often ambiguous (``cã`` is TCVN3
    ``có`` or a Unicode word). Values that are not strings (None, NaN, numbers) come back as they are.
    Options as :func:`repair`. Faster than mapping :func:`repair` over the texts: one engine, and texts
    analysed in batches of 256K characters (``df["c"] = vnconv.repair_many(df["c"])``).
    """
    engine = Repairer(resolve(options, keywords))
    out = list(texts)
    if all(map(operator.is_, map(type, out), repeat(str))) and "" not in out:
        # Every value a text (a column of strings): batches are slices, found from the running length. (The
        # types first: comparing "" with pandas' NA raises.)
        ends = list(accumulate(map(len, out), lambda a, n: a + n + 1, initial=0))
        start = 0
        while start < len(out):
            stop = min(bisect.bisect_left(ends, ends[start] + _BATCH), len(out))
            out[start:stop] = _repair_batch(engine, out[start:stop])
            start = stop
        return out
    batch: list[int] = []
    size = 0
    for i, value in enumerate(out):
        if isinstance(value, str) and value:
            batch.append(i)
            size += len(value) + 1
            if size >= _BATCH:
                for k, line in zip(batch, _repair_batch(engine, [out[k] for k in batch])):
                    out[k] = line
                batch, size = [], 0
    if batch:
        for k, line in zip(batch, _repair_batch(engine, [out[k] for k in batch])):
            out[k] = line
    return out


def _repair_batch(engine: Repairer, texts: list[str]) -> list[str]:
    """``texts`` repaired as the lines of one piece of a document (a text may hold line ends of its own)."""
    joined = "\n".join(texts)
    lines = engine.feed(joined).split("\n")
    if len(lines) == len(texts) and joined.count("\n") == len(texts) - 1:  # one line a text: the common case
        return lines
    out = []
    a = 0
    for t in texts:
        n = t.count("\n") + 1
        out.append("\n".join(lines[a : a + n]))
        a += n
    if a != len(lines):  # a repaired line never splits or joins: cells must not shift
        raise RuntimeError(f"repair_many: {len(lines)} lines back for {a}")
    return out


def repair_stream(
    chunks: Iterable[str], options: RepairOptions | None = None, **keywords: Unpack[RepairKeywords]
) -> Iterator[str]:
    """Repair a long text given as pieces, in bounded memory, yielding the repaired text piece by piece.

    Pieces are cut at line ends first (a word is never split), and what the engine learns about the document
    (which charsets it holds, whether its soft hyphens were lost) carries from piece to piece.
    """
    engine = Repairer(resolve(options, keywords))
    tail = ""
    for chunk in chunks:
        data = tail + chunk
        cut = max(data.rfind("\n"), data.rfind("\r"))
        if cut < 0:
            if len(data) < 1 << 22:
                tail = data
                continue
            cut = data.rfind(" ")
            if cut < 0:
                cut = len(data) - 1
        if cut + 1 < len(data) and data[cut] == "\r" and data[cut + 1] == "\n":
            cut += 1
        tail = data[cut + 1 :]
        yield engine.feed(data[: cut + 1])
    if tail:
        yield engine.feed(tail)
