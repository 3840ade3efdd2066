"""A generator of mixed documents with code in them (issue 8 §2), from the gettext catalogs.

Technical prose (lines with paths, ``%s``, ``--options``, identifiers, parentheses), six lines a document,
lines alternating Unicode, TCVN3 font text (its soft hyphens lost) and VNI font text. The catalogs are split
by file hash (benchmarks/_corpus.py): the engine is tuned on one half, the tests measure the held-out half.
"""

from __future__ import annotations

import difflib
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import vnconv
from vnconv.charsets.fonttext import font_text
from vnconv.language.letters import LETTERS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _corpus import catalog_lines  # noqa: E402

_CODE = re.compile(r"%[a-z]|--?[a-z]|/[a-z]|[a-z]_[a-z]|\(|\)|\w\.\w")
KINDS = ("unicode", "tcvn3", "vni")


def technical_lines(half: str) -> list[str]:
    """Distinct Vietnamese catalog lines with code in them."""
    keep = lambda s: sum(c in LETTERS for c in s) >= 3 and bool(_CODE.search(s))  # noqa: E731
    return list(dict.fromkeys(catalog_lines(keep, half=half)))


def as_kind(line: str, kind: str) -> tuple[str, str] | None:
    """The line as ``kind`` text and its truth (None when the charset cannot hold it)."""
    try:
        if kind == "tcvn3":
            data = vnconv.encode(line, "tcvn3", "lowercase")
            return font_text(data).replace("\u00ad", ""), vnconv.decode(data, "tcvn3")
        if kind == "vni":
            return font_text(vnconv.encode(line, "vni")), line
    except UnicodeEncodeError:
        return None
    return line, line


@dataclass
class Score:
    words: int = 0
    right: int = 0
    misread_lines: int = 0
    unicode_changed: int = 0
    wrong: list[tuple[str, str, str]] | None = None


def documents(lines: list[str], n: int, seed: int = 8) -> list[list[tuple[str, str, str]]]:
    """``n`` documents of six (kind, text, truth) lines; the kinds alternate, the first chosen at random."""
    rng = random.Random(seed)
    pool = list(lines)
    rng.shuffle(pool)
    docs = []
    it = iter(pool)
    for _ in range(n):
        start = rng.randrange(3)
        doc = []
        while len(doc) < 6:
            line = next(it, None)
            if line is None:
                return docs
            kind = KINDS[(start + len(doc)) % 3]
            got = as_kind(line, kind)
            if got is not None:
                doc.append((kind, got[0], got[1]))
        docs.append(doc)
    return docs


def score(docs: list[list[tuple[str, str, str]]]) -> Score:
    s = Score(wrong=[])
    for doc in docs:
        out = vnconv.repair("\n".join(t for _, t, _ in doc)).split("\n")
        for (kind, text, truth), got in zip(doc, out):
            a, b = truth.split(), got.split()
            sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
            right = sum(m.size for m in sm.get_matching_blocks())
            s.words += len(a)
            s.right += right
            if kind == "unicode" and got != text:
                s.unicode_changed += sum(1 for x, y in zip(text.split(), b) if x != y) or 1
            if kind != "unicode" and right < len(a) / 2:
                s.misread_lines += 1
            if got != truth:
                s.wrong.append((kind, text, got))  # type: ignore[union-attr]
    return s


def phrase_lines(lines: list[str], charset: str, n: int, seed: int = 3) -> list[tuple[str, str, tuple[int, int]]]:
    """Word by word: Unicode lines (of six words or more) with a phrase of two or three of their words in
    ``charset`` font text; per line (text, truth, the phrase's word span in the text)."""
    rng = random.Random(seed)
    pool = [s for s in lines if len(s.split(" ")) >= 6 and sum(c in LETTERS for c in s) >= 6]
    rng.shuffle(pool)
    out = []
    for line in pool[:n]:
        words = line.split(" ")
        a = rng.randrange(0, len(words) - 3)
        b = a + rng.randrange(2, 4)
        phrase = " ".join(words[a:b])
        if sum(c in LETTERS for c in phrase) < 2:
            continue
        try:
            data = vnconv.encode(phrase, charset, "lowercase" if charset == "tcvn3" else "strict")
        except UnicodeEncodeError:
            continue
        font = font_text(data)
        text = " ".join(words[:a] + [font] + words[b:])
        truth = " ".join(words[:a] + [vnconv.decode(data, charset)] + words[b:])
        out.append((text, truth, (a, a + len(font.split(" ")))))
    return out
