"""The end of a text: every charset round-trips texts that end in each of the 134 letters, alone and after
a word, with and without a final ".", "?", "!", newline; one-shot, through incremental decoders cut at
every position (right before the last byte too), through piece encoders cut at every position (without the
final call TextIOWrapper never makes), through open(..., "w") and through the command line (issue 9)."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

import vnconv
from vnconv import cli
from vnconv.charsets.registry import compile_codec
from vnconv.language.letters import LETTERS

CHARSETS = vnconv.charsets()
ENDS = ["", ".", "?", "!", "\n"]


def pyname(name: str) -> str:
    return "vn-cp1258" if name == "cp1258" else name


def texts(name: str) -> list[str]:
    """Each letter the charset has, alone and after a word, with each ending."""
    codec = compile_codec(name)
    out = []
    for letter in sorted(LETTERS):
        if codec.can_encode(letter):
            out += [before + letter + end for before in ("", "Thầy ", "vì ") for end in ENDS]
    return out


@pytest.mark.parametrize("name", CHARSETS)
def test_text_ending_in_each_letter_round_trips(name: str) -> None:
    bad = [t for t in texts(name) if vnconv.decode(vnconv.encode(t, name), name) != t]
    assert bad == []


@pytest.mark.parametrize("name", CHARSETS)
def test_incremental_decoder_cut_anywhere(name: str) -> None:
    bad = []
    for text in texts(name):
        data = vnconv.encode(text, name)
        for cut in range(len(data) + 1):  # cut == len(data) - 1: right before the last byte
            dec = codecs.getincrementaldecoder(pyname(name))()
            got = dec.decode(data[:cut]) + dec.decode(data[cut:]) + dec.decode(b"", final=True)
            if got != text:
                bad.append((text, cut, data))
    assert bad == []


@pytest.mark.parametrize("name", CHARSETS)
def test_piece_encoder_cut_anywhere(name: str) -> None:
    """Two pieces, no final call (as TextIOWrapper writes), and then with the final call."""
    bad = []
    for text in texts(name):
        for cut in range(len(text) + 1):
            enc = codecs.getincrementalencoder(pyname(name))()
            data = enc.encode(text[:cut]) + enc.encode(text[cut:])
            if vnconv.decode(data, name) != text or vnconv.decode(data + enc.encode("", final=True), name) != text:
                bad.append((text, cut, data))
    assert bad == []


@pytest.mark.parametrize("name", CHARSETS)
def test_open_for_writing(name: str, tmp_path: Path) -> None:
    """open(..., "w") writes each text whole, then word by word as print() does; both read back."""
    bad = []
    for i, text in enumerate(texts(name)):
        path = tmp_path / f"{i}.txt"
        with open(path, "w", encoding=pyname(name), newline="") as fh:
            fh.write(text)
        words = tmp_path / f"{i}w.txt"
        with open(words, "w", encoding=pyname(name), newline="") as fh:
            print(*text.split(" "), file=fh, end="")
        for p in (path, words):
            with open(p, encoding=pyname(name), newline="") as fh:
                if fh.read() != text:
                    bad.append((text, p.read_bytes()))
    assert bad == []


def test_command_line_to_viqr(tmp_path: Path) -> None:
    """``vnconv convert -t viqr``, files without a final line end, then read back by the codec."""
    src = tmp_path / "in"
    src.mkdir()
    cases = ["Dạ, em chào thầy ạ", "Đẹp quá nhỉ", "ả", "Ợ", "thầy ạ\nvâng ạ", "Vì sao vậy ạ?"]
    for i, text in enumerate(cases):
        (src / f"{i}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["convert", *(str(src / f"{i}.txt") for i in range(len(cases))), "-t", "viqr", "-o", str(out), "-q"]) == 0
    for i, text in enumerate(cases):
        data = (out / f"{i}.txt").read_bytes()
        assert vnconv.decode(data, "viqr") == unicodedata.normalize("NFC", text), data


def test_viqr_end_marker_only_where_needed() -> None:
    """The marker appears where the tone would read as punctuation, and nowhere else; recode-style
    VIQR without it keeps its old reading, and a backslash escape in source code stays as it was."""
    assert vnconv.encode("Dạ, em chào thầy ạ", "viqr") == b"Da., em cha`o tha^`y a.\\"
    assert vnconv.encode("ạ vâng", "viqr") == b"a. va^ng"
    assert vnconv.encode("ạ.", "viqr") == b"a.."
    assert vnconv.decode(b"tha^`y a.", "viqr") == "thầy a."
    assert vnconv.decode(b'printf("Ba.n co\' kho^ng?\\n")', "viqr") == 'printf("Bạn có không?\\n")'
    assert vnconv.decode(b"ba.\\\\n", "viqr") == "bạn"  # a stream cut after the tone, joined
    assert vnconv.decode(b"a.\\\\", "viqr") == "ạ\\"  # an escaped backslash after the tone
    assert vnconv.encode("ả\\", "viqr") == b"a?\\\\"


@pytest.mark.parametrize("text", ['buỵ"buỵ ', 'ạ"ả"ạ', "thử.ạ?", '"Dạ"-"ạ"'])
def test_viqr_several_final_tones_in_one_chunk(text: str) -> None:
    """Found by the round-trip property after the merge: two words with a final nặng in one run without
    white space ('buỵ"buỵ') each need their end marker, not only the last."""
    assert vnconv.decode(vnconv.encode(text, "viqr"), "viqr") == text
