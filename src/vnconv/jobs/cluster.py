"""``vnconv convert ... --dask ADDRESS``: the same tasks, run on a running Dask cluster's workers.

Each worker runs :func:`vnconv.jobs.run_task` exactly as a local worker process does (every write atomic
through :mod:`vnconv.documents.files`; a file that fails gives its one-line error and the batch goes on), so
the report and the summary are the same. The workers must see the files at the same paths: paths are made
absolute before they are sent, and the outcomes name them as the user gave them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

from .plan import Task, UsageError
from .run import Outcome, _result, run_task

__all__ = ["run_on_dask"]


def _absolute(task: Task) -> Task:
    src = task.src if task.src == "-" else os.path.abspath(task.src)
    dst = None if task.dst is None else os.path.abspath(task.dst)
    return dataclasses.replace(task, src=src, dst=dst)


def run_on_dask(tasks: list[Task], address: str, emit: Callable[[Outcome, int], None]) -> None:
    """Run ``tasks`` on the Dask scheduler at ``address``; ``emit(outcome, done)`` in input order."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--dask needs dask.distributed: pip install 'vnconv[dask]'") from None
    if any(t.src == "-" or t.mode == "stdout" for t in tasks):
        raise UsageError("--dask converts files: not stdin or stdout")
    try:
        client = Client(address, timeout=10, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"--dask {address}: cannot reach the scheduler ({exc})") from None
    with client:
        futures = client.map(run_task, [_absolute(t) for t in tasks], pure=False)
        try:
            for done, (task, future) in enumerate(zip(tasks, futures), 1):
                try:
                    outcome: Outcome = future.result()
                except Exception as exc:  # the worker died or the task could not be sent
                    outcome = Outcome(task.index, _result(task, f"Dask worker failed: {type(exc).__name__}: {exc}"))
                outcome.result.path = task.src
                if outcome.result.output is not None and task.dst is not None:
                    outcome.result.output = task.dst
                emit(outcome, done)
        except KeyboardInterrupt:
            client.cancel(futures)
            raise
