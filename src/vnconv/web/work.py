"""The jobs behind the page: one per uploaded file, run by a small pool of threads that takes turns
between batches, so a long batch cannot starve a file dropped after it.

Each job lives in its own folder ``<workdir>/<job id>/`` (``input<suffix>``, the converted file beside it);
nothing the browser sent is ever used as a path.
"""

from __future__ import annotations

import collections
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vnconv

from ..documents import FORMATS, Options, convert_file
from ..documents import office
from ..pipelines.reading import converted_document
from . import names, preview

__all__ = ["Job", "Store", "supported_suffixes"]

TEXT_SUFFIXES = (".txt", ".csv")


def supported_suffixes() -> list[str]:
    """What the page accepts: text, .docx, .xlsx, .rtf, and .doc/.xls when LibreOffice is installed."""
    found = list(TEXT_SUFFIXES) + [s for s, kind in FORMATS.items() if kind != "office"]
    if office.find_soffice():
        found += [s for s, kind in FORMATS.items() if kind == "office"]
    return found


@dataclass
class Job:
    """One uploaded file: its display name, where it is stored, and (when done) what was found."""

    id: str
    batch: str
    name: str
    folder: Path
    status: str = "queued"  #: queued, running, done, failed
    error: str | None = None
    output: Path | None = None
    output_name: str | None = None
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> Path:
        return self.folder / f"input{names.stored_suffix(self.name)}"

    def public(self) -> dict[str, Any]:
        """What the status endpoint sends (no paths)."""
        return {"id": self.id, "batch": self.batch, "name": self.name, "status": self.status, "error": self.error,
                "download": self.output_name, **self.report}


def run(job: Job) -> None:
    """Convert ``job``'s file and record the preview; a bad file fails with a message naming it."""
    suffix = names.stored_suffix(job.name)
    if suffix not in supported_suffixes():
        raise vnconv.DocumentError(job.name, f"{suffix} files are not supported here "
                                   f"(supported: {', '.join(supported_suffixes())})")
    options = Options()
    try:
        source = job.source
        if FORMATS.get(suffix) == "office":  # LibreOffice once: its .docx/.xlsx is converted and previewed
            (job.folder / "lo").mkdir()
            source = office.to_ooxml(source, job.folder / "lo", options.timeout)
        out_suffix = source.suffix.lower()
        dst = job.folder / f"output{out_suffix}"
        result = convert_file(source, dst, options)
        if result.error:
            raise vnconv.DocumentError(job.name, result.error)
        document = converted_document(source, dst, result)  # what changed, from the two files: no second pass
    except vnconv.DocumentError as exc:
        raise vnconv.DocumentError(job.name, exc.cause) from None
    job.output, job.output_name = dst, names.output_name(job.name, out_suffix)
    job.report = {
        "format": document.format, "charset": document.charset, "charsets": document.charsets,
        "fonts": document.fonts, "renamed_fonts": document.fonts_renamed, "warnings": list(result.warnings),
        "changed": len(document.changes), "rows": preview.file_rows(document.changes, document.charset),
    }


class Store:
    """Every job of this session, and the worker threads that run them."""

    def __init__(self, workdir: Path, workers: int = 2) -> None:
        self.workdir = workdir
        self.jobs: dict[str, Job] = {}
        self.batches: dict[str, list[str]] = {}
        self._queues: collections.OrderedDict[str, collections.deque[Job]] = collections.OrderedDict()
        self._ready = threading.Condition()
        self._closed = False
        self._threads = [threading.Thread(target=self._work, name=f"vnconv-web-{i}", daemon=True)
                         for i in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def new_batch(self) -> str:
        batch = uuid.uuid4().hex
        with self._ready:
            self.batches[batch] = []
        return batch

    def add(self, batch: str, name: str, data: Any) -> Job:
        """Store one upload (``data`` has ``save(path)``, like werkzeug's FileStorage) and queue its job."""
        job_id = uuid.uuid4().hex
        folder = self.workdir / job_id
        folder.mkdir()
        job = Job(job_id, batch, names.display_name(name), folder)
        data.save(str(job.source))
        with self._ready:
            self.jobs[job_id] = job
            self.batches[batch].append(job_id)
            self._queues.setdefault(batch, collections.deque()).append(job)
            self._ready.notify()
        return job

    def batch_jobs(self, batch: str) -> list[Job]:
        with self._ready:
            return [self.jobs[j] for j in self.batches.get(batch, [])]

    def _next(self) -> Job | None:
        """The next job, taking turns between batches (round robin); None once closed."""
        with self._ready:
            while not self._queues and not self._closed:
                self._ready.wait()
            if self._closed:
                return None
            batch, queue = next(iter(self._queues.items()))
            job = queue.popleft()
            del self._queues[batch]
            if queue:
                self._queues[batch] = queue  # to the back of the line
            job.status = "running"
            return job

    def _work(self) -> None:
        while (job := self._next()) is not None:
            try:
                run(job)
                job.status = "done"
            except vnconv.DocumentError as exc:
                job.error, job.status = str(exc), "failed"
            except Exception as exc:  # noqa: BLE001 - one broken file must not stop the worker
                job.error, job.status = f"{job.name}: {type(exc).__name__}: {exc}", "failed"

    def close(self) -> None:
        """Stop the workers (a running conversion finishes first)."""
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        for thread in self._threads:
            thread.join(timeout=10)
