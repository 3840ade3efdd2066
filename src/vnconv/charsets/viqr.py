"""VIQR (RFC 1456): Vietnamese in 7-bit ASCII, ``Vie^.t Nam``, ``dd`` for đ, ``\\`` escapes a mark.

VIQR is ambiguous by design: ``.`` ``?`` ``'`` are also punctuation. Decoding reads marks as marks where the
result is Vietnamese and as punctuation where the text says so:

* a mark only modifies the vowel right before it (``a( a^ e^ o^ o+ u+``, then one tone ``' ` ? ~ .``);
  ``dd`` is ``đ`` at the start of a word or after a consonant (``DDH``, ``HDDND``), not after a vowel (``add``);
* URLs and e-mail addresses are left alone; ``\\`` before a mark character makes it literal;
* a word whose marks do not make a valid Vietnamese syllable keeps its ``.`` and a final ``?`` literal
  (``e.g.``, ``dda^u?``); an English contraction keeps its apostrophe (``I'm``, ``you're``);
* a ``.`` or ``?`` that ends a word is weighed: the toned syllable (its frequency, and whether it makes a
  word with its neighbours: ``di.ch vu.``, ``ke^'t qua?``) against the plain one followed by punctuation
  (more likely at the end of a line, impossible before a lowercase word): ``to^i.`` is ``tôi.``, ``vu.`` at
  the end of a line is ``vụ``, ``Mo+?`` is ``Mở``, ``ddi?`` is ``đi?``; ``a..`` is ``ạ.``.

Typed VIQR rarely says which reading is meant (RFC 1456 asks writers to escape, GNU recode does not), so a
rare toned syllable at the end of a sentence can still read as punctuation. A ``\\`` right after the mark
says it is a tone (the end marker, :func:`_marker`): ``a.\\`` is ``ạ``.

Encoding writes each letter as base + shape mark + tone mark, as RFC 1456 and GNU recode do, and adds a
``\\`` escape only where the decoder would otherwise misread a literal character, and the end marker only
where it would read a final tone as punctuation, so ``decode(encode(text)) == text`` at the end of a text too.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .codec import Codec, decode_errors
from .tables import CharsetTable

__all__ = ["ViqrCodec", "decode_text", "encode_text"]

_SHAPE = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_TONE = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_SHAPE_OK = {("a", "("), ("a", "^"), ("e", "^"), ("o", "^"), ("o", "+"), ("u", "+")}
_VOWELS = set("aeiouyAEIOUY")
_MARK_CHARS = "(^+'`?~."
_ENGLISH = re.compile(  # the English contractions, each pronoun with the endings it takes ("he'm" is hém)
    r"(?:i'(?:m|ll|ve|d)|(?:you|we|they)'(?:re|ll|ve|d)|(?:he|she|it|who|there|that|what)'(?:s|ll|d)|let's)$",
    re.IGNORECASE,
)

_TOKEN = re.compile(
    r"(?P<url>(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<esc>\\[\\(^+'`?~.dD])"
    r"|(?P<word>[A-Za-z][A-Za-z(^+'`?~.]*)"
)


@functools.cache
def _lex():
    from ..language import lexicon, syllable

    return lexicon, syllable


def _compose(word: str) -> tuple[str, list[tuple[int, str]]]:
    """Apply every mark in ``word`` that follows a vowel; return the text and the consumed marks
    as (index in word, mark char)."""
    out: list[str] = []
    used: list[tuple[int, str]] = []
    toned = False  # a syllable carries one tone: a second tone mark is a literal character
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if (
            ch in "dD"
            and i + 1 < n
            and word[i + 1] in "dD"
            and not (ch == "d" and word[i + 1] == "D")
            and (i == 0 or (word[i - 1].isalpha() and word[i - 1] not in _VOWELS))
        ):
            out.append("Đ" if ch == "D" else "đ")
            used.append((i + 1, word[i + 1]))
            i += 2
            continue
        if ch in _VOWELS:
            comb = ""
            j = i + 1
            if j < n and (ch.lower(), word[j]) in _SHAPE_OK:
                comb += _SHAPE[word[j]]
                used.append((j, word[j]))
                j += 1
            if j < n and word[j] in _TONE and not toned:
                comb += _TONE[word[j]]
                used.append((j, word[j]))
                toned = True
                j += 1
            out.append(unicodedata.normalize("NFC", ch + comb))
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out), used


def _context(after: str) -> float:
    """Prior (in Zipf units) for reading a final "." or "?" as punctuation, from what follows the word."""
    if after == "" or after[0] in "\r\n":
        return 1.0  # end of the text or of a line
    if after[0].isspace():
        nxt = after.lstrip()[:1]  # the first letter of the next word
        if "\n" in after or not nxt:
            return 1.0
        if nxt.islower():
            return -4.0  # a sentence does not go on in lowercase
        return 0.5 if nxt.isupper() else 0.0
    return -2.0  # "vu.)" "qua?," : punctuation right after punctuation is unlikely


def _decode_word(word: str, after: str, before: str, forced: bool = False) -> str:
    """Decode one candidate word. ``after`` is the text that follows it (a character and, when that is
    white space, the first character after the white space); ``before`` is the word before it. ``forced``:
    a ``\\`` follows the word, so its final "." or "?" is a tone mark (see :func:`_marker`)."""
    if not any(c in _MARK_CHARS for c in word) and "dd" not in word.lower():
        return word
    lexicon, syllable = _lex()
    composed, used = _compose(word)
    if not used:
        return word
    # The syllable proper: the composed word without the literal mark characters that end it.
    valid = syllable.is_syllable(composed.rstrip(_MARK_CHARS))
    last_letter = max(i for i, c in enumerate(word) if c.isalpha())
    keep_literal: set[int] = set()
    for i, m in used:
        if m == "'" and _ENGLISH.match(word):
            keep_literal.add(i)
        elif forced and i == len(word) - 1:
            continue
        elif not valid:
            if m == "." or (m == "?" and i > last_letter):
                keep_literal.add(i)
        elif i == len(word) - 1 and m in ".?":
            # A final "." or "?": the toned syllable, or the plain one followed by punctuation?
            plain = _compose(word[:i])[0]
            if syllable.is_syllable(plain):
                line_end = "\n" in after or "\r" in after  # no evidence from the next line
                nxt = _NEXT_WORD.match(after.strip()).group() if after.strip() and not line_end else ""
                toned = lexicon.zipf(composed) + lexicon.pair_score(before, composed)
                toned += lexicon.pair_score(composed, nxt) if nxt else 0.0
                bare = lexicon.zipf(plain) + lexicon.pair_score(before, plain) + _context(after)
                if m == "?":
                    bare -= 0.7  # questions end fewer sentences than statements
                if bare >= toned:
                    keep_literal.add(i)
    return _recompose(word, composed, keep_literal)


def _recompose(word: str, composed: str, keep_literal: set[int]) -> str:
    """``word`` composed with the marks at ``keep_literal`` read as literal characters."""
    if not keep_literal:
        return composed
    # Compose again with the literal marks cut out of reach of their vowel.
    out: list[str] = []
    start = 0
    for i in sorted(keep_literal):
        out.append(_compose(word[start:i])[0])
        out.append(word[i])
        start = i + 1
    out.append(_compose_tail(word[start:]))
    return "".join(out)


def _compose_tail(rest: str) -> str:
    # A piece starting with a mark character after a literal mark: marks here follow no vowel.
    head = len(rest) - len(rest.lstrip(_MARK_CHARS))
    return rest[:head] + (_compose(rest[head:])[0] if rest[head:] else "")


def decode_text(text: str) -> str:
    """VIQR text to Unicode (NFC). Non-ASCII characters pass through unchanged."""
    return _decode(text, "", len(text))[0]


def _decode(text: str, before: str, upto: int) -> tuple[str, str]:
    """Decode the words of ``text`` that start before ``upto`` (a position after white space), reading
    the rest only as context; ``before`` is the word before ``text``. Returns the text up to ``upto``
    and the word before ``upto`` (empty after punctuation or a line end).

    Reading is local to a line: no evidence crosses a line end, so lines decode alone as in the whole.
    Only a word ending in "." or "?" reads by its neighbours; any other word reads the same everywhere,
    and is decoded once per process."""
    out: list[str] = []
    pos = 0
    last_word, last_end = before, 0  # the last word decoded, and where it ends
    cache = _WORDS
    for m in _TOKEN.finditer(text, 0, upto):
        start = m.start()
        if start < pos:  # inside an end marker already read
            continue
        if start > pos:
            out.append(text[pos:start])
        pos = m.end()
        kind = m.lastgroup
        if kind == "word":
            word = m.group()
            forced = False
            while word[-1] in ".?" and text.startswith("\\", pos):
                pos, forced, more = _marker(text, pos, word)
                if not more:
                    break
                word += more  # the word goes on after its tone: read it whole
            if word[-1] in ".?":
                after = _FOLLOW.match(text, pos).group()
                if after[-1:].isalpha():  # the next word, as far as the decision needs it
                    after = after[:-1] + _decode_word_start(text, pos + len(after) - 1)
                before_word = last_word if _adjacent(text[last_end:start]) else ""
                last_word = _decode_word(word, after, before_word, forced)
            else:
                last_word = cache.get(word)  # type: ignore[assignment]
                if last_word is None:
                    last_word = _decode_word(word, "", "")
                    if len(cache) < _WORDS_MAX:
                        cache[word] = last_word
            out.append(last_word)
            last_end = pos
        elif kind == "esc":
            out.append(m.group()[1])
        else:
            out.append(m.group())
    out.append(text[pos:upto])
    return unicodedata.normalize("NFC", "".join(out)), last_word if _adjacent(text[last_end:upto]) else ""


def _marker(text: str, pos: int, word: str) -> tuple[int, bool, str]:
    """Read the ``\\`` at ``pos`` after ``word``, a word ending in "." or "?". Returns the position after
    what it consumed, whether the final mark is a tone mark, and the letters that continue the word.

    A writer that means a final "." or "?" as a tone mark says so with a ``\\`` right after it (the
    escape of RFC 1456, which also makes a following mark character literal): ``a.\\`` at the end of
    a word is ``ạ``, ``a.\\.`` is ``ạ.``. Before white space, the end of the text or punctuation that
    it does not escape (``a.\\,``), the ``\\`` stands for nothing; ``\\\\`` before a letter or digit
    is a word that goes on after its tone (a stream cut there: ``ba.\\\\n`` is ``bạn``). A ``\\``
    before any other letter (``kho^ng?\\n`` in source code) leaves the word to be weighed as usual."""
    if (len(word) - 1, word[-1]) not in _compose(word)[1]:
        return pos, False, ""  # the final mark is literal anyway (a second tone, a mark after no vowel)
    nxt = text[pos + 1 : pos + 2]
    if not nxt or nxt.isspace() or not (nxt.isascii() and nxt.isalnum() or nxt in _KEEP):
        return pos + 1, True, ""
    if nxt == "\\":
        then = text[pos + 2 : pos + 3]
        if then.isascii() and then.isalpha():
            more = _WORD_AT.match(text, pos + 2)
            return more.end(), False, more.group()  # type: ignore[union-attr]
        if then.isascii() and then.isdigit():
            return pos + 2, True, ""
        return pos, True, ""  # an escaped backslash
    return pos, nxt in _ESCAPED, ""


_ESCAPED = "(^+'`?~.dD"  # what a backslash escapes besides itself
_KEEP = _ESCAPED + "\\"  # what a backslash after a final mark is not a bare end marker before


def _adjacent(gap: str) -> bool:
    """True if words around ``gap`` are neighbours: only white space between them, on one line."""
    return (not gap or gap.isspace()) and "\n" not in gap and "\r" not in gap


_WORDS: dict[str, str] = {}  # word -> its reading, for words not ending in "." or "?"
_WORDS_MAX = 50_000


_FOLLOW = re.compile(r"\s+\S?|.?", re.DOTALL)
_NEXT_WORD = re.compile(r"\w*")
_WORD_AT = re.compile(r"[A-Za-z][A-Za-z(^+'`?~.]*")


def _decode_word_start(text: str, pos: int) -> str:
    """The next word, decoded without its own sentence decisions (for pair evidence)."""
    m = _WORD_AT.match(text, pos)
    return _compose(m.group().rstrip(".?"))[0] if m else text[pos : pos + 1]
_ENCODE: dict[str, str] = {}


def _encode_table(table: CharsetTable) -> dict[str, str]:
    if not _ENCODE:
        for seq, ch in table.decode.items():
            if len(ch) == 1 and len(seq) > 1 and table.encode.get(ch) == seq:
                _ENCODE[ch] = seq.decode("ascii")
    return _ENCODE


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CHUNK = re.compile(r"\S+")


def _speller(spell: dict[str, str], errors: str, text: str, offset: int):
    import codecs

    def spelled(ch: str) -> str | None:
        got = spell.get(ch)
        if got is not None:
            return got
        decomposed = unicodedata.normalize("NFD", ch)
        return decomposed if decomposed.isascii() else None

    def sub(m: re.Match[str]) -> str:
        ch = m.group()
        got = spelled(ch)
        if got is not None:
            return got
        start = offset + m.start()
        exc = UnicodeEncodeError("viqr", text, start, start + 1, "character cannot be written in VIQR")
        if errors in ("lowercase", "vnconv.lowercase"):  # a capital VIQR cannot spell, written lowercase
            low = [spelled(c) for c in ch.lower()] if ch.lower() != ch else [None]
            if None in low:
                raise exc
            return "".join(low)  # type: ignore[arg-type]
        if errors == "strict":
            raise exc
        replacement = codecs.lookup_error(errors)(exc)[0]
        return replacement if isinstance(replacement, str) else bytes(replacement).decode("ascii")

    return sub


def _escape(chunk: str, prev: str = "") -> str:
    """RFC 1456 escapes for the literal characters of ``chunk`` that a decoder could read as marks;
    ``prev`` is the character before the chunk in the same word."""
    out: list[str] = []
    for i, ch in enumerate(chunk):
        nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
        if ch in _MARK_CHARS and (prev.isalpha() or prev in _MARK_CHARS and prev):
            out.append("\\" + ch)
        elif i == 0 and ch in "dD" and prev in "dD" and prev and not (prev == "d" and ch == "D"):
            out.append("\\" + ch)
        elif ch == "\\" and (nxt in "\\(^+'`?~.dD" and nxt or not nxt and _ends_in_mark(prev)):
            out.append("\\\\")  # before a mark character, or where it would read as an end marker
        elif ch in "dD" and nxt in "dD" and nxt and not (ch == "d" and nxt == "D"):
            out.append(ch + "\\")
        else:
            out.append(ch)
        prev = ch
    return "".join(out)


def _ends_in_mark(ch: str) -> bool:
    """True if ``ch`` is written ending in "." or "?": a letter with a dot below or a hook, or "." "?"."""
    return bool(ch) and (ch in ".?" or not _MARKED.isdisjoint(unicodedata.normalize("NFD", ch)))


_MARKED = frozenset("\u0323\u0309")  # dot below, hook above: the tones VIQR writes "." and "?"


def encode_text(
    text: str,
    table: CharsetTable,
    errors: str = "strict",
    piece: bool = False,
    opened: tuple[str, str] = ("", ""),
    prev: str = "",
) -> str:
    """Unicode to VIQR; characters VIQR cannot spell go through the codec error handler ``errors``.

    Output is what GNU recode writes, plus a ``\\`` escape on the literal characters the decoder would
    read as marks, and an end marker ``\\`` after a final "." or "?" tone it would read as punctuation
    (``a.\\`` is ``ạ`` at the end of a text; see :func:`_marker`). A ``piece`` of a longer text must read
    right whatever comes next (the end, a word, a letter, a toned letter going on with its last word).
    ``opened`` is the word a previous piece left open, as (its text, what was written for it): this piece
    goes on with it. Failing that, ``prev`` is the character before the piece when it starts inside a word.
    """
    return _Writer(text, table, errors, piece, opened, prev).write()


_JOINS = re.compile(r"[A-Za-z0-9]")  # what goes on a word after its end marker


class _Writer:
    """One call of :func:`encode_text`: the text cut into chunks (runs without white space), each written
    plainly, then escaped or given an end marker where the decoder would read it back differently."""

    def __init__(self, text: str, table: CharsetTable, errors: str, piece: bool, opened: tuple[str, str],
                 prev: str) -> None:
        self.spell = _encode_table(table)
        self.errors = errors
        self.text = text = unicodedata.normalize("NFC", text)
        self.piece = piece
        open_text, open_out = opened
        self.prev = open_text[-1:] or prev
        self.chunks = [(m.start(), m.group()) for m in _CHUNK.finditer(text)]
        self.goes_on = bool(self.prev) and bool(self.chunks) and self.chunks[0][0] == 0  # goes on a word
        self.head = open_out if self.goes_on else ""
        # After a piece that ended on an end marker ("ba.\\"), a word going on is joined to it ("\\n").
        self.join = self.goes_on and open_text[-1:].isalpha() and open_out.endswith("\\")
        # A piece is read as the end of the text, and with what could come next: a word, or its last word
        # going on (with a tone).
        self.tails = [("", ""), (" a", " a"), ("a", "a"), ("a` a", "à a"), ("a. a", "ạ a")] if piece else [("", "")]
        expected = open_text + text if self.goes_on else text
        self.wants = [_CHUNK.findall(expected + tail_text) for _, tail_text in self.tails]
        self.plain = [self.spelled(i, False) for i in range(len(self.chunks))]
        if self.goes_on and not open_text:
            self.plain[0] = self.spelled(0, True)

    def spelled(self, i: int, escaped: bool, lo: int = 0, hi: int | None = None) -> str:
        """Chunk ``i`` (its characters ``lo:hi``) in VIQR, with RFC 1456 escapes if ``escaped``."""
        start, chunk = self.chunks[i]
        hi = len(chunk) if hi is None else hi
        part = chunk[lo:hi]
        if escaped:
            before = chunk[lo - 1] if lo else (self.prev if i == 0 and self.goes_on else "")
            part = _escape(part, before)
        return _NON_ASCII.sub(_speller(self.spell, self.errors, self.text, start + lo), part)

    def gap(self, pos: int, end: int) -> str:
        space = self.text[pos:end]
        if space.isascii():
            return space
        # White space VIQR cannot write (no-break space, em space …): the error handler decides; a
        # replacement that could read as a mark is escaped.
        sub = _speller(self.spell, self.errors, self.text, pos)
        return _NON_ASCII.sub(lambda m: "".join("\\" + c if c in _MARK_CHARS else c for c in sub(m)), space)

    def assemble(self, parts: list[str]) -> str:
        if self.join and parts and _JOINS.match(parts[0]):
            parts = ["\\" + parts[0]] + parts[1:]
        out: list[str] = []
        pos = 0
        for (start, chunk), part in zip(self.chunks, parts):
            out.append(self.gap(pos, start))
            out.append(part)
            pos = start + len(chunk)
        out.append(self.gap(pos, len(self.text)))
        return "".join(out)

    def misread(self, parts: list[str], every: bool = False) -> tuple[int, list[int]]:
        """How badly ``parts`` read: the number of misread chunks over all tails, and the chunks misread
        with the first tail that breaks any (``every``: with any tail)."""
        encoded = self.assemble(parts)
        count, first = 0, None
        n = len(self.chunks)
        marked = self.piece and self.text[-1:].isalpha() and encoded.endswith("\\")  # the next piece joins
        union: set[int] = set()
        for (tail, _), want in zip(self.tails, self.wants):
            if marked and _JOINS.match(tail):
                tail = "\\" + tail
            got = _CHUNK.findall(decode_text(self.head + encoded + tail))
            bad = [i for i in range(n) if i >= len(got) or i >= len(want) or got[i] != want[i]]
            if len(got) != len(want) and not bad:
                bad = [n - 1]
            count += len(bad)
            union.update(bad)
            if bad and first is None:
                first = bad
        return count, sorted(union) if every else first or []

    def write(self) -> str:
        plain = self.plain
        count, bad = self.misread(plain)
        best, fewest = list(plain), count
        for _ in range(3):
            if not bad:
                break
            changed = False
            for i in bad:  # escape the chunks that read back differently
                escaped = self.spelled(i, True)
                if plain[i] != escaped:
                    plain[i] = escaped
                    changed = True
            if not changed:
                break
            count, bad = self.misread(plain)
            if count < fewest:  # an escape is kept only where it makes the text read better
                best, fewest = list(plain), count
        chunks = self.chunks
        if self.piece and chunks and chunks[-1][0] + len(chunks[-1][1]) == len(self.text):
            # The piece ends inside a word that the next piece may go on with: what that word will need is
            # unknown, so its literal marks are escaped unless that reads worse ("B...lư" + "ợc").
            i = len(chunks) - 1
            escaped = self.spelled(i, True)
            if escaped != best[i]:
                candidate = best[:i] + [escaped]
                if self.misread(candidate)[0] <= fewest:
                    best = candidate
        return self.assemble(self.end_markers(best) if fewest else best)

    def end_markers(self, parts: list[str]) -> list[str]:
        """Give an end marker ``\\`` to the words that end on a "." or "?" tone the decoder would read as
        punctuation (``tha^`y a.`` at the end of a text: ``tha^`y a.\\``; ``a^?!``: ``a^?\\!``), where it
        makes the text read better. All chunks are tried at once (a chunk reads by its line), in each of
        the two spellings of :meth:`marked`; a marker stays where its chunk then reads right."""
        count, bad = self.misread(parts, every=True)
        for variant in range(4):  # last word marked (plain, escaped), then every such word (plain, escaped)
            options = {i: self.marked(parts, i) for i in bad}
            options = {i: found[variant] for i, found in options.items() if len(found) > variant}
            if not options:
                continue
            trial = [options[i][i] if i in options else part for i, part in enumerate(parts)]
            got, now_bad = self.misread(trial, every=True)
            if got < count:
                parts, count, bad = trial, got, now_bad
                continue
            for i in list(options)[:8]:  # together they read worse: one by one, where few
                got, now_bad = self.misread(options[i], every=True)
                if got < count:
                    parts, count, bad = options[i], got, now_bad
                    break
        return parts

    def marked(self, parts: list[str], i: int) -> list[list[str]]:
        """``parts`` with chunk ``i`` given an end marker after its last word, plain and escaped."""
        chunk = self.chunks[i][1]
        ends = [k + 1 for k, c in enumerate(chunk) if c.isalpha() and _ends_in_mark(c)
                and not (chunk[k + 1 : k + 2].isalpha())]
        if not ends:
            return []
        out = []
        # At the end of a piece, escaped first (as above: the next piece may go on with the word).
        at_end = self.piece and i == len(self.chunks) - 1 and self.chunks[i][0] + len(chunk) == len(self.text)
        # the last word's marker, then (a chunk of several words: 'buỵ"buỵ') a marker after every such word
        for cuts in ([ends[-1]], ends) if len(ends) > 1 else ([ends[-1]],):
            for escaped in (True, False) if at_end else (False, True):
                bounds = [0, *cuts, len(chunk)]
                part = "\\".join(self.spelled(i, escaped, a, b) for a, b in zip(bounds, bounds[1:]))
                if part != parts[i]:
                    out.append(parts[:i] + [part] + parts[i + 1 :])
        return out


class ViqrCodec(Codec):
    """VIQR as a byte codec: ASCII bytes in and out."""

    def __init__(self, table: CharsetTable) -> None:
        self.name = table.name
        self.table = table

    def text(self, data: bytes, errors: str = "strict") -> str:
        """The ASCII characters of ``data``; other bytes go through the ``errors`` handler."""
        try:
            return bytes(data).decode("ascii", decode_errors(errors))
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError("viqr", exc.object, exc.start, exc.end, "VIQR is 7-bit ASCII") from None

    def decode(self, data: bytes, errors: str = "strict") -> str:
        return decode_text(self.text(data, errors))

    def decode_partial(self, data: bytes, errors: str = "strict") -> tuple[str, int]:
        """Decode the words of ``data`` whose reading is settled; see :meth:`piece_decoder`."""
        return _PieceDecoder(self)(bytes(data), errors, False)

    def piece_decoder(self) -> _PieceDecoder:
        return _PieceDecoder(self)

    def can_encode(self, ch: str) -> bool:
        return ch.isascii() or ch in _encode_table(self.table)

    def piece_encoder(self) -> _Pieces:
        return _Pieces(self.table)

    def encode(self, text: str, errors: str = "strict") -> bytes:
        return encode_text(text, self.table, errors).encode("ascii")


_PREFIX_MAX = 200  # longest unfinished word re-encoded with the next piece


class _Pieces:
    """Encodes the successive pieces of one text. It remembers the word the pieces so far left unfinished
    (its text and what was written for it), so a piece that goes on with that word is written as a one-shot
    encoding of the whole text would write it (``A` `` then ``B^A` `` is ``A`B\\^A` ``: without the escape
    the word would read ``ÀB^A` ``). Each piece is checked against what could come next (a word, or its
    last word going on, with or without a tone), so a literal ``.`` or ``?`` that ends it is escaped when
    the next piece could make it read as a mark, and as the end of the text. Pieces cut at white space read
    back exactly; a cut inside a word can, rarely, need an escape in what is already written."""

    def __init__(self, table: CharsetTable) -> None:
        self.table = table
        self.word = ""  # the unfinished word: text since the last white space
        self.written = ""  # what was written for it

    def __call__(self, text: str, errors: str = "strict", final: bool = False) -> bytes:
        piece = not final
        text = unicodedata.normalize("NFC", text)
        out = None
        goes_on = bool(self.word) and text[:1] != "" and not text[0].isspace()
        if goes_on and len(self.word) <= _PREFIX_MAX:
            try:
                whole = encode_text(self.word + text, self.table, errors, piece)
            except UnicodeEncodeError as exc:
                n = len(self.word)
                raise UnicodeEncodeError(exc.encoding, text, exc.start - n, exc.end - n, exc.reason) from None
            if whole.startswith(self.written):
                out = whole[len(self.written) :]
        if out is None:
            if goes_on and len(self.word) <= _PREFIX_MAX:
                out = encode_text(text, self.table, errors, piece, opened=(self.word, self.written))
            else:
                out = encode_text(text, self.table, errors, piece, prev=self.word[-1:] if goes_on else "")
        space = _LAST_SPACE.search(text)
        if space is None:
            self.word += text
            self.written += out
        else:
            self.word = text[space.end() :]
            space = _LAST_SPACE.search(out)
            self.written = out[space.end() :] if space else ""
        return out.encode("ascii")


_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")


_CHUNK_START = re.compile(rb"(?<![^ \t\n\r\x0b\x0c\x1c-\x1f])[^ \t\n\r\x0b\x0c\x1c-\x1f]")  # a word after white space


class _PieceDecoder:
    """Decodes the successive pieces of one VIQR input exactly as the whole would decode.

    A word's reading depends on the word before it and on the first word after it (``Tu+. do`` is
    ``Tự do``), so a piece is decoded up to the start of its second-to-last word, or up to its last line
    end if that comes later (lines read alone): the rest waits for the next piece, and the word before it
    is remembered."""

    def __init__(self, codec: ViqrCodec) -> None:
        self.codec = codec
        self.before = ""  # the decoded word before the data not yet consumed

    def __call__(self, data: bytes, errors: str = "strict", final: bool = False) -> tuple[str, int]:
        if final:
            cut = len(data)
        else:
            starts = [m.start() for m in _CHUNK_START.finditer(data, max(data.rfind(b"\n"), data.rfind(b"\r"), 0))]
            cut = starts[-2] if len(starts) >= 2 else 0
            cut = max(cut, max(data.rfind(b"\n"), data.rfind(b"\r")) + 1)
            if cut == 0:
                return "", 0
        text = self.codec.text(data, errors)
        upto = len(self.codec.text(data[:cut], errors)) if cut < len(data) else len(text)
        out, self.before = _decode(text, self.before, upto)
        return out, cut
