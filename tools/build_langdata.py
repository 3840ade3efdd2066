#!/usr/bin/env python3
"""Build the Vietnamese language data in tables/ from pinned upstream packages.

Run by hand (never at install time); the outputs are committed:

    tables/vi_syllable_freq.tsv   syllable -> Zipf frequency      CC-BY-SA-4.0 (wordfreq data)
    tables/vi_compounds.tsv       multi-syllable words            MIT (pyvi word list)
    tables/vi_bigrams_l10n.tsv    syllable pair -> count          MPL-2.0 (LibreOffice/Mozilla vi l10n)
    tables/LICENSE-pyvi-MIT.txt   pyvi's license text, copied from its wheel

Inputs, fetched with the ordinary package clients into --cache (default
/tmp/vnconv-langdata) unless already there:

    pip download --no-deps wordfreq==3.1.1 pyvi==0.1.1
    apt-get download libreoffice-help-vi libreoffice-l10n-vi firefox-esr-l10n-vi thunderbird-l10n-vi
        (Debian 12 "bookworm"; the versions used are listed in tables/LANGDATA.md)

Requirements: Python 3.11, the `msgpack` package (to read wordfreq's data file),
`dpkg-deb` (Debian/Ubuntu) and vnconv importable (PYTHONPATH=src) for the grammar.
The script prints the SHA-256 of every input so a rebuild can be compared.

Usage:
    PYTHONPATH=src python tools/build_langdata.py [--cache DIR] [--out tables] [--offline]
"""

from __future__ import annotations

import argparse
import collections
import gettext
import glob
import gzip
import hashlib
import html
import math
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import itertools

from vnconv.language import syllable as S

WORDFREQ = ("wordfreq", "3.1.1")
PYVI = ("pyvi", "0.1.1")
DEBS = ("libreoffice-help-vi", "libreoffice-l10n-vi", "firefox-esr-l10n-vi", "thunderbird-l10n-vi")

# Syllables attested in the pyvi lexicon but absent from wordfreq's list (whose
# floor is Zipf 3.0 = 1 per million) get this value: "known word, rare".
DICT_ONLY_ZIPF = 1.5
BIGRAM_MIN_COUNT = 3
COMPOUND_MAX_SYLLABLES = 4

VI_MARKED = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
TOKEN = re.compile(r"[^\W\d_]+|\S")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ fetching


def fetch(cache: Path, offline: bool) -> dict[str, Path]:
    cache.mkdir(parents=True, exist_ok=True)
    found: dict[str, Path] = {}
    for name, version in (WORDFREQ, PYVI):
        pat = f"{name}-{version}-*.whl"
        hits = sorted(cache.glob(pat))
        if not hits and not offline:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(cache), f"{name}=={version}"],
                check=True,
            )
            hits = sorted(cache.glob(pat))
        if not hits:
            sys.exit(f"missing {pat} in {cache}")
        found[name] = hits[0]
    for deb in DEBS:
        hits = sorted(cache.glob(f"{deb}_*.deb"))
        if not hits and not offline:
            subprocess.run(["apt-get", "download", deb], check=True, cwd=cache)
            hits = sorted(cache.glob(f"{deb}_*.deb"))
        if not hits:
            sys.exit(f"missing {deb}_*.deb in {cache}")
        found[deb] = hits[-1]
        dest = cache / "x" / deb
        if not dest.exists():
            dest.mkdir(parents=True)
            subprocess.run(["dpkg-deb", "-x", str(hits[-1]), str(dest)], check=True)
    return found


def deb_version(path: Path) -> str:
    return path.name.split("_")[1].replace("%3a", ":")


# ------------------------------------------------------------------ wordfreq


def wordfreq_vi(wheel: Path) -> dict[str, float]:
    """word -> frequency from wordfreq's small_vi list (cBpack format)."""
    import msgpack

    with zipfile.ZipFile(wheel) as z:
        raw = gzip.decompress(z.read("wordfreq/data/small_vi.msgpack.gz"))
    packed = msgpack.unpackb(raw, raw=False)
    header, buckets = packed[0], packed[1:]
    if header.get("format") != "cB":
        raise ValueError(f"unexpected wordfreq header {header!r}")
    out: dict[str, float] = {}
    for cb, words in enumerate(buckets):
        for w in words:
            out[w] = 10 ** (-cb / 100)
    return out


def build_freq(wf: dict[str, float], lexicon_syllables: set[str]) -> tuple[dict[str, float], dict]:
    merged: dict[str, float] = collections.defaultdict(float)
    rejected = 0
    for w, f in wf.items():
        w = unicodedata.normalize("NFC", w)
        if S.is_syllable(w) and w == w.lower():
            merged[S.canonical(w)] += f
        else:
            rejected += 1
    zipf = {w: round(math.log10(f) + 9, 2) for w, f in merged.items()}
    dict_only = 0
    for s in lexicon_syllables:
        if s not in zipf:
            zipf[s] = DICT_ONLY_ZIPF
            dict_only += 1
    stats = {
        "wordfreq_entries": len(wf),
        "wordfreq_rejected": rejected,
        "from_wordfreq": len(merged),
        "dict_only": dict_only,
    }
    return zipf, stats


# ------------------------------------------------------------------ pyvi


def pyvi_words(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        text = z.read("pyvi/models/words.txt").decode("utf-8")
    return [unicodedata.normalize("NFC", line.strip()) for line in text.split("\n") if line.strip()]


def build_compounds(words: list[str]) -> tuple[set[str], set[str], dict]:
    compounds: set[str] = set()
    syllables: set[str] = set()
    skipped = 0
    for word in words:
        parts = word.lower().split(" ")
        if all(S.is_syllable(p) for p in parts):
            canon = [S.canonical(p) for p in parts]
            syllables.update(canon)
            if 2 <= len(canon) <= COMPOUND_MAX_SYLLABLES:
                compounds.add(" ".join(canon))
        else:
            skipped += 1
    return compounds, syllables, {"pyvi_entries": len(words), "pyvi_rejected": skipped}


# ------------------------------------------------------------------ l10n corpus


def lines_lo_help(root: Path):
    for f in sorted(glob.glob(str(root / "usr/share/libreoffice/help/vi/**/*.html"), recursive=True)):
        s = Path(f).read_text(encoding="utf-8", errors="replace")
        s = re.sub(r"<(script|style)\b.*?</\1>", "", s, flags=re.DOTALL)
        s = re.sub(r"<[^>]+>", "\n", s)
        yield from html.unescape(s).split("\n")


def lines_mo(root: Path):
    for f in sorted(glob.glob(str(root / "**/*.mo"), recursive=True)):
        with open(f, "rb") as fp:
            catalog = gettext.GNUTranslations(fp)._catalog  # type: ignore[attr-defined]
        for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
            if key:
                yield from value.split("\n")


def lines_xpi(root: Path):
    for xpi in sorted(glob.glob(str(root / "**/*.xpi"), recursive=True)):
        with zipfile.ZipFile(xpi) as z:
            for name in sorted(z.namelist()):
                if not name.endswith((".ftl", ".properties", ".dtd")):
                    continue
                for line in z.read(name).decode("utf-8", "replace").split("\n"):
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    m = re.match(r'<!ENTITY\s+\S+\s+"(.*)">', line)
                    if m:
                        yield m.group(1)
                    elif "=" in line:
                        yield line.split("=", 1)[1]
                    else:
                        yield line


def syllable_runs(lines):
    """Maximal runs of Vietnamese syllables (canonical, lowercase) in Vietnamese-looking lines."""
    for line in lines:
        line = unicodedata.normalize("NFC", html.unescape(line))
        line = re.sub(r"\{[^}]*\}|<[^>]*>|%\S*|&\w+;|\$\w+", "|", line)
        toks = TOKEN.findall(line)
        words = [t for t in toks if t[0].isalpha()]
        if not words:
            continue
        good = [w for w in words if S.is_syllable(w)]
        # skip untranslated English and code: >= 70 % syllables and at least one marked letter
        if len(good) < 0.7 * len(words) or not any(VI_MARKED.search(w) for w in good):
            continue
        run: list[str] = []
        for t in toks:
            if t[0].isalpha() and S.is_syllable(t) and not (t.isupper() and len(t) > 1):
                run.append(S.canonical(t))
            else:
                if run:
                    yield run
                run = []
        if run:
            yield run


def build_bigrams(x: Path) -> tuple[collections.Counter, dict]:
    sources = [
        ("libreoffice-help-vi", lines_lo_help(x / "libreoffice-help-vi")),
        ("libreoffice-l10n-vi", lines_mo(x / "libreoffice-l10n-vi")),
        ("firefox-esr-l10n-vi", lines_xpi(x / "firefox-esr-l10n-vi")),
        ("thunderbird-l10n-vi", lines_xpi(x / "thunderbird-l10n-vi")),
    ]
    bi: collections.Counter = collections.Counter()
    stats: dict = {}
    for name, lines in sources:
        ntok = 0
        for run in syllable_runs(lines):
            ntok += len(run)
            bi.update(itertools.pairwise(run))
        stats[name] = ntok
    return bi, stats


# ------------------------------------------------------------------ writing


def write(path: Path, header: list[str], rows: list[str]) -> None:
    text = "".join(f"# {h}\n" if h else "#\n" for h in header) + "".join(r + "\n" for r in rows)
    assert unicodedata.is_normalized("NFC", text)
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(rows)} rows)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/vnconv-langdata"))
    ap.add_argument("--out", type=Path, default=ROOT / "tables")
    ap.add_argument("--offline", action="store_true", help="use only what is already in --cache")
    args = ap.parse_args()

    inputs = fetch(args.cache, args.offline)
    for name, path in inputs.items():
        print(f"input {name}: {path.name} sha256 {sha256(path)}")
    debv = {d: deb_version(inputs[d]) for d in DEBS}

    with zipfile.ZipFile(inputs["pyvi"]) as z:
        lic = z.read(f"pyvi-{PYVI[1]}.dist-info/LICENSE.txt").decode("utf-8")
    (args.out / "LICENSE-pyvi-MIT.txt").write_text(lic, encoding="utf-8", newline="\n")
    # LICENSE-CC-BY-SA-4.0.txt and LICENSE-MPL-2.0.txt are the verbatim legal texts, committed as they are.

    words = pyvi_words(inputs["pyvi"])
    compounds, lex_syllables, cstats = build_compounds(words)
    wf = wordfreq_vi(inputs["wordfreq"])
    zipf, fstats = build_freq(wf, lex_syllables)
    bigrams, bstats = build_bigrams(args.cache / "x")
    kept = {k: v for k, v in bigrams.items() if v >= BIGRAM_MIN_COUNT}
    print("stats:", cstats, fstats, bstats, f"bigram types {len(bigrams)}, kept {len(kept)}")

    common = [
        "tone placement: normalised with vnconv.language.syllable.canonical() (the 'new' place: hòa, thủy, khỏe);",
        "  look entries up with canonical(token); the two spellings of a syllable were merged.",
        "all text is lowercase NFC; every syllable passes vnconv.language.syllable.is_syllable().",
        "generated by tools/build_langdata.py; do not edit by hand.",
    ]
    write(
        args.out / "vi_syllable_freq.tsv",
        [
            "vi_syllable_freq.tsv: Vietnamese syllable frequencies",
            (
                f"source: PyPI package {WORDFREQ[0]} {WORDFREQ[1]}, file wordfreq/data/small_vi.msgpack.gz"
                " (Robyn Speer, https://github.com/rspeer/wordfreq; Vietnamese from Wikipedia, OpenSubtitles 2018, OSCAR web text)"
            ),
            f"source: PyPI package {PYVI[0]} {PYVI[1]}, file pyvi/models/words.txt (syllables not in wordfreq; MIT)",
            (
                "license: CC-BY-SA-4.0 (wordfreq data), see LICENSE-CC-BY-SA-4.0.txt; this file is a modified extract:"
                " entries filtered by the syllable grammar, tone placements merged, pyvi syllables added"
            ),
            "columns: syllable<TAB>zipf  (zipf = log10(occurrences per 10^9 words), 2 decimals)",
            (
                f"zipf >= 3.00: from wordfreq (its list stops at 3.0 = 1 per million); zipf == {DICT_ONLY_ZIPF}:"
                " syllable of a pyvi dictionary word that wordfreq does not list (rare, frequency unknown)"
            ),
            *common,
        ],
        [f"{w}\t{z:.2f}" for w, z in sorted(zipf.items())],
    )
    write(
        args.out / "vi_compounds.tsv",
        [
            (
                "vi_compounds.tsv: Vietnamese multi-syllable dictionary words (2 to "
                f"{COMPOUND_MAX_SYLLABLES} syllables), one per line, syllables separated by one space"
            ),
            f"source: PyPI package {PYVI[0]} {PYVI[1]}, file pyvi/models/words.txt (Viet-Trung Tran, https://github.com/trungtv/pyvi)",
            "license: MIT (Copyright (c) 2016 Viet-Trung Tran), see LICENSE-pyvi-MIT.txt",
            "entries whose syllables are not all valid (foreign words, abbreviations) were dropped",
            *common,
        ],
        sorted(compounds),
    )
    write(
        args.out / "vi_bigrams_l10n.tsv",
        [
            "vi_bigrams_l10n.tsv: counts of adjacent Vietnamese syllable pairs in software translations",
            *(f"source: Debian 12 package {d} {debv[d]}" for d in DEBS),
            (
                "license: MPL-2.0 (LibreOffice and Mozilla translations), see LICENSE-MPL-2.0.txt;"
                " this file is a count table derived from those translations"
            ),
            (
                f"corpus: {sum(bstats.values())} syllable tokens in lines that are >= 70 % syllables"
                " (untranslated English skipped); pairs never cross punctuation or non-syllables"
            ),
            f"kept: pairs seen >= {BIGRAM_MIN_COUNT} times ({len(kept)} of {len(bigrams)} pair types)",
            "columns: syllable syllable<TAB>count  (software/UI domain: skewed towards computing vocabulary)",
            *common,
        ],
        [f"{a} {b}\t{c}" for (a, b), c in sorted(kept.items())],
    )


if __name__ == "__main__":
    main()
