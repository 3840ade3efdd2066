"""Checks for the six minor charset tables (vps, bkhcm1, bkhcm2, vietware-f, vietware-x, vni-mac).

Self-contained on purpose: the project's loader (src/vnconv/tables.py) is written separately, so this
file carries its own small parser for the format in tables/README.md.

What is checked:
  * every file parses, has the required metadata, and its rows are well formed;
  * no byte sequence has two rows, no character has two '=' rows, every '<' row has a canonical row;
  * every multi-byte row equals NFC of the decodings of its bytes;
  * the coverage of the 134 Vietnamese letters is what docs/charsets.md says;
  * VPS agrees with GNU recode on every byte and every letter, except the documented differences
    (skipped when recode is not installed); VNI Mac letters agree with recode's VNI moved to Mac OS Roman;
  * every table agrees with UniKey's reference output (/work/shared/reference) except the documented
    differences (skipped when the reference is absent), and every differing row says so in its note.

The documented differences live in the ```minor-charsets-checks``` block of docs/charsets.md; the
comparisons below require equality with that block in both directions, so an undocumented difference
and a stale entry both fail.
"""
import os
import re
import shutil
import subprocess
import unicodedata as ud
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "tables"
NOTES = ROOT / "docs" / "charsets.md"
REFERENCE = Path(os.environ.get("VNCONV_REFERENCE", "/work/shared/reference"))

CHARSETS = ["vps", "bkhcm1", "bkhcm2", "vietware-f", "vietware-x", "vni-mac"]
UNIKEY_NAME = {"vps": "VPS", "bkhcm1": "BKHCM1", "bkhcm2": "BKHCM2", "vietware-f": "VIETWARE-F",
               "vietware-x": "VIETWARE-X", "vni-mac": "VNI-MAC"}
KNOWN_KEYS = {"charset", "title", "aliases", "kind", "source", "verified", "note"}
REQUIRED_KEYS = {"charset", "title", "aliases", "kind", "source", "verified"}
KINDS = {"single", "combining", "viqr"}

_LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
LETTERS = list(_LOWER) + [c.upper() for c in _LOWER]
assert len(LETTERS) == 134 and len(set(LETTERS)) == 134

KEY_RE = re.compile(r"^#\s*([A-Za-z][\w-]*)\s*:\s*(.*)$")
CP_RE = re.compile(r"^U\+([0-9A-F]{4,6})$")
BYTE_RE = re.compile(r"^[0-9A-F]{2}$")


# ---------------------------------------------------------------------------------------------- parsing
class Row:
    __slots__ = ("data", "text", "flag", "note", "line")

    def __init__(self, data, text, flag, note, line):
        self.data, self.text, self.flag, self.note, self.line = data, text, flag, note, line


def parse_table(text):
    """Return (meta, rows, errors) for the text of one table file."""
    meta, rows, errors = {}, [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            m = KEY_RE.match(line)
            if m:
                key, value = m.group(1), m.group(2).strip()
                if key not in KNOWN_KEYS:
                    errors.append(f"line {n}: unknown metadata key {key!r}")
                elif key in meta:
                    errors.append(f"line {n}: metadata key {key!r} repeated")
                else:
                    meta[key] = value
            continue
        cols = line.split("\t")
        if len(cols) != 4:
            errors.append(f"line {n}: expected 4 tab-separated columns, got {len(cols)}")
            continue
        hexes, cps, flag, note = cols
        byts = hexes.split(" ")
        if not byts or not all(BYTE_RE.match(b) for b in byts):
            errors.append(f"line {n}: bad bytes column {hexes!r}")
            continue
        points = cps.split(" ")
        if not all(CP_RE.match(p) for p in points):
            errors.append(f"line {n}: bad code point column {cps!r}")
            continue
        if flag not in ("=", "<", ">"):
            errors.append(f"line {n}: bad flag {flag!r}")
            continue
        rows.append(Row(bytes(int(b, 16) for b in byts), "".join(chr(int(p[2:], 16)) for p in points),
                        flag, note, n))
    return meta, rows, errors


def is_marks(s):
    return bool(s) and all(ud.combining(c) for c in s)


def table_problems(name, meta, rows):
    """Everything wrong with a parsed table; an empty list means the table is valid."""
    probs = []
    for key in REQUIRED_KEYS:
        if not meta.get(key):
            probs.append(f"missing metadata {key!r}")
    if meta.get("charset") != name:
        probs.append(f"charset {meta.get('charset')!r} does not match file name {name!r}")
    kind = meta.get("kind")
    if kind not in KINDS:
        probs.append(f"bad kind {kind!r}")
    for alias in meta.get("aliases", "").split():
        if alias != alias.lower():
            probs.append(f"alias {alias!r} is not lowercase")
    by_bytes, canonical = {}, {}
    for r in rows:
        if r.data in by_bytes:
            probs.append(f"line {r.line}: bytes {r.data.hex(' ').upper()} already on line {by_bytes[r.data].line}")
        by_bytes[r.data] = r
        if r.flag == "=":
            if r.text in canonical:
                probs.append(f"line {r.line}: {r.text!r} has a second '=' row (first on line {canonical[r.text].line})")
            canonical[r.text] = r
        if kind == "single" and (len(r.data) != 1 or is_marks(r.text)):
            probs.append(f"line {r.line}: a single-byte charset can only have one-byte, non-mark rows")
    for r in rows:
        if len(r.data) > 1:
            parts = [by_bytes.get(bytes([b])) for b in r.data]
            if None in parts:
                probs.append(f"line {r.line}: a byte of {r.data.hex(' ').upper()} has no row of its own")
                continue
            got = ud.normalize("NFC", "".join(p.text for p in parts))
            if got != r.text:
                probs.append(f"line {r.line}: NFC of the byte decodings is {got!r}, row says {r.text!r}")
        if r.flag == "<":
            # the text must still be encodable: by a row of its own, or character by character
            # (a two-mark byte such as circumflex + acute is written as the two single-mark bytes)
            enc = set(canonical) | {o.text for o in rows if o.flag == ">"}
            if r.text not in enc and not all(c in enc for c in r.text):
                probs.append(f"line {r.line}: decode-only row for {r.text!r} but no canonical row")
        if r.flag == "=" and len(r.data) > 1 and r.text not in LETTERS:
            probs.append(f"line {r.line}: multi-byte '=' row that is not a Vietnamese letter")
    return probs


class Table:
    def __init__(self, name, text):
        self.name = name
        self.meta, self.rows, self.errors = parse_table(text)
        self.by_bytes = {r.data: r for r in self.rows}
        self.encode = {}
        for r in self.rows:
            if r.flag == "=":
                self.encode[r.text] = r.data
        for r in self.rows:
            if r.flag == ">":
                self.encode.setdefault(r.text, r.data)

    def decode(self, data):
        """Decode a byte string the way the format defines it: per byte, then NFC. None if undefined."""
        parts = []
        for b in data:
            r = self.by_bytes.get(bytes([b]))
            if r is None:
                return None
            parts.append(r.text)
        return ud.normalize("NFC", "".join(parts))


_cache = {}


def load(name):
    if name not in _cache:
        _cache[name] = Table(name, (TABLES / f"{name}.tsv").read_text(encoding="utf-8"))
    return _cache[name]


# ------------------------------------------------------------------------------ documented differences
def documented():
    """Parse the minor-charsets-checks block of docs/charsets.md into {(what, charset): set of items}."""
    text = NOTES.read_text(encoding="utf-8")
    m = re.search(r"```minor-charsets-checks\n(.*?)```", text, re.S)
    assert m, "docs/charsets.md has no ```minor-charsets-checks block"
    out = {}
    for line in m.group(1).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, _, items = line.partition(":")
        what, charset = head.split()
        key = (what, charset)
        assert key not in out, f"duplicate line for {key}"
        out[key] = items.split()
    return out


def doc(what, name):
    return documented().get((what, name), [])


def coverage(t):
    single = sorted((c for c in LETTERS if c in t.encode and t.by_bytes[t.encode[c]].flag == "=" and len(t.encode[c]) == 1),
                    key=LETTERS.index)
    seq = sorted((c for c in LETTERS if c in t.encode and t.by_bytes[t.encode[c]].flag == "=" and len(t.encode[c]) > 1),
                 key=LETTERS.index)
    missing = [c for c in LETTERS if c not in single and c not in seq]
    return single, seq, missing


# --------------------------------------------------------------------------------------------- structure
@pytest.mark.parametrize("name", CHARSETS)
def test_table_parses_and_is_consistent(name):
    t = load(name)
    assert not t.errors, t.errors
    assert t.rows, "no rows"
    assert table_problems(name, t.meta, t.rows) == []


@pytest.mark.parametrize("name", CHARSETS)
def test_ascii_is_identity_where_kept(name):
    t = load(name)
    changed = [f"{b:02X}" for b in range(0x20, 0x7F)
               if bytes([b]) in t.by_bytes and t.by_bytes[bytes([b])].text != chr(b)]
    # only BK HCM 1 reuses printable ASCII slots (for Ỳ Ỷ Ý Ỹ Đ Ấ)
    assert changed == (["5E", "60", "7B", "7C", "7D", "7E"] if name == "bkhcm1" else [])
    assert all(bytes([b]) in t.by_bytes for b in range(0x20, 0x7F))


@pytest.mark.parametrize("name", CHARSETS)
def test_every_letter_row_round_trips(name):
    t = load(name)
    for c, data in t.encode.items():
        assert t.decode(data) == c, (c, data.hex(" "))


@pytest.mark.parametrize("name", CHARSETS)
def test_coverage_matches_notes(name):
    t = load(name)
    single, seq, missing = coverage(t)
    want = dict(item.split("=", 1) for item in doc("coverage", name))
    assert int(want["total"]) == len(single) + len(seq)
    assert int(want["single"]) == len(single)
    assert int(want["sequence"]) == len(seq)
    assert want["missing"].replace("-", "") == "".join(missing)


def test_validator_catches_broken_tables():
    """The checks above must be able to fail: feed the validator a table with one of each mistake."""
    broken = "\n".join([
        "# charset: broken",
        "# title: broken",
        "# aliases: Broken",
        "# kind: combining",
        "# source: test",
        "# verified: test",
        "# colour: blue",
        "41\tU+0041\t=\tA",
        "41\tU+0041\t=\tsame bytes twice",
        "42\tU+0041\t=\tsecond = row for A",
        "E1\tU+0301\t=\tacute",
        "41 E1\tU+00C0\t=\twrong: NFC is Á",
        "61 F9\tU+00E1\t=\tF9 has no row",
        "C1\tU+0301\t<\tfine",
        "C2\tU+0302\t<\tno canonical row",
        "43\tU+0043\t?\tbad flag",
        "44\tU+44\t=\tbad code point",
    ])
    meta, rows, errors = parse_table(broken)
    assert any("unknown metadata key 'colour'" in e for e in errors)
    assert any("bad flag" in e for e in errors)
    assert any("bad code point" in e for e in errors)
    probs = "\n".join(table_problems("broken", meta, rows))
    for needle in ("already on line", "second '=' row", "NFC of the byte decodings",
                   "has no row of its own", "no canonical row", "not lowercase"):
        assert needle in probs, needle
    assert "line 14" not in probs  # the good '<' row is accepted


# ------------------------------------------------------------------------------------------------ recode
def _recode(request, data):
    p = subprocess.run(["recode", request], input=data, capture_output=True, timeout=30)
    return p.stdout if p.returncode == 0 else None


needs_recode = pytest.mark.skipif(shutil.which("recode") is None, reason="GNU recode is not installed")


@needs_recode
def test_vps_bytes_agree_with_recode():
    t = load("vps")
    diffs = []
    for b in range(256):
        out = _recode("VPS..UTF-8", bytes([b]))
        theirs = out.decode("utf-8") if out is not None else None
        ours = t.decode(bytes([b]))
        if theirs != ours:
            diffs.append(f"{b:02X}")
            assert "recode" in t.by_bytes[bytes([b])].note, f"row {b:02X} differs from recode but its note does not say so"
    assert diffs == doc("recode-decode", "vps")


@needs_recode
def test_vps_letters_agree_with_recode():
    t = load("vps")
    diffs = []
    for c in LETTERS:
        theirs = _recode("UTF-8..VPS", c.encode("utf-8"))
        if theirs != t.encode.get(c):
            diffs.append(c)
    assert diffs == doc("recode-encode", "vps")


@needs_recode
def test_vni_mac_letters_agree_with_recode_vni_moved_to_mac_roman():
    """recode has no VNI Mac; VNI Mac is VNI-Windows with each byte at the Mac OS Roman position of the same
    Windows-1252 character, so recode's VNI encoding, moved that way, must give our VNI Mac encoding."""
    t = load("vni-mac")
    diffs = []
    for c in LETTERS:
        vni = _recode("UTF-8..VNI", c.encode("utf-8"))
        mac = bytes(x if x < 0x80 else bytes([x]).decode("cp1252").encode("mac_roman")[0] for x in vni) if vni else None
        if mac != t.encode.get(c):
            diffs.append(c)
    assert diffs == doc("recode-vni-encode", "vni-mac")


# ------------------------------------------------------------------------------------------------ UniKey
needs_reference = pytest.mark.skipif(not (REFERENCE / "unikey_std_index.tsv").exists(),
                                     reason=f"UniKey reference files not found in {REFERENCE}")


def unikey_decodings(name):
    out = {}
    for line in (REFERENCE / f"{UNIKEY_NAME[name]}.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        hexes, _char, cps = line.split("\t")
        data = bytes.fromhex(hexes)
        out[data] = None if cps == "DROPPED" else "".join(chr(int(p[2:], 16)) for p in cps.split())
    return out


def unikey_encodings(name):
    lines = (REFERENCE / "unikey_std_index.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    col = head.index(UNIKEY_NAME[name])
    out = {}
    for line in lines[1:]:
        cells = line.split("\t")
        char, code = cells[2], cells[col]
        out[char] = None if code == "00" else bytes.fromhex(code)
    return out


@needs_reference
@pytest.mark.parametrize("name", CHARSETS)
def test_decoding_agrees_with_unikey(name):
    t = load(name)
    diffs = []
    for data, theirs in unikey_decodings(name).items():
        ours = t.decode(data)
        if theirs is None:  # UniKey outputs nothing for a lone mark byte
            same = ours is not None and is_marks(ours)
        else:
            same = ours == theirs
        if not same:
            diffs.append(data.hex(" ").upper().replace(" ", "+"))
            if data in t.by_bytes:
                assert "UniKey" in t.by_bytes[data].note, f"{data.hex(' ')} differs from UniKey but the row note does not say so"
    assert diffs == doc("unikey-decode", name)


@needs_reference
@pytest.mark.parametrize("name", CHARSETS)
def test_encoding_agrees_with_unikey(name):
    t = load(name)
    diffs = []
    for char, theirs in unikey_encodings(name).items():
        if t.encode.get(char) != theirs:
            diffs.append(char)
    assert diffs == doc("unikey-encode", name)


@needs_reference
def test_documented_unikey_bugs_are_real():
    """Sanity check on the reference itself: the UniKey bugs described in docs/charsets.md are present."""
    enc = {n: unikey_encodings(n) for n in ("vps", "bkhcm1", "bkhcm2", "vni-mac")}
    dec = {n: unikey_decodings(n) for n in ("vps", "bkhcm1", "vni-mac")}
    assert enc["vps"]["Ằ"] == enc["vps"]["Ž"] == b"\x8e" and dec["vps"][b"\x8e"] == "Ž"
    assert enc["vps"]["Ờ"] == enc["vps"]["ž"] == b"\x9e" and dec["vps"][b"\x9e"] == "ž"
    assert enc["vps"]["Ạ"] == enc["vps"]["ạ"] == b"\xe5"
    assert enc["bkhcm1"]["Á"] == enc["bkhcm1"]["€"] == b"\x80" and dec["bkhcm1"][b"\x80"] == "€"
    assert enc["bkhcm1"]["Ị"] == enc["bkhcm1"]["Ỵ"] == enc["bkhcm1"]["Ž"] == b"\x8e"
    assert enc["bkhcm1"]["Ặ"] == enc["bkhcm1"]["Ụ"] == b"\x98" and dec["bkhcm1"][b"\x9e"] == "ž"
    assert enc["bkhcm2"]["Ệ"] == b"\xcf\xe5" and enc["bkhcm2"]["Ậ"] == b"\xca\xc5"
    assert enc["vni-mac"]["Š"] == enc["vni-mac"]["ž"] == b"?" and dec["vni-mac"][b"?"] == "Š"
