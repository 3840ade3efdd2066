"""Documents: file adapters — read a document, repair its text with :mod:`vnconv.repair`, write the same format back.

Every adapter module (text, docx, xlsx, rtf, office) implements :class:`Adapter` and is picked by file
extension (:func:`adapter_for`)::

    def convert_file(src: Path, dst: Path, options: Options) -> Result   # writes dst (atomically)
    def detect_file(src: Path, options: Options) -> Result                # reads only

They raise :class:`vnconv.DocumentError` (naming the file and the cause) for input they cannot read. Every
paragraph of runs goes through :mod:`.runs` (one engine per document); every write through :mod:`.files`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from ..errors import DocumentError, UnknownCharsetError
from .files import atomic_output

__all__ = ["Options", "Result", "Adapter", "adapter_for", "convert_file", "detect_file", "atomic_output", "FORMATS"]

Form = Literal["NFC", "NFD"]
ToneStyle = Literal["old", "new"]
Uppercase = Literal["convert", "caps"]


@dataclass
class Options:
    """What a conversion should do (the CLI's flags)."""

    source: str = "auto"  #: a charset name, or "auto": detect and repair
    target: str = "unicode"  #: text files only: "unicode" (UTF-8) or a charset to write back to
    form: Form = "NFC"  #: "NFC" or "NFD"
    tone_style: ToneStyle | None = None  #: None keeps the source's; "old" hoà/thuý, "new" hòa/thủy
    restore: bool = True  #: restore letters legacy encodings lose (TCVN3 ư = soft hyphen)
    uppercase: Uppercase = "convert"  #: .VnTimeH text: "convert" to real capitals, or "caps": lowercase + w:caps
    timeout: float = 300.0  #: seconds an external converter (LibreOffice) may take per file
    errors: str | None = None  #: text files: what to do with what cannot be read or written (None: decide)
    repair: bool = True  #: False: only decode (``-f CHARSET``) or re-encode, no repair of the text
    #: count what changed (``Result.changed``, ``details["lines"]``). False, for callers that do not show
    #: the count: text files decoded from raw legacy bytes then report only whether anything changed
    #: (``changed`` 0 or 1) and skip the count, which costs as much as the decoding itself
    count: bool = True

    def __post_init__(self) -> None:
        for name, allowed in (("form", ("NFC", "NFD")), ("tone_style", (None, "old", "new")),
                              ("uppercase", ("convert", "caps"))):
            if getattr(self, name) not in allowed:
                raise ValueError(f"Options.{name} must be one of {allowed}, not {getattr(self, name)!r}")


def source_hint(options: Options) -> str | None:
    """The charset ``options.source`` names (None for ``auto`` and Unicode): the hint for text whose font
    names no legacy charset. :class:`UnknownCharsetError` for a name that is no charset."""
    from ..charsets.registry import canonical_name, charsets

    source = (options.source or "auto").strip()
    if source.lower() in ("auto", ""):
        return None
    name = canonical_name(source, forms=True)
    if name in ("unicode", "nfd"):
        return None
    if name not in charsets():
        raise UnknownCharsetError(source, charsets())
    return name


@dataclass
class Result:
    """What happened to one file (one entry of the CLI's ``--report``)."""

    path: str
    format: str
    output: str | None = None
    charset: str | None = None  #: the main legacy charset found (None: none found)
    confidence: float = 0.0
    changed: int = 0  #: pieces of text changed (runs, cells, lines …)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


#: extension -> adapter module (relative to vnconv.documents)
FORMATS: dict[str, str] = {
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".dotm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".rtf": "rtf",
    ".doc": "office",
    ".xls": "office",
}
#: everything else is read as text by the "text" adapter


@runtime_checkable
class Adapter(Protocol):
    """What every adapter module implements (structurally: the module's own functions)."""

    def convert_file(self, src: Path, dst: Path, options: Options) -> Result:
        """Convert ``src`` into ``dst`` (written atomically; ``dst`` may be ``src``)."""
        ...

    def detect_file(self, src: Path, options: Options) -> Result:
        """What ``src`` holds, writing nothing."""
        ...


def adapter_for(path: Path) -> Any:
    """The :class:`Adapter` module for ``path``, chosen by its extension (text for anything unknown)."""
    name = FORMATS.get(path.suffix.lower(), "text")
    module = importlib.import_module(f"{__name__}.{name}")
    assert isinstance(module, Adapter), module
    return module


def convert_file(src: Path, dst: Path, options: Options | None = None) -> Result:
    """Convert one file with the adapter its extension picks."""
    return adapter_for(src).convert_file(Path(src), Path(dst), options or Options())


def detect_file(src: Path, options: Options | None = None) -> Result:
    """Detect what one file holds, without writing anything."""
    return adapter_for(src).detect_file(Path(src), options or Options())


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """Read a file, turning OS errors into :class:`DocumentError` that names the file and the cause."""
    try:
        with open(path, "rb") as fh:
            return fh.read() if limit is None else fh.read(limit)
    except OSError as exc:
        raise DocumentError(str(path), exc.strerror or str(exc)) from None


Progress = Callable[[int, int], None]  #: progress(done, total) callback for large files
