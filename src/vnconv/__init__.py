"""vnconv: legacy Vietnamese text (TCVN3, VNI, VIQR, VISCII, VPS, CP1258 …) to Unicode and back.

>>> import vnconv
>>> vnconv.decode(b"Vi\\xd6t Nam", "tcvn3")
'Việt Nam'
>>> vnconv.convert("C\\xe9ng ho\\xb5", "tcvn3")
'Cộng hoà'
>>> vnconv.encode("Việt Nam", "vni")
b'Vie\\xe4t Nam'
>>> vnconv.repair("H\xb6i D\xacng: nh sau")   # TCVN3 font text whose ư (soft hyphen) was lost
'Hải Dương: như sau'

Importing vnconv registers Python codecs for the byte charsets: ``b.decode("tcvn3")``,
``open(path, encoding="vni")``, ``codecs.iterdecode(chunks, "viqr")``.
"""

from __future__ import annotations

from .charsets import fonttext as _fonttext
from .detect import Detection, detect
from .errors import DocumentError, TableError, UnknownCharsetError, VnconvError
from .charsets.registry import canonical_name, charsets, get_codec, register_codecs
from .repair.engine import Fix, Span, detect_spans, explain, repair, repair_runs, repair_stream
from .repair.fixes import apply_fixes
from .repair.options import RepairOptions
from .repair.preload import preload
from .pipelines.columns import repair_column as repair_many

__all__ = [
    "decode",
    "encode",
    "convert",
    "charsets",
    "canonical_name",
    "get_codec",
    "register_codecs",
    "detect",
    "detect_spans",
    "repair",
    "repair_many",
    "repair_runs",
    "repair_stream",
    "preload",
    "explain",
    "read_text",
    "read_document",
    "apply_fixes",
    "RepairOptions",
    "Detection",
    "Span",
    "Fix",
    "VnconvError",
    "UnknownCharsetError",
    "TableError",
    "DocumentError",
]

__version__ = "0.1.0"


def decode(data: bytes, charset: str, errors: str = "strict") -> str:
    """Decode legacy bytes in ``charset`` to Unicode, always NFC.

    ``errors`` follows Python's codec conventions (``strict`` raises ``UnicodeDecodeError`` with the
    position; ``replace``, ``ignore``, ``backslashreplace`` …).
    """
    return get_codec(charset).decode(data, errors)


def encode(text: str, charset: str, errors: str = "strict") -> bytes:
    """Encode Unicode text (NFC or NFD) to legacy bytes in ``charset``.

    ``strict`` raises ``UnicodeEncodeError`` with the position. ``errors="lowercase"`` writes capitals that
    the charset lacks (TCVN3 has no ``Ộ``) as their lowercase, the form ``.VnTimeH`` fonts draw as capitals.
    """
    return get_codec(charset).encode(text, errors)


def convert(text: str, source: str, target: str = "unicode", errors: str = "strict") -> str:
    """Convert *font text* between charsets and text forms.

    Font text is legacy bytes as they look when read through Windows-1252, which is what a ``.VnTime`` run
    in a .docx, an old web page or pasted text holds (U+00AD stands for byte 0xAD). ``source`` and
    ``target`` are charset names or the forms ``unicode`` (NFC), ``nfd``, ``ncr`` (``&#7879;``) and
    ``utf8`` (UTF-8 read as Windows-1252, ``Viá»‡t``). ``convert(t, "tcvn3")`` gives Unicode;
    ``convert(u, "unicode", "vni")`` gives VNI font text.
    """
    return _fonttext.convert(text, source, target, errors)


register_codecs()


def __getattr__(name: str) -> object:
    # read_text/read_document load the document adapters (lxml …) only when first used
    if name in ("read_text", "read_document", "Document"):
        from .pipelines import reading

        return getattr(reading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
