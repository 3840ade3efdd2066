"""The Vietnamese alphabet as Unicode: the 134 letters with diacritics, and the vowels that carry tones."""

from __future__ import annotations

import unicodedata

__all__ = ["TONES", "TONED_BASES", "LETTERS", "LOWER_LETTERS", "ALPHABET"]

#: The five tone marks as combining characters: huyền, sắc, hỏi, ngã, nặng.
TONES = "\u0300\u0301\u0309\u0303\u0323"
#: The twelve vowels that take a tone mark.
TONED_BASES = "aăâeêioôơuưy"


def _lower_letters() -> list[str]:
    out = []
    for base in TONED_BASES:
        if base not in "aeiouy":
            out.append(base)
        out.extend(unicodedata.normalize("NFC", base + tone) for tone in TONES)
    out.append("đ")
    return out


#: The 67 lowercase letters with diacritics (ă â ê ô ơ ư đ and every toned vowel), in alphabet order.
LOWER_LETTERS: tuple[str, ...] = tuple(_lower_letters())
#: The 134 Vietnamese letters with diacritics, lowercase and uppercase.
LETTERS: frozenset[str] = frozenset(LOWER_LETTERS + tuple(c.upper() for c in LOWER_LETTERS))
#: Every character of Vietnamese words: the 134 letters plus the plain Latin letters.
ALPHABET: frozenset[str] = LETTERS | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

assert len(LOWER_LETTERS) == 67 and len(LETTERS) == 134
