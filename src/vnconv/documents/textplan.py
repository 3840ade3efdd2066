"""How a text input is read: its source and target names, and the :class:`Plan` (encoding, byte order mark,
repair hint) decided from its sample (:mod:`vnconv.sniff`) and :func:`vnconv.detect.detect`."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Any

from ..charsets.registry import canonical_name, charsets
from ..detect import detect
from ..errors import DocumentError, UnknownCharsetError
from ..sniff import WIDE as _WIDE
from ..sniff import Sample, is_binary, wide_encoding
from ..sniff import bom as bom_of
from . import Options
from .textdecode import _CJK, _has_cjk_lines

__all__ = ["Plan", "Target", "plan_stream", "resolve_source", "resolve_target", "DECODE_ERRORS", "Counter"]

_UNICODE_LABELS = {"utf-8", "utf8", "ascii", "us-ascii", "unicode", "utf-16", "utf-16-le", "utf-16-be",
                   "utf-16le", "utf-16be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"}


# -- error handlers that count what they replace ------------------------------------------------------
class Counter:
    replaced = 0


def _count_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    Counter.replaced += exc.end - exc.start
    return "\ufffd", exc.end


def _count_ignore(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    Counter.replaced += exc.end - exc.start
    return "", exc.end


codecs.register_error("vnconv.text.replace", _count_replace)
codecs.register_error("vnconv.text.ignore", _count_ignore)
_DECODE_ERRORS = {"replace": "vnconv.text.replace", "ignore": "vnconv.text.ignore", "strict": "strict"}


# -- source and target names ----------------------------------------------------------------------------
def _python_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def resolve_source(name: str) -> tuple[str, bool]:
    """``(name, legacy)`` for a ``-f`` value other than ``auto``: a vnconv charset (``legacy=True``) or a
    Python codec name. :class:`UnknownCharsetError` if neither."""
    key = name.strip().lower()
    if key in ("unicode", "utf8", "utf-8", "nfc", "nfd"):
        return "utf-8", False
    try:
        return canonical_name(name), True
    except UnknownCharsetError:
        pass
    found = _python_codec(name)
    if found is None:
        raise UnknownCharsetError(name, charsets())
    return found, False


@dataclass(frozen=True)
class Target:
    """Where repaired text goes: ``kind`` is ``"unicode"`` (a Python codec, UTF-8 by default),
    ``"legacy"`` (a vnconv charset) or ``"ncr"`` (ASCII with ``&#7879;`` references)."""

    kind: str
    name: str
    form: str | None = None  #: "NFD" to decompose the output

    @property
    def is_utf8(self) -> bool:
        return self.kind == "unicode" and self.name == "utf-8"


def resolve_target(name: str) -> Target:
    """The :class:`Target` for a ``-t`` value. :class:`UnknownCharsetError` if unknown."""
    key = name.strip().lower().replace("_", "-")
    if key in ("unicode", "utf-8", "utf8", "nfc", "utf-8-nfc"):
        return Target("unicode", "utf-8")
    if key in ("nfd", "unicode-nfd", "utf-8-nfd"):
        return Target("unicode", "utf-8", "NFD")
    if key in ("ncr", "ncr-decimal", "html"):
        return Target("ncr", "ascii")
    try:
        return Target("legacy", canonical_name(name))
    except UnknownCharsetError:
        pass
    found = _python_codec(name)
    if found is None:
        raise UnknownCharsetError(name, charsets(forms=True))
    if found == "utf-8":
        return Target("unicode", "utf-8")
    return Target("unicode", found)


def _errors_option(options: Options) -> str | None:
    value = options.errors
    return value or None


# -- the plan: how to decode and what to tell repair ---------------------------------------------------
@dataclass
class Plan:
    """How one input is read: decoded with ``encoding`` (a vnconv charset when ``legacy``), after skipping
    ``bom`` bytes; its text repaired with ``hint``.

    Raw legacy bytes are decoded exactly by their codec, line by line (lines of Chinese among them in GB18030),
    and not repaired: the decoded text is Unicode already (a hint would make repair read Unicode punctuation
    such as “ ” as font text). Repair is for text files: font text, mojibake and mixed text inside Unicode."""

    encoding: str
    legacy: bool = False
    bom: int = 0
    hint: str | None = None
    charset: str | None = None  #: the legacy charset found (None: the input is plain Unicode)
    confidence: float = 0.0
    form: str = "bytes"  #: Detection.form, or "empty"
    reasons: list[str] = field(default_factory=list)
    errors: str = "strict"
    warnings: list[str] = field(default_factory=list)
    detection: str | None = None  #: what detect() named, verbatim
    cjk: str | None = None  #: lines that are no Vietnamese but Chinese in this encoding are read in it

    @property
    def wide(self) -> bool:
        return self.encoding in _WIDE


def _is_legacy(name: str | None) -> str | None:
    if not name or name.lower() in _UNICODE_LABELS:
        return None
    try:
        return canonical_name(name)
    except UnknownCharsetError:
        return None


def _font_hint(det: Any) -> str | None:
    """The repair hint a detection gives: the legacy charset of the font text it found (mojibake and
    Unicode give none: repair finds mojibake by itself, and hints must be charset names)."""
    if det.form in ("font-text", "utf8-mojibake"):
        return _is_legacy(det.charset)
    return None


def _is_fallback(det: Any) -> bool:
    """detect() found no Vietnamese and handed the bytes to chardet."""
    return det.fallback


#: 8-bit Western encodings chardet names for bytes it cannot place (TCVN3 and VNI look like these to it)
_WESTERN = {"cp1252", "cp1258", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "cp850", "cp437"}


def _decode_sample(data: bytes, encoding: str) -> str:
    if encoding in _WIDE:
        unit = 4 if encoding.startswith("utf-32") else 2
        data = data[: len(data) - len(data) % unit]
    return codecs.decode(data, encoding, "replace")


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _explicit_plan(source: str, sample: Sample, data: bytes, bom_enc: str | None, bom: int, wide: str | None,
                   errors: str, name: str) -> Plan:
    """``-f CHARSET``: the bytes are in CHARSET (or, for a legacy charset, Unicode text holding it)."""
    charset, legacy = resolve_source(source)
    reasons = [f"-f {source}"]
    if legacy:
        if bom_enc or wide:  # a Unicode file holding text of the legacy charset
            enc = bom_enc or wide or "utf-8"
            return Plan(enc, False, bom, charset, charset, 1.0, "font-text", reasons + [f"{enc.upper()} text"],
                        errors)
        if is_binary(data):
            raise DocumentError(name, "binary data, not text")
        if not data.isascii() and _utf8(data) is not None:
            # Raw legacy bytes are practically never valid UTF-8: this is Unicode text holding font text
            # (or VIQR) of the charset, possibly mixed with real Unicode, which repair leaves alone.
            reasons.append("the bytes are UTF-8: repairing the font text in it")
            return Plan("utf-8", False, 0, charset, charset, 1.0, "font-text", reasons, errors)
        return Plan(charset, True, 0, None, charset, 1.0, "bytes", reasons, errors)
    enc, skip = charset, 0
    if enc == "utf-8-sig":
        enc = "utf-8"
    if enc in ("utf-16", "utf-32"):
        if bom_enc and bom_enc.startswith(enc):
            enc = bom_enc
        elif wide and wide.startswith(enc):
            enc = wide
        else:
            enc += "-le"
    if bom_enc == enc:
        skip = bom
    if enc not in _WIDE and is_binary(data):
        raise DocumentError(name, "binary data, not text")
    return Plan(enc, False, skip, None, None, 1.0, "bytes", reasons, errors)


def plan_stream(sample: Sample, options: Options, name: str = "") -> Plan:
    """Decide how to decode an input from its sample (see the module docstring)."""
    user_errors = _errors_option(options)
    source = (options.source or "auto").strip()
    head = sample.head
    bom_enc, bom = bom_of(head)
    wide = bom_enc if bom_enc in _WIDE else (None if bom_enc else wide_encoding(head))
    data = sample.data[bom:]
    if source.lower() != "auto":
        errors = _DECODE_ERRORS.get(user_errors or "strict", "strict")
        return _explicit_plan(source, sample, data, bom_enc, bom, wide, errors, name)

    errors = _DECODE_ERRORS.get(user_errors or "replace", "vnconv.text.replace")
    if wide or bom_enc:
        enc = wide or bom_enc or "utf-8"
        why = "byte order mark" if bom_enc else "NUL bytes in the pattern of " + enc.upper()
        reasons = [f"{enc.upper()} ({why})"]
        if enc in _WIDE:
            text = _decode_sample(head[bom:], enc)
        else:
            if is_binary(data):
                raise DocumentError(name, "binary data, not text")
            text = _decode_sample(data, enc)
        det = detect(text) if text and not text.isascii() else None
        hint = _font_hint(det) if det is not None else None
        if det is None or hint is None:
            return Plan(enc, False, bom, None, None, 1.0, "unicode", reasons, errors)
        return Plan(enc, False, bom, hint, _is_legacy(hint), det.confidence, det.form, reasons + list(det.reasons),
                    errors, detection=det.charset)
    if is_binary(sample.data):
        raise DocumentError(name, "binary data, not text")
    if not sample.data:
        return Plan("utf-8", False, 0, None, None, 1.0, "empty", ["empty"], errors)
    det = detect(sample.data)
    reasons = list(det.reasons)
    label = (det.charset or "").lower()
    legacy = _is_legacy(det.charset)
    if _is_fallback(det):
        found = _python_codec(det.charset) if det.charset else None
        if found is None or found in _WESTERN:
            # Unknown 8-bit text: each byte becomes its Windows-1252 character (nothing is lost), and repair
            # converts whatever legacy Vietnamese words it finds in that font text.
            return Plan("font-text", False, 0, None, None, det.confidence, "font-text", reasons, errors,
                        detection=det.charset)
        plan = Plan(found, False, 0, None, None, det.confidence, "bytes", reasons, errors, detection=det.charset)
        plan.warnings.append(f"no Vietnamese text found; read as {found} (confidence {det.confidence:.2f})")
        return plan
    if legacy and det.form == "bytes":
        plan = Plan(legacy, True, 0, None, legacy, det.confidence, "bytes", reasons, errors, detection=det.charset)
        if _has_cjk_lines(sample.data, legacy):
            plan.cjk = _CJK
            plan.reasons.append(f"some lines are Chinese ({_CJK}), not {legacy}: they are read as Chinese")
        return plan
    if det.form in ("font-text", "utf8-mojibake") or label in ("utf-8", "utf8", "ascii", "us-ascii", "unicode"):
        enc = _python_codec(getattr(det, "encoding", None) or "utf-8") or "utf-8"
        hint = _font_hint(det)
        form = det.form if det.form in ("font-text", "utf8-mojibake") else "unicode"
        return Plan(enc, False, 0, hint, hint, det.confidence, form, reasons, errors, detection=det.charset)
    found = _python_codec(det.charset) if det.charset else None
    if found is None:
        raise DocumentError(name, f"cannot tell the text encoding (the detector said {det.charset!r}); "
                            "use -f CHARSET")
    plan = Plan(found, False, 0, None, None, det.confidence, det.form, reasons, errors, detection=det.charset)
    plan.warnings.append(f"no Vietnamese text found; read as {found} (confidence {det.confidence:.2f})")
    return plan


_Counter = Counter
DECODE_ERRORS = _DECODE_ERRORS
