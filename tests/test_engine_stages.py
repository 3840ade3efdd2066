"""The engine's stages and record: options, the fast path, Fix.why, apply_fixes, the harm cases of issue 12."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vnconv
from conftest import catalog_strings, examples
from vnconv.repair import fast
from vnconv.repair.engine import explain, repair
from vnconv.repair.evidence import Evidence
from vnconv.repair.options import RepairOptions


# -- issue 12: harm and broken promises ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, want",
    [
        ("hoÃ  bình", "hoà bình"),  # UTF-8 à read as Windows-1252, its no-break space turned into a space
        ("HÃ  Ná»™i", "Hà Nội"),
        ("Thá»§ Ä‘Ã´ HÃ  Ná»™i", "Thủ đô Hà Nội"),
        ("BÃ n phím", "Bàn phím"),  # the no-break space inside a word
    ],
)
def test_utf8_with_lost_no_break_space(text: str, want: str) -> None:
    assert repair(text) == want
    assert vnconv.apply_fixes(text, explain(text)) == want


def test_vni_font_text_is_not_read_as_a_cut_utf8_word() -> None:
    # VNI writes Ỉ as I + Æ; "CHÆ " looked like UTF-8 Ơ (C6 A0) whose no-break space became a space, and
    # "CHƠ" is a word: the line came out "ĐỊA CHƠÑóa" (found by bench_repair's 10 MB mixed document).
    from vnconv.repair.nbsp import restore_nbsp

    text = "ÑÒA CHÆ Ñóa _cöùng"
    assert restore_nbsp(text)[1] == []
    assert repair(text) == "ĐỊA CHỈ Đĩa _cứng"


def test_no_break_space_rule_leaves_real_words() -> None:
    for text in ("Hà  Nội", "Cà phê  sữa", "Â  u", "Ça va  bien"):
        assert repair(text) == text


@pytest.mark.parametrize("text, want", [("Céng hoµ", "Cộng hoà"), ("Hµ Néi", "Hà Nội")])
def test_short_cells_with_a_legacy_only_symbol_convert(text: str, want: str) -> None:
    assert repair(text) == want


@pytest.mark.parametrize("value", [42, 4.2, float("nan"), None, b"C\xe9ng"])
def test_repair_of_a_non_str_is_a_type_error_naming_the_type(value: object) -> None:
    with pytest.raises(TypeError, match=type(value).__name__):
        repair(value)  # type: ignore[arg-type]
    out = vnconv.repair_many([value, "Céng hoµ"])  # repair_many passes them through
    assert out[1] == "Cộng hoà"
    assert out[0] is value or (isinstance(value, float) and math.isnan(out[0]))  # type: ignore[arg-type]


# -- options -------------------------------------------------------------------------------------------------
def test_options_object_and_keywords_agree() -> None:
    text = "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    assert repair(text, tone_style="new") == repair(text, RepairOptions(tone_style="new")) == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert repair(text, RepairOptions(form="NFD"), tone_style="old") == repair(text, form="NFD", tone_style="old")
    assert repair(text, charsets=["vni"]) == text  # TCVN3 not a candidate
    with pytest.raises(ValueError):
        RepairOptions(form="NFKC")
    with pytest.raises(TypeError):
        repair(text, tone="new")  # type: ignore[call-arg]


# -- the fast path -------------------------------------------------------------------------------------------
def test_fast_path_only_for_text_that_cannot_change() -> None:
    assert fast.quiet("Hello world, see --help and %s", viqr=True)
    assert fast.quiet("Cộng hoà xã hội chủ nghĩa Việt Nam", viqr=True)
    assert not fast.quiet("Céng hoµ", viqr=True)
    assert not fast.quiet("Caùc teäp", viqr=True)  # VNI: ù is a Vietnamese letter, but "Caùc" is no word
    assert not fast.quiet("Vie^.t Nam", viqr=True)
    assert not fast.quiet("hoÃ  bình", viqr=True)


def test_fast_path_agrees_with_the_engine_on_catalogs() -> None:
    from vnconv.repair.repairer import Repairer

    lines = catalog_strings()[:3000]
    if not lines:
        pytest.skip("no gettext catalogs")
    for line in lines:
        if fast.quiet(line, viqr=True):
            assert Repairer().feed(line) == line, line


# -- the record ----------------------------------------------------------------------------------------------
def test_fix_says_why() -> None:
    fixes = explain("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
    assert fixes and all(f.charset == "tcvn3" for f in fixes)
    assert {f.why for f in fixes} <= {"word", "line", "document", "font"}
    assert any(f.why == "word" for f in fixes)
    fixes = explain("Vie^.t Nam la` no")
    assert [f.why for f in fixes] == ["viqr"]
    runs_fixes: list[vnconv.Fix] = []
    from vnconv.repair.repairer import Repairer

    Repairer().runs(["Tr\u00aa", "n ®\u00b8"], ["tcvn3", "tcvn3"], runs_fixes)
    assert runs_fixes and all(f.charset == "tcvn3" for f in runs_fixes)


def test_apply_fixes_replays_and_checks_the_text() -> None:
    text = "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    fixes = explain(text, tone_style="new")
    assert vnconv.apply_fixes(text, fixes) == repair(text, tone_style="new")
    with pytest.raises(ValueError):
        vnconv.apply_fixes("something else entirely, longer", fixes)


def test_evidence_is_public() -> None:
    from vnconv.repair.chunks import PartStore
    from vnconv.repair.tokens import split

    store = PartStore(("tcvn3", "vni"), Evidence(), restore=True)
    store.analyse(split("Céng hoµ x· héi chñ nghÜa ViÖt Nam")[0], frozenset())
    assert store.evidence.allowed() == {"tcvn3"}
    assert store.evidence.counts["tcvn3"] >= 3 and "tcvn3" in store.evidence.examples


def test_unicode_parts_left_unanalysed_still_count_once_legacy_comes() -> None:
    """The engine analyses only parts that could be evidence until some legacy text appears; a stream that
    starts with Unicode and turns to TCVN3 is still read right, and the Unicode stays."""
    unicode_lines = ["Cộng hoà xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc"] * 30
    legacy = "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    out = "".join(vnconv.repair_stream(line + "\n" for line in unicode_lines + [legacy]))
    assert out.split("\n")[:-1] == unicode_lines + ["Cộng hoà xã hội chủ nghĩa Việt Nam"]


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "µ", "ư", " ", "\n", "\r"]), max_size=40))
def test_split_and_join_are_inverse(text: str) -> None:
    """Parts and counts per line, for texts that start or end with a space or a line feed, or hold empty lines:
    each line has its spaces + 1 parts, and joining them gives the text back."""
    from vnconv.repair.tokens import join, split

    parts, counts = split(text)
    assert counts == [line.count(" ") + 1 for line in text.split("\n")]
    assert sum(counts) == len(parts)
    assert join(parts, counts) == text
