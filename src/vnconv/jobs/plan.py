"""Planning a run: which files, where each output goes, and which requests cannot be met (before anything
is written). Paths stay in the form the user gave them (``./in/a.txt`` stays so), in every mode."""

from __future__ import annotations

import fnmatch
import importlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import FORMATS, Options
from ..documents.files import TEMP_SUFFIX
from .console import show

__all__ = ["UsageError", "Request", "Task", "Plan", "plan_tasks", "check_request", "format_of", "walk"]

_BACKUP = re.compile(r"^(?P<base>.+)\.bak(?:\.\d+)?$")


class UsageError(Exception):
    """A command line that cannot run (exit code 2)."""


@dataclass
class Request:
    """What the user asked ``convert`` to do (the command line's flags, typed)."""

    paths: list[str]
    options: Options = field(default_factory=Options)
    output: str | None = None  #: -o: a file, a folder, or "-" (stdout)
    in_place: bool = False
    no_backup: bool = False
    no_clobber: bool = False  #: never replace an existing file with -o (it fails instead)
    dry_run: bool = False
    diff: bool = False
    report: str | None = None
    jobs: int = 1
    dask: str | None = None  #: --dask: the address of a running Dask scheduler that runs the tasks
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    hidden: bool = False
    quiet: bool = False
    verbose: bool = False


@dataclass
class Task:
    """One file to convert (sent to worker processes: plain data only)."""

    index: int
    src: str  #: path as given, or "-" for stdin
    dst: str | None  #: output path; None for stdout or a dry run
    mode: str  #: "file", "inplace", "stdout", "dry"
    options: Options
    backup: bool = True
    diff: bool = False
    error: str | None = None  #: set when the input is already known to be bad (missing …)
    fmt: str = "text"


@dataclass
class Plan:
    tasks: list[Task]
    skipped: list[tuple[str, str]] = field(default_factory=list)  #: (path, why) found in folders, not converted
    folders: list[str] = field(default_factory=list)  #: the folders outputs are written into


def format_of(path: str) -> str:
    """The adapter name for ``path`` (by extension; "text" for anything else)."""
    return FORMATS.get(os.path.splitext(path)[1].lower(), "text")


def output_name(name: str) -> str:
    """The name a converted copy of the file ``name`` gets: the same, or with the extension its adapter
    writes (``x.doc`` -> ``x.docx``: the adapter's ``output_suffix``)."""
    fmt = format_of(name)
    if fmt == "text":
        return name
    try:
        module = importlib.import_module(f"vnconv.documents.{fmt}")
    except ImportError:
        return name
    suffix_of = getattr(module, "output_suffix", None)
    if suffix_of is None:
        return name
    try:
        return str(Path(name).with_suffix(suffix_of(Path(name))))
    except Exception:
        return name


def with_name(path: str, name: str) -> str:
    """``path`` with its last part replaced, keeping the form it was given in (``./a.doc`` -> ``./a.docx``)."""
    head, _ = os.path.split(path)
    return os.path.join(head, name) if head else name


def _matches(rel: str, globs: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)


def walk(root: str, include: Sequence[str] = (), exclude: Sequence[str] = (), hidden: bool = False,
         skip: str | None = None, errors: list[OSError] | None = None,
         skipped: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, str]]:
    """Files under ``root`` (sorted, no symlinked folders), as (path as given + the rest, path relative to
    root with '/'). Folders that cannot be read go to ``errors``; backups of ours beside their file go to
    ``skipped`` with the reason."""
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append if errors is not None else None):
        keep = []
        for d in sorted(dirnames):
            if not hidden and d.startswith("."):
                continue
            if skip is not None and same_file(os.path.join(dirpath, d), skip):
                continue
            keep.append(d)
        dirnames[:] = keep
        names = set(filenames)
        for name in sorted(filenames):
            if name.endswith(TEMP_SUFFIX) or (not hidden and name.startswith(".")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if include and not _matches(rel, include):
                continue
            if exclude and _matches(rel, exclude):
                continue
            m = _BACKUP.match(name)
            if m and m.group("base") in names:
                if skipped is not None:
                    skipped.append((path, f"skipped: looks like the backup of {show(m.group('base'))} "
                                          "that --in-place keeps (name it on the command line to convert it)"))
                continue
            yield path, rel


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _inside(path: str, root: str) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
        return True
    except ValueError:
        return False


_EXCLUSIVE = [
    (lambda r: r.no_backup and not r.in_place, "--no-backup goes with --in-place"),
    (lambda r: r.diff and not r.dry_run, "--diff goes with --dry-run"),
    (lambda r: r.in_place and r.output is not None, "--in-place and -o exclude each other"),
    (lambda r: r.in_place and r.dry_run,
     "--in-place and --dry-run exclude each other (--dry-run alone shows what would change)"),
    (lambda r: r.jobs < 0, "--jobs must be 0 (one per CPU) or more"),
    (lambda r: r.paths.count("-") > 1, "'-' (stdin) can be given only once"),
    (lambda r: "-" in r.paths and r.in_place, "stdin ('-') cannot be converted in place"),
]


def check_request(req: Request) -> None:
    """UsageError for flags that cannot go together."""
    for bad, message in _EXCLUSIVE:
        if bad(req):
            raise UsageError(message)


class _Planner:
    """Builds the task list; decides each task's mode and output, and the conflicts between outputs."""

    def __init__(self, req: Request) -> None:
        self.req = req
        paths = req.paths or ["-"]
        self.paths = paths
        self.dirs = [p for p in paths if p != "-" and os.path.isdir(p)]
        several = len(paths) > 1 or bool(self.dirs)
        out = req.output
        self.to_stdout = out == "-" or (out is None and not req.in_place)
        self.out_dir: str | None = None
        self.out_file: str | None = None
        if out is not None and out != "-":
            if os.path.isdir(out) or out.endswith(("/", os.sep)) or several:
                if os.path.exists(out) and not os.path.isdir(out):
                    raise UsageError(f"-o {show(out)}: not a directory (several inputs need -o DIR)")
                self.out_dir = out
            else:
                self.out_file = out
        if self.to_stdout and self.dirs and not req.dry_run:
            raise UsageError(f"{show(self.dirs[0])}: a directory needs -o DIR or --in-place")
        if self.out_dir is not None and "-" in paths:
            raise UsageError("stdin ('-') goes to stdout or to -o FILE, not to a directory")
        if req.report == "-" and self.to_stdout and not req.dry_run:
            raise UsageError("--report - (stdout) needs the converted text to go elsewhere (-o or --in-place)")
        self.mode = ("dry" if req.dry_run else "inplace" if req.in_place else "stdout" if self.to_stdout
                     else "file")
        self.tasks: list[Task] = []
        self.seen: set[str] = set()
        self.skipped: list[tuple[str, str]] = []

    def add(self, src: str, dst: str | None, error: str | None = None) -> None:
        key = os.path.abspath(src) if src != "-" else "-"
        if key in self.seen and self.mode != "stdout":  # stdout: concatenated, like iconv
            return
        self.seen.add(key)
        if self.mode == "inplace" and src != "-":
            dst = with_name(src, output_name(os.path.basename(src)))
        if error is None and dst is not None and self.mode == "file":
            if src != "-" and os.path.exists(dst) and same_file(src, dst):
                error = f"output {show(dst)} is the input itself (use --in-place)"
        if error is None and dst is not None and self.req.no_clobber and self.mode in ("file", "inplace") \
                and dst != src and os.path.lexists(dst):
            error = f"output {show(dst)} exists (--no-clobber: not replaced)"
        fmt = "text" if src == "-" else format_of(src)
        self.tasks.append(Task(len(self.tasks), src, dst, self.mode, self.req.options, backup=not self.req.no_backup,
                               diff=self.req.diff, error=error, fmt=fmt))

    def add_path(self, p: str) -> None:
        if p == "-":
            self.add("-", self.out_file)
        elif os.path.isdir(p):
            skip = self.out_dir if self.out_dir is not None and _inside(self.out_dir, p) else None
            walk_errors: list[OSError] = []
            req = self.req
            for f, rel in walk(p, req.include, req.exclude, req.hidden, skip, walk_errors, self.skipped):
                dst = None
                if self.out_dir is not None:
                    dst = with_name(os.path.join(self.out_dir, *rel.split("/")), output_name(os.path.basename(f)))
                self.add(f, dst)
            for exc in walk_errors:
                self.add(str(exc.filename or p), None, f"cannot read the folder: {exc.strerror or exc}")
        elif not os.path.lexists(p):
            self.add(p, None, "No such file or directory")
        else:
            name = output_name(os.path.basename(p))
            self.add(p, os.path.join(self.out_dir, name) if self.out_dir is not None else self.out_file)

    def resolve_conflicts(self) -> None:
        """Two inputs that would write the same output: the one the name belongs to (``x.docx`` for
        ``x.docx``, not ``x.doc``) is converted, the other fails; else the first one wins."""
        groups: dict[str, list[Task]] = {}
        for t in self.tasks:
            if t.error is None and t.dst is not None and t.mode in ("file", "dry", "inplace"):
                groups.setdefault(os.path.normcase(os.path.abspath(t.dst)), []).append(t)
        for group in groups.values():
            if len(group) < 2:
                continue
            own = [t for t in group if os.path.basename(t.src) == os.path.basename(t.dst or "")]
            winner = own[0] if own else group[0]
            for t in group:
                if t is not winner:
                    t.error = f"output {show(t.dst or '')} would overwrite the conversion of {show(winner.src)}"

    def folders(self) -> list[str]:
        out: dict[str, None] = {}
        for t in self.tasks:
            if t.dst and t.mode in ("file", "inplace") and t.error is None:
                out.setdefault(os.path.dirname(t.dst) or os.curdir, None)
        return list(out)


def plan_tasks(req: Request) -> Plan:
    """Expand the paths into tasks and decide where each output goes; UsageError for impossible requests."""
    check_request(req)
    planner = _Planner(req)
    for p in planner.paths:
        planner.add_path(p)
    planner.resolve_conflicts()
    tasks = planner.tasks
    if planner.mode == "stdout":
        binary = [t.src for t in tasks if t.fmt != "text" and t.error is None]
        if binary:
            raise UsageError(f"{show(binary[0])}: {os.path.splitext(binary[0])[1] or 'this'} files cannot go to "
                             "stdout; give -o FILE, -o DIR or --in-place")
    return Plan(tasks, planner.skipped, planner.folders())
