"""Tests for vnconv.language.syllable (the Vietnamese syllable grammar) and the language data in tables/."""

from __future__ import annotations

import collections
import gettext
import glob
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from vnconv.language import syllable as S
from vnconv.language.syllable import (
    all_syllables,
    base_letters,
    canonical,
    fix_tone,
    is_syllable,
    parse,
    retone,
    strip_tone,
    tone_of,
    u_horn_candidates,
    variants,
)

TABLES = Path(__file__).resolve().parents[1] / "tables"
MO_DIR = Path("/usr/share/locale/vi/LC_MESSAGES")
HUNSPELL_DIC = Path("/usr/share/hunspell/vi_VN.dic")

SYLLABLES = sorted(all_syllables())
syllables = st.sampled_from(SYLLABLES)

# --------------------------------------------------------------------------- specific words


@pytest.mark.parametrize(
    "word",
    [
        # the TCVN3 soft-hyphen cases and the words that must stay as they are
        "dưỡng", "tưởng", "người", "như", "dương", "đưa", "ưu", "tú", "việc",
        "đợt", "khơi", "tu", "tư", "sau", "dân", "ra",
        # spelling rules
        "quý", "quỳnh", "quốc", "quên", "gì", "gìn", "giếng", "giữa", "giường", "già",
        "khuya", "khuyên", "tuyết", "thuở", "huơ", "yêu", "yên", "ý", "y", "i", "ỉa",
        "kia", "kiếm", "ghi", "ghế", "nghiêng", "nghe", "cá", "gà", "ngà", "qua", "của",
        "mía", "mưa", "muốn", "mượn", "khuỷu", "ngoẹo", "ngoao", "khuấy", "huých", "xoong",
        "moóc", "buýt", "lý", "lí", "kỹ", "kĩ", "mỹ", "hy", "oà", "òa",
        # both tone placements
        "hoà", "hòa", "thuý", "thúy", "khoẻ", "khỏe", "thuỷ", "thủy", "uỷ", "ủy", "hoạ", "họa",
        # stop codas with sắc / nặng
        "các", "cạc", "ích", "ịch", "tiếp", "tiệp", "mắt", "mặt",
        # case
        "Việt", "VIỆT", "Nam", "NAM", "Đà", "ĐÀ", "Người", "NGƯỜI", "Ý", "Y",
    ],
)
def test_accepts(word: str) -> None:
    assert is_syllable(word), word
    assert parse(word) is not None, word


@pytest.mark.parametrize(
    "word",
    [
        "qúy", "qúa", "gía",  # tone on the u of qu / the i of gi
        "tòan", "hòan", "ngòai", "khỏang", "cuả", "đựơc",  # misplaced marks
        "mat", "bit", "hot", "top", "et", "ach", "đươc",  # level tone on a stop coda
        "mảt", "màt", "mãc", "bìch",  # huyền/hỏi/ngã on a stop coda
        "kà", "kô", "ce", "cê", "ci", "ge", "gé", "ngi", "ghy", "gha", "ngho", "kuy",  # c/k, g/gh, ng/ngh
        "ă", "â", "tâ", "bă",  # ă and â need a coda
        "iên", "tiê", "tuô", "ươ", "miang", "muan", "mưan",  # ia/ua/ưa vs iê/uô/ươ
        "ech", "enh", "ôch", "ơng", "ơc", "ưp", "ic", "ing", "êng", "êc",  # coda restrictions
        "tyn", "kýt", "ym",  # y only bare
        "ngêi", "Céng", "ViÖt", "Hµ", "Néi", "hßa",  # TCVN3 read as Windows-1252
        "Vieät", "Haø", "Noäi",  # VNI read as Windows-1252
        "vIệt", "ViỆt", "nGười",  # mixed case
        "", " ", "a ", "1", "x1", "nh", "t", "th", "ng",
    ],
)
def test_rejects(word: str) -> None:
    word = unicodedata.normalize("NFC", word)
    assert not is_syllable(word), word
    assert parse(word) is None, word


FOREIGN = ["été", "für", "über", "straße", "garçon", "déjà", "très", "où", "être", "fête", "forêt", "même", "père", "mère", "élève", "café", "naïve", "noël", "Müller", "größe", "schön", "zwölf", "Mädchen", "Österreich", "Fußball", "Brücke", "groß", "año", "niño", "señor", "canción", "también", "está", "José", "más", "corazón", "mañana", "jamás", "después", "they", "world", "hello", "street", "night", "brought", "strength", "school", "through", "quick", "jumped"]


def test_rejects_foreign_words() -> None:
    accepted = [w for w in FOREIGN if is_syllable(w)]
    assert accepted == []


def test_foreign_words_that_collide_are_known() -> None:
    # Short Romance/English words can be spelled like real Vietnamese syllables; that is expected.
    assert all(is_syllable(w) for w in ("là", "né", "thé", "the", "to", "an", "can", "long", "me"))


# --------------------------------------------------------------------------- structure


def test_parse_fields() -> None:
    p = parse("Người")
    assert p == S.Syllable("ng", "", "ươ", "i", "huyen", "either")
    assert parse("hoà") == S.Syllable("h", "o", "a", "", "huyen", "old")
    assert parse("hòa") == S.Syllable("h", "o", "a", "", "huyen", "new")
    assert parse("quyết") == S.Syllable("qu", "", "yê", "t", "sac", "either")
    assert parse("giếng") == S.Syllable("gi", "", "iê", "ng", "sac", "either")
    assert parse("gì") == S.Syllable("gi", "", "i", "", "huyen", "either")
    assert parse("khuya") == S.Syllable("kh", "u", "ya", "", "ngang", "either")
    assert parse("thuở") == S.Syllable("th", "u", "ơ", "", "hoi", "either")
    assert parse("ĐẠI").tone == "nang"
    assert parse("dưỡng").rhyme == "ương"
    with pytest.raises(AttributeError):
        p.tone = "sac"  # type: ignore[misc]


def test_generated_count() -> None:
    n = len(SYLLABLES)
    assert n == 16611, n  # changes only when the rules change: update deliberately
    assert all(s == unicodedata.normalize("NFC", s) and s == s.lower() for s in SYLLABLES)
    styles = collections.Counter(parse(s).tone_style for s in SYLLABLES)
    assert styles["old"] == styles["new"] > 0


@settings(max_examples=examples(500), deadline=None)
@given(syllables)
def test_phonotactic_constraints(s: str) -> None:
    p = parse(s)
    assert p is not None
    assert p.tone in S.TONES and p.tone_style in S.TONE_STYLES
    assert p.onset in S.ONSETS and p.coda in S.CODAS
    if p.coda in S.STOP_CODAS:
        assert p.tone in ("sac", "nang")
    if p.nucleus in ("ă", "â"):
        assert p.coda
    if p.nucleus in ("ia", "ya", "ua", "ưa"):
        assert p.coda == ""
    if p.nucleus in ("iê", "yê", "uô", "ươ") and p.onset != "gi":
        assert p.coda
    if p.coda in ("ch", "nh"):
        assert p.nucleus in ("a", "ê", "i", "y")
    if p.coda in ("c", "ng"):
        assert p.nucleus not in ("ê", "i", "y")
    rest = p.medial + (p.nucleus if p.onset != "gi" else "")
    if p.onset in ("k", "gh", "ngh"):
        assert rest[:1] in ("i", "e", "ê", "y") and not p.medial
    if p.onset in ("c", "g", "ng") and rest and s != "gen":  # gen (gene) is the one loan exception
        assert rest[0] not in "ieêy"
    if p.onset == "qu":
        assert p.medial == ""


@settings(max_examples=examples(500), deadline=None)
@given(syllables)
def test_case_forms(s: str) -> None:
    assert is_syllable(s.upper())
    assert is_syllable(s[0].upper() + s[1:])
    assert parse(s.upper()) == parse(s)
    if len(s) > 2:
        assert not is_syllable(s[0] + s[1].upper() + s[2:])


@settings(max_examples=examples(500), deadline=None)
@given(syllables)
def test_retone_round_trip(s: str) -> None:
    old, new = retone(s, "old"), retone(s, "new")
    assert is_syllable(old) and is_syllable(new)
    assert retone(old, "new") == new and retone(new, "old") == old
    assert tone_of(old) == tone_of(new) == parse(s).tone
    assert strip_tone(old) == strip_tone(new) == strip_tone(s)
    assert canonical(s) == new
    assert s in variants(s)
    style = parse(s).tone_style
    assert (old != new) == (style != "either")
    if style != "either":
        assert parse(old).tone_style == "old" and parse(new).tone_style == "new"


def test_retone_examples() -> None:
    assert retone("hoà", "new") == "hòa"
    assert retone("hòa", "old") == "hoà"
    assert retone("Thuỷ", "new") == "Thủy"
    assert retone("KHỎE", "old") == "KHOẺ"
    assert retone("người", "old") == "người"
    assert retone("quý", "new") == "quý"
    assert retone("xyz", "old") == "xyz"
    assert variants("hoà") == ("hoà", "hòa")
    with pytest.raises(ValueError):
        retone("hoà", "modern")


def test_helpers() -> None:
    assert strip_tone("Người Việt") == "Ngươi Viêt"
    assert base_letters("Người Việt Đà Nẵng") == "Nguoi Viet Da Nang"
    assert tone_of("ngã") == "nga" and tone_of("ma") == "ngang" and tone_of("Ạ") == "nang"
    assert canonical("KHOẺ") == "khỏe"
    assert fix_tone("tòan") == "toàn"
    assert fix_tone("qúy") == "quý"
    assert fix_tone("Cuả") == "Của"
    assert fix_tone("đựơc") == "được"
    assert fix_tone("khỏang") == "khoảng"
    assert fix_tone("thùy", "old") == "thùy"  # already valid: unchanged
    assert fix_tone("hello") is None


def test_u_horn_map_is_every_syllable_less_one_u_horn() -> None:
    """The whole map, against a direct computation from the inventory: each valid syllable under every string
    it gives with one of its ư removed (ưu under u), and nothing else."""
    want: dict[str, set[str]] = collections.defaultdict(set)
    for syl in S.all_syllables():
        for k, ch in enumerate(syl):
            if ch == "ư":
                want[syl[:k] + syl[k + 1 :]].add(syl)
    assert {k: tuple(sorted(v)) for k, v in want.items()} == S._UHORN
    assert "ưu" in u_horn_candidates("u") and u_horn_candidates("ngời") == ("người",)


def test_parse_gives_a_new_syllable_each_time_with_the_fields() -> None:
    a, b = parse("Người"), parse("người")
    assert a == b and a is not b and a.tone == "huyen" and parse("ngừơi") is None


def test_u_horn_candidates() -> None:
    # TCVN3 stores ư as 0xAD (soft hyphen), which copy/paste and browsers drop.
    assert u_horn_candidates("Dơng") == ("dương",)
    assert u_horn_candidates("nh") == ("như",)
    assert u_horn_candidates("t") == ("tư",)
    assert u_horn_candidates("ngời") == ("người",)
    assert u_horn_candidates("tởng") == ("tưởng",)
    assert u_horn_candidates("dỡng") == ("dưỡng",)
    assert u_horn_candidates("u") == ("ưu",)
    assert u_horn_candidates("đa") == ("đưa",)
    assert u_horn_candidates("người") == ()
    for damaged, cands in [("nh", ("như",)), ("đa", ("đưa",))]:
        for c in cands:
            assert c.replace("ư", "", 1) == damaged


def test_is_syllable_is_fast() -> None:
    tokens = ["người", "Việt", "NAM", "été", "für", "hello", "ngêi", "Hà"] * 25_000
    is_syllable("a")
    t = time.perf_counter()
    n = sum(map(is_syllable, tokens))
    elapsed = time.perf_counter() - t
    assert n == 4 * 25_000
    assert elapsed < 1.0, f"200k is_syllable calls took {elapsed:.2f}s"


# --------------------------------------------------------------------------- mojibake

# TCVN3 (ABC) bytes of these letters, read as Windows-1252 (generated with GNU recode 3.6).
_TCVN3_SRC = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđĂÂÊÔƠƯĐ"
_TCVN3_DST = "aµ¸¶·¹¨»¾¼½Æ©ÇÊÈÉËeÌÐÎÏÑªÒÕÓÔÖi×ÝØÜÞoßãáâä«åèæçé¬êíëìîuïóñòô\xadõøö÷ùyúýûüþ®¡¢£¤¥¦§"
TCVN3_AS_CP1252 = str.maketrans(_TCVN3_SRC, _TCVN3_DST)
# VNI bytes read as Windows-1252: base letter + mark characters.
VNI_AS_CP1252 = str.maketrans({
    "à": "aø", "á": "aù", "ả": "aû", "ã": "aõ", "ạ": "aï", "ă": "aê", "ằ": "aè", "ắ": "aé", "ẳ": "aú",
    "ẵ": "aü", "ặ": "aë", "â": "aâ", "ầ": "aà", "ấ": "aá", "ẩ": "aå", "ẫ": "aã", "ậ": "aä", "è": "eø",
    "é": "eù", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï", "ê": "eâ", "ề": "eà", "ế": "eá", "ể": "eå", "ễ": "eã",
    "ệ": "eä", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ò": "oø", "ó": "où", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
    "ô": "oâ", "ồ": "oà", "ố": "oá", "ổ": "oå", "ỗ": "oã", "ộ": "oä", "ơ": "ô", "ờ": "ôø", "ớ": "ôù",
    "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï", "ù": "uø", "ú": "uù", "ủ": "uû", "ũ": "uõ", "ụ": "uï", "ư": "ö",
    "ừ": "öø", "ứ": "öù", "ử": "öû", "ữ": "öõ", "ự": "öï", "ỳ": "yø", "ý": "yù", "ỷ": "yû", "ỹ": "yõ",
    "ỵ": "î", "đ": "ñ",
})


def test_mojibake_examples_rejected() -> None:
    for word in ["Cộng", "Việt", "người", "Hà", "Nội", "hòa", "được", "những", "trường", "Nguyễn"]:
        bad = word.translate(TCVN3_AS_CP1252)
        assert not is_syllable(bad), (word, bad)
        assert not is_syllable(bad.replace("\xad", "")), (word, bad)
    for word in ["Việt", "Hà", "Nội", "người", "được", "trường", "Nguyễn"]:
        bad = word.translate(VNI_AS_CP1252)
        assert not is_syllable(bad), (word, bad)


def _top_marked_syllables(n: int) -> list[str]:
    rows = _read_tsv(TABLES / "vi_syllable_freq.tsv")
    rows = [(w, float(z)) for w, z in rows if not w.isascii()]
    rows.sort(key=lambda r: -r[1])
    return [w for w, _ in rows[:n]]


@pytest.mark.parametrize("table,limit", [(TCVN3_AS_CP1252, 0.15), (VNI_AS_CP1252, 0.10)], ids=["tcvn3", "vni"])
def test_mojibake_mostly_rejected(table: dict, limit: float) -> None:
    # A mis-decoded syllable can look like another real syllable (có -> cã, một -> mét in TCVN3);
    # the grammar alone rejects most, the repair engine must judge whole runs.
    words = _top_marked_syllables(1000)
    words += [w[0].upper() + w[1:] for w in words]
    changed = [(w, w.translate(table)) for w in words if w.translate(table) != w]
    accepted = [(w, m) for w, m in changed if is_syllable(m)]
    assert len(changed) > 1500
    assert len(accepted) / len(changed) <= limit, accepted[:40]


# --------------------------------------------------------------------------- coverage on real text

_VI_MARKED = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
_FORMAT = re.compile(r"%(\d+\$)?[-#0 +']*(\d+|\*)?(\.(\d+|\*))?[hlLqjzt]*[a-zA-Z%]|\$\{?\w+\}?|&\w+;|\\[nt]")
_WORD = re.compile(r"[^\W\d_]+")


def _vietnamese_word(w: str) -> bool:
    """A msgstr token that is meant as Vietnamese: has a Vietnamese mark, lower or Title case, 2+ letters."""
    return len(w) >= 2 and bool(_VI_MARKED.search(w)) and (w.islower() or (w[0].isupper() and w[1:].islower()))


def _coverage(counter: collections.Counter) -> tuple[float, list[tuple[str, int]]]:
    total = sum(counter.values())
    misses = {w: c for w, c in counter.items() if not is_syllable(w)}
    return 1 - sum(misses.values()) / total, sorted(misses.items(), key=lambda kv: (-kv[1], kv[0]))


def _mo_tokens() -> tuple[collections.Counter, collections.Counter]:
    """Vietnamese word tokens of msgstrs: (software catalogs, iso-codes catalogs of foreign names)."""
    software: collections.Counter = collections.Counter()
    iso: collections.Counter = collections.Counter()
    for path in sorted(glob.glob(str(MO_DIR / "*.mo"))):
        with open(path, "rb") as fp:
            catalog = gettext.GNUTranslations(fp)._catalog  # type: ignore[attr-defined]
        target = iso if Path(path).name.startswith("iso_") else software
        for key, value in catalog.items():
            if not (key[0] if isinstance(key, tuple) else key):
                continue  # header
            text = unicodedata.normalize("NFC", _FORMAT.sub(" ", value))
            target.update(w for w in _WORD.findall(text) if _vietnamese_word(w))
    return software, iso


@pytest.mark.skipif(not list(MO_DIR.glob("*.mo")), reason=f"no Vietnamese gettext catalogs in {MO_DIR}")
def test_coverage_gettext_catalogs() -> None:
    software, iso = _mo_tokens()
    assert sum(software.values()) > 10_000
    cov, misses = _coverage(software)
    print(f"\n.mo software catalogs: {sum(software.values())} tokens, coverage {cov:.4%}; misses {misses[:60]}")
    assert cov >= 0.995, misses[:80]
    # iso-codes catalogs are lists of foreign place/language names (Pyrénées, Bogotá, Croát …)
    if iso:
        icov, imisses = _coverage(iso)
        print(f".mo iso-codes catalogs: {sum(iso.values())} tokens, coverage {icov:.4%}; misses {imisses[:30]}")
        assert icov >= 0.80, imisses[:80]


@pytest.mark.skipif(not HUNSPELL_DIC.exists(), reason=f"hunspell-vi not installed ({HUNSPELL_DIC})")
def test_coverage_hunspell() -> None:
    lines = HUNSPELL_DIC.read_text(encoding="utf-8").split("\n")[1:]
    words = [unicodedata.normalize("NFC", line.split("/")[0].strip()) for line in lines]
    words = [w for w in words if w and not (w.isupper() and len(w) > 1)]  # drop abbreviations (UBND, HTML)
    misses = [w for w in words if not is_syllable(w)]
    cov = 1 - len(misses) / len(words)
    print(f"\nhunspell-vi: {len(words)} entries, coverage {cov:.4%}; misses {misses}")
    assert len(words) > 6000
    assert cov >= 0.995, misses


# --------------------------------------------------------------------------- data files


def _read_tsv(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    return [line.split("\t") for line in text.split("\n") if line and not line.startswith("#")]


def _header(path: Path) -> str:
    return "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))


DATA_FILES = {
    "vi_syllable_freq.tsv": ("CC-BY-SA-4.0", "LICENSE-CC-BY-SA-4.0.txt"),
    "vi_compounds.tsv": ("MIT", "LICENSE-pyvi-MIT.txt"),
    "vi_bigrams_l10n.tsv": ("MPL-2.0", "LICENSE-MPL-2.0.txt"),
}


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_data_file_header_and_order(name: str) -> None:
    path = TABLES / name
    header = _header(path)
    license_id, license_file = DATA_FILES[name]
    assert "source:" in header and f"license: {license_id}" in header and license_file in header
    assert (TABLES / license_file).exists()
    keys = [row[0] for row in _read_tsv(path)]
    assert keys == sorted(keys) and len(keys) == len(set(keys))


def test_data_size_budget() -> None:
    total = sum((TABLES / n).stat().st_size for n in DATA_FILES)
    assert total < 2_000_000, total


def test_syllable_freq_file() -> None:
    rows = _read_tsv(TABLES / "vi_syllable_freq.tsv")
    freq = {w: float(z) for w, z in rows}
    assert len(freq) > 5000
    bad = [w for w in freq if not is_syllable(w) or w != canonical(w)]
    assert bad == []
    assert all(0 < z < 9 for z in freq.values())
    # the damaged forms are rarer than the real words
    assert freq["người"] > freq["ngời"] + 2
    assert freq["như"] > 6 and "nh" not in freq
    assert freq["dưỡng"] > freq.get("dỡng", 0) + 2
    assert freq["tưởng"] > 5 and "tởng" not in freq
    for w in ["đợt", "khơi", "tu", "ưu", "tú", "đưa", "việc", "quý", "gì", "giếng", "khuya", "thuở", "hòa"]:
        assert w in freq, w
    assert "hoà" not in freq  # merged into the canonical spelling


def test_compounds_file() -> None:
    words = [row[0] for row in _read_tsv(TABLES / "vi_compounds.tsv")]
    assert len(words) > 20_000
    for w in words:
        parts = w.split(" ")
        assert 2 <= len(parts) <= 4, w
        assert all(is_syllable(p) and p == canonical(p) for p in parts), w
    have = set(words)
    for w in ["tu dưỡng", "tư tưởng", "ưu tú", "hòa bình", "thủy lợi", "người ta"]:
        assert w in have, w


def test_bigrams_file() -> None:
    rows = _read_tsv(TABLES / "vi_bigrams_l10n.tsv")
    counts = {pair: int(c) for pair, c in rows}
    assert len(counts) > 10_000
    for pair, c in counts.items():
        a, b = pair.split(" ")
        assert is_syllable(a) and is_syllable(b) and a == canonical(a) and b == canonical(b), pair
        assert c >= 3
    for pair in ["như sau", "đưa ra", "người dùng", "lưu ý", "dưới đây", "bởi vì"]:
        assert counts.get(pair, 0) >= 10, pair
