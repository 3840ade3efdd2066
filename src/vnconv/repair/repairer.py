"""The engine: one document's stages put together, in order, with what it learns kept between calls.

:class:`Repairer` only orchestrates: VIQR lines (:mod:`~vnconv.repair.viqr_lines`), segmenting
(:mod:`~vnconv.repair.tokens`), reading candidates and evidence (:mod:`~vnconv.repair.chunks`,
:mod:`~vnconv.repair.evidence`), deciding (:mod:`~vnconv.repair.decide`), rendering
(:mod:`~vnconv.repair.render`), restoring lost letters (:mod:`~vnconv.repair.restore`), and the record
(:mod:`~vnconv.repair.fixes`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter

from ..charsets.registry import canonical_name
from .chunks import PartStore
from .decide import UNICODE, Decider
from .evidence import Evidence
from .fast import quiet_part
from .fixes import Fix, Span, finish, how, reason
from .nogc import paused
from .options import RepairOptions, candidates
from .pairs import read_by_pairs
from .nbsp import restore_nbsp
from .render import Renderer
from .restore import restore_in_context
from .scale import SETTLE
from .tokens import WORDS, join, split, starts
from .viqr_lines import decode_lines

__all__ = ["Repairer", "Pass"]

_MAX_PENDING = 1 << 16  #: parts left unanalysed at most (then they are analysed: bounded memory)


@dataclass
class Pass:
    """One text through the engine: its parts, parts per line, their repaired text, their readings, and
    what settled each reading (``why``; computed when asked for, by ``why_of``, where it is not given)."""

    parts: list[str]
    counts: list[int]
    outs: list[str]
    labels: list[str]
    given_why: list[str] | None = None
    why_of: Callable[[], list[str]] | None = None

    @property
    def why(self) -> list[str]:
        if self.given_why is None:
            assert self.why_of is not None
            self.given_why = self.why_of()
        return self.given_why


class Repairer:
    """A configured repair engine that keeps what it learns about a document between :meth:`feed` calls.

    Takes a :class:`~vnconv.repair.options.RepairOptions` or its fields as keywords; ``hint``: a charset a font
    or the user names; ``lost``: whether the letters in byte 0xAD were lost everywhere (None: from the text).
    """

    def __init__(
        self,
        options: RepairOptions | None = None,
        *,
        hint: str | None = None,
        charsets: Sequence[str] | None = None,
        form: str = "NFC",
        tone_style: str | None = None,
        restore: bool = True,
        viqr: bool = True,
        lost: bool | None = None,
    ) -> None:
        if options is None:
            options = RepairOptions(
                hint=hint, charsets=None if charsets is None else tuple(charsets), form=form,
                tone_style=tone_style, restore=restore, viqr=viqr, lost=lost,
            )
        self.options = options
        self.hint = canonical_name(options.hint) if options.hint else None
        self.charsets = candidates(options)
        self.form = options.form
        self.tone_style = options.tone_style
        self.restore = options.restore
        self.viqr = options.viqr or self.hint == "viqr"
        self.lost = options.lost
        self.nbsp = True  #: read UTF-8 words whose no-break space became a space (see repair/nbsp.py)
        self.evidence = Evidence()
        self.store = PartStore(self.charsets, self.evidence, self.restore)
        self.decider = Decider(self.store, self.evidence)
        self.renderer = Renderer(self.store, self.decider, self.restore)
        self._hinted: set[str] = {self.hint} if self.hint and self.hint != "viqr" else set()
        self._saw_soft_hyphen = False
        self._pending: list[str] = []  #: parts that cannot be evidence, not analysed yet

    def add_charset(self, name: str, hinted: bool = True) -> None:
        """Consider one more charset; ``hinted``: a font names it, so it is a candidate whatever the evidence
        (runs of one paragraph in different fonts)."""
        name = canonical_name(name)
        if name == "viqr":
            return
        if name not in self.charsets:
            self.charsets = self.charsets + (name,)
            self.store.reset(self.charsets)
        if hinted:
            self._hinted.add(name)

    def allowed(self) -> frozenset[str]:
        """The readings this document gives evidence for, plus the hinted charsets (see
        :meth:`vnconv.repair.evidence.Evidence.allowed`)."""
        return self.evidence.allowed(self._hinted)

    # -- the whole pass ----------------------------------------------------------------------------------
    def _pass(self, text: str, hints: list[str | None] | None) -> Pass | None:
        """Decide, render and restore every part; None when nothing in the text is legacy.
        ``hints``: per part (see :func:`~vnconv.repair.tokens.split`), the charset its font names."""
        parts, counts = split(text)
        order = list(dict.fromkeys(parts))  # the distinct parts, in order: each stage below reads these
        if not self._hinted and not self.evidence.counts:
            # Nothing legacy seen yet: analyse first only the parts that could be evidence; when none is,
            # the text is Unicode as it stands and the others wait (they are analysed once evidence comes).
            # Legacy text shows itself in its first loud parts: the rest is not looked at part by part.
            new = self.store.unseen(order)
            loud: list[str] = []
            for k in range(0, len(new), SETTLE):
                loud = [p for p in new[k : k + SETTLE] if not quiet_part(p)]
                self.store.analyse(loud, frozenset())
                if self.allowed():
                    break
            else:
                self._pending.extend(p for p in new if quiet_part(p))
                if len(self._pending) > _MAX_PENDING:
                    self._analyse_pending()
                return None
        self._analyse_pending()
        self.store.analyse(order, frozenset(self._hinted))
        allowed = self.allowed()
        if not allowed:
            return None
        if hints is not None:
            return self._pass_hinted(text, parts, counts, hints, allowed)
        distinct = set(order)
        store = self.store
        # Parts read in bulk for this evidence decide nothing (their words are plain in the reading).
        key = store.bulk_key
        bulk = store.bulk_read if key is not None and key[:2] == (allowed, self.evidence.dominant) else {}
        rest = distinct.difference(bulk)
        own_of = {p: self.decider.own(store[p], allowed, None) for p in rest}
        decided = {o for o in own_of.values() if o is not None}
        default = self.evidence.dominant or UNICODE
        if len(decided) <= 1 and (default == UNICODE or not decided or decided == {default}):
            # Every deciding word agrees: read the whole text that way, each distinct part once.
            label = next(iter(decided)) if decided else default
            if bulk and key is not None and key[2] == label:
                read = list(distinct.intersection(bulk))
            else:
                read, rest = [], distinct
            rest = list(rest)
            # (text, whether a word may have lost a letter) of each distinct part: from the bulk reading, or
            # rendered; then each part's text looked up, with C-level iteration.
            rendered = list(map(bulk.__getitem__, read))
            rendered += self.renderer.render_many(rest, label, allowed, None).values()
            read += rest
            outs = list(map(dict(zip(read, map(itemgetter(0), rendered))).__getitem__, parts))
            asked = set(compress(read, map(itemgetter(1), rendered))) if self._restoring(text) else None
            targets = list(compress(range(len(parts)), map(asked.__contains__, parts))) if asked else []
            labels = [label] * len(parts)
            why = "line" if decided else "document"
            self._restore(text, parts, outs, targets, labels)
            own = own_of.get
            return Pass(parts, counts, outs, labels,
                        why_of=lambda: ["word" if own(p) is not None else why for p in parts])
        for p in distinct.difference(own_of):
            own_of[p] = self.decider.own(store[p], allowed, None)
        return self._pass_lines(text, parts, counts, own_of, allowed)

    def _pass_lines(
        self, text: str, parts: list[str], counts: list[int], own_of: dict[str, str | None], allowed: frozenset[str]
    ) -> Pass:
        """A text whose lines read differently: decide line by line, then render each distinct (part, reading)
        once."""
        own = list(map(own_of.__getitem__, parts))
        labels, mixed, read, alone = self._line_labels(parts, counts, own, allowed)
        # A few ways to read: a label, or (label, whether without the prior) when some line reads without it
        # (no tuple a part otherwise). Per way, its distinct parts are rendered once.
        solo = any(alone)
        ways: list[object] = list(zip(labels, alone)) if solo else labels  # type: ignore[assignment]
        of_way: dict[object, set[str]] = {}
        for way, p in set(zip(ways, parts)):
            of_way.setdefault(way, set()).add(p)
        read_as_is = of_way.get((UNICODE, False) if solo else UNICODE, set()) | of_way.get((UNICODE, True), set())
        paired = read_by_pairs(self.store, parts, counts, own, labels, allowed, read_as_is)
        for k in paired:  # (labels changed in place: the ways follow)
            if solo:
                ways[k] = (labels[k], alone[k])
            of_way.setdefault(ways[k], set()).add(parts[k])
        texts: dict[object, dict[str, str]] = {}
        asks: dict[object, set[str]] = {}  # per way, the parts in which a word may have lost a letter
        for way, ps in of_way.items():
            label, prior_free = way if solo else (way, False)  # type: ignore[misc]
            done = self.renderer.render_many(ps, label, allowed, None, prior_free)
            texts[way] = dict(zip(done, map(itemgetter(0), done.values())))
            asks[way] = set(compress(done, map(itemgetter(1), done.values())))
        outs = list(map(dict.__getitem__, map(texts.__getitem__, ways), parts))
        targets: list[int] = []
        asked = set().union(*asks.values())
        if asked and self._restoring(text):
            targets = [i for i in compress(range(len(parts)), map(asked.__contains__, parts))
                       if parts[i] in asks[ways[i]]]
        self._restore(text, parts, outs, targets, labels)

        def why_of() -> list[str]:
            why = self._line_why(counts, own, mixed, read)
            for k in paired:
                why[k] = "pairs"
            return why

        return Pass(parts, counts, outs, labels, why_of=why_of)

    def _line_labels(
        self, parts: list[str], counts: list[int], own: list[str | None], allowed: frozenset[str]
    ) -> tuple[list[str], dict[int, list[str]], set[int], list[bool]]:
        """The reading of every part, line by line: a line whose deciding parts agree reads their way; a line
        where none decides, the reading its words together like best (:meth:`Decider.line_reading`) or the
        document's; in a line where they differ only through the document's prior, the way they agree without
        it (:meth:`Decider.agree_alone`); in a line where they differ each undecided part takes its neighbours'
        (:meth:`Decider.inherit`). Also the whys of those mixed lines, the lines read as a whole, by where they
        start, and per part whether its words decide without the prior."""
        default = self.evidence.dominant or UNICODE
        labels: list[str] = []
        mixed: dict[int, list[str]] = {}
        read: set[int] = set()
        alone: list[bool] = []
        a = 0
        for n in counts:
            line = own[a : a + n]
            decided = set(line)
            decided.discard(None)
            if decided:
                label = decided.pop() if len(decided) == 1 else None
            else:
                label = self.decider.line_reading(parts[a : a + n], allowed)
                if label is not None:
                    read.add(a)
                else:
                    label = default
            solo = False
            if label is None:
                label = self.decider.agree_alone(parts[a : a + n], allowed)
                if label is not None:
                    solo = True
                    mixed[a] = ["word" if o == label else "line" for o in line]
            if label is not None:
                labels += [label] * n
                alone += [solo] * n
            else:
                readings, mixed[a] = self.decider.inherit(parts[a : a + n], line, allowed)
                labels += readings
                alone += [False] * n
            a += n
        return labels, mixed, read, alone

    @staticmethod
    def _line_why(
        counts: list[int], own: list[str | None], mixed: dict[int, list[str]], read: set[int]
    ) -> list[str]:
        why: list[str] = []
        a = 0
        for n in counts:
            line = own[a : a + n]
            if a in mixed:
                why += mixed[a]
            elif None in line:
                rest = "line" if len(line) - line.count(None) or a in read else "document"
                why += ["word" if o is not None else rest for o in line]
            else:
                why += ["word"] * n
            a += n
        return why

    def _pass_hinted(
        self, text: str, parts: list[str], counts: list[int], hints: list[str | None], allowed: frozenset[str]
    ) -> Pass:
        """Parts under fonts (some naming a charset): a line where nothing decides follows its fonts."""
        store, decider = self.store, self.decider
        default = self.evidence.dominant or UNICODE
        own = [decider.own(store[p], allowed, h) for p, h in zip(parts, hints)]
        labels: list[str] = []
        why: list[str] = []
        a = 0
        for n in counts:
            line = own[a : a + n]
            decided = {o for o in line if o is not None}
            if len(decided) == 1:
                (only,) = decided
                labels.extend([only] * n)
                why.extend("word" if o is not None else "line" for o in line)
            elif not decided:
                for h in hints[a : a + n]:
                    if h is not None and h in allowed:
                        labels.append(h)
                        why.append("font")
                    else:
                        labels.append(default)
                        why.append("document")
            else:
                mixed, whys = decider.inherit(parts[a : a + n], line, allowed, hints[a : a + n])
                labels.extend(mixed)
                why.extend(whys)
            a += n
        rendered = [self.renderer.render(store[p], lab, allowed, h) for p, lab, h in zip(parts, labels, hints)]
        outs = [r[0] for r in rendered]
        targets = [i for i, r in enumerate(rendered) if r[1]]
        self._restore(text, parts, outs, targets, labels)
        return Pass(parts, counts, outs, labels, why)

    def _analyse_pending(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self.store.analyse(pending, frozenset(self._hinted))

    def _restoring(self, text: str) -> bool:
        """Whether lost letters are put back in context in ``text``: restoring is on, and the letters were lost
        (``lost``, or no soft hyphen seen in the document so far, ``text`` included)."""
        self._saw_soft_hyphen |= "\u00ad" in text
        lost = self.lost if self.lost is not None else not self._saw_soft_hyphen
        return self.restore and lost

    def _restore(self, text: str, parts: list[str], outs: list[str], targets: list[int], labels: list[str]) -> None:
        if self._restoring(text) and targets:  # (the soft hyphens seen are noted whatever the targets)
            restore_in_context(parts, outs, targets, labels)

    # -- entry points ------------------------------------------------------------------------------------
    @paused
    def feed(self, text: str, hints: list[str | None] | None = None, fixes: list[Fix] | None = None) -> str:
        """Repair one piece of a document; what is learnt about the document carries over to the next piece.
        ``hints``: per space-separated part of ``text``, the charset its font names (or None)."""
        if not text:
            return text
        text = self.pre_pass(text, fixes)
        result = self._pass(text, hints)
        if result is None:
            return self.finish(text)
        if fixes is not None:
            self._record(result, hints, fixes)
        return self.finish(join(result.outs, result.counts))

    def finish(self, out: str) -> str:
        """The output in the options' tone style and normal form."""
        return finish(out, self.tone_style, self.form) if (self.tone_style or self.form != "NFC") else out

    def pre_pass(self, text: str, fixes: list[Fix] | None) -> str:
        """The stages that change a text's length before it is segmented: VIQR lines, and UTF-8 words whose
        no-break space became a space (each change recorded in ``fixes`` at its place in ``text``). They touch
        different lines (VIQR lines are ASCII, the others are not), so both read the text as it came."""
        changes: list[tuple[int, str, str, str]] = []
        if self.viqr:
            changes += [(p, b, a, "viqr") for p, b, a in decode_lines(text, self.hint == "viqr")[1]]
        if self.nbsp:
            changes += [(p, b, a, "utf8") for p, b, a in restore_nbsp(text, self.charsets)[1]]
        if not changes:
            return text
        changes.sort()
        out: list[str] = []
        pos = 0
        for start, before, after, label in changes:
            out += [text[pos:start], after]
            pos = start + len(before)
            if fixes is not None:
                fixes.append(self._fix(start, pos, before, after, label, False, label if label == "viqr" else "word"))
        out.append(text[pos:])
        return "".join(out)

    def viqr_lines(self, text: str, fixes: list[Fix] | None) -> str:
        """Lines that read as VIQR, decoded (each decoded line recorded in ``fixes``)."""
        out, changed = decode_lines(text, self.hint == "viqr")
        if fixes is not None:
            for pos, before, after in changed:
                fixes.append(self._fix(pos, pos + len(before), before, after, "viqr", False, "viqr"))
        return out

    def _fix(self, start: int, end: int, before: str, after: str, label: str, restored: bool, why: str) -> Fix:
        return Fix(start, end, before, after, label, reason(label, restored), why, self.tone_style, self.form)

    def _record(self, p: Pass, hints: list[str | None] | None, fixes: list[Fix]) -> None:
        allowed = self.allowed()
        for k, (pos, part, out, label, why) in enumerate(zip(starts(p.parts), p.parts, p.outs, p.labels, p.why)):
            if part == out:
                continue
            hint = hints[k] if hints is not None else None
            chunk = self.store.get(part)
            if chunk is not None and why == "word":
                why = self.decider.why_own(chunk, label, allowed, hint)
            a, b = WORDS.split(part), WORDS.split(out)
            if chunk is not None:
                self.store.fill(chunk)
            if len(a) != len(b) or chunk is None or chunk.words is None:
                fixes.append(self._fix(pos, pos + len(part), part, out, label, False, why))
                continue
            off = pos
            for i, (x, y) in enumerate(zip(a, b)):
                if x != y:
                    w = chunk.words[(i - 1) // 2] if i % 2 else None
                    lab, restored = how(w, y, label)
                    fixes.append(self._fix(off, off + len(x), x, y, lab, restored, why))
                off += len(x)

    @paused
    def runs(
        self, runs: Sequence[str], hints: Sequence[str | None] | None = None, fixes: list[Fix] | None = None
    ) -> list[str]:
        """:func:`vnconv.repair_runs` with this engine (what it learns carries to the next paragraph).

        ``fixes``: when a list is given, the engine's record of each change is appended to it, with offsets in
        the runs joined (``"".join(runs)``), the charset each stretch was read as, and why."""
        runs = list(runs)
        hint_list = [canonical_name(h) if h else None for h in (hints if hints is not None else [None] * len(runs))]
        if not any(runs):
            return runs
        text = "".join(runs)
        named = [h for h in hint_list if h]
        for h in named:
            self.add_charset(h)
        ends = []
        pos = 0
        for r in runs:
            pos += len(r)
            ends.append(pos)

        def run_at(p: int) -> int:
            i = bisect.bisect_right(ends, p)
            while i < len(runs) - 1 and not runs[i]:
                i += 1
            return min(i, len(runs) - 1)

        if "viqr" in named:
            decoded = self.viqr_lines(text, fixes)
            if decoded != text:
                return [self.finish(decoded)] + [""] * (len(runs) - 1)
        parts, _ = split(text)
        part_starts = starts(parts)
        part_hints = [hint_list[run_at(s)] for s in part_starts]
        result = self._pass(text, part_hints if named else None)
        if result is None:
            return [self.finish(r) for r in runs]
        if fixes is not None:
            self._record(result, part_hints if named else None, fixes)
        return [self.finish(r) for r in _back_to_runs(text, result, part_starts, run_at, len(runs))]

    @paused
    def spans(self, text: str) -> list[Span]:
        """How each stretch of ``text`` reads (see :func:`vnconv.detect_spans`)."""
        result = self._pass(text, None)
        spans: list[Span] = []
        if result is None:
            return [Span(0, len(text), UNICODE)] if text else []
        for pos, part, out, label in zip(starts(result.parts), result.parts, result.outs, result.labels):
            lab = label if out != part else UNICODE
            end = pos + len(part)
            if spans and spans[-1].charset == lab:
                spans[-1] = Span(spans[-1].start, end, lab)
            elif spans and not part.strip():
                spans[-1] = Span(spans[-1].start, end, spans[-1].charset)
            else:
                spans.append(Span(pos if not spans else spans[-1].end, end, lab))
        if spans and spans[-1].end < len(text):
            spans[-1] = Span(spans[-1].start, len(text), spans[-1].charset)
        return spans


def _back_to_runs(
    text: str, result: Pass, part_starts: list[int], at: Callable[[int], int], n: int
) -> list[str]:
    """The repaired parts put back into ``n`` runs (``at``: offset in the joined runs -> run index):
    unchanged text to the runs it came from, a changed word to the run where it starts."""
    out = [""] * n

    def spread(piece: str, start: int) -> None:
        for i, ch in enumerate(piece):
            out[at(start + i)] += ch

    for k, (part, new, start) in enumerate(zip(result.parts, result.outs, part_starts)):
        if k:
            out[at(start - 1)] += text[start - 1]  # the space or line feed before
        a, b = WORDS.split(part), WORDS.split(new)
        if part == new:
            spread(part, start)
            continue
        if len(a) != len(b):
            out[at(start)] += new
            continue
        off = start
        for x, y in zip(a, b):
            if x == y:
                spread(x, off)
            else:
                out[at(off)] += y
            off += len(x)
    return out
