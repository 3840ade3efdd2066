"""The one way every document format repairs a paragraph of runs, the one ``.VnTimeH`` capitals rule, and
the tally of what was found, filled from the engine's own record.

A *unit* is a piece of text in one font: a .docx run (or part of one), a DrawingML run, an .xlsx cell or
rich-text run, an RTF stretch. :func:`repair_units` hands the units of one paragraph to the document's one
:class:`~vnconv.repair.engine.Repairer` (which learns what the document holds as it goes) with the charset
each font names, and records in the :class:`Tally` how the engine read each change — the charset of each
:class:`~vnconv.repair.engine.Fix` it reports, not a guess. :func:`capitals` then turns the text of the
uppercase fonts (``.VnTimeH`` …) into capitals, or keeps it for the format's *all caps* property.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..charsets.fonts import FontInfo, lookup
from ..repair.engine import Fix, Repairer
from . import Options, Result

__all__ = ["Tally", "repair_units", "record_units", "capitals", "drawn_as_capitals", "legacy_font",
           "looks_legacy_font", "valid_text"]

MIXED = "mixed"  #: the label of a stretch the engine read with several charsets


def legacy_font(name: str | None) -> FontInfo | None:
    """The font table's entry for a legacy font name (None for Unicode fonts and theme references)."""
    if not name or name.startswith("+"):
        return None
    return lookup(name)


_LEGACY_LOOKING = re.compile(
    r"^(?:\.?vn|vni|abc|vk |vk-|tcvn|vps|viscii|bk ?hcm|vietware|vietkey|vntime|3c[ _-])|(?:^|[\s._-])vn[ _.-]",
    re.IGNORECASE,
)


def looks_legacy_font(name: str) -> bool:
    """A font name that looks like a Vietnamese legacy font but is not in ``tables/fonts.tsv``."""
    return legacy_font(name) is None and bool(_LEGACY_LOOKING.search(name.strip()))


_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def valid_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _BAD_XML_CHARS.sub("\ufffd", text)


class Tally:
    """What a document conversion found and did; :meth:`fill` turns it into a :class:`Result`.

    ``units`` are the pieces of text handed to the engine. Warnings about one cause are aggregated: one line
    with a count and an example. ``changed_as`` counts changed units by the charset the engine read them as.
    """

    def __init__(self, options: Options, path: str) -> None:
        self.options = options
        self.path = path
        self.units = 0  #: units with some non-space text
        self.legacy_units = 0  #: … of them in a legacy font
        self.fonts: Counter[str] = Counter()  #: legacy font (as spelled) -> units in it
        self.charsets: Counter[str] = Counter()  #: charset of the font -> units in such fonts
        self.changed = 0  #: units (runs, cells) whose text changed
        self.changed_as: Counter[str] = Counter()  #: charset the engine read changed text as ("mixed": several)
        self.words_as: Counter[str] = Counter()  #: words the engine changed (its Fix records), by charset
        self.unchanged_nonascii = 0
        self.renamed: dict[str, str] = {}  #: legacy font name -> replacement written
        self.unknown_fonts: set[str] = set()
        self.parts: Counter[str] = Counter()  #: part -> units changed
        self.details: dict[str, Any] = {}
        self.warnings: list[str] = []
        self._notes: dict[tuple[str, str], list[Any]] = {}
        self._engine: Repairer | None = None

    @property
    def engine(self) -> Repairer:
        """One repair engine for the whole document: evidence and analysis carry from paragraph to paragraph."""
        if self._engine is None:
            o = self.options
            self._engine = Repairer(form=o.form, tone_style=o.tone_style, restore=o.restore)
        return self._engine

    # fonts
    def font(self, name: str | None) -> FontInfo | None:
        """:func:`legacy_font`, remembering unknown legacy-looking names for a warning."""
        info = legacy_font(name)
        if info is None and name and looks_legacy_font(name):
            self.unknown_fonts.add(name)
        return info

    def replacement(self, name: str) -> str | None:
        """The Unicode font replacing a legacy font name (None: not a legacy font); recorded."""
        info = self.font(name)
        if info is None:
            return None
        self.renamed[name] = info.replacement
        return info.replacement

    def count_unit(self, text: str, info: FontInfo | None) -> None:
        """Count one unit of text (ignored when blank) and the legacy font it is in."""
        if text.strip():
            self.units += 1
            if info is not None:
                self.legacy_units += 1
                self.fonts[info.name] += 1
                if info.charset:
                    self.charsets[info.charset] += 1

    def mark(self, part: str, n: int = 1) -> None:
        """``n`` units of ``part`` were written changed."""
        self.changed += n
        self.parts[part] += n

    # warnings
    def note(self, part: str, key: str, message: str, example: str = "") -> None:
        """Count one occurrence of a warning; ``message`` may use ``{n}`` (the count) and ``{example}``."""
        entry = self._notes.setdefault((part, key), [0, example, message])
        entry[0] += 1

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # the engine's record
    def record_group(self, part: str, texts: Sequence[str], outs: Sequence[str], labels: Sequence[set[str]],
                     hint: str | None, font: str | None) -> None:
        """Count consecutive units sharing one hint by how the engine read them (``labels[i]``: the charsets
        of the engine's fixes touching unit ``i``), and note text that did not read as its font's charset.

        Units the engine left alone are judged one by one (Unicode text under a legacy font); changed units
        by stretches, since the engine may move a word split across units into the first one."""
        n = len(texts)
        i = 0
        while i < n:
            if outs[i] == texts[i]:
                text = texts[i]
                if text.strip() and not text.replace("\u00ad", "").isascii():
                    self.unchanged_nonascii += 1
                    if hint is not None:
                        self.note(part, f"unicode:{font}", f"{{n}} run(s) in the legacy font {font} already hold "
                                  "Unicode text: kept as they are (e.g. {example})", _excerpt(text))
                i += 1
                continue
            j = i + 1
            while j < n and outs[j] != texts[j]:
                j += 1
            found = set().union(*labels[i:j])
            label = found.pop() if len(found) == 1 else MIXED if found else None
            self._record_changed(part, "".join(texts[i:j]), "".join(outs[i:j]), j - i, hint, font, label)
            i = j

    def _record_changed(self, part: str, joined_in: str, joined_out: str, n_changed: int, hint: str | None,
                        font: str | None, label: str | None) -> None:
        if label is None:  # no fix touched it: only the tone style or the normal form changed
            return
        self.changed_as[label] += n_changed
        if label == hint:
            return
        example = f"{_excerpt(joined_in)} → {_excerpt(joined_out)}"
        what = "a mix of charsets" if label == MIXED else label
        if hint is not None:
            self.note(part, f"mismatch:{font}:{label}", f"{{n}} stretch(es) of text in {font} did not read as "
                      f"{hint}; repaired as {what} (e.g. {{example}})", example)
        else:
            self.note(part, f"hidden:{font}:{label}", f"{{n}} stretch(es) of text in the Unicode font "
                      f"{font or '(default)'} held legacy text ({what}); repaired (e.g. {{example}})", example)

    def main_charset(self) -> str | None:
        real = [(n, cs) for cs, n in self.changed_as.items() if cs != MIXED and n]
        if not real:
            return None
        real.sort(key=lambda item: (-item[0], item[1]))
        return real[0][1]

    def fill(self, result: Result) -> Result:
        """Copy the findings into ``result``: charset, confidence, changed, warnings, details."""
        main = self.main_charset()
        result.charset = main
        result.changed = self.changed
        changed_units = sum(self.changed_as.values())
        total = changed_units + self.unchanged_nonascii
        if total:
            agree = self.changed_as.get(main, 0) if main else self.unchanged_nonascii
            result.confidence = round(agree / total, 3)
        else:
            result.confidence = 0.0
        for name in sorted(self.unknown_fonts):
            self.warn(
                f"font {name!r} looks like a legacy Vietnamese font but is not in the font table: its text was "
                "checked by content only and the font name was kept"
            )
        for (part, _key), (n, example, message) in self._notes.items():
            self.warn(f"{part}: " + message.format(n=n, example=example))
        result.warnings.extend(w for w in self.warnings if w not in result.warnings)
        details = {
            "units": self.units,
            "legacy_font_units": self.legacy_units,
            "fonts": dict(sorted(self.fonts.items())),
            "charsets": dict(sorted(self.charsets.items())),
            "changed_as": dict(sorted(self.changed_as.items())),
            "words_changed": dict(sorted(self.words_as.items())),
            "renamed_fonts": dict(sorted(self.renamed.items())),
            "parts_changed": dict(sorted((p, n) for p, n in self.parts.items() if n)),
        }
        details.update(self.details)
        result.details.update(details)
        return result


def _repair_runs(engine: Repairer, runs: list[str], hints: list[str | None], fixes: list[Fix]) -> list[str]:
    """The adapters' one call into the engine (a seam the tests watch)."""
    return engine.runs(runs, hints, fixes=fixes)


def engine_units(tally: Tally, texts: Sequence[str], hints: Sequence[str | None],
                 xml: bool = True) -> tuple[list[str], list[Fix]]:
    """Repair the units of one paragraph in context with the document's engine: the new texts (one per unit;
    ``xml``: with what XML cannot hold replaced) and the engine's record (offsets in the units joined)."""
    if not texts:
        return [], []
    fixes: list[Fix] = []
    out = _repair_runs(tally.engine, list(texts), list(hints), fixes)
    if len(out) != len(texts):
        raise RuntimeError(f"the engine returned {len(out)} strings for {len(texts)} runs")
    return ([valid_text(s) for s in out] if xml else out), fixes


def unit_labels(texts: Sequence[str], fixes: Sequence[Fix], base: int = 0) -> list[set[str]]:
    """For each unit, the charsets of the engine's fixes touching it (``base``: where the first unit starts
    in the text the fixes' offsets refer to)."""
    labels: list[set[str]] = []
    start = base
    for text in texts:
        end = start + len(text)
        labels.append({f.charset for f in fixes if f.start < end and (f.end > start or f.start == f.end == start)}
                      if text else set())
        start = end
    return labels


def record_units(tally: Tally, part: str, texts: Sequence[str], outs: Sequence[str], hints: Sequence[str | None],
                 faces: Sequence[str | None], infos: Sequence[FontInfo | None], fixes: Sequence[Fix],
                 base: int = 0, count: bool = True) -> None:
    """Count units per font/charset (unless ``count`` is False: the caller counts) and hand each stretch of
    equal hints, with the engine's record of it, to :meth:`Tally.record_group`."""
    if count:
        for text, info in zip(texts, infos):
            tally.count_unit(text, info)
    labels = unit_labels(texts, fixes, base)
    tally.words_as.update(f.charset for f in fixes if f.charset)
    i = 0
    n = len(texts)
    while i < n:
        j = i + 1
        while j < n and hints[j] == hints[i]:
            j += 1
        font = next((infos[k].name for k in range(i, j) if infos[k] is not None), None) or next(  # type: ignore[union-attr]
            (faces[k] for k in range(i, j) if faces[k]), None
        )
        tally.record_group(part, texts[i:j], outs[i:j], labels[i:j], hints[i], font)
        i = j


def repair_units(tally: Tally, part: str, texts: Sequence[str], hints: Sequence[str | None],
                 faces: Sequence[str | None], infos: Sequence[FontInfo | None], count: bool = True,
                 xml: bool = True) -> list[str]:
    """Repair one paragraph's units with the document's engine and record what it did; the new texts."""
    if not any(t.strip() for t in texts):
        if count:
            for text, info in zip(texts, infos):
                tally.count_unit(text, info)
        return list(texts)
    outs, fixes = engine_units(tally, texts, hints, xml)
    record_units(tally, part, texts, outs, hints, faces, infos, fixes, count=count)
    return outs


def drawn_as_capitals(texts: Sequence[str], outs: Sequence[str], upper: Sequence[bool]) -> list[bool]:
    """Which units in an uppercase font (``.VnTimeH`` …) the font drew as capitals, given the engine's output.

    Text the engine repaired was legacy, so the font drew it as capitals. Text it kept is Unicode typed
    under a legacy style (a trap): left as typed when it has non-ASCII letters; ASCII-only text is read as
    legacy too (the font drew it as capitals), unless a unit in an uppercase font nearby held Unicode."""
    trap = any(u and a == b and not a.replace("\u00ad", "").isascii() for a, b, u in zip(texts, outs, upper))
    return [u and (a != b or (a.isascii() and not trap)) for a, b, u in zip(texts, outs, upper)]


def capitals(texts: Sequence[str], outs: Sequence[str], upper: Sequence[bool], options: Options,
             caps: bool = True) -> tuple[list[str], list[bool]]:
    """The one ``.VnTimeH`` rule: the texts to write and which units get the format's *all caps* property.

    Units the font drew as capitals (:func:`drawn_as_capitals`) become real capitals in ``options.form``;
    with ``options.uppercase == "caps"`` and a format that has the property (``caps``), they keep their
    letters and are marked instead (when they have lowercase letters to show as capitals)."""
    drawn = drawn_as_capitals(texts, outs, upper)
    keep = caps and options.uppercase == "caps"
    new: list[str] = []
    marks: list[bool] = []
    for out, d in zip(outs, drawn):
        if d and keep:
            new.append(out)
            marks.append(any(c.islower() for c in out))
        else:
            new.append(unicodedata.normalize(options.form, out.upper()) if d else out)
            marks.append(False)
    return new, marks


def _excerpt(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
