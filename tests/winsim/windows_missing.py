"""What Windows lacks that POSIX code likes to use (Python 3.10-3.12 on Windows)."""

from __future__ import annotations

import os
import signal
from typing import Any

#: (module, attribute) pairs missing on Windows
MISSING: list[tuple[Any, str]] = [
    (os, "fchmod"), (os, "killpg"), (os, "getuid"), (os, "geteuid"), (os, "getgid"), (os, "getegid"),
    (os, "chown"), (os, "fchown"), (os, "lchown"), (os, "fork"), (os, "getpgid"), (os, "setsid"),
    (signal, "SIGKILL"), (signal, "SIGHUP"), (signal, "SIGQUIT"), (signal, "pthread_sigmask"),
]


def remove(monkeypatch: Any = None) -> None:
    """Take them away: through ``monkeypatch`` (undone after a test) or for good (a subprocess)."""
    for module, name in MISSING:
        if hasattr(module, name):
            if monkeypatch is not None:
                monkeypatch.delattr(module, name)
            else:
                delattr(module, name)
