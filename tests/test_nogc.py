"""The cyclic garbage collector is held back while the engine works (repair/nogc.py): off during a call, back
as the caller left it after, even when the call fails; and the engine makes no reference cycles, so holding
the collector back leaves no garbage behind."""

from __future__ import annotations

import gc

import pytest

import vnconv
from conftest import catalog_strings
from vnconv.charsets.fonttext import font_text
from vnconv.repair.repairer import Repairer


def _tcvn3(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        try:
            out.append(font_text(vnconv.encode(line, "tcvn3", "lowercase")).replace("\u00ad", ""))
        except UnicodeEncodeError:
            continue
    return out


def test_the_collector_is_off_during_a_call_and_back_after(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = Repairer._pass

    def spy(self: Repairer, text: str, hints: object) -> object:
        seen.append(gc.isenabled())
        return real(self, text, hints)  # type: ignore[arg-type]

    monkeypatch.setattr(Repairer, "_pass", spy)
    assert gc.isenabled()
    assert vnconv.repair("C\u00e9ng ho\u00b5 x\u00b7 h\u00e9i") == "Cộng hoà xã hội"
    vnconv.repair_runs(["C\u00e9ng ", "ho\u00b5"], ["tcvn3", "tcvn3"])
    vnconv.detect_spans("C\u00e9ng ho\u00b5")
    assert seen and not any(seen)
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_call_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: Repairer, text: str, hints: object) -> object:
        raise RuntimeError("stage failed")

    monkeypatch.setattr(Repairer, "_pass", boom)
    with pytest.raises(RuntimeError, match="stage failed"):
        vnconv.repair("C\u00e9ng ho\u00b5")
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        assert vnconv.repair("C\u00e9ng ho\u00b5 x\u00b7 h\u00e9i") == "Cộng hoà xã hội"
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_engine_leaves_no_reference_cycles() -> None:
    lines = list(catalog_strings()[:3000])
    if len(lines) < 3000:
        pytest.skip("no gettext catalogs")
    warm, fresh = lines[:1000], lines[1000:]
    vnconv.repair("\n".join(_tcvn3(warm)))  # tables and caches built once per process
    mixed = [line if i % 3 else cell for i, (line, cell) in enumerate(zip(fresh, _tcvn3(fresh)))]
    document = "\n".join(_tcvn3(fresh[:1000]))  # (encoding errors leave cycles of their own: not counted)
    gc.collect()
    gc.disable()
    try:
        vnconv.repair(document)
        vnconv.repair_many(mixed)
        vnconv.explain("\n".join(mixed[:300]))
        vnconv.repair_runs(["C\u00e9ng ", "ho\u00b5 ", "người"], ["tcvn3", "tcvn3", None])
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_threads_repairing_at_once_leave_the_collector_on() -> None:
    import threading

    lines = list(catalog_strings()[:800]) or ["Cộng hoà xã hội chủ nghĩa Việt Nam"] * 800
    docs = ["\n".join(_tcvn3(lines[i::4])) for i in range(4)]
    want = [vnconv.repair(d) for d in docs]
    got: list[str | None] = [None] * 4
    start = threading.Barrier(4)

    def work(i: int) -> None:
        start.wait()
        for _ in range(3):
            got[i] = vnconv.repair(docs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == want
    assert gc.isenabled()
