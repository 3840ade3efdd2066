"""Every charset table against independent converters, and the invariants of tables/*.tsv.

The references are measurements in ../shared/reference (see its README): what UniKey's converter and glibc
``iconv`` output for every byte and every sequence, and UniKey's code for each of its 213 characters; plus
live GNU ``recode``. Tests that need them skip with a message when they are absent.

Each comparison goes through the real codecs (``vnconv.decode`` / ``vnconv.encode``), collects every byte,
sequence or character where vnconv and the reference differ, and requires that collection to equal the
deliberate differences listed here. A new difference fails, and so does a listed one that has gone away.
docs/charsets.md explains each of them; this file is the machine-checked list.
"""

from __future__ import annotations

import codecs
import re
import subprocess
import unicodedata

import pytest

import vnconv
from conftest import REFERENCE, ROOT, need_shared, need_tool
from vnconv.charsets.codec import CombiningCodec, SingleByteCodec
from vnconv.charsets.registry import compile_codec
from vnconv.language.letters import LETTERS, LOWER_LETTERS
from vnconv.charsets.tables import load_table, table_names
from vnconv.charsets.viqr import ViqrCodec

#: The 134 letters in alphabet order, lowercase first.
ORDERED = list(LOWER_LETTERS) + [c.upper() for c in LOWER_LETTERS]
#: The Windows-1252 characters of 0x80-0x9F (UniKey's "western symbols", with its ₡ at 0x82).
WESTERN = "€₡ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"


def hexes(spec: str) -> list[str]:
    """ "01 02 80-83" -> ["01", "02", "80", "81", "82", "83"]."""
    out: list[str] = []
    for item in spec.split():
        if "-" in item:
            lo, hi = (int(x, 16) for x in item.split("-"))
            out.extend(f"{b:02X}" for b in range(lo, hi + 1))
        else:
            out.append(item)
    return out


# ----------------------------------------------------------------------------------- deliberate differences
#: Decoding, UniKey's per-byte and per-sequence output (reference file, vnconv charset) -> the bytes or
#: sequences where vnconv decodes differently.
UNIKEY_DECODE = {
    # UniKey's list of Windows-1252 symbols has ₡ U+20A1 (colon sign) in the slot of ‚ U+201A, so every
    # Windows-based charset reads 0x82 as ₡. vnconv keeps Windows-1252.
    ("TCVN3.tsv", "tcvn3"): "82",
    ("VNI-WIN.tsv", "vni"): "82",
    ("BKHCM2.tsv", "bkhcm2"): "82",
    ("VIETWARE-X.tsv", "vietware-x"): "82",
    ("VIETWARE-F.tsv", "vietware-f"): "82",
    # VPS puts 14 capitals in C0 slots (02-06 Ạ Ậ Ặ Ẹ Ệ, 10-15 Ị Ọ Ộ Ợ Ụ Ự, 19 Ỵ, 1C 1D Ẫ Ữ: Mozilla's table,
    # recode, the VPSKeys chart); UniKey keeps the controls there. 8E 9E are VPS Ằ Ờ; UniKey reads Ž ž.
    ("VPS.tsv", "vps"): "02-06 10-15 19 1C 1D 8E 9E",
    # VISCII (RFC 1456, glibc) has Ẳ Ẵ Ẫ Ỷ Ỹ Ỵ at 02 05 06 14 19 1E and Ạ Ệ Ụ Õ at 80 8E 9E A0; UniKey keeps
    # controls and Windows-1252 (€ Ž ž NBSP) there.
    ("VISCII.tsv", "viscii"): "02 05 06 14 19 1E 80 8E 9E A0",
    # BK HCM 1 has Á Ị Ặ at 80 8E 9E (its layout, VietUni); UniKey reads € Ž ž.
    ("BKHCM1.tsv", "bkhcm1"): "80 8E 9E",
    # VNI Mac: UniKey decodes every "?" (3F) as Š, reads the Mac bytes that carry no VNI glyph as Latin-1
    # (E1 · as á, C0 ¿ as À …) and E2 as ₡; vnconv reads them as Mac OS Roman, E2 = ‚.
    ("VNI-MAC.tsv", "vni-mac"): (
        "3F 82 8D A1 A4 A6 A7 A8 AB AC AD B0 B2 B3 B4 B6 B7 B8 B9 BA BB BC BD C0 C1 C2 C3 C5 C6 C7 C8 CA "
        "D6 D7 D8 DA DE DF E1 E2 F0 F5 F8-FF"
    ),
    # Windows-1258: UniKey accepts the nine bytes the code page leaves undefined (reading them as Latin-1 or
    # Windows-1252); vnconv rejects them, as Microsoft's table, glibc and CPython do. 82: ₡. FE is ₫ in
    # Windows-1258; UniKey reads Latin-1 þ.
    ("WINCP-1258.tsv", "cp1258"): "81 82 8A 8D-90 9A 9D 9E FE",
}

#: Decoding, glibc iconv's output for every byte.
GLIBC_DECODE = {
    # byte for byte what glibc does
    ("glibc_TCVN5712-1.tsv", "tcvn5712"): "",
    ("glibc_VISCII.tsv", "viscii"): "",
    ("glibc_CP1258.tsv", "cp1258"): "",
    # glibc's TCVN5712-1 is TCVN 5712:1993 VN1; the .VnTime (ABC) fonts, and vnconv's tcvn3, are VN3: no
    # accented capitals (VN1 has them at 01 02 04-06 11-17 80-9F and in 8 slots above A0) and no combining
    # marks (VN1 B0-B4). VN3 keeps the controls and Windows-1252 there; every lowercase letter agrees.
    ("glibc_TCVN5712-1.tsv", "tcvn3"): "01 02 04-06 11-17 80-9F AF B0-B4 BA BF C0-C5 CD D9-DB E0 F0 FF",
}

#: VIQR: UniKey reads an isolated "a?" or "a." as ả / ạ. A "?" or "." that ends a word is also punctuation,
#: and vnconv's reader weighs the two (viqr.py): at the end of a text, "ẹ" is less likely than "e" + full
#: stop. Only the frequent "ở" wins alone. These are the sequences it reads as punctuation.
VIQR_ALONE = (
    "A? a? A. a. A^? a^? A^. a^. A(? a(? A(. a(. E? e? E. e. E^? e^? E^. e^. I? i? I. i. O? o? O. o. "
    "O^? o^? O^. o^. O+. o+. U? u? U. u. U+? u+? U+. u+. Y? y? Y. y."
)

#: Encoding, UniKey's code for each of its 213 characters (unikey_std_index.tsv), compared with
#: errors="lowercase" (UniKey writes a capital the charset lacks with its lowercase code, as .VnTimeH users
#: did). Characters where vnconv differs:
UNIKEY_ENCODE = {
    "tcvn3": "₡",
    # the 14 C0 capitals (UniKey writes the lowercase code: Ạ -> E5 = ạ); Ž ž do not exist in VPS (UniKey
    # gives them the codes of Ằ Ờ)
    "vps": "Ạ Ẫ Ậ Ặ Ẹ Ệ Ị Ọ Ộ Ợ Ụ Ữ Ự Ỵ Ž ž",
    # the C0 capitals and A0 Õ; € Ž ž do not exist in VISCII (UniKey gives them the codes of Ạ Ệ Ụ)
    "viscii": "Ẫ Ẳ Ẵ Õ Ỷ Ỹ Ỵ € Ž ž",
    # UniKey writes Ặ as 98 (Ụ) and Ỵ, which BK HCM 1 lacks, as 8E (Ị); vnconv writes Ặ 9E and, under
    # "lowercase", Ỵ as ỵ FF; € Ž ž do not exist (UniKey: the codes of Á Ị Ặ)
    "bkhcm1": "Ặ Ỵ € Ž ž",
    # VietWare-F's byte DD is Ý (Windows-1252); UniKey writes Ý with the lowercase code FC
    "vietware-f": "Ý ₡",
    "vni": "₡",
    # UniKey writes Ệ as CF E5 (Ê + the lowercase-height dot), against its own pattern (Ậ CA C5, Ộ D6 C5 …)
    "bkhcm2": "Ệ ₡",
    "vietware-x": "₡",
    # VNI Mac: UniKey writes Š Ž š ž as "?" (Mac OS Roman has none of them) and ₡ as E2
    "vni-mac": "₡ Š Ž š ž",
    # UniKey's "VIQR" passes the Windows-1252 symbols through as 8-bit bytes; VIQR is 7-bit
    "viqr": " ".join(WESTERN),
    # UniKey writes the Windows-1252 symbols as their bytes, including ₡ as 82 and Š Ž š ž at 8A 8E 9A 9E,
    # which Windows-1258 leaves undefined
    "cp1258": "₡ Š Ž š ž",
}
UNIKEY_COLUMN = {
    "tcvn3": "TCVN3", "vps": "VPS", "viscii": "VISCII", "bkhcm1": "BKHCM1", "vietware-f": "VIETWARE-F",
    "vni": "VNI-WIN", "bkhcm2": "BKHCM2", "vietware-x": "VIETWARE-X", "vni-mac": "VNI-MAC", "viqr": "VIQR(hex)",
    "cp1258": "CP1258(pre)",
}  # fmt: skip

#: Letters where GNU recode 3.6 encodes differently (the letters a charset has, one recode call each way).
RECODE = {"tcvn3": "TCVN", "tcvn5712": "TCVN", "vni": "VNI", "viscii": "VISCII", "vps": "VPS", "viqr": "VIQR"}
RECODE_LETTERS = {
    # recode's VNI swaps Ắ and Ằ (41 C8 / 41 C9); VNI's own lowercase pattern (61 E9 ắ, 61 E8 ằ), UniKey,
    # VietUni and vietunicode say Ắ = 41 C9, Ằ = 41 C8
    "vni": "Ằ Ắ",
    # recode has no byte for Ỗ (VPS 99: Mozilla, UniKey, VietUni, the VPSKeys chart)
    "vps": "Ỗ",
    "tcvn3": "",  # recode's TCVN is VN1; on the 74 letters VN3 has, the two agree
    "tcvn5712": "",
    "viscii": "",
    "viqr": "",
}

#: Reference files with no vnconv counterpart: UniKey's "ISC" charset is not one of vnconv's.
UNCOVERED_REFERENCES = {"ISC.tsv"}
#: Names CPython's own codecs answer to before vnconv's search function is asked: there `codecs.lookup`
#: finds CPython's cp1258 (which does not compose to NFC); vnconv's is `vn-cp1258`.
CPYTHON_OWNS = {"cp1258", "windows-1258"}


# --------------------------------------------------------------------------------------------- reference
def read_reference(name: str) -> dict[bytes, str]:
    """bytes -> decoded text, "DROPPED" (UniKey outputs nothing) or "ERROR" (glibc rejects the byte)."""
    path = need_shared(REFERENCE / name)
    out: dict[bytes, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        data, _shown, cps = line.split("\t")
        text = cps if cps in ("DROPPED", "ERROR") else "".join(chr(int(p[2:], 16)) for p in cps.split())
        out[bytes.fromhex(data)] = text
    assert out, f"{path} is empty"
    return out


def written(char: str, charset: str, errors: str = "strict") -> bytes:
    """How vnconv writes ``char``: its encoding alone, without the VIQR end marker. Alone, a VIQR letter
    ending in a "." or "?" tone gets the end marker ``\\`` exactly when the sequence alone would read as
    punctuation (the sequences of VIQR_ALONE)."""
    data = vnconv.encode(char, charset, errors)
    if charset == "viqr" and char in LETTERS:
        marked = data.endswith(b"\\")
        bare = data[:-1] if marked else data
        assert marked == (bare.decode() in VIQR_ALONE.split()), (char, data)
        return bare
    return data


def ours(data: bytes, charset: str) -> str:
    try:
        return vnconv.decode(data, charset)
    except UnicodeDecodeError:
        return "ERROR"


def agrees(mine: str, theirs: str) -> bool:
    if theirs == "DROPPED":  # UniKey outputs nothing for a lone mark; vnconv keeps the combining mark
        return mine not in ("", "ERROR") and all(unicodedata.combining(c) for c in mine)
    return mine == (theirs if theirs == "ERROR" else unicodedata.normalize("NFC", theirs))


def decode_differences(reference: str, charset: str) -> list[str]:
    ref = read_reference(reference)
    return [data.hex(" ").upper() for data, theirs in ref.items() if not agrees(ours(data, charset), theirs)]


def unikey_index() -> tuple[list[str], list[list[str]]]:
    lines = need_shared(REFERENCE / "unikey_std_index.tsv").read_text(encoding="utf-8").splitlines()
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:] if line]


# ------------------------------------------------------------------------------------------------ UniKey
@pytest.mark.parametrize(("reference", "charset"), sorted(UNIKEY_DECODE))
def test_decoding_agrees_with_unikey(reference: str, charset: str) -> None:
    assert decode_differences(reference, charset) == hexes(UNIKEY_DECODE[(reference, charset)])


def test_windows_symbol_differences_are_unikeys_colon_sign() -> None:
    """The 0x82 differences are all the same UniKey bug: ₡ where Windows-1252 has ‚."""
    for reference, charset in UNIKEY_DECODE:
        if "82" in hexes(UNIKEY_DECODE[(reference, charset)]) and charset != "vni-mac":
            assert read_reference(reference)[b"\x82"] == "\u20a1" and ours(b"\x82", charset) == "\u201a"


@pytest.mark.parametrize(("reference", "charset"), sorted(GLIBC_DECODE))
def test_decoding_agrees_with_glibc(reference: str, charset: str) -> None:
    assert decode_differences(reference, charset) == hexes(GLIBC_DECODE[(reference, charset)])


def test_vn3_differs_from_vn1_only_by_what_vn3_lacks() -> None:
    """Where tcvn3 (VN3) and glibc (VN1) differ, VN1 has an accented capital or a combining mark, and VN3 has
    nothing it would write there: a control, a Windows-1252 symbol, or a Windows-1252 letter that the font
    shows and vnconv reads but never writes (C0 À, C1 Á, C2 Â, C3 Ã, CD Í, D9 Ù, DA Ú, E0 à)."""
    ref = read_reference("glibc_TCVN5712-1.tsv")
    vn3 = load_table("tcvn3")
    for spec in hexes(GLIBC_DECODE[("glibc_TCVN5712-1.tsv", "tcvn3")]):
        data = bytes.fromhex(spec)
        theirs, mine = unicodedata.normalize("NFC", ref[data]), ours(data, "tcvn3")
        assert (theirs in LETTERS and theirs.isupper()) or unicodedata.combining(theirs), (spec, theirs)
        assert mine not in LETTERS or vn3.encode.get(mine) != data, (spec, mine)


@pytest.mark.parametrize(
    ("diff", "unikey_side", "glibc_side"),
    [("diff_TCVN3_unikey_vs_glibc.tsv", "tcvn3", "tcvn5712"), ("diff_VISCII_unikey_vs_glibc.tsv", None, "viscii")],
)
def test_where_unikey_and_glibc_disagree(diff: str, unikey_side: str | None, glibc_side: str) -> None:
    """tcvn3 sides with UniKey (VN3) and tcvn5712 with glibc (VN1) on every byte where they disagree (0x82
    aside: ‚, neither UniKey's ₡ nor VN1's letter); viscii sides with glibc (RFC 1456) everywhere."""
    rows = [line.split("\t") for line in need_shared(REFERENCE / diff).read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r and not r[0].startswith("#")]
    assert len(rows) > 5
    for byte, _u, unikey_cp, _g, glibc_cp in rows:
        data = bytes.fromhex(byte)
        unikey, glibc = (chr(int(cp[2:], 16)) for cp in (unikey_cp, glibc_cp))
        assert ours(data, glibc_side) == unicodedata.normalize("NFC", glibc), byte
        if unikey_side:
            assert ours(data, unikey_side) == (unikey if byte != "82" else "\u201a"), byte


def test_viqr_sequences_against_unikey() -> None:
    ref = read_reference("VIQR.tsv")
    assert len(ref) == 134
    # Every letter is written exactly as UniKey writes it.
    for data, letter in ref.items():
        assert written(letter, "viqr") == data, letter
    # Read alone, the sequences agree except where a final "?" or "." may be punctuation.
    differ = [data.decode("ascii") for data, letter in ref.items() if ours(data, "viqr") != letter]
    assert differ == VIQR_ALONE.split()
    for seq in differ:  # and there vnconv's reading is the plain letter + punctuation
        assert ours(seq.encode(), "viqr") == unicodedata.normalize("NFC", _viqr_plain(seq[:-1])) + seq[-1]


def _viqr_plain(seq: str) -> str:
    return seq[0] + {"": "", "^": "\u0302", "(": "\u0306", "+": "\u031b"}[seq[1:]]


@pytest.mark.parametrize("charset", sorted(UNIKEY_ENCODE))
def test_encoding_agrees_with_unikey(charset: str) -> None:
    head, rows = unikey_index()
    col = head.index(UNIKEY_COLUMN[charset])
    assert len(rows) == 213

    def differences(errors: str) -> list[str]:
        out = []
        for row in rows:
            char, code = row[2], row[col]
            theirs = None if code == "00" else bytes.fromhex(code)
            try:
                mine = written(char, charset, errors)
            except UnicodeEncodeError:
                mine = None
            if mine != theirs:
                out.append(char)
        return out

    assert differences("lowercase") == UNIKEY_ENCODE[charset].split()
    # Strictly, the letters the charset lacks differ too (UniKey writes them lowercase), and nothing else.
    lacking = {c for c in ORDERED if not compile_codec(charset).can_encode(c)}
    assert set(differences("strict")) == set(UNIKEY_ENCODE[charset].split()) | lacking


def test_every_reference_file_is_checked() -> None:
    files = {p.name for p in need_shared(REFERENCE).glob("*.tsv")}
    used = {ref for ref, _ in UNIKEY_DECODE} | {ref for ref, _ in GLIBC_DECODE}
    used |= {"VIQR.tsv", "unikey_std_index.tsv", "diff_TCVN3_unikey_vs_glibc.tsv", "diff_VISCII_unikey_vs_glibc.tsv"}
    assert files - used == UNCOVERED_REFERENCES


# ------------------------------------------------------------------------------------------------ recode
@pytest.mark.parametrize("charset", sorted(RECODE_LETTERS))
def test_letters_agree_with_recode(charset: str) -> None:
    need_tool("recode")
    have = [c for c in ORDERED if compile_codec(charset).can_encode(c)]
    theirs = subprocess.run(
        ["recode", "-f", f"UTF-8..{RECODE[charset]}"], input="\n".join(have).encode(), capture_output=True, timeout=60
    ).stdout.split(b"\n")
    assert len(theirs) == len(have)
    differ = [c for c, t in zip(have, theirs) if t != written(c, charset)]
    assert differ == RECODE_LETTERS[charset].split()
    # and recode reads vnconv's bytes back to the same letters, with the same exceptions
    mine = b"\n".join(written(c, charset) for c in have)
    back = subprocess.run(["recode", "-f", f"{RECODE[charset]}..UTF-8"], input=mine, capture_output=True, timeout=60)
    got = back.stdout.decode("utf-8").split("\n")
    assert [c for c, g in zip(have, got) if unicodedata.normalize("NFC", g) != c] == differ


# ------------------------------------------------------------------------------------- table invariants
def test_table_files_are_the_charsets() -> None:
    files = sorted(p.stem for p in (ROOT / "tables").glob("*.tsv") if not p.stem.startswith(("vi_", "fonts")))
    assert files == table_names() == sorted(vnconv.charsets())
    kinds = {"single": SingleByteCodec, "combining": CombiningCodec, "viqr": ViqrCodec}
    for name in table_names():
        table = load_table(name)
        assert table.name == name == table.meta["charset"]
        assert table.title and table.meta.get("source") and table.meta.get("verified"), name
        assert isinstance(compile_codec(name), kinds[table.kind])


def test_aliases_are_unique_and_reach_their_charset() -> None:
    from vnconv.charsets.registry import _FORM_ALIASES  # the text forms of convert() must not shadow a charset

    seen: dict[str, str] = {}
    for name in table_names():
        for alias in (name,) + load_table(name).aliases:
            assert alias == alias.lower() and " " not in alias, alias
            assert alias not in seen, f"{alias!r} names both {seen[alias]} and {name}"
            assert alias not in _FORM_ALIASES, alias
            seen[alias] = name
            # vnconv's own functions accept every alias, in any case and with _ or - …
            assert vnconv.canonical_name(alias) == name
            assert vnconv.canonical_name(alias.upper().replace("-", "_")) == name
            # … and so does Python's codec machinery, except where CPython already owns the name
            found = codecs.lookup(alias)
            assert found.name == name, (alias, found.name)
            if alias in CPYTHON_OWNS:
                continue
            for letter in [c for c in ORDERED if compile_codec(name).can_encode(c)][:3] + ["Việt"[-2]]:
                word = "x" + letter + "n"
                assert word.encode(alias).decode(alias) == word, (alias, word)
    # vnconv's cp1258 composes to NFC; CPython's, which owns these names, does not
    cp1258_names = {alias for alias, name in seen.items() if name == "cp1258"}
    vnconv_owned = {alias for alias in cp1258_names if b"Vi\xea\xf2t".decode(alias) == "Vi\u1ec7t"}
    assert cp1258_names - vnconv_owned == CPYTHON_OWNS


@pytest.mark.parametrize("name", table_names())
def test_rows_hold_through_the_codec(name: str) -> None:
    """What each row says is what the compiled codec does: a row's bytes decode to its characters, and
    every '=' or '>' row is how its character is encoded."""
    table = load_table(name)
    for ch, data in table.encode.items():
        assert written(ch, name) == data, (ch, data.hex(" "))
    for data, text in table.decode.items():
        if name == "viqr" and (len(data) == 1 or data[-1:] in (b"?", b".")):
            # A lone VIQR mark character is literal ("?" is a question mark), and a final "?" or "." may be
            # punctuation: test_viqr_sequences_against_unikey lists those readings.
            continue
        assert ours(data, name) == unicodedata.normalize("NFC", text), (data.hex(" "), text)


def test_repertoire_is_what_encodes() -> None:
    for name in table_names():  # VIQR too: a lone letter read as punctuation gets the end marker
        codec = compile_codec(name)
        for ch in load_table(name).repertoire():
            assert codec.can_encode(ch), (name, ch)
            assert vnconv.decode(vnconv.encode(ch, name), name) == ch, (name, ch)


# --------------------------------------------------------------------------------------------- coverage
def coverage(name: str) -> tuple[int, int, int, str]:
    """(letters with a round-trip row, written as one byte, written as several, the letters missing)."""
    table = load_table(name)
    have = table.repertoire()
    letters = [c for c in ORDERED if c in have]
    single = sum(len(table.encode[c]) == 1 for c in letters)
    return len(letters), single, len(letters) - single, "".join(c for c in ORDERED if c not in have)


def test_coverage_table_in_docs() -> None:
    """docs/charsets.md's coverage table is what the tables hold."""
    text = (ROOT / "docs" / "charsets.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\| `([a-z0-9-]+)` \| (\d+) \| (\d+) \| (\d+) \| ([^|]*)\|", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(5).strip())
    assert sorted(rows) == table_names()
    for name in table_names():
        total, single, multi, missing = coverage(name)
        doc_missing = rows[name][3]
        if doc_missing in ("–", "-"):
            doc_missing = ""
        elif doc_missing.startswith("the 60 toned capitals"):
            doc_missing = "".join(c for c in ORDERED if c.isupper() and c not in "ĂÂÊÔƠƯĐ")
        elif doc_missing.startswith("the 59 toned capitals other than Ý"):
            doc_missing = "".join(c for c in ORDERED if c.isupper() and c not in "ĂÂÊÔƠƯĐÝ")
        assert rows[name][:3] == (total, single, multi), name
        assert doc_missing.replace(" ", "") == missing, name


# ---------------------------------------------------------------------------------------------- registry
def test_one_charset_order() -> None:
    """registry.CHARSET_ORDER names every charset once; the orders other modules keep are taken from it
    (detection's) or agree with it (the repair engine's candidates, the OOXML tally's guesses)."""
    import importlib

    from vnconv.charsets.registry import CHARSET_ORDER

    # vnconv.detect and vnconv.repair are the functions on the package: reach the modules by name
    detect, engine, ooxml = (importlib.import_module(f"vnconv.{m}") for m in ("detect", "repair.engine", "documents.ooxml"))

    assert sorted(CHARSET_ORDER) == sorted(vnconv.charsets()) and len(set(CHARSET_ORDER)) == len(CHARSET_ORDER)
    assert detect.PREFERENCE == CHARSET_ORDER
    for order in (engine.DEFAULT_CHARSETS,):
        assert [c for c in CHARSET_ORDER if c in order] == list(order), order


def test_charsets_import_no_circle() -> None:
    """No module of vnconv.charsets imports, even inside a function, one that imports it back."""
    import ast

    folder = ROOT / "src" / "vnconv" / "charsets"
    names = {p.stem for p in folder.glob("*.py")}
    imports: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module} if node.module else {a.name for a in node.names}
        imports[path.stem] = found & names

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in imports[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    assert [name for name in sorted(names) if name in reach(name)] == []
    assert "viqr" in imports["registry"] and "viqr" not in imports["codec"]  # the factory lives in registry


def test_import_reads_no_charset_table() -> None:
    """``import vnconv`` names the default candidate charsets by their canonical names, which need no table
    read for aliases: no table is parsed until a codec or an alias asks for one (each costs start-up time)."""
    import subprocess
    import sys

    code = ("import vnconv; from vnconv.charsets import tables; n = tables.load_table.cache_info().currsize; "
            "vnconv.canonical_name('VNI_Win'); print(n, tables.load_table.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""}).stdout.split()
    assert out[0] == "0", out
    assert int(out[1]) == len(table_names())  # an alias: every table's aliases read
