"""Detection: which encoding a text or a file holds, with the evidence.

Bytes: byte order marks, then UTF-8 and UTF-16 (checked strictly), then every legacy Vietnamese charset by how
many words of the text read as Vietnamese in it (the repair engine's evidence: ``C\\xe9ng`` is ``Cộng`` in
TCVN3); what is none of these goes to ``chardet`` (which cannot see TCVN3 or VNI: it calls both "cp1258" with
confidence ≈ 0.15). Text: font text of a legacy charset, UTF-8 read as Windows-1252, VIQR, or right as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .charsets.fonttext import font_text
from .charsets.registry import CHARSET_ORDER, charsets
from .repair.chunks import PartStore
from .repair.evidence import Evidence
from .repair.options import DEFAULT_CHARSETS
from .repair.tokens import split
from .repair.viqr_lines import VIQR_WORD_RE, viqr_candidates
from .sniff import SAMPLE, bom, wide_encoding
from .sniff import sample as _sample

__all__ = ["Detection", "detect", "SAMPLE"]

#: When charsets read a text the same way (TCVN3 and VN1 agree on lowercase), the more common one is named.
PREFERENCE = CHARSET_ORDER  # the one order, in charsets.registry


def _best(ev: dict[str, int]) -> str:
    return max(ev, key=lambda k: (ev[k], -PREFERENCE.index(k) if k in PREFERENCE else -99))


#: the name a Detection gives the encoding of a byte order mark (the codec that reads the mark too)
_BOM_NAMES = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16", "utf-32-le": "utf-32",
              "utf-32-be": "utf-32"}


@dataclass(frozen=True)
class Detection:
    """What :func:`detect` found.

    ``charset``: a canonical vnconv charset name; ``"utf-8"``/``"utf-16"``/``"utf-32"`` for bytes in a Unicode
    encoding; ``"unicode"`` for a str that is right as it is; or the name chardet gives non-Vietnamese bytes.
    ``form``: ``"bytes"`` (raw legacy bytes), ``"font-text"`` (legacy bytes shown as Windows-1252 characters,
    inside a Unicode file or str), ``"utf8-mojibake"`` (UTF-8 read as Windows-1252, ``Viá»‡t``) or
    ``"unicode"`` (right as it is). ``encoding``: for bytes, the encoding that turns them into text (the legacy
    charset itself, or the Unicode encoding that holds the font text). ``reasons``: the evidence, in words.
    """

    charset: str
    confidence: float
    form: str
    reasons: tuple[str, ...] = field(default_factory=tuple)
    encoding: str | None = None
    #: True when no Vietnamese reading fit and the name comes from chardet
    fallback: bool = False


def _cut_bytes(data: bytes) -> bytes:
    """A piece cut out of a longer text may start or end inside a UTF-8 sequence: drop those bytes."""
    start = 0
    while start < min(3, len(data)) and 0x80 <= data[start] < 0xC0:
        start += 1
    data = data[start:]
    for k in range(1, 4):
        if len(data) >= k and (data[-k] & 0xC0) == 0xC0:
            need = 2 if data[-k] < 0xE0 else 3 if data[-k] < 0xF0 else 4
            return data[:-k] if need > k else data
    return data


def _utf8(data: bytes) -> str | None:
    """``data`` (or its start/middle/end sample) as UTF-8, or None if it is not UTF-8."""
    if len(data) <= 3 * SAMPLE:
        pieces = [data]
    else:
        mid = len(data) // 2
        pieces = [data[:SAMPLE], data[mid - SAMPLE // 2 : mid + SAMPLE // 2], data[-SAMPLE:]]
    try:
        return "\n".join(_cut_bytes(p).decode("utf-8") for p in pieces)
    except UnicodeDecodeError:
        return None


def _evidence(text: str, names: tuple[str, ...]) -> Evidence:
    """The repair engine's evidence for ``text`` read with the candidate charsets ``names``: per reading how
    many distinct words read as Vietnamese only that way, words only Unicode explains, words looked at, and
    one example per reading."""
    store = PartStore(names, Evidence(), restore=True)
    store.analyse(split(text)[0], frozenset())
    store.evidence.allowed()
    return store.evidence


def _viqr_words(text: str) -> int:
    lines = [line for line in text.splitlines() if line.isascii()]
    return sum(1 for line in lines if viqr_candidates(line, False)) if any(VIQR_WORD_RE.search(x) for x in lines) else 0


def _from_text(text: str, unicode_name: str, encoding: str | None) -> Detection:
    """Detection for text that is already decoded (a str, or UTF-8/UTF-16 bytes)."""
    sample = _sample(text)
    assert isinstance(sample, str)
    found = _evidence(sample, DEFAULT_CHARSETS)
    ev, uni, seen, examples = found.counts, found.unicode_words, found.seen, found.examples
    total = sum(ev.values())
    if total:
        label = _best(ev)
        n = ev[label]
        if n >= 2 or (n == 1 and seen <= 5):
            share = n / (n + uni)
            confidence = round(min(0.99, share * (1 - 1 / (n + 1.5))), 3)
            reasons = [f"{n} word{'s' if n > 1 else ''} read as Vietnamese only as {label} " + _form_name(label)]
            if label in examples:
                a, b = examples[label]
                reasons.append(f"e.g. {a!r} -> {b!r}")
            if uni:
                reasons.append(f"{uni} word{'s' if uni > 1 else ''} can only be Unicode Vietnamese: the text is mixed")
            for other, m in sorted(ev.items(), key=lambda kv: -kv[1]):
                if other != label:
                    reasons.append(f"{m} word{'s' if m > 1 else ''} for {other}")
            if label.startswith("utf8"):
                inner = label[5:] or None
                return Detection(
                    inner or unicode_name if inner else "utf-8", confidence, "utf8-mojibake", tuple(reasons), encoding
                )
            return Detection(label, confidence, "font-text", tuple(reasons), encoding)
    lines = _viqr_words(sample)
    if lines:
        return Detection(
            "viqr", round(min(0.95, 0.5 + 0.1 * lines), 3), "font-text" if not sample.isascii() else "bytes",
            (f"{lines} line{'s' if lines > 1 else ''} read as Vietnamese in VIQR (Vie^.t)",), encoding or "ascii",
        )
    reasons = [f"{uni} words that only Unicode has (no legacy charset codes them)"] if uni else []
    if not reasons:
        reasons = ["no word reads better in a legacy charset"]
    confidence = 0.99 if uni >= 3 else 0.8 if uni else 0.6
    return Detection(unicode_name, confidence, "unicode", tuple(reasons), encoding)


def _form_name(label: str) -> str:
    if label.startswith("utf8+"):
        return "font text saved as UTF-8 and read back as Windows-1252"
    if label == "utf8":
        return "(UTF-8 read as Windows-1252)"
    return "font text"


def detect(data: bytes | str) -> Detection:
    """Find what ``data`` holds: legacy bytes, font text, UTF-8 read as Windows-1252, VIQR, or Unicode.

    >>> detect(b"C\\xe9ng ho\\xb5 x\\xb7 h\\xe9i ch\\xf1 ngh\\xdca Vi\\xd6t Nam").charset
    'tcvn3'
    >>> detect("Vieät Nam").charset, detect("Việt Nam").charset
    ('vni', 'unicode')
    """
    if isinstance(data, str):
        return _from_text(data, "unicode", None)
    data = bytes(data)
    enc, skip = bom(data[:4])
    if enc is not None:
        name = _BOM_NAMES[enc]
        text = _cut_bytes(_sample(data[skip:])).decode(enc, "replace")
        found = _from_text(text, "utf-8" if "8" in name else name, name)
        return Detection(found.charset, found.confidence, found.form, (f"{name} byte order mark",) + found.reasons, name)
    sample = _sample(data)
    if b"\x00" in sample:
        enc = wide_encoding(sample)
        if enc is not None:
            found = _from_text(sample.decode(enc, "replace"), enc[:6], enc)
            return Detection(found.charset, found.confidence, found.form, (f"{enc} without a byte order mark",) + found.reasons, enc)
    text = _utf8(data)
    if text is not None:
        name = "utf-8" if not sample.isascii() else "ascii"
        found = _from_text(text, "utf-8", "utf-8")
        if found.form == "unicode":
            reason = "valid UTF-8" if name == "utf-8" else "ASCII only"
            return Detection("utf-8", found.confidence, "unicode", (reason,) + found.reasons, "utf-8")
        if found.charset == "viqr" and sample.isascii():
            return Detection("viqr", found.confidence, "bytes", found.reasons, "viqr")
        return Detection(found.charset, found.confidence, found.form, ("valid UTF-8",) + found.reasons, "utf-8")
    # Raw legacy bytes: read them as font text and ask every charset.
    names = tuple(n for n in charsets() if n != "viqr")
    found_ev = _evidence(font_text(sample), names)
    ev, examples = found_ev.counts, found_ev.examples
    if ev:
        label = _best(ev)
        n = ev[label]
        if "+" not in label and label != "utf8" and n >= 2:
            rest = sorted(((m, o) for o, m in ev.items() if o != label), reverse=True)
            # a charset that agrees on every word (VN1 for lowercase TCVN3) is not a rival
            second = max((m for m, o in rest if m < n), default=0)
            confidence = round(min(0.99, (n - second) / (n + 1)), 3)
            reasons = [f"not UTF-8; {n} words read as Vietnamese only in {label}"]
            if label in examples:
                a, b = examples[label]
                reasons.append(f"e.g. {a!r} -> {b!r}")
            reasons += [f"{m} for {o}" + (" (reads these bytes the same way)" if m == n else "") for m, o in rest[:3]]
            return Detection(label, confidence, "bytes", tuple(reasons), label)
    import chardet

    guess = chardet.detect(sample)
    enc = (guess.get("encoding") or "windows-1252").lower()
    conf = float(guess.get("confidence") or 0.0)
    return Detection(
        enc, round(conf, 3), "bytes",
        ("not UTF-8 and no Vietnamese legacy charset reads it as Vietnamese", f"chardet: {enc} ({conf:.2f})"), enc,
        fallback=True,
    )
