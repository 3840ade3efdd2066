"""Charset names and aliases, and the Python codecs registered on ``import vnconv``.

After import, ``b.decode("tcvn3")``, ``open(path, encoding="vni")`` and ``codecs.iterdecode(chunks, "viqr")``
work. The names CPython already owns (``cp1258``, ``windows-1258``) keep CPython's codec; vnconv's NFC-composing
Windows-1258 is registered as ``vn-cp1258``.
"""

from __future__ import annotations

import codecs
import functools
import re

from ..errors import UnknownCharsetError
from .codec import Codec, CombiningCodec, SingleByteCodec
from .tables import load_table, table_names
from .viqr import ViqrCodec

__all__ = ["CHARSET_ORDER", "canonical_name", "charsets", "compile_codec", "get_codec", "register_codecs"]

#: The one preference order of the charsets: where several read a text the same way (TCVN3 and VN1 agree on
#: lowercase), or a changed stretch must be named, the first is meant. The common ones first (the repair
#: engine's default candidates are its first six, less VIQR), then the rarer tables.
CHARSET_ORDER = (
    "tcvn3", "vni", "viqr", "viscii", "vps", "cp1258", "tcvn5712", "vni-mac", "bkhcm2", "vietware-x", "bkhcm1",
    "vietware-f",
)  # fmt: skip

#: Text forms that :func:`vnconv.convert` accepts besides the byte charsets.
TEXT_FORMS = ("unicode", "nfd", "ncr", "utf8")
_FORM_ALIASES = {
    "unicode": "unicode",
    "nfc": "unicode",
    "utf-8-nfc": "unicode",
    "nfd": "nfd",
    "unicode-nfd": "nfd",
    "ncr": "ncr",
    "ncr-decimal": "ncr",
    "html": "ncr",
    "utf8": "utf8",
    "utf-8-mojibake": "utf8",
    "utf8-cp1252": "utf8",
}


_NAME_NOISE = re.compile(r"[^0-9a-z.]+")


def _norm(name: str) -> str:
    """Lowercase, every run of characters other than letters, digits and "." as one "-": codecs.lookup()
    hands search functions "tcvn5712_1_1993" for "tcvn5712-1:1993", and this maps both to one key."""
    return _NAME_NOISE.sub("-", name.strip().lower()).strip("-")


@functools.cache
def _alias_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in table_names():
        out[_norm(name)] = name
        for alias in load_table(name).aliases:
            out.setdefault(_norm(alias), name)
    return out


def charsets(forms: bool = False) -> list[str]:
    """Canonical names of the legacy byte charsets; with ``forms=True`` also the text forms of
    :func:`vnconv.convert` (``unicode``, ``nfd``, ``ncr``, ``utf8``)."""
    names = table_names()
    return names + list(TEXT_FORMS) if forms else names


def canonical_name(name: str, forms: bool = False) -> str:
    """The canonical name for ``name`` or one of its aliases; :class:`UnknownCharsetError` if unknown."""
    try:
        return _KNOWN[name, forms]
    except KeyError:
        pass
    found = _canonical(name, forms)
    if len(_KNOWN) < 1024:  # names seen before cost one lookup (repair asks for every candidate per call)
        _KNOWN[name, forms] = found
    return found


_KNOWN: dict[tuple[str, bool], str] = {}


@functools.cache
def _names() -> frozenset[str]:
    return frozenset(table_names())


def _canonical(name: str, forms: bool) -> str:
    key = _norm(name)
    if key in _names():  # a canonical name is its own: no table read for its aliases
        return key
    found = _alias_map().get(key)
    if found is None and forms:
        found = _FORM_ALIASES.get(key)
    if found is None:
        raise UnknownCharsetError(name, charsets(forms))
    return found


@functools.cache
def compile_codec(name: str) -> Codec:
    """The compiled codec of a canonical charset name (compiled once, on first use)."""
    table = load_table(name)
    if table.kind == "single":
        return SingleByteCodec(table)
    if table.kind == "combining":
        return CombiningCodec(table)
    return ViqrCodec(table)


def get_codec(name: str) -> Codec:
    """The compiled codec for a charset name or alias."""
    return compile_codec(canonical_name(name))


# -- Python codec registration -----------------------------------------------------------------------------
def _codec_info(name: str) -> codecs.CodecInfo:
    codec = compile_codec(name)

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return codec.encode(text, errors), len(text)

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return codec.decode(bytes(data), errors), len(data)

    class IncrementalEncoder(codecs.IncrementalEncoder):
        def __init__(self, errors: str = "strict") -> None:
            super().__init__(errors)
            self._pieces = codec.piece_encoder()

        def reset(self) -> None:
            self._pieces = codec.piece_encoder()

        def encode(self, text: str, final: bool = False) -> bytes:
            return self._pieces(text, self.errors, final)

    class IncrementalDecoder(codecs.BufferedIncrementalDecoder):
        def __init__(self, errors: str = "strict") -> None:
            super().__init__(errors)
            self._pieces = codec.piece_decoder()

        def reset(self) -> None:
            super().reset()
            self._pieces = codec.piece_decoder()

        def _buffer_decode(self, data: bytes, errors: str, final: bool) -> tuple[str, int]:
            return self._pieces(bytes(data), errors, final)

    class StreamWriter(codecs.StreamWriter):
        def encode(self, text: str, errors: str = "strict") -> tuple[bytes, int]:
            if not hasattr(self, "_pieces"):
                self._pieces = codec.piece_encoder()
            return self._pieces(text, errors, False), len(text)

        def reset(self) -> None:
            super().reset()
            self._pieces = codec.piece_encoder()

    class StreamReader(codecs.StreamReader):
        def decode(self, data: bytes, errors: str = "strict") -> tuple[str, int]:
            if not hasattr(self, "_pieces"):
                self._pieces = codec.piece_decoder()
            return self._pieces(bytes(data), errors, False)

        def read(self, size: int = -1, chars: int = -1, firstline: bool = False) -> str:
            text = super().read(size, chars, firstline)
            if self.bytebuffer and (not text or (size < 0 and chars < 0)):
                # End of stream: what the decoder kept back is complete now.
                if not hasattr(self, "_pieces"):
                    self._pieces = codec.piece_decoder()
                text += self._pieces(self.bytebuffer, self.errors, True)[0]
                self.bytebuffer = b""
            return text

        def reset(self) -> None:
            super().reset()
            self._pieces = codec.piece_decoder()

    return codecs.CodecInfo(
        name=name,
        encode=encode,
        decode=decode,
        incrementalencoder=IncrementalEncoder,
        incrementaldecoder=IncrementalDecoder,
        streamreader=StreamReader,
        streamwriter=StreamWriter,
    )


def _search(name: str) -> codecs.CodecInfo | None:
    found = _alias_map().get(_norm(name))
    return _codec_info(found) if found is not None else None


_registered = False


def register_codecs() -> None:
    """Register vnconv's charsets with Python's codec machinery (done on ``import vnconv``)."""
    global _registered
    if not _registered:
        codecs.register(_search)
        _registered = True
