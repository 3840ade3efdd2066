"""Jobs: what the command line runs. ``plan`` (which files, where outputs go, conflicts), ``run`` (one task,
the worker pool), ``report`` (the JSON report, the summary), ``console`` (stderr), and the jobs themselves:
``convert`` and ``detect`` (with the charset and font listings).

Data flows one way: :mod:`vnconv.cli` -> jobs -> :mod:`vnconv.documents` (every write through
``documents.files``)."""

from __future__ import annotations

from .console import Console
from .convert import convert
from .detect import detect, list_charsets, list_fonts
from .plan import Request, Task, UsageError, plan_tasks
from .run import Outcome, run_task

__all__ = ["Console", "Outcome", "Request", "Task", "UsageError", "convert", "detect", "list_charsets",
           "list_fonts", "plan_tasks", "run_task"]
