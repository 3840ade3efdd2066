"""vnconv._cache: compiled tables on disk, read back by later processes, never trusted blindly, never in the way.

Each test has its own cache folder (``VNCONV_CACHE_DIR``). The tables read from the cache are compared with
tables built with the cache off, in fresh processes (the in-process caches would hide a difference).
"""

from __future__ import annotations

import json
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

from vnconv import _cache

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("VNCONV_CACHE_DIR", str(where))
    return where


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value

    return calls, build


VALUE = {"a": (1.5, "b"), ("x", "y"): frozenset({"c", "d"}), "e": [None, 2]}


def test_built_once_then_read(folder: Path) -> None:
    calls, build = _counting(VALUE)
    assert _cache.cached("demo", build) == VALUE
    assert _cache.cached("demo", build) == VALUE
    assert calls == [1]
    (entry,) = folder.glob("demo-*.marshal")
    assert not list(folder.glob(".*.tmp"))  # the temporary file was renamed into place
    key, name, value = marshal.loads(entry.read_bytes())
    assert name == "demo" and value == VALUE and key == _cache._key()


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00garbage", marshal.dumps(("k", "demo", VALUE))[:-3], marshal.dumps(["not", "a", "tuple"]),
     marshal.dumps(("another key", "demo", "stale")), marshal.dumps((None, "other", VALUE))],
    ids=["empty", "garbage", "cut", "list", "other-key", "other-name"],
)
def test_a_bad_entry_is_built_again_and_replaced(folder: Path, content: bytes) -> None:
    calls, build = _counting(VALUE)
    _cache.cached("demo", build)
    (entry,) = folder.glob("demo-*.marshal")
    entry.write_bytes(content)
    assert _cache.cached("demo", build) == VALUE
    assert calls == [1, 1]
    assert marshal.loads(entry.read_bytes())[2] == VALUE  # replaced by a good entry
    assert _cache.cached("demo", build) == VALUE and calls == [1, 1]


def test_an_unwritable_folder_only_costs_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VNCONV_CACHE_DIR", str(blocker / "cache"))  # below a file: cannot be made
    calls, build = _counting(VALUE)
    assert _cache.cached("demo", build) == VALUE
    assert _cache.cached("demo", build) == VALUE
    assert calls == [1, 1]


def test_a_value_marshal_cannot_hold_is_returned_and_not_written(folder: Path) -> None:
    value = {"f": object()}
    assert _cache.cached("odd", lambda: value) is value
    assert not list(folder.glob("odd-*")) and not list(folder.glob(".odd-*"))


@pytest.mark.parametrize("off", ["off", "OFF", "0", "", "no"])
def test_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, off: str) -> None:
    monkeypatch.setenv("VNCONV_CACHE_DIR", off)
    monkeypatch.chdir(tmp_path)
    assert _cache.folder() is None
    calls, build = _counting(VALUE)
    _cache.cached("demo", build), _cache.cached("demo", build)
    assert calls == [1, 1] and not list(tmp_path.iterdir())


def test_a_changed_source_file_changes_the_key_and_old_entries_go(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls, build = _counting(VALUE)
    _cache.cached("demo", build)
    first = _cache._key()
    monkeypatch.setattr(_cache, "_key", lambda: first + "\nlanguage/syllable.py:1:2")  # a file changed
    _cache.cached("demo", build)
    assert calls == [1, 1]
    (entry,) = folder.glob("demo-*.marshal")  # the entry of the old key was removed
    assert marshal.loads(entry.read_bytes())[0] == first + "\nlanguage/syllable.py:1:2"


def test_key_names_every_module_and_table_with_size_and_time() -> None:
    lines = _cache._key().split("\n")
    assert lines[1] == sys.version
    names = {line.rsplit(":", 2)[0] for line in lines[3:]}
    assert {"language/syllable.py", "repair/readings.py", "_cache.py", "vi_syllable_freq.tsv", "tcvn3.tsv"} <= names
    assert not any("__pycache__" in n for n in names)


def test_default_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VNCONV_CACHE_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert _cache.folder() == tmp_path / "Local" / "vnconv" / "Cache"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert _cache.folder() == Path.home() / "Library" / "Caches" / "vnconv"
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.folder() == tmp_path / "xdg" / "vnconv"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the XDG spec says
    assert _cache.folder() == Path.home() / ".cache" / "vnconv"


_TABLES = r"""
import json, sys
import vnconv
from vnconv.language import lexicon, syllable
from vnconv.repair import fast, readings
syllable.all_syllables()
out = {
    "set": sorted(syllable._SET), "cased": sorted(syllable._CASED), "restyle": sorted(syllable._RESTYLE.items()),
    "place": sorted(["|".join(k), v] for k, v in syllable._PLACE.items()), "uhorn": sorted(syllable._UHORN.items()),
    "parse": str(syllable.parse("Người")), "freq": sorted(lexicon._freq().items()),
    "pairs": sorted(["|".join(k), v] for k, v in lexicon._pairs().items()), "quiet": sorted(fast.known_quiet()),
    "lost": {l: sorted(readings._lost_map(l).items()) for l in "ưễ"},
    "repair": vnconv.repair(sys.argv[1]),
}
print(json.dumps(out, ensure_ascii=False))
"""

MIXED = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\nTi\u00eau chu\u1ea9n Vi\u1ec7t Nam\nChöông 5. Caùc teäp\nD¬ng nh sau"


def _holds_a_set(value: object) -> bool:
    if isinstance(value, (set, frozenset)):
        return True
    if isinstance(value, dict):
        return any(map(_holds_a_set, value.values()))
    return isinstance(value, (tuple, list)) and any(map(_holds_a_set, value))


def _tables(cache: str) -> dict[str, object]:
    env = {"PYTHONPATH": str(SRC), "PATH": "", "VNCONV_CACHE_DIR": cache}
    out = subprocess.run([sys.executable, "-c", _TABLES, MIXED], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_tables_read_from_the_cache_are_the_tables_built(tmp_path: Path) -> None:
    built = _tables("off")
    first = _tables(str(tmp_path / "c"))  # builds and writes
    names = sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "c").glob("*.marshal"))
    assert names == ["freq", "known-quiet", "lost-01b0", "lost-1ec5", "pairs", "syllables"]
    again = _tables(str(tmp_path / "c"))  # reads
    assert built == first == again
    for entry in (tmp_path / "c").glob("*.marshal"):
        # No set in an entry: marshal sorts a set's elements to write it (writing the syllables took 0.2 s).
        assert not _holds_a_set(marshal.loads(entry.read_bytes())[2]), entry.name
    assert "Cộng hoà xã hội" in built["repair"] and "Chương 5. Các tệp" in built["repair"]


def test_processes_starting_together_on_an_empty_cache(tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(SRC), "PATH": "", "VNCONV_CACHE_DIR": str(tmp_path / "c")}
    procs = [subprocess.Popen([sys.executable, "-c", _TABLES, MIXED], stdout=subprocess.PIPE, env=env, text=True)
             for _ in range(4)]
    outs = [p.communicate()[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outs)) == 1
    assert not [p for p in (tmp_path / "c").iterdir() if p.suffix == ".tmp"]
    assert len(list((tmp_path / "c").glob("*.marshal"))) == 6
