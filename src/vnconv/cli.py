"""The ``vnconv`` command line: thin over :mod:`vnconv.documents` and :mod:`vnconv.repair`.

::

    vnconv convert PATH... [-f auto|CHARSET] [-t unicode|CHARSET] [-o FILE|DIR] [--in-place [--no-backup]]
                           [--dry-run [--diff]] [--report FILE.json] [--jobs N] [--include GLOB]
                           [--exclude GLOB] [--quiet]
    vnconv detect PATH... [--json]
    vnconv charsets
    vnconv fonts

iconv habits work too: ``vnconv -f tcvn3 -t utf-8 old.txt > new.txt`` (``convert`` is implied), ``-l``
lists the charsets, ``-c`` drops what cannot be converted. Exit codes: 0 all files converted, 1 some failed,
2 usage error, 130 interrupted. See docs/cli.md.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import __version__
from .documents.files import TEMP_SUFFIX, atomic_output, file_mode, make_backup, new_file_mode, no_signals
from .errors import DocumentError, UnknownCharsetError, VnconvError

__all__ = ["main"]

PROG = "vnconv"
COMMANDS = ("convert", "detect", "charsets", "fonts")
_BACKUP = re.compile(r"^(?P<base>.+)\.bak(?:\.\d+)?$")


class UsageError(Exception):
    """A command line that cannot run (exit code 2)."""


# -- output helpers ---------------------------------------------------------------------------------------
class Console:
    """stderr messages, and a one-line progress bar (``\\r``) when stderr is a terminal."""

    def __init__(self, quiet: bool = False, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        try:
            self.tty = self.stream.isatty() and not quiet and os.environ.get("TERM") != "dumb"
        except (AttributeError, ValueError):
            self.tty = False
        self.shown = False
        self.last = 0.0
        self.files_done = 0
        self.files_total = 0
        self.current = ""

    def error(self, path: str, cause: str) -> None:
        self.clear()
        print(f"{PROG}: {path}: {cause}", file=self.stream, flush=True)

    def warn(self, path: str, message: str) -> None:
        if not self.quiet:
            self.clear()
            print(f"{PROG}: {path}: warning: {message}", file=self.stream, flush=True)

    def info(self, message: str) -> None:
        if not self.quiet:
            self.clear()
            print(message, file=self.stream, flush=True)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False

    def files(self, done: int, total: int, current: str = "") -> None:
        self.files_done, self.files_total, self.current = done, total, current
        self._draw(force=done == total)

    def bytes(self, done: int, total: int) -> None:
        """Progress inside one large file."""
        if total >= 8 << 20:
            self._draw(extra=f" {done * 100 // max(total, 1):3d}% of {_size(total)}")

    def _draw(self, extra: str = "", force: bool = False) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        width = shutil.get_terminal_size((80, 20)).columns - 1
        total = max(self.files_total, 1)
        bar_w = 20
        filled = bar_w * self.files_done // total
        head = f"[{'#' * filled}{'.' * (bar_w - filled)}] {self.files_done}/{self.files_total}"
        if self.files_total <= 1:
            head = PROG + ":"
        name = self.current
        room = max(0, width - len(head) - len(extra) - 1)
        if len(name) > room:
            name = "…" + name[-(room - 1) :] if room > 1 else ""
        self.stream.write("\r" + f"{head} {name}{extra}"[:width] + "\033[K")
        self.stream.flush()
        self.shown = True


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


# -- the parser ---------------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # exit code 2, one line
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Legacy Vietnamese text (TCVN3/ABC, VNI, VIQR, VISCII, VPS, CP1258 …) to Unicode and back; "
        "repairs text files and documents.",
        epilog="Without a command, 'convert' is implied (vnconv -f tcvn3 old.txt > new.txt). "
        "Exit codes: 0 ok, 1 some files failed, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-l", "--list", action="store_true", help="list the charsets (like iconv -l)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    conv = sub.add_parser("convert", help="convert files (the default command)",
                          description="Convert text files and documents to Unicode (or to a legacy charset).")
    conv.add_argument("paths", nargs="*", metavar="PATH", help="files or directories ('-': stdin; none: stdin)")
    conv.add_argument("-f", "--from", dest="source", default="auto", metavar="CHARSET",
                      help="input charset, or 'auto' (default): detect and repair")
    conv.add_argument("-t", "--to", dest="target", default="unicode", metavar="CHARSET",
                      help="text files: 'unicode' (UTF-8, default), 'nfd', 'ncr', or a charset such as tcvn3")
    conv.add_argument("-o", "--output", metavar="FILE|DIR",
                      help="output file ('-': stdout), or a directory that mirrors the input tree")
    conv.add_argument("-i", "--in-place", action="store_true",
                      help="replace each file, keeping the original as NAME.bak")
    conv.add_argument("--no-backup", action="store_true", help="with --in-place: keep no backup")
    conv.add_argument("-n", "--dry-run", action="store_true", help="convert but write nothing")
    conv.add_argument("--diff", action="store_true", help="with --dry-run: print a unified diff of text changes")
    conv.add_argument("--report", metavar="FILE.json", help="write a JSON report of every file ('-': stdout)")
    conv.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                      help="convert N files at a time in parallel processes (0: one per CPU)")
    conv.add_argument("--include", action="append", default=[], metavar="GLOB",
                      help="in directories, convert only files matching GLOB (repeatable)")
    conv.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                      help="in directories, skip files matching GLOB (repeatable)")
    conv.add_argument("--hidden", action="store_true", help="in directories, also enter hidden files and folders")
    conv.add_argument("--errors", choices=("strict", "replace", "ignore", "lowercase"),
                      help="bytes or characters that cannot be converted: fail (strict), replace, ignore, or "
                      "(-t legacy charset) write missing capitals as lowercase. Default: strict with -f CHARSET "
                      "and for output, replace when detecting")
    conv.add_argument("-c", dest="errors", action="store_const", const="ignore",
                      help="like iconv -c: drop what cannot be converted (--errors ignore)")
    conv.add_argument("--form", choices=("NFC", "NFD"), default="NFC", help="Unicode normalization form")
    conv.add_argument("--tone-style", choices=("old", "new"), help="rewrite tone marks: old (hoà) or new (hòa)")
    conv.add_argument("--no-restore", dest="restore", action="store_false",
                      help="do not restore letters legacy encodings lose (TCVN3 ư in soft hyphens)")
    conv.add_argument("--no-repair", dest="repair", action="store_false",
                      help="text files: transcode only (like iconv), no repair of font text left inside")
    conv.add_argument("--uppercase", choices=("convert", "caps"), default="convert",
                      help="documents: .VnTimeH text to real capitals (convert) or lowercase + caps property")
    conv.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                      help="time an external converter (LibreOffice) may take per file")
    conv.add_argument("-q", "--quiet", action="store_true", help="no progress, warnings or summary")
    conv.add_argument("-v", "--verbose", action="store_true", help="one line per file on stderr")

    det = sub.add_parser("detect", help="tell what each file holds",
                         description="Detect the charset of each file (reads only).")
    det.add_argument("paths", nargs="+", metavar="PATH", help="files or directories ('-': stdin)")
    det.add_argument("--json", action="store_true", help="JSON output")
    det.add_argument("--include", action="append", default=[], metavar="GLOB")
    det.add_argument("--exclude", action="append", default=[], metavar="GLOB")
    det.add_argument("--hidden", action="store_true")

    chs = sub.add_parser("charsets", help="list the charsets and their aliases")
    chs.add_argument("--json", action="store_true")
    fts = sub.add_parser("fonts", help="list the legacy fonts vnconv knows")
    fts.add_argument("--json", action="store_true")
    return parser


def _normalize_argv(argv: list[str]) -> list[str]:
    """``vnconv -f tcvn3 file`` means ``vnconv convert -f tcvn3 file`` (iconv style)."""
    if not argv:
        return argv
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version", "-l", "--list"):
        return argv
    return ["convert", *argv]


# -- the work list ------------------------------------------------------------------------------------------
@dataclass
class Task:
    """One file to convert (sent to worker processes: plain data only)."""

    index: int
    src: str  #: path, or "-" for stdin
    dst: str | None  #: output path; None for stdout or a dry run
    mode: str  #: "file", "inplace", "stdout", "dry"
    options: Any
    backup: bool = True
    diff: bool = False
    error: str | None = None  #: set when the input is already known to be bad (missing …)
    fmt: str = "text"


@dataclass
class Outcome:
    index: int
    result: Any
    diff: str = ""
    backup: str | None = None


def _fmt_of(path: str) -> str:
    from .documents import FORMATS

    return FORMATS.get(Path(path).suffix.lower(), "text")


def _output_name(path: Path) -> str:
    """The name a converted copy of ``path`` gets: the same, or with the extension the adapter writes
    (``x.doc`` -> ``x.docx``: the office adapter's ``output_suffix``)."""
    fmt = _fmt_of(str(path))
    if fmt == "text":
        return path.name
    try:
        import importlib

        module = importlib.import_module(f"vnconv.documents.{fmt}")
    except ImportError:
        return path.name
    suffix_of = getattr(module, "output_suffix", None)
    if suffix_of is None:
        return path.name
    try:
        return path.with_suffix(suffix_of(path)).name
    except Exception:
        return path.name


def _matches(rel: str, globs: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)


def _walk(root: Path, include: Sequence[str], exclude: Sequence[str], hidden: bool,
          skip: Path | None, errors: list[OSError] | None = None) -> Iterator[tuple[Path, str]]:
    """Files under ``root`` (sorted, no symlinked folders), as (path, path relative to root with '/').
    Folders that cannot be read are added to ``errors``."""
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append if errors is not None else None):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if not hidden and d.startswith("."):
                continue
            if skip is not None and _same(here / d, skip):
                continue
            keep.append(d)
        dirnames[:] = keep
        names = set(filenames)
        for name in sorted(filenames):
            if name.endswith(TEMP_SUFFIX):
                continue
            if not hidden and name.startswith("."):
                continue
            m = _BACKUP.match(name)
            if m and m.group("base") in names:
                continue  # a backup of ours, beside its file
            path = here / name
            rel = path.relative_to(root).as_posix()
            if include and not _matches(rel, include):
                continue
            if exclude and _matches(rel, exclude):
                continue
            yield path, rel


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
        return True
    except ValueError:
        return False


def _options(args: argparse.Namespace) -> Any:
    from .documents import Options

    return Options(source=args.source, target=args.target, form=args.form, tone_style=args.tone_style,
                   restore=args.restore, uppercase=args.uppercase, timeout=args.timeout, errors=args.errors,
                   repair=args.repair)


def plan_tasks(args: argparse.Namespace, options: Any) -> list[Task]:
    """Expand the paths into tasks and decide where each output goes; UsageError for impossible requests."""
    paths = args.paths or ["-"]
    out = args.output
    if args.no_backup and not args.in_place:
        raise UsageError("--no-backup goes with --in-place")
    if args.diff and not args.dry_run:
        raise UsageError("--diff goes with --dry-run")
    if args.in_place and out is not None:
        raise UsageError("--in-place and -o exclude each other")
    if args.in_place and args.dry_run:
        raise UsageError("--in-place and --dry-run exclude each other (--dry-run alone shows what would change)")
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per CPU) or more")
    if paths.count("-") > 1:
        raise UsageError("'-' (stdin) can be given only once")
    if "-" in paths and args.in_place:
        raise UsageError("stdin ('-') cannot be converted in place")

    dirs = [p for p in paths if p != "-" and os.path.isdir(p)]
    several = len(paths) > 1 or bool(dirs)
    to_stdout = out == "-" or (out is None and not args.in_place)
    out_dir: Path | None = None
    out_file: Path | None = None
    if out is not None and out != "-":
        if os.path.isdir(out) or out.endswith(("/", os.sep)) or several:
            if os.path.exists(out) and not os.path.isdir(out):
                raise UsageError(f"-o {out}: not a directory (several inputs need -o DIR)")
            out_dir = Path(out)
        else:
            out_file = Path(out)
    if to_stdout and dirs and not args.dry_run:
        raise UsageError(f"{dirs[0]}: a directory needs -o DIR or --in-place")
    if out_dir is not None and "-" in paths:
        raise UsageError("stdin ('-') goes to stdout or to -o FILE, not to a directory")
    if args.report == "-" and to_stdout and not args.dry_run:
        raise UsageError("--report - (stdout) needs the converted text to go elsewhere (-o or --in-place)")

    tasks: list[Task] = []
    seen: set[str] = set()
    targets: dict[str, str] = {}

    def add(src: str, dst: str | None, error: str | None = None) -> None:
        key = os.path.abspath(src) if src != "-" else "-"
        if key in seen and not (to_stdout and not args.dry_run):  # stdout: concatenated, like iconv
            return
        seen.add(key)
        fmt = "text" if src == "-" else _fmt_of(src)
        if args.dry_run:
            mode = "dry"
        elif args.in_place:
            mode = "inplace"
            dst = str(Path(src).with_name(_output_name(Path(src)))) if src != "-" else None
        elif to_stdout:
            mode = "stdout"
        else:
            mode = "file"
        if error is None and dst is not None and mode in ("file", "dry", "inplace"):
            akey = os.path.abspath(dst)
            if akey in targets:
                error = f"output {dst} would overwrite the conversion of {targets[akey]}"
            else:
                targets[akey] = src
            if src != "-" and mode == "file" and os.path.exists(dst) and _same(Path(src), Path(dst)):
                error = f"output {dst} is the input itself (use --in-place)"
        tasks.append(Task(len(tasks), src, dst, mode, options, backup=not args.no_backup,
                          diff=args.diff, error=error, fmt=fmt))

    for p in paths:
        if p == "-":
            add("-", str(out_file) if out_file else None)
            continue
        path = Path(p)
        if os.path.isdir(p):
            skip = out_dir if out_dir is not None and _inside(out_dir, path) else None
            walk_errors: list[OSError] = []
            for f, rel in _walk(path, args.include, args.exclude, args.hidden, skip, walk_errors):
                dst = str((out_dir / rel).with_name(_output_name(f))) if out_dir is not None else None
                add(str(f), dst)
            for exc in walk_errors:
                add(str(exc.filename or p), None, f"cannot read the folder: {exc.strerror or exc}")
            continue
        if not os.path.lexists(p):
            add(p, None, "No such file or directory")
            continue
        dst = str(out_dir / _output_name(path)) if out_dir is not None else (str(out_file) if out_file else None)
        add(p, dst)

    if to_stdout and not args.dry_run:
        binary = [t.src for t in tasks if t.fmt != "text" and t.error is None]
        if binary:
            raise UsageError(f"{binary[0]}: {Path(binary[0]).suffix or 'this'} files cannot go to stdout; "
                             "give -o FILE, -o DIR or --in-place")
    return tasks


# -- running one task (in this process or a worker) -----------------------------------------------------------
_busy = False
_stopping = False


def _worker_init() -> None:
    """Worker processes: Ctrl-C interrupts a conversion in progress (its temporary file is removed), an
    idle worker ignores it, and tasks already queued are not started any more."""

    def on_signal(signum: int, frame: Any) -> None:
        global _stopping
        _stopping = True
        if _busy:
            raise KeyboardInterrupt
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)


def _result(task: Task, error: str) -> Any:
    from .documents import Result

    return Result(path=task.src if task.src != "-" else "<stdin>", format=task.fmt, output=task.dst, error=error)


def _convert_with(adapter: Any, fmt: str, src: Path, dst: Path, options: Any,
                  progress: Callable[[int, int], None] | None) -> Any:
    if fmt == "text":
        return adapter.convert_file(src, dst, options, progress=progress)
    return adapter.convert_file(src, dst, options)


def run_task(task: Task, progress: Callable[[int, int], None] | None = None,
             diff_sink: Callable[[str], None] | None = None) -> Outcome:
    """Convert one file as the task says; every failure becomes ``Result.error`` (one line)."""
    global _busy
    _busy = True
    started = time.time()
    try:
        return _run_task(task, progress, diff_sink)
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
        where = f"{exc.filename}: " if exc.filename and str(exc.filename) != task.src else ""
        return Outcome(task.index, _result(task, f"{where}{exc.strerror or exc}"))
    except MemoryError:
        return Outcome(task.index, _result(task, "out of memory"))
    except Exception as exc:  # an adapter bug: still one line, and the batch goes on
        return Outcome(task.index, _result(task, f"internal error: {type(exc).__name__}: {exc}"))
    finally:
        _busy = False


def _remove_stray_temps(task: Task, started: float) -> None:
    """After Ctrl-C: remove the temporary files this task's output may have left. (A signal that lands just
    after ``mkstemp`` created a file but before the ``try`` that removes it would otherwise leave one.)"""
    if not task.dst or task.mode not in ("file", "inplace"):
        return
    dst = Path(task.dst)
    try:
        candidates = list(dst.parent.glob(f".*{glob_escape(dst.name)}*{TEMP_SUFFIX}"))
    except OSError:
        return
    for path in candidates:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime >= started - 1:
                path.unlink()


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


def _load_adapter(task: Task) -> Any:
    from .documents import adapter_for

    try:
        return adapter_for(Path(task.src))
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("vnconv.documents."):
            ext = Path(task.src).suffix.lower() or task.fmt
            raise DocumentError(task.src, f"{ext} files are not supported yet (no {exc.name} module)") from None
        raise DocumentError(task.src, f"the {task.fmt} converter needs {exc.name}, which is not installed") from None


def _run_task(task: Task, progress: Callable[[int, int], None] | None,
              diff_sink: Callable[[str], None] | None) -> Outcome:
    if task.error:
        return Outcome(task.index, _result(task, task.error))
    chunks: list[str] = []
    sink = diff_sink or (chunks.append if task.diff else None)
    if task.src == "-":
        from .documents import text

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

    src = Path(task.src)
    adapter = _load_adapter(task)
    if os.path.isdir(src):
        raise DocumentError(task.src, "is a directory, not a file")
    if task.mode == "stdout":
        from .documents import text

        with open(src, "rb") as fh:  # a pipe or /dev/stdin named on the command line streams too
            result = text.convert_stream(fh, sys.stdout.buffer, task.options, name=task.src, progress=progress)
        result.output = "-"
        return Outcome(task.index, result)
    if task.mode == "dry":
        if task.fmt == "text":
            result = adapter.dry_run(src, task.options, progress=progress, diff=sink)
        else:
            with tempfile.TemporaryDirectory(prefix="vnconv-dry-") as tmpdir:
                result = adapter.convert_file(src, Path(tmpdir) / src.name, task.options)
        result.output = task.dst
        result.details["dry_run"] = True
        return Outcome(task.index, result, "".join(chunks))
    if task.mode == "file":
        assert task.dst is not None
        dst = Path(task.dst)
        if dst.parent and not dst.parent.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
        existed = os.path.lexists(dst)
        result = _convert_with(adapter, task.fmt, src, dst, task.options, progress)
        if not existed:  # a new file gets the usual permissions (temporary files are created 0600)
            mode = file_mode(dst)
            want = new_file_mode()
            if mode is not None and mode != want:
                with contextlib.suppress(OSError):
                    os.chmod(dst, want)
        result.output = task.dst
        return Outcome(task.index, result)
    # in place: convert beside the file, keep a backup, then rename over it. A format whose output has
    # another extension (x.doc -> x.docx) leaves the original alone and writes the new file beside it.
    real = Path(os.path.realpath(src))
    assert task.dst is not None
    final = real if task.dst == task.src else real.with_name(Path(task.dst).name)
    exists = os.path.lexists(final)
    st = os.stat(final) if exists else os.stat(real)
    backup = None
    tmp: Path | None = None
    held = no_signals()
    held.__enter__()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=TEMP_SUFFIX, dir=final.parent)
        tmp = Path(tmp_name)
        os.close(fd)
        held.__exit__(None, None, None)
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
                result.details["backup"] = str(Path(task.dst).with_name(backup.name))
            os.replace(tmp, final)
    except BaseException:
        held.__exit__(None, None, None)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    result.output = task.dst
    return Outcome(task.index, result, backup=str(backup) if backup else None)


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


def _pool_run(task: Task) -> Outcome:
    if _stopping:
        return Outcome(task.index, _result(task, "interrupted"))
    return run_task(task)


# -- convert ------------------------------------------------------------------------------------------------
def _describe(result: Any) -> str:
    details = result.details or {}
    what = result.charset or details.get("encoding") or "?"
    parts = [f"{result.path}: {what}"]
    if result.output and result.output != result.path:
        parts.append(f"-> {result.output}")
    parts.append(f"({result.changed} changed)")
    if details.get("backup"):
        parts.append(f"backup {details['backup']}")
    if details.get("unchanged"):
        parts.append("file left as it was")
    return " ".join(parts)


def cmd_convert(args: argparse.Namespace, console: Console) -> int:
    from .documents.text import resolve_source, resolve_target

    if args.source.lower() != "auto":
        try:
            resolve_source(args.source)
        except UnknownCharsetError as exc:
            raise UsageError(f"-f {args.source}: {exc}") from None
    try:
        resolve_target(args.target)
    except UnknownCharsetError as exc:
        raise UsageError(f"-t {args.target}: {exc}") from None
    options = _options(args)
    tasks = plan_tasks(args, options)
    if not tasks:
        console.info(f"{PROG}: no files to convert")
        return 0
    jobs = args.jobs or os.cpu_count() or 1
    sequential = jobs == 1 or len(tasks) == 1 or any(t.mode == "stdout" or t.src == "-" for t in tasks)
    results: list[Any] = [None] * len(tasks)
    outcomes: list[Outcome] = []
    total = len(tasks)
    show_files = total > 1
    # One file whose count nobody will see (no summary, report or -v) is not counted.
    options.count = bool(show_files or args.dry_run or args.report or args.verbose)
    if sys.stdout is not None:
        with contextlib.suppress(Exception):
            sys.stdout.flush()

    def emit(outcome: Outcome, done: int) -> None:
        results[outcome.index] = outcome.result
        outcomes.append(outcome)
        r = outcome.result
        if outcome.diff:
            _write_stdout(outcome.diff)
        if r.error:
            console.error(r.path, r.error)
        else:
            for w in r.warnings:
                console.warn(r.path, w)
            if args.verbose:
                console.info(_describe(r))
        if show_files:
            nxt = tasks[done].src if done < total else ""
            console.files(done, total, nxt)

    if show_files:
        console.files(0, total, tasks[0].src)
    else:
        console.current = tasks[0].src if tasks[0].src != "-" else "<stdin>"
    if sequential:
        for i, task in enumerate(tasks):
            sink = _write_stdout if task.diff else None
            outcome = run_task(task, progress=console.bytes if console.tty else None, diff_sink=sink)
            emit(outcome, i + 1)
    else:
        _run_pool(tasks, jobs, emit)
    console.clear()

    failed = sum(1 for r in results if r is not None and r.error)
    if args.report:
        _write_report(args, results, console)
    if not args.quiet and (total > 1 or args.dry_run) and not args.verbose:
        changed = sum(r.changed for r in results if r is not None and not r.error)
        ok = total - failed
        pieces = f"{changed} {'piece' if changed == 1 else 'pieces'} of text"
        if args.dry_run:
            console.info(f"{PROG}: dry run: {ok} file{'s' if ok != 1 else ''} would be converted, {failed} failed; "
                         f"{pieces} would change; nothing was written")
        else:
            console.info(f"{PROG}: {ok} file{'s' if ok != 1 else ''} converted, {failed} failed; {pieces} changed")
    return 1 if failed else 0


def _run_pool(tasks: list[Task], jobs: int, emit: Callable[[Outcome, int], None]) -> None:
    from concurrent.futures import ProcessPoolExecutor

    import multiprocessing

    ctx = multiprocessing.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
    chunk = max(1, min(32, len(tasks) // (jobs * 8)))
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=ctx, initializer=_worker_init)
    try:
        for done, outcome in enumerate(pool.map(_pool_run, tasks, chunksize=chunk), 1):
            emit(outcome, done)
    except KeyboardInterrupt:
        # Workers got (or get now) SIGINT: the one converting removes its temporary file.
        for proc in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                os.kill(proc.pid, signal.SIGINT)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _write_stdout(text: str) -> None:
    out = sys.stdout
    try:
        out.buffer.write(text.encode("utf-8", "replace"))  # type: ignore[union-attr]
        out.buffer.flush()  # type: ignore[union-attr]
    except AttributeError:
        out.write(text)
        out.flush()


def _write_report(args: argparse.Namespace, results: list[Any], console: Console) -> None:
    files = []
    for r in results:
        if r is None:
            continue
        entry = r.to_json()
        entry["status"] = "failed" if r.error else "converted"
        entry["errors"] = [r.error] if r.error else []
        files.append(entry)
    failed = sum(1 for f in files if f["status"] == "failed")
    report = {
        "vnconv": __version__,
        "command": "convert",
        "options": {"from": args.source, "to": args.target, "output": args.output, "in_place": args.in_place,
                    "backup": args.in_place and not args.no_backup, "dry_run": args.dry_run, "jobs": args.jobs},
        "summary": {"files": len(files), "converted": len(files) - failed, "failed": failed,
                    "changed_files": sum(1 for f in files if f["status"] != "failed" and f["changed"]),
                    "changed": sum(f["changed"] for f in files if f["status"] != "failed")},
        "files": files,
    }
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if args.report == "-":
        _write_stdout(text)
        return
    try:
        path = Path(args.report)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path) as fh:
            fh.write(text.encode("utf-8"))
    except OSError as exc:
        console.error(args.report, f"cannot write the report: {exc.strerror or exc}")


# -- detect, charsets, fonts --------------------------------------------------------------------------------
def cmd_detect(args: argparse.Namespace, console: Console) -> int:
    from .documents import Options, Result, detect_file
    from .documents import text as text_adapter

    rows: list[Any] = []
    for p in args.paths:
        if p == "-":
            try:
                sample, _ = text_adapter._sample_stream(sys.stdin.buffer)
                plan = text_adapter.plan_stream(sample, Options(), "<stdin>")
                r = Result(path="<stdin>", format="text", charset=plan.charset, confidence=plan.confidence,
                           warnings=plan.warnings, details={"encoding": plan.encoding, "form": plan.form,
                                                             "reasons": plan.reasons, "bom": bool(plan.bom)})
            except DocumentError as exc:
                r = Result(path="<stdin>", format="text", error=exc.cause)
            rows.append(r)
            continue
        if os.path.isdir(p):
            files = [f for f, _ in _walk(Path(p), args.include, args.exclude, args.hidden, None)]
        elif not os.path.lexists(p):
            rows.append(Result(path=p, format=_fmt_of(p), error="No such file or directory"))
            continue
        else:
            files = [Path(p)]
        for f in files:
            task = Task(0, str(f), None, "detect", None, fmt=_fmt_of(str(f)))
            try:
                _load_adapter(task)
                r = detect_file(f, Options())
            except DocumentError as exc:
                r = Result(path=str(f), format=task.fmt, error=exc.cause)
            except OSError as exc:
                r = Result(path=str(f), format=task.fmt, error=exc.strerror or str(exc))
            except Exception as exc:
                r = Result(path=str(f), format=task.fmt, error=f"internal error: {type(exc).__name__}: {exc}")
            rows.append(r)
    for r in rows:
        if r.error and not args.json:
            console.error(r.path, r.error)
    if args.json:
        out = []
        for r in rows:
            d = r.details or {}
            out.append({"path": r.path, "format": r.format, "charset": r.charset, "confidence": r.confidence,
                        "encoding": d.get("encoding"), "form": d.get("form"), "reasons": d.get("reasons", []),
                        "warnings": r.warnings, "error": r.error, "details": d})
        _write_stdout(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        lines = []
        for r in rows:
            if r.error:
                continue
            d = r.details or {}
            enc = d.get("encoding")
            form = d.get("form") or ""
            if r.charset:
                what = r.charset
                if form == "bytes" or enc == r.charset:
                    what += " (raw bytes)"
                elif enc:
                    what += f" ({form} in {enc})" if form else f" (in {enc})"
            else:
                what = f"{enc or r.format} (no legacy text found)" if r.format == "text" else "no legacy text found"
            reasons = d.get("reasons") or []
            line = f"{r.path}: {what}, confidence {r.confidence:.2f}"
            if reasons:
                line += " — " + "; ".join(str(x) for x in reasons)
            lines.append(line + "\n")
        _write_stdout("".join(lines))
    return 1 if any(r.error for r in rows) else 0


def cmd_charsets(args: argparse.Namespace) -> int:
    from .charsets.registry import charsets
    from .charsets.tables import load_table

    rows = [(name, list(load_table(name).aliases)) for name in charsets()]
    if getattr(args, "json", False):
        _write_stdout(json.dumps({"charsets": {n: a for n, a in rows},
                                  "targets": ["unicode", "nfd", "ncr"]}, indent=2) + "\n")
        return 0
    width = max(len(n) for n, _ in rows)
    out = [f"{n:<{width}}  {' '.join(a)}".rstrip() + "\n" for n, a in rows]
    out.append("\nAlso: -t unicode (UTF-8, the default), -t nfd (UTF-8, decomposed), -t ncr (&#7879;),\n"
               "and any Python codec name (utf-16, cp1252, gbk …).\n")
    _write_stdout("".join(out))
    return 0


def cmd_fonts(args: argparse.Namespace) -> int:
    from .charsets.fonts import fonts

    rows = fonts()
    if getattr(args, "json", False):
        _write_stdout(json.dumps([{"font": f.name, "charset": f.charset, "uppercase": f.uppercase,
                                   "replacement": f.replacement} for f in rows], ensure_ascii=False, indent=2)
                      + "\n")
        return 0
    header = ("FONT", "CHARSET", "CASE", "REPLACEMENT")
    table = [(f.name, f.charset or "-", "upper" if f.uppercase else "", f.replacement) for f in rows]
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(3)]
    lines = []
    for r in [header, *table]:
        lines.append(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip() + "\n")
    _write_stdout("".join(lines))
    return 0


# -- main ---------------------------------------------------------------------------------------------------
def _on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 some files failed, 2 usage error, 130 Ctrl-C)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    console = Console(quiet="-q" in argv or "--quiet" in argv)
    try:
        try:
            args = parser.parse_args(_normalize_argv(argv))
        except SystemExit as exc:  # --help, --version
            return int(exc.code or 0) if not isinstance(exc.code, str) else 2
        if args.list:
            return cmd_charsets(args)
        if args.command is None:
            raise UsageError("give a command: convert, detect, charsets or fonts")
        if args.command == "charsets":
            return cmd_charsets(args)
        if args.command == "fonts":
            return cmd_fonts(args)
        console = Console(quiet=getattr(args, "quiet", False))
        previous = None
        if args.command == "convert":
            with contextlib.suppress(ValueError):  # not the main thread
                previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            if args.command == "detect":
                return cmd_detect(args, console)
            return cmd_convert(args, console)
        finally:
            if previous is not None:
                with contextlib.suppress(ValueError):
                    signal.signal(signal.SIGTERM, previous)
    except UsageError as exc:
        console.clear()
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        print(f"Try '{PROG} --help' or '{PROG} convert --help'.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        console.clear()
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (vnconv … | head): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
