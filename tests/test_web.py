"""vnconv web (issue 13): the server's API through Flask's test client, its safety rules and its pool."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import REAL, SAMPLES, need_shared

pytest.importorskip("flask", reason="vnconv web needs the web extra: pip install 'vnconv[web]'")

from test_pipelines import make_docx  # noqa: E402

import vnconv  # noqa: E402
from vnconv import cli  # noqa: E402
from vnconv.web import make_server, names, work  # noqa: E402

PLAN = SAMPLES / "ke-hoach-60-nam.txt"
WORDS = ["Hải Dương, ngày 12 tháng 5 năm 2023", "Trường học Phường Nguyễn Trãi"]
TCVN3 = vnconv.encode(WORDS[0], "tcvn3")


@pytest.fixture
def server(tmp_path: Path) -> Any:
    (tmp_path / "work").mkdir()
    srv = make_server(tmp_path / "work", limit_mb=1)
    yield srv
    srv.store.close()
    srv.server_close()


@pytest.fixture
def client(server: Any) -> Any:
    return server.app.test_client()


def upload(client: Any, files: list[tuple[bytes, str]], **kw: Any) -> Any:
    data = {"files": [(io.BytesIO(content), name) for content, name in files]}
    return client.post("/api/batches", data=data, content_type="multipart/form-data", **kw)


def finish(client: Any, batch: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/api/batches/{batch}").get_json()
        if state["finished"] == state["total"]:
            return {j["id"]: client.get(f"/api/jobs/{j['id']}").get_json() for j in state["jobs"]}
        time.sleep(0.05)
    raise AssertionError(f"batch {batch} not finished after {timeout} s")


def after_text(job: dict[str, Any]) -> str:
    return "\n".join("".join(s["text"] for s in row["after"]) for row in job["rows"])


def test_sample_plan_and_docx_preview_restore_duong(client: Any, tmp_path: Path) -> None:
    plan = need_shared(PLAN).read_bytes()
    docx = make_docx(tmp_path / "plan.docx", WORDS).read_bytes()
    reply = upload(client, [(plan, "ke-hoach-60-nam.txt"), (docx, "plan.docx")])
    assert reply.status_code == 202
    jobs = finish(client, reply.get_json()["batch"])
    by_name = {j["name"]: j for j in jobs.values()}
    text, document = by_name["ke-hoach-60-nam.txt"], by_name["plan.docx"]
    assert text["status"] == document["status"] == "done"
    assert "Dương" in after_text(text) and "Dương" in after_text(document)
    assert text["charsets"] == {"tcvn3": text["charsets"]["tcvn3"]}
    assert document["fonts"].keys() == {".VnTime"} and document["renamed_fonts"] == {".VnTime": "Times New Roman"}
    for job, why in ((document, "TCVN3 font text"), (text, "'ư' restored")):  # the .docx keeps its soft hyphens
        duong = [s for row in job["rows"] for s in row["after"] if s["text"].startswith("Dương")]
        assert duong and all(s["changed"] and why in s["reason"] for s in duong), (job["name"], duong[:1])
    out = client.get(f"/api/jobs/{document['id']}/download")
    assert out.status_code == 200 and "plan.docx" in out.headers["Content-Disposition"]
    converted = tmp_path / "out.docx"
    converted.write_bytes(out.data)
    assert "Hải Dương" in vnconv.read_text(converted)


def test_pasted_text_is_repaired_with_reasons(client: Any) -> None:
    stored = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\nkeep this"
    body = client.post("/api/text", json={"text": stored}).get_json()
    assert body["text"] == "Cộng hoà xã hội chủ nghĩa Việt Nam\nkeep this" and body["changed"] == 1
    assert body["charsets"].keys() == {"tcvn3"}
    row = body["rows"][0]
    assert "".join(s["text"] for s in row["before"]) == stored.splitlines()[0]
    assert all("TCVN3" in s["reason"] for s in row["after"] if s["changed"])
    assert client.post("/api/text", json={"nope": 1}).status_code == 400


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "10.0.0.1"])
def test_other_host_headers_are_refused(client: Any, host: str) -> None:
    reply = client.get("/", headers={"Host": host})
    assert reply.status_code == 403 and "not this computer" in reply.get_json()["error"]
    assert upload(client, [(b"x", "a.txt")], headers={"Host": host}).status_code == 403


def test_loopback_hosts_and_own_origin_are_served(client: Any) -> None:
    for host in ("127.0.0.1:8765", "localhost", "[::1]:8765"):
        page = client.get("/", headers={"Host": host})
        assert page.status_code == 200 and b'type="file" multiple' in page.data
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert client.get("/api/info", headers={"Host": "127.0.0.1:9", "Origin": "http://127.0.0.1:9"}).status_code == 200
    for origin in ("https://evil.example", "null", "http://127.0.0.1:1"):
        refused = upload(client, [(b"x", "a.txt")], headers={"Origin": origin})
        assert refused.status_code == 403 and "another site" in refused.get_json()["error"]


def test_traversal_names_are_stored_by_id_and_zipped_safely(client: Any, server: Any, tmp_path: Path) -> None:
    payload = TCVN3
    reply = upload(client, [(payload, "../../x.txt"), (payload, "/etc/x.txt"), (payload, "../a/./x.txt"),
                            (payload, "sub/../../y.txt")])
    jobs = finish(client, reply.get_json()["batch"])
    assert sorted(j["name"] for j in jobs.values()) == ["a/x.txt", "etc/x.txt", "sub/y.txt", "x.txt"]
    workdir = server.store.workdir
    assert not (tmp_path / "x.txt").exists() and not (workdir.parent / "x.txt").exists()
    stored = sorted(p.relative_to(workdir).as_posix().split("/", 1)[1] for p in workdir.rglob("*") if p.is_file())
    assert stored == ["input.txt"] * 4 + ["output.txt"] * 4
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/batches/{reply.get_json()['batch']}/zip").data))
    members = archive.namelist()
    assert sorted(members) == ["a/x.txt", "etc/x.txt", "sub/y.txt", "x.txt"]
    assert all(not m.startswith("/") and ".." not in m.split("/") for m in members)
    assert archive.read("x.txt").decode("utf-8") == WORDS[0]


def test_duplicate_names_are_made_unique_in_the_zip(client: Any) -> None:
    reply = upload(client, [(b"one", "a.txt"), (b"two", "A.txt"), (b"three", "a.txt")])
    finish(client, reply.get_json()["batch"])
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/batches/{reply.get_json()['batch']}/zip").data))
    assert archive.namelist() == ["a.txt", "A (2).txt", "a (3).txt"]
    assert [archive.read(n) for n in archive.namelist()] == [b"one", b"two", b"three"]


def test_too_large_upload_is_refused_with_a_clear_message(client: Any, server: Any) -> None:
    reply = upload(client, [(b"a" * (1024 * 1024 + 10), "big.txt")])
    assert reply.status_code == 413
    assert "larger than the limit of 1 MB" in reply.get_json()["error"]
    assert not any(server.store.workdir.iterdir())


def test_corrupt_docx_fails_naming_the_file_while_the_others_convert(client: Any, tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", WORDS).read_bytes()
    reply = upload(client, [(b"PK\x03\x04 not really a zip", "hỏng.docx"), (good, "good.docx"),
                            (TCVN3, "note.txt"), (b"\x89PNG", "photo.png")])
    jobs = {j["name"]: j for j in finish(client, reply.get_json()["batch"]).values()}
    assert jobs["hỏng.docx"]["status"] == "failed"
    assert jobs["hỏng.docx"]["error"].startswith("hỏng.docx: ") and "zip" in jobs["hỏng.docx"]["error"]
    assert jobs["photo.png"]["status"] == "failed" and "not supported" in jobs["photo.png"]["error"]
    assert jobs["good.docx"]["status"] == jobs["note.txt"]["status"] == "done"
    assert client.get(f"/api/jobs/{jobs['hỏng.docx']['id']}/download").status_code == 409
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/batches/{reply.get_json()['batch']}/zip").data))
    assert sorted(archive.namelist()) == ["good.docx", "note.txt"]


def test_doc_through_libreoffice_comes_back_as_docx(client: Any, tmp_path: Path) -> None:
    from vnconv.documents import office

    if office.find_soffice() is None:
        pytest.skip("LibreOffice is not installed: .doc/.xls are not offered")
    assert ".doc" in client.get("/api/info").get_json()["suffixes"]
    doc = need_shared(REAL / "doc_vni_ngphloc_QLHS_BaoCao.doc")
    reply = upload(client, [(doc.read_bytes(), "báo cáo.doc")])
    (job,) = finish(client, reply.get_json()["batch"], timeout=300).values()
    assert job["status"] == "done", job["error"]
    assert job["download"] == "báo cáo.docx" and "vni" in job["charsets"] and job["rows"]
    out = tmp_path / "out.docx"
    out.write_bytes(client.get(f"/api/jobs/{job['id']}/download").data)
    assert vnconv.read_document(out).charset is None  # nothing legacy is left in what is downloaded


def test_unknown_ids_and_empty_uploads(client: Any) -> None:
    assert client.get("/api/jobs/nope").status_code == 404
    assert client.get("/api/batches/nope").status_code == 404
    assert client.get("/api/batches/nope/zip").status_code == 404
    assert client.post("/api/batches", data={}, content_type="multipart/form-data").status_code == 400


def test_pool_takes_turns_between_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch queued after a long one is not kept waiting behind all of it (one worker, round robin)."""
    order: list[str] = []
    gate = threading.Event()

    def fake_run(job: work.Job) -> None:
        gate.wait(10)
        order.append(job.name)

    monkeypatch.setattr(work, "run", fake_run)
    store = work.Store(tmp_path, workers=1)

    class Data:
        def save(self, path: str) -> None:
            Path(path).write_bytes(b"x")

    try:
        long, short = store.new_batch(), store.new_batch()
        for i in range(4):
            store.add(long, f"long{i}.txt", Data())
        store.add(short, "short.txt", Data())
        gate.set()
        deadline = time.monotonic() + 10
        while len(order) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        store.close()
    assert order.index("short.txt") <= 2, order
    assert all(j.status == "done" for j in store.jobs.values())


def test_names() -> None:
    assert names.display_name("../../x.txt") == "x.txt"
    assert names.display_name("..\\..\\Windows\\win.ini") == "Windows/win.ini"
    assert names.display_name("a/\x00b.txt") == "a/_b.txt"
    assert names.display_name("") == "file.txt" and names.display_name("../..") == "file.txt"
    assert names.stored_suffix("x.DOCX") == ".docx" and names.stored_suffix("x.t/../../etc") == ".txt"
    assert names.output_name("old/plan.doc", ".docx") == "old/plan.docx"
    assert names.unique_names(["a.txt", "a.txt", "b", "b"]) == ["a.txt", "a (2).txt", "b", "b (2)"]


def test_cli_web_runs_the_server_and_removes_its_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    import vnconv.web as web

    real = web.make_server

    def spy(workdir: Path, port: int = 0, limit_mb: float = 200, workers: int = 2) -> Any:
        srv = real(workdir, port, limit_mb, workers)
        seen.update(workdir=workdir, limit=srv.app.config["MAX_CONTENT_LENGTH"], host=srv.host)
        (workdir / "left.txt").write_text("x")
        threading.Timer(0.2, srv.shutdown).start()
        return srv

    monkeypatch.setattr(web, "make_server", spy)
    monkeypatch.setattr(web.webbrowser, "open", lambda url: seen.setdefault("opened", url))
    assert cli.main(["web", "--limit", "5"]) == 0
    assert seen["host"] == "127.0.0.1" and seen["limit"] == 5 * 1024 * 1024
    assert not seen["workdir"].exists()


def test_the_real_server_refuses_other_hosts(server: Any) -> None:
    import http.client

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for host, status in (("evil.example", 403), (f"127.0.0.1:{server.server_port}", 200)):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            conn.request("GET", "/api/info", headers={"Host": host})
            assert conn.getresponse().status == status
            conn.close()
    finally:
        server.shutdown()
    assert server.server_address[0] == "127.0.0.1"


def test_sigterm_stops_the_page_and_removes_its_folder(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    if not hasattr(signal, "SIGTERM") or os.name == "nt":
        pytest.skip("POSIX signals")
    code = ("import sys, tempfile; tempfile.tempdir = sys.argv[1]; from vnconv import cli; "
            "sys.exit(cli.main(['web', '--no-browser']))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line and [p.name[:11] for p in tmp_path.iterdir()] == ["vnconv-web-"]
        proc.terminate()
        assert proc.wait(timeout=20) == 0
    finally:
        proc.kill() if proc.poll() is None else None
    assert not any(tmp_path.iterdir())


def test_cli_web_without_flask_names_the_extra(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "flask", None)
    monkeypatch.delitem(sys.modules, "vnconv.web.app", raising=False)
    assert cli.main(["web", "--no-browser"]) == 2
    assert "pip install 'vnconv[web]'" in capsys.readouterr().err


def test_each_upload_is_converted_once(client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = work.convert_file

    def counting(src: Path, dst: Path, options: Any) -> Any:
        calls.append(Path(src).name)
        return real(src, dst, options)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the page read the file a second time")

    monkeypatch.setattr(work, "convert_file", counting)
    monkeypatch.setattr(vnconv, "read_document", refuse)
    docx_file = make_docx(tmp_path / "thu.docx", WORDS)
    batch = upload(client, [(TCVN3, "a.txt"), (docx_file.read_bytes(), "thu.docx")]).get_json()["batch"]
    jobs = finish(client, batch)
    assert sorted(calls) == ["input.docx", "input.txt"]
    assert {j["status"] for j in jobs.values()} == {"done"}
    assert all(j["changed"] and WORDS[0] in after_text(j) for j in jobs.values())
