"""The Flask application: the page, and a small JSON API over :class:`vnconv.web.work.Store`.

``POST /api/batches`` (multipart ``files``) stores the uploads and queues one job each;
``GET /api/batches/<id>`` is the progress of a batch, ``GET /api/jobs/<id>`` one job's status and preview;
``GET /api/jobs/<id>/download`` and ``GET /api/batches/<id>/zip`` give the results; ``POST /api/text``
repairs pasted text. Only requests whose Host is this machine's loopback are answered (DNS rebinding), and
a request from another site's page (its Origin) is refused.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, request, send_file

from . import names, preview
from .work import Store, supported_suffixes

__all__ = ["create_app", "LOOPBACK_HOSTS"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
STATIC = Path(__file__).with_name("static")
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def _guard() -> Response | None:
    """Refuse a Host that is not loopback, and an Origin that is not this page's own."""
    host = request.host or ""
    if _host_name(host).lower() not in LOOPBACK_HOSTS:
        return _error(403, f"refused: Host {host!r} is not this computer (vnconv web answers 127.0.0.1 only)")
    origin = request.headers.get("Origin")
    if origin is not None and origin.split("://", 1)[-1] != host:  # "null" too: a sandboxed frame
        return _error(403, f"refused: a request from another site ({origin})")
    return None


def _error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _api(app: Flask, store: Store, limit: int) -> None:
    @app.post("/api/batches")
    def upload() -> Any:
        files = request.files.getlist("files")
        if not files:
            return _error(400, "no files in the upload (field 'files')")
        batch = store.new_batch()
        jobs = [store.add(batch, f.filename or "file.txt", f).public() for f in files]
        return jsonify({"batch": batch, "jobs": jobs}), 202

    @app.get("/api/batches/<batch>")
    def batch_status(batch: str) -> Any:
        jobs = store.batch_jobs(batch) if batch in store.batches else abort(404)
        done = sum(j.status in ("done", "failed") for j in jobs)
        return jsonify({"batch": batch, "total": len(jobs), "finished": done,
                        "jobs": [{"id": j.id, "name": j.name, "status": j.status} for j in jobs]})

    @app.get("/api/jobs/<job_id>")
    def job_status(job_id: str) -> Any:
        job = store.jobs.get(job_id) or abort(404)
        return jsonify(job.public())

    @app.get("/api/jobs/<job_id>/download")
    def download(job_id: str) -> Any:
        job = store.jobs.get(job_id) or abort(404)
        if job.status != "done" or job.output is None:
            return _error(409, f"{job.name} is not converted ({job.status})")
        return send_file(job.output, as_attachment=True, download_name=job.output_name.rsplit("/", 1)[-1])

    @app.get("/api/batches/<batch>/zip")
    def download_zip(batch: str) -> Any:
        jobs = [j for j in store.batch_jobs(batch) if j.status == "done" and j.output is not None]
        if batch not in store.batches or not jobs:
            return _error(404, "nothing converted in this batch yet")
        path = store.workdir / f"{uuid.uuid4().hex}.zip"  # on disk, not in memory: a batch may be large
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for job, member in zip(jobs, names.unique_names([str(j.output_name) for j in jobs])):
                archive.write(job.output, member)
        return send_file(path, mimetype="application/zip", as_attachment=True, download_name="vnconv.zip")

    @app.post("/api/text")
    def text() -> Any:
        body = request.get_json(silent=True) or {}
        value = body.get("text")
        if not isinstance(value, str):
            return _error(400, "send JSON {\"text\": \"...\"}")
        return jsonify(preview.text_preview(value))

    @app.get("/api/info")
    def info() -> Any:
        return jsonify({"suffixes": supported_suffixes(), "limit": limit})


def create_app(store: Store, limit: int = 200 * 1024 * 1024) -> Flask:
    """The app over ``store``; an upload over ``limit`` bytes is refused with a clear message (413)."""
    app = Flask("vnconv.web", static_folder=str(STATIC), static_url_path="/static")
    app.config["MAX_CONTENT_LENGTH"] = limit
    app.before_request(_guard)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(_HEADERS)
        return response

    @app.errorhandler(413)
    def too_large(_: Any) -> Response:
        megabytes = limit / (1024 * 1024)
        return _error(413, f"the upload is larger than the limit of {megabytes:g} MB "
                      "(start vnconv web --limit MB to change it)")

    @app.errorhandler(404)
    def not_found(_: Any) -> Response:
        return _error(404, "not found")

    @app.get("/")
    def page() -> Any:
        return send_file(STATIC / "index.html", mimetype="text/html")

    _api(app, store, limit)
    return app
