"""The cyclic garbage collector, held back while the engine works on a text.

The engine allocates many small containers (parts, words, their readings) and keeps them in caches for the
document; none of them forms a reference cycle, so reference counting frees them all. CPython's collector
still runs every few hundred allocations and, now and then, walks every object alive: measured at 15 % (TCVN3,
1 MB) to 28 % (TCVN3, 100 KB) of a repair's CPU time, and 22 % on mixed documents. :func:`paused` turns it off
for one call and back on after, and only if it was on; cycles other code makes meanwhile are collected once
it is back on. (Only the state the caller left is restored: a thread that turns the collector off itself, while
another thread's repair runs, may find it on again when that repair ends.)
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import TypeVar

__all__ = ["paused"]

F = TypeVar("F", bound=Callable[..., object])


def paused(method: F) -> F:
    """Decorate ``method`` to run with the cyclic garbage collector off (see the module docstring)."""

    @functools.wraps(method)
    def run(*args: object, **kwargs: object) -> object:
        if not gc.isenabled():
            return method(*args, **kwargs)
        gc.disable()
        try:
            return method(*args, **kwargs)
        finally:
            gc.enable()

    return run  # type: ignore[return-value]
