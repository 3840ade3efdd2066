"""Exception classes raised by vnconv."""

from __future__ import annotations

__all__ = [
    "VnconvError",
    "UnknownCharsetError",
    "TableError",
    "DocumentError",
]


class VnconvError(Exception):
    """Base class of every error vnconv raises on its own account."""


class UnknownCharsetError(VnconvError, LookupError):
    """A charset or text form name that vnconv does not know."""

    def __init__(self, name: str, known: list[str] | None = None) -> None:
        self.name = name
        hint = f"; known: {', '.join(known)}" if known else ""
        super().__init__(f"unknown charset {name!r}{hint}")


class TableError(VnconvError):
    """A charset or font table file is malformed or inconsistent."""


class DocumentError(VnconvError):
    """A document cannot be read or written; the message names the file and the cause."""

    def __init__(self, path: str, cause: str) -> None:
        self.path = path
        self.cause = cause
        super().__init__(f"{path}: {cause}")
