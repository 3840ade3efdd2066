"""A document that is plainly one charset from its first parts is read in that charset from then on
(repair/chunks.py ``_learn``): sooner than after SETTLE parts, and still right when it switches later to
another charset or to Unicode."""

from __future__ import annotations

import pytest

import vnconv
from conftest import catalog_strings
from vnconv.charsets.fonttext import font_text
from vnconv.repair.repairer import Repairer
from vnconv.repair.scale import LEARN_STEP, SETTLE


def _lines(start: int, n: int) -> list[str]:
    lines = [s for s in catalog_strings() if "\n" not in s and len(s.split()) >= 4][start : start + 4 * n]
    out = []
    for line in lines:
        try:
            vnconv.encode(line, "tcvn3", "strict"), vnconv.encode(line, "vni", "strict")
        except UnicodeEncodeError:
            continue
        out.append(line)
    if len(out) < n:
        pytest.skip("no gettext catalogs")
    return out[:n]


def _wrong(out: list[str], truth: list[str]) -> list[tuple[str, str]]:
    return [(o, t) for o, t in zip(out, truth) if o != t]


@pytest.mark.parametrize("n", [250, 600])  # more than SETTLE parts either way; 600 lines: far more
def test_a_plain_tcvn3_start_settles_sooner_and_later_vni_and_unicode_stay_right(n: int) -> None:
    tcvn3, vni, uni = _lines(0, n), _lines(4000, 60), _lines(8000, 60)
    doc = [font_text(vnconv.encode(s, "tcvn3")) for s in tcvn3]
    doc += [font_text(vnconv.encode(s, "vni")) for s in vni] + uni
    engine = Repairer()
    out = engine.feed("\n".join(doc)).split("\n")
    assert engine.store.settled  # read in TCVN3 after its first parts, not after SETTLE
    assert len({p for line in doc[:n] for p in line.split(" ")}) > SETTLE > LEARN_STEP
    assert len(_wrong(out[:n], tcvn3)) <= 2
    # The switch to VNI is still seen: its words that read as no word in TCVN3 get every charset, also those
    # that are words as they stand (loãi), glued to an identifier in TCVN3 (va + ứ) or a compound (ta + ọp).
    assert len(_wrong(out[n : n + len(vni)], vni)) <= 2
    assert _wrong(out[n + len(vni) :], uni) == []  # and Unicode is never changed


def test_a_start_that_is_not_plainly_one_charset_reads_settle_parts_first() -> None:
    tcvn3, vni = _lines(0, 150), _lines(4000, 150)
    doc = [font_text(vnconv.encode(s, "tcvn3" if i % 2 else "vni")) for i, s in enumerate(tcvn3)]
    truth = list(tcvn3)
    engine = Repairer()
    out = engine.feed("\n".join(doc)).split("\n")
    assert not engine.store.settled
    assert len(_wrong(out, truth)) <= 3
