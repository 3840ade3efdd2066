"""Running tasks: one file at a time in this process, or N at a time in worker processes that stop with
their parent. Every failure becomes a one-line ``Result.error``; nothing half-written is ever left."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import Result, adapter_for
from ..documents.files import TEMP_SUFFIX, atomic_output, file_mode, make_backup, new_file_mode, stale_temps, \
    temp_beside
from ..errors import DocumentError, UnknownCharsetError, VnconvError
from .console import show
from .plan import Task, with_name

__all__ = ["Outcome", "load_adapter", "run_task", "run_pool", "sweep_stale_temps", "write_stdout"]

Progress = Callable[[int, int], None]
DiffSink = Callable[[str], None]

#: seconds a worker whose parent died gets to remove its temporary file before it exits anyway
ORPHAN_GRACE = 5.0


@dataclass
class Outcome:
    index: int
    result: Result
    diff: str = ""
    backup: str | None = None


def write_stdout(text: str) -> None:
    out = sys.stdout
    try:
        data = text.encode("utf-8", "surrogateescape")  # a name's own bytes, as the OS gave them
    except UnicodeEncodeError:
        data = text.encode("utf-8", "replace")
    try:
        out.buffer.write(data)  # type: ignore[union-attr]
        out.buffer.flush()  # type: ignore[union-attr]
    except AttributeError:
        out.write(text)
        out.flush()


def sweep_stale_temps(folders: list[str]) -> list[str]:
    """Remove vnconv's temporary files that killed runs left in ``folders`` (see ``files.stale_temps``);
    returns the ones removed."""
    removed = []
    for folder in folders:
        for path in stale_temps(Path(folder)):
            with contextlib.suppress(OSError):  # Windows: a file still open elsewhere stays
                path.unlink()
                removed.append(os.path.join(folder, path.name))
    return removed


# -- one task -----------------------------------------------------------------------------------------------
_busy = False
_stopping = False
_stop_event: Any = None  #: in a worker: set by the parent when the run is interrupted


def _result(task: Task, error: str) -> Result:
    return Result(path=task.src if task.src != "-" else "<stdin>", format=task.fmt, output=task.dst, error=error)


def _os_error(task: Task, exc: OSError) -> str:
    name = str(exc.filename) if exc.filename else ""
    cause = exc.strerror or str(exc)
    if name.endswith(TEMP_SUFFIX) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        # the temporary file beside the output could not be created: say which folder, not its name
        return f"folder not writable: {show(os.path.dirname(task.dst or task.src) or os.curdir)} ({cause})"
    where = f"{show(name)}: " if name and name != task.src else ""
    return f"{where}{cause}"


def run_task(task: Task, progress: Progress | None = None, diff_sink: DiffSink | None = None) -> Outcome:
    """Convert one file as the task says; every failure becomes ``Result.error`` (one line)."""
    global _busy
    _busy = True
    started = time.time()
    try:
        outcome = _dispatch(task, progress, diff_sink)
        if task.src != "-":  # the adapter names the path it was given (a real path in place): say it as given
            outcome.result.path = task.src
        return outcome
    except KeyboardInterrupt:
        _remove_stray_temps(task, started)
        raise
    except BrokenPipeError:
        raise
    except DocumentError as exc:
        return Outcome(task.index, _result(task, exc.cause))
    except (UnknownCharsetError, ValueError, UnicodeError, VnconvError) as exc:
        return Outcome(task.index, _result(task, str(exc)))
    except OSError as exc:
        return Outcome(task.index, _result(task, _os_error(task, exc)))
    except MemoryError:
        return Outcome(task.index, _result(task, "out of memory"))
    except Exception as exc:  # an adapter bug: still one line, and the batch goes on
        return Outcome(task.index, _result(task, f"internal error: {type(exc).__name__}: {exc}"))
    finally:
        _busy = False


def _remove_stray_temps(task: Task, started: float) -> None:
    """After Ctrl-C: remove the temporary files this task's output may have left. (A signal that lands just
    after ``mkstemp`` created a file but before the ``try`` that removes it would otherwise leave one.)"""
    import glob

    if not task.dst or task.mode not in ("file", "inplace"):
        return
    dst = Path(task.dst)
    try:
        candidates = list(dst.parent.glob(f".{glob.escape(dst.name)}.{os.getpid()}-*{TEMP_SUFFIX}"))
    except OSError:
        return
    for path in candidates:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime >= started - 1:
                path.unlink()


def load_adapter(task: Task) -> Any:
    try:
        return adapter_for(Path(task.src))
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("vnconv.documents."):
            ext = os.path.splitext(task.src)[1].lower() or task.fmt
            raise DocumentError(task.src, f"{ext} files are not supported yet (no {exc.name} module)") from None
        raise DocumentError(task.src, f"the {task.fmt} converter needs {exc.name}, which is not installed") from None


def _dispatch(task: Task, progress: Progress | None, diff_sink: DiffSink | None) -> Outcome:
    if task.error:
        return Outcome(task.index, _result(task, task.error))
    chunks: list[str] = []
    sink = diff_sink or (chunks.append if task.diff else None)
    if task.src == "-":
        return _run_stdin(task, progress, sink, chunks)
    adapter = load_adapter(task)
    if os.path.isdir(task.src):
        raise DocumentError(task.src, "is a directory, not a file")
    if task.mode == "stdout":
        return _run_to_stdout(task, progress)
    if task.mode == "dry":
        return _run_dry(task, adapter, progress, sink, chunks)
    if task.mode == "file":
        return _run_to_file(task, adapter, progress)
    return _run_in_place(task, adapter, progress)


def _convert_with(adapter: Any, fmt: str, src: Path, dst: Path, options: Any, progress: Progress | None) -> Result:
    if fmt == "text":
        return adapter.convert_file(src, dst, options, progress=progress)
    return adapter.convert_file(src, dst, options)


def _run_stdin(task: Task, progress: Progress | None, sink: DiffSink | None, chunks: list[str]) -> Outcome:
    from ..documents import text  # a stream is text

    stdin = sys.stdin.buffer
    if task.mode == "file" and task.dst:
        with atomic_output(Path(task.dst)) as out:
            result = text.convert_stream(stdin, out, task.options, name="<stdin>", progress=progress)
        result.output = task.dst
    else:
        out = sys.stdout.buffer if task.mode == "stdout" else None
        result = text.convert_stream(stdin, out, task.options, name="<stdin>", progress=progress, diff=sink)
        result.output = "-" if out is not None else None
    return Outcome(task.index, result, "".join(chunks))


def _run_to_stdout(task: Task, progress: Progress | None) -> Outcome:
    from ..documents import text  # only text goes to stdout (planning refused documents)

    with open(task.src, "rb") as fh:  # a pipe or /dev/stdin named on the command line streams too
        result = text.convert_stream(fh, sys.stdout.buffer, task.options, name=task.src, progress=progress)
    result.output = "-"
    return Outcome(task.index, result)


def _run_dry(task: Task, adapter: Any, progress: Progress | None, sink: DiffSink | None,
             chunks: list[str]) -> Outcome:
    src = Path(task.src)
    if task.fmt == "text":
        result = adapter.dry_run(src, task.options, progress=progress, diff=sink)
    else:
        with tempfile.TemporaryDirectory(prefix="vnconv-dry-") as tmpdir:
            result = adapter.convert_file(src, Path(tmpdir) / src.name, task.options)
    result.output = task.dst
    result.details["dry_run"] = True
    return Outcome(task.index, result, "".join(chunks))


def _run_to_file(task: Task, adapter: Any, progress: Progress | None) -> Outcome:
    assert task.dst is not None
    dst = Path(task.dst)
    if dst.parent and not dst.parent.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
    existed = os.path.lexists(dst)
    result = _convert_with(adapter, task.fmt, Path(task.src), dst, task.options, progress)
    if not existed:  # a new file gets the usual permissions (temporary files are created 0600)
        mode = file_mode(dst)
        want = new_file_mode()
        if mode is not None and mode != want:
            with contextlib.suppress(OSError):
                os.chmod(dst, want)
    result.output = task.dst
    return Outcome(task.index, result)


def _run_in_place(task: Task, adapter: Any, progress: Progress | None) -> Outcome:
    """Convert beside the file, keep a backup, then rename over it. A format whose output has another
    extension (x.doc -> x.docx) leaves the original alone and writes the new file beside it."""
    assert task.dst is not None
    real = Path(os.path.realpath(task.src))
    final = real if task.dst == task.src else real.with_name(os.path.basename(task.dst))
    exists = os.path.lexists(final)
    st = os.stat(final) if exists else os.stat(real)
    backup: Path | None = None
    tmp = temp_beside(final)
    try:
        result = _convert_with(adapter, task.fmt, real, tmp, task.options, progress)
        if exists and _same_bytes(final, tmp):
            os.unlink(tmp)
            result.details["unchanged"] = True
        else:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown"):
                with contextlib.suppress(OSError):
                    os.chown(tmp, st.st_uid, st.st_gid)
            if exists and task.backup:
                backup = make_backup(final)
                _note_backup(task, result, final, backup)
            os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    result.output = task.dst
    return Outcome(task.index, result, backup=result.details.get("backup"))


def _note_backup(task: Task, result: Result, final: Path, backup: Path) -> None:
    """The backup's path in the form the file was given (beside it), or its real place for a symlink whose
    target lives elsewhere; a numbered backup (``.bak.1``) is a warning, so it is never missed."""
    given = task.dst or task.src
    beside = os.path.realpath(os.path.dirname(given) or os.curdir) == str(final.parent)
    shown = with_name(given, backup.name) if beside else str(backup)
    result.details["backup"] = shown
    if backup.name != final.name + ".bak":
        result.warnings.append(f"backup kept as {show(shown)} ({show(final.name + '.bak')} already exists)")


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if os.path.getsize(a) != os.path.getsize(b):
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                x, y = fa.read(1 << 20), fb.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


# -- the pool -----------------------------------------------------------------------------------------------
def _on_stop_signal(signum: int, frame: Any) -> None:
    global _stopping
    _stopping = True
    if _busy:
        raise KeyboardInterrupt


def _watch_parent() -> None:
    """In a worker: wait for the parent to go (even SIGKILLed: its end of the pipe closes, or on Windows its
    process handle is signalled), then stop the conversion in progress (its temporary file is removed)
    and exit; tasks not started are never started."""
    import _thread
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
    else:  # not started by multiprocessing: poll the parent's pid (POSIX reparents an orphan)
        first = os.getppid()
        while os.getppid() == first:
            time.sleep(0.5)
    global _stopping
    _stopping = True
    if _busy:
        _thread.interrupt_main()
        deadline = time.monotonic() + ORPHAN_GRACE
        while _busy and time.monotonic() < deadline:
            time.sleep(0.05)
    os._exit(1)


def _unraisable(info: Any) -> None:
    """A Ctrl-C that landed in a finaliser (``__del__``) cannot be raised there: Python would print it as
    "Exception ignored" and go on. Raise it again in the main thread instead, where the conversion stops."""
    if info.exc_type is not None and issubclass(info.exc_type, KeyboardInterrupt):
        import _thread

        # from another thread: the signal is handled once the finaliser is over, in the conversion
        _thread.start_new_thread(_thread.interrupt_main, ())
        return
    sys.__unraisablehook__(info)


def _worker_init(stop: Any = None) -> None:
    """Worker processes: Ctrl-C interrupts a conversion in progress (its temporary file is removed), an
    idle worker ignores it, tasks already queued are not started any more (nor after the parent set
    ``stop``), and the worker ends when its parent does."""
    global _stop_event
    _stop_event = stop
    signal.signal(signal.SIGINT, _on_stop_signal)
    signal.signal(signal.SIGTERM, _on_stop_signal)
    sys.unraisablehook = _unraisable
    threading.Thread(target=_watch_parent, name="vnconv-parent-watch", daemon=True).start()


def _pool_run(task: Task) -> Outcome:
    if _stopping or (_stop_event is not None and _stop_event.is_set()):
        return Outcome(task.index, _result(task, "interrupted"))
    return run_task(task)


def start_method() -> str:
    """forkserver where it exists and is safe (Linux), spawn elsewhere (Windows, macOS)."""
    return "forkserver" if sys.platform.startswith("linux") and hasattr(os, "fork") else "spawn"


def run_pool(tasks: list[Task], jobs: int, emit: Callable[[Outcome, int], None]) -> None:
    """Run ``tasks`` in ``jobs`` worker processes; ``emit(outcome, done)`` in input order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context(start_method())
    chunk = max(1, min(32, len(tasks) // (jobs * 8)))
    stop = ctx.Event()
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=ctx, initializer=_worker_init,
                               initargs=(stop,))
    try:
        with _sigint_ignored():  # workers start with Ctrl-C ignored: none dies in its imports (spawn)
            results = pool.map(_pool_run, tasks, chunksize=chunk)
        for done, outcome in enumerate(results, 1):
            emit(outcome, done)
    except KeyboardInterrupt:
        # No worker starts a task any more; the one converting removes its temporary file (POSIX: SIGINT
        # now; Windows: the console sent Ctrl-C to every worker already, and os.kill would terminate them).
        stop.set()
        for proc in list(getattr(pool, "_processes", {}).values()) if os.name != "nt" else []:
            with contextlib.suppress(Exception):
                os.kill(proc.pid, signal.SIGINT)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    except BaseException:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while the worker processes are started: a spawned worker inherits that (until its
    initializer sets its own handler), so none dies of Ctrl-C in its imports with a traceback. The window
    is the few milliseconds the tasks take to be queued."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
