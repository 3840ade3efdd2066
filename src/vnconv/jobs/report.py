"""What a run tells at the end: the ``--report`` JSON, one line per file with ``-v``, and the summary table
of a batch. Paths are written as given; a name that is not UTF-8 is escaped (``\\xff``) so it can always
be written."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..documents import Result
from ..documents.files import atomic_output
from .console import PROG, Console, plain, show
from .plan import Request
from .run import write_stdout

__all__ = ["describe", "build_report", "write_report", "summary_lines"]


def describe(result: Result) -> str:
    """One line for ``-v``: what was found, where it went, what changed."""
    details = result.details or {}
    what = result.charset or details.get("encoding") or "?"
    parts = [f"{show(result.path)}: {what}"]
    if result.output and result.output != result.path:
        parts.append(f"-> {show(result.output)}")
    parts.append(f"({result.changed} changed)")
    if details.get("backup"):
        parts.append(f"backup {show(details['backup'])}")
    if details.get("unchanged"):
        parts.append("file left as it was")
    return " ".join(parts)


def _plain_json(value: Any) -> Any:
    """``value`` with every string made writable as UTF-8 (file names that are not UTF-8: ``\\xff``)."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {plain(str(k)): _plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_json(v) for v in value]
    return value


def _status(r: Result) -> str:
    if r.error:
        return "failed"
    return "converted" if r.changed else "unchanged"


def build_report(req: Request, results: Sequence[Result], skipped: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    files = []
    for r in results:
        entry = r.to_json()
        entry["status"] = "failed" if r.error else "converted"
        entry["errors"] = [r.error] if r.error else []
        files.append(entry)
    failed = sum(1 for r in results if r.error)
    report = {
        "vnconv": __version__,
        "command": "convert",
        "options": {"from": req.options.source, "to": req.options.target, "output": req.output,
                    "in_place": req.in_place, "backup": req.in_place and not req.no_backup,
                    "no_clobber": req.no_clobber, "dry_run": req.dry_run, "jobs": req.jobs},
        "summary": {"files": len(files), "converted": len(files) - failed, "failed": failed,
                    "changed_files": sum(1 for r in results if not r.error and r.changed),
                    "changed": sum(r.changed for r in results if not r.error)},
        "skipped": [{"path": p, "reason": why} for p, why in skipped],
        "files": files,
    }
    return _plain_json(report)


def write_report(req: Request, results: Sequence[Result], console: Console,
                 skipped: Sequence[tuple[str, str]] = ()) -> None:
    text = json.dumps(build_report(req, results, skipped), ensure_ascii=False, indent=2) + "\n"
    assert req.report is not None
    if req.report == "-":
        write_stdout(text)
        return
    try:
        path = Path(req.report)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path) as fh:
            fh.write(text.encode("utf-8"))
    except OSError as exc:
        console.error(req.report, f"cannot write the report: {exc.strerror or exc}")


def _by_charset(results: Sequence[Result]) -> tuple[Counter[str], Counter[str]]:
    """What changed, by the charset it was read as: words (the engine's own record, where a document keeps
    it: .docx, .xlsx, .rtf) and lines or other pieces of text (text files, which count lines)."""
    words: Counter[str] = Counter()
    pieces: Counter[str] = Counter()
    for r in results:
        if r.error or not r.changed:
            continue
        details = r.details or {}
        record, split = details.get("words_changed"), details.get("changed_as")
        if isinstance(record, dict) and record:
            words.update({str(k): int(v) for k, v in record.items() if v})
        elif isinstance(split, dict) and split:
            pieces.update({str(k): int(v) for k, v in split.items() if v})
        else:
            pieces[r.charset or details.get("encoding") or "?"] += r.changed
    return words, pieces


def summary_lines(req: Request, results: Sequence[Result], skipped: Sequence[tuple[str, str]] = (),
                  table: bool = True) -> list[str]:
    """The end of a run: one line, then (a batch) a table: files converted / unchanged / failed (and
    skipped), changes by charset, the five biggest changes."""
    failed = sum(1 for r in results if r.error)
    ok = len(results) - failed
    changed = sum(r.changed for r in results if not r.error)
    pieces = f"{changed} {'piece' if changed == 1 else 'pieces'} of text"
    files = f"{ok} file{'s' if ok != 1 else ''}"
    if req.dry_run:
        lines = [f"{PROG}: dry run: {files} would be converted, {failed} failed; {pieces} would change; "
                 "nothing was written"]
    else:
        lines = [f"{PROG}: {files} converted, {failed} failed; {pieces} changed"]
    if not table:
        return lines
    counts = Counter(_status(r) for r in results)
    rows = [("converted" if not req.dry_run else "would change", counts["converted"]),
            ("unchanged", counts["unchanged"]), ("failed", counts["failed"])]
    if skipped:
        rows.append(("skipped", len(skipped)))
    lines += [f"  {label:<13}{n:>7} file{'s' if n != 1 else ''}" for label, n in rows]
    if skipped and not req.verbose:
        lines[-1] += " (backups beside their file; -v names them)"
    for unit, by in zip(("words", "lines and other pieces of text"), _by_charset(results)):
        if by:
            lines.append(f"  changed by charset ({unit}): "
                         + ", ".join(f"{name} {n}" for name, n in sorted(by.items(), key=lambda kv: (-kv[1], kv[0]))))
    biggest = sorted((r for r in results if not r.error and r.changed), key=lambda r: -r.changed)[:5]
    if biggest:
        lines.append("  biggest changes:")
        width = len(str(biggest[0].changed))
        lines += [f"    {r.changed:>{width}}  {show(r.path)}" + (f" ({r.charset})" if r.charset else "")
                  for r in biggest]
    return lines

