"""The ``convert`` job: plan the tasks, run them (here or in a pool), show each outcome, report, sum up."""

from __future__ import annotations

import contextlib
import os
import sys

from ..documents import Result
from ..documents.text import resolve_source, resolve_target
from ..errors import UnknownCharsetError
from .console import PROG, Console, show
from .plan import Request, Task, UsageError, plan_tasks
from .report import describe, summary_lines, write_report
from .run import Outcome, run_pool, run_task, sweep_stale_temps, write_stdout

__all__ = ["convert"]


def _check_charsets(req: Request) -> None:
    if req.options.source.lower() != "auto":
        try:
            resolve_source(req.options.source)
        except UnknownCharsetError as exc:
            raise UsageError(f"-f {req.options.source}: {exc}") from None
    try:
        resolve_target(req.options.target)
    except UnknownCharsetError as exc:
        raise UsageError(f"-t {req.options.target}: {exc}") from None


class _Shower:
    """Shows each outcome as it comes (in input order): diff, error or warnings, -v line, progress."""

    def __init__(self, req: Request, console: Console, tasks: list[Task]) -> None:
        self.req, self.console, self.tasks = req, console, tasks
        self.results: list[Result | None] = [None] * len(tasks)
        self.show_files = len(tasks) > 1

    def __call__(self, outcome: Outcome, done: int) -> None:
        self.results[outcome.index] = r = outcome.result
        if outcome.diff:
            write_stdout(outcome.diff)
        if r.error:
            self.console.error(r.path, r.error)
        else:
            for w in r.warnings:
                self.console.warn(r.path, w)
            if self.req.verbose:
                self.console.info(describe(r))
        if self.show_files:
            total = len(self.tasks)
            self.console.files(done, total, self.tasks[done].src if done < total else "")


def convert(req: Request, console: Console) -> int:
    """Run ``vnconv convert``; the exit code (0 every file converted, 1 some failed)."""
    _check_charsets(req)
    plan = plan_tasks(req)
    tasks = plan.tasks
    if not req.dry_run:
        for path in sweep_stale_temps(plan.folders):
            console.info(f"{PROG}: removed {show(path)}, a temporary file an interrupted run left")
    if req.verbose:
        for path, why in plan.skipped:
            console.info(f"{PROG}: {show(path)}: {why}")
    if not tasks:
        console.info(f"{PROG}: no files to convert")
        return 0
    jobs = req.jobs or os.cpu_count() or 1
    sequential = jobs == 1 or len(tasks) == 1 or any(t.mode == "stdout" or t.src == "-" for t in tasks)
    # One file whose count nobody will see (no summary, report or -v) is not counted.
    req.options.count = bool(len(tasks) > 1 or req.dry_run or req.report or req.verbose)
    if sys.stdout is not None:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
    shower = _Shower(req, console, tasks)
    if shower.show_files:
        console.files(0, len(tasks), tasks[0].src)
    else:
        console.current = show(tasks[0].src) if tasks[0].src != "-" else "<stdin>"
    if req.dask:
        from .cluster import run_on_dask

        run_on_dask(tasks, req.dask, shower)
    elif sequential:
        for i, task in enumerate(tasks):
            sink = write_stdout if task.diff else None
            shower(run_task(task, progress=console.bytes if console.tty else None, diff_sink=sink), i + 1)
    else:
        run_pool(tasks, jobs, shower)
    console.clear()
    results = [r for r in shower.results if r is not None]
    if req.report:
        write_report(req, results, console, plan.skipped)
    if not req.quiet and (len(tasks) > 1 or req.dry_run or plan.skipped) and not req.verbose:
        for line in summary_lines(req, results, plan.skipped, table=len(tasks) > 1 or bool(plan.skipped)):
            console.info(line)
    return 1 if any(r.error for r in results) else 0
