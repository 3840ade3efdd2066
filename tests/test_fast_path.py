"""The fast path (repair/fast.py): the scan that finds a text's font-text words, and the promise that a text
it lets go could not have changed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vnconv
from conftest import catalog_strings
from vnconv.charsets.fonttext import _NOT_FONT
from vnconv.repair import fast
from vnconv.repair.repairer import Repairer
from vnconv.repair.tokens import WORDS

# Characters at every edge of the scan: ASCII letters and punctuation, separators inside and outside font
# text (U+0085 is both a control character and a separator), font letters and symbols, the control
# characters no byte shows and those in Windows-1252's holes, symbol-font code points, Unicode letters.
_EDGES = (
    "aAz09_-.?!%/ \t\n\r\x0b\x0c\x1c\x1f\x7f\x00"
    "\x80\x81\x85\x8d\x9f\xa0\xad\xab\xb5\xb7\xb8\xe0\xe3\xf4\xf9\xff"
    "ŒšŸƒˆ˜–—‘’“”„†•…‰‹€™"
    "\uf0b5\uf0e3\u2028\u3000\u0103\u01b0\u1ea1\u1ec7đ中"
)


def _font_words(text: str) -> set[str]:
    """The definition: words as the engine cuts them, all font text, not ASCII."""
    return {w for w in WORDS.findall(text) if not w.isascii() and not _NOT_FONT.search(w)}


@settings(max_examples=3000)
@given(st.text(alphabet=st.sampled_from(_EDGES), max_size=24))
def test_font_words_finds_every_word_the_engine_reads(text: str) -> None:
    found = fast.font_words(text)
    if found is None:
        assert any("\x80" <= c <= "\x9f" or "\uf000" <= c <= "\uf0ff" for c in text)
        return
    assert _font_words(text) <= found, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "c\x82\u00e3",  # a control character Windows-1252 shows for no byte, inside a word
        "c\uf0e3 x",  # symbol-font ã
        "x \x85c\u00e3",  # U+0085 separates
    ],
)
def test_the_scan_leaves_what_it_cannot_map_to_the_engine(text: str) -> None:
    found = fast.font_words(text)
    assert found is None or _font_words(text) <= found


_PIECES = (
    "Cộng", "hoà", "xã", "hội", "không", "là", "có", "cã", "Céng", "hoµ", "x·", "«Tên»", "©", "°C", "café",
    "Caùc", "teäp", "§Ó", "cµi", "®îc", "uupdate®îc", "Ã", "Ã ", "hoÃ", "Vie^.t", "dda^`u", "a.", "%s", "--help",
    "ngêi", "nh", "D\u00a8ng", "tr\u00aan", "“cã”", "c\u0082ã", "c\uf0e3", "ÐÔNG", "LÊ", "VÀ", "Ná»™i",
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8), st.lists(st.sampled_from(" \n\t,."), min_size=8, max_size=8))
def test_a_quiet_text_is_one_the_engine_leaves_alone(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(p + g for p, g in zip(pieces, gaps))[:-1]
    if fast.quiet(text, viqr=True):
        assert Repairer().feed(text) == text, text


def test_a_quiet_catalog_line_stays_and_loud_lines_change() -> None:
    lines = catalog_strings()[:4000]
    if not lines:
        pytest.skip("no gettext catalogs")
    let_go = 0
    for line in lines:
        if fast.quiet(line, viqr=True):
            let_go += 1
            assert Repairer().feed(line) == line, line
    assert let_go >= 0.95 * len(lines)  # correct Unicode leaves by the fast path
    legacy = "\n".join(vnconv.convert(line, "unicode", "tcvn3", errors="lowercase") for line in lines[:300])
    assert not fast.quiet(legacy, viqr=True)


@settings(max_examples=2000)
@given(st.text(alphabet=st.sampled_from("Ãáº»Æ a\n"), max_size=30))
def test_cut_words_are_found_by_the_fast_scan_as_by_the_pattern(text: str) -> None:
    from vnconv.repair import nbsp

    assert nbsp._cut_ends(text) == [m.end() for m in nbsp._CUT.finditer(text)]
    assert nbsp.may_hold_cut_words(text) == bool(nbsp._CUT.search(text))


@settings(max_examples=1500)
@given(st.lists(st.sampled_from(["Vie^.t", "Nam", "dda^`u", "xã", "a.", "b(", "\n", " "]), max_size=12))
def test_viqr_lines_looked_for_in_ascii_lines_only(pieces: list[str]) -> None:
    from vnconv.repair.viqr_lines import VIQR_HINT, may_hold_viqr

    text = "".join(pieces)
    want = any(line.isascii() and VIQR_HINT.search(line) for line in text.split("\n"))
    assert may_hold_viqr(text) == want


@settings(max_examples=3000)
@given(st.text(alphabet=st.sampled_from("aeyAUdDx(^+'`?~.1_ \nđá"), max_size=12))
def test_viqr_hint_finds_what_the_pattern_finds(text: str) -> None:
    """viqr_hint (two patterns that start with a set of characters) finds a VIQR mark where VIQR_HINT does: at
    the start and the end of the text, a mark with no vowel before it, dd after a letter, digit or _."""
    from vnconv.repair.viqr_lines import VIQR_HINT, viqr_hint

    assert viqr_hint(text) == bool(VIQR_HINT.search(text))


@pytest.mark.parametrize(
    "text, found",
    [("dda", True), ("xdda", False), ("_dda", True), ("1dda", True), ("ádda", True), ("a.", False), ("a.b", True),
     ("a(", True), ("(a", False), ("Vie^.t", True), ("ddd", False), ("e.g", True), ("x.y", False), ("DDo", True),
     ("u+", True)],
)
def test_viqr_hint_edges(text: str, found: bool) -> None:
    from vnconv.repair.viqr_lines import VIQR_HINT, viqr_hint

    assert bool(VIQR_HINT.search(text)) == found
    assert viqr_hint(text) == found


@pytest.mark.parametrize("size", [1, 2, 255, 256, 257, 5000])
@pytest.mark.parametrize("where", ["first", "last", "none"])
def test_symbol_font_points_found_in_short_and_long_text(size: int, where: str) -> None:
    """A symbol-font code point (U+F000-U+F0FF) sends the text to the engine, found by the pattern in a short
    text and in the UTF-16 bytes in a long one: at the start, at the very end, or nowhere (then the words)."""
    body = ("Hà Nội " * size)[:size]
    for point in ("\uf000", "\uf0e9", "\uf0ff"):
        text = {"first": point + body[1:], "last": body[:-1] + point, "none": body}[where]
        assert len(text) == size
        words = fast.font_words(text)
        if where == "none":
            assert words is not None and (words == {"Hà"} or size < 2 or not words)
        else:
            assert words is None, (size, where, hex(ord(point)))
    assert fast.font_words("Hà \uf100 \uefff") is not None  # next to the range: not in it


_SCAN_ALPHABET = (
    "aZ09 \t\n\r\x0b\x0c\x1c\x1f\x00\x08\x0e\x1b\x7f_-?.,;%/“”‘’…–€™œŸ\xa0\xad\xb5\xb8áàÃÿ\x80\x81\x9f"
    "\uf000\uf0e9\uf0ffưạđ中\U0001f600"
)


@settings(max_examples=3000)
@given(st.text(alphabet=st.sampled_from(_SCAN_ALPHABET), max_size=20))
def test_the_pattern_finds_the_words_the_byte_scan_finds(text: str) -> None:
    """font_words takes a pattern on a short text and C-level byte operations on a long one: the same words
    (and None for the same texts) whatever the characters, at the start, at the end, alone."""
    assert fast._by_pattern(text) == fast._by_bytes(text)


@pytest.mark.parametrize("n", [fast._SHORT - 1, fast._SHORT, fast._SHORT + 1])
def test_both_scans_at_the_length_where_font_words_changes_way(n: int) -> None:
    for tail in ("hoµ", "µ", "\x81", "\uf0e9", "ư", " “s”", "Céng"):
        text = ("x" * n)[: n - len(tail)] + tail
        assert len(text) == n
        assert fast.font_words(text) == fast._by_pattern(text) == fast._by_bytes(text), (n, tail)
