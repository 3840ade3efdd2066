"""``vnconv web``: a page on this computer for people who do not use a terminal (docs/web.md).

The server listens on 127.0.0.1 only; uploads live in a temporary folder that is removed when it stops.
Flask is imported only here and in :mod:`vnconv.web.app`, so ``vnconv`` without the ``web`` extra says
what to install.
"""

from __future__ import annotations

import contextlib
import signal
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..jobs import UsageError

__all__ = ["serve", "make_server", "INSTALL_HINT", "DEFAULT_LIMIT_MB"]

INSTALL_HINT = "vnconv web needs Flask: pip install 'vnconv[web]'"
DEFAULT_LIMIT_MB = 200


def make_server(workdir: Path, port: int = 0, limit_mb: float = DEFAULT_LIMIT_MB, workers: int = 2) -> Any:
    """A werkzeug server on 127.0.0.1:``port`` (0: a free one) with its :class:`~vnconv.web.work.Store` as
    ``server.store``; call ``serve_forever()``, then ``shutdown()`` and ``store.close()``."""
    try:
        from werkzeug.serving import make_server as werkzeug_server

        from .app import create_app
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    from .work import Store

    store = Store(workdir, workers)
    app = create_app(store, int(limit_mb * 1024 * 1024))
    try:
        server = werkzeug_server("127.0.0.1", port, app, threaded=True)
    except OSError as exc:
        store.close()
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    server.store = store
    return server


def serve(port: int = 0, open_browser: bool = True, limit_mb: float = DEFAULT_LIMIT_MB,
          announce: Callable[[str], None] | None = None) -> int:
    """Run the page until Ctrl-C; the uploads' temporary folder is removed on the way out. Returns 0."""
    if limit_mb <= 0:
        raise UsageError("--limit must be a positive number of megabytes")
    previous = None
    with contextlib.suppress(ValueError):  # not the main thread: Ctrl-C only
        previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with tempfile.TemporaryDirectory(prefix="vnconv-web-") as tmp:
            server = make_server(Path(tmp), port, limit_mb)
            try:
                url = f"http://127.0.0.1:{server.server_port}/"
                (announce or _say)(f"vnconv web: {url}  (Ctrl-C stops it; files stay on this computer)")
                if open_browser:
                    threading.Timer(0.3, webbrowser.open, (url,)).start()
                server.serve_forever()
            finally:
                with contextlib.suppress(Exception):
                    server.server_close()
                server.store.close()
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _say(line: str) -> None:
    print(line, flush=True)


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # a SIGTERM stops the page as Ctrl-C does: the uploads' folder is removed
