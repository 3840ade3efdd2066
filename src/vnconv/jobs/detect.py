"""The ``detect`` job (reads only) and the ``charsets`` / ``fonts`` listings."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..documents import Options, Result, detect_file
from ..errors import DocumentError
from .console import Console, plain, show
from .plan import Task, format_of, walk
from .run import load_adapter, write_stdout

__all__ = ["detect", "list_charsets", "list_fonts"]


def _detect_stdin() -> Result:
    from ..documents import text  # a stream is text

    sample_stream = getattr(text, "sample_stream", None) or text._sample_stream  # public name once documents/ has it
    try:
        sample, _ = sample_stream(sys.stdin.buffer)
        plan = text.plan_stream(sample, Options(), "<stdin>")
    except DocumentError as exc:
        return Result(path="<stdin>", format="text", error=exc.cause)
    return Result(path="<stdin>", format="text", charset=plan.charset, confidence=plan.confidence,
                  warnings=plan.warnings, details={"encoding": plan.encoding, "form": plan.form,
                                                    "reasons": plan.reasons, "bom": bool(plan.bom)})


def _detect_one(f: str) -> Result:
    fmt = format_of(f)
    try:
        load_adapter(Task(0, f, None, "detect", Options(), fmt=fmt))
        return detect_file(Path(f), Options())
    except DocumentError as exc:
        return Result(path=f, format=fmt, error=exc.cause)
    except OSError as exc:
        return Result(path=f, format=fmt, error=exc.strerror or str(exc))
    except Exception as exc:
        return Result(path=f, format=fmt, error=f"internal error: {type(exc).__name__}: {exc}")


def _line(r: Result) -> str:
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
    line = f"{show(r.path)}: {what}, confidence {r.confidence:.2f}"
    if reasons:
        line += " — " + "; ".join(str(x) for x in reasons)
    return line + "\n"


def detect(paths: Sequence[str], console: Console, as_json: bool = False, include: Sequence[str] = (),
           exclude: Sequence[str] = (), hidden: bool = False) -> int:
    """Run ``vnconv detect``: a line (or a JSON row) per file; exit code 1 when some could not be read."""
    rows: list[Result] = []
    for p in paths:
        if p == "-":
            rows.append(_detect_stdin())
        elif os.path.isdir(p):
            rows += [_detect_one(f) for f, _ in walk(p, include, exclude, hidden)]
        elif not os.path.lexists(p):
            rows.append(Result(path=p, format=format_of(p), error="No such file or directory"))
        else:
            rows.append(_detect_one(p))
    for r in rows:
        if r.error and not as_json:
            console.error(r.path, r.error)
    if as_json:
        out = []
        for r in rows:
            d = r.details or {}
            out.append({"path": plain(r.path), "format": r.format, "charset": r.charset, "confidence": r.confidence,
                        "encoding": d.get("encoding"), "form": d.get("form"), "reasons": d.get("reasons", []),
                        "warnings": r.warnings, "error": r.error, "details": d})
        write_stdout(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        write_stdout("".join(_line(r) for r in rows if not r.error))
    return 1 if any(r.error for r in rows) else 0


def list_charsets(as_json: bool = False) -> int:
    from ..charsets.registry import charsets
    from ..charsets.tables import load_table

    rows = [(name, list(load_table(name).aliases)) for name in charsets()]
    if as_json:
        write_stdout(json.dumps({"charsets": {n: a for n, a in rows},
                                 "targets": ["unicode", "nfd", "ncr"]}, indent=2) + "\n")
        return 0
    width = max(len(n) for n, _ in rows)
    out = [f"{n:<{width}}  {' '.join(a)}".rstrip() + "\n" for n, a in rows]
    out.append("\nAlso: -t unicode (UTF-8, the default), -t nfd (UTF-8, decomposed), -t ncr (&#7879;),\n"
               "and any Python codec name (utf-16, cp1252, gbk …).\n")
    write_stdout("".join(out))
    return 0


def list_fonts(as_json: bool = False) -> int:
    from ..charsets.fonts import fonts

    rows = fonts()
    if as_json:
        write_stdout(json.dumps([{"font": f.name, "charset": f.charset, "uppercase": f.uppercase,
                                  "replacement": f.replacement} for f in rows], ensure_ascii=False, indent=2) + "\n")
        return 0
    header = ("FONT", "CHARSET", "CASE", "REPLACEMENT")
    table: list[tuple[str, ...]] = [(f.name, f.charset or "-", "upper" if f.uppercase else "", f.replacement)
                                    for f in rows]
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip() + "\n"
             for r in [header, *table]]
    write_stdout("".join(lines))
    return 0


