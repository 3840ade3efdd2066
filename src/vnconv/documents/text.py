"""Text files: any encoding in, repaired Unicode (UTF-8 by default) or a legacy charset out, streamed.

What comes in:

* a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), or UTF-16/UTF-32 without one (told by where the
  NUL bytes fall);
* UTF-8 (pure ASCII included), possibly holding *font text* (``Céng hoµ``) or UTF-8 mojibake;
* raw legacy bytes: TCVN3, VNI, VISCII, VPS, VIQR … (:func:`vnconv.detect.detect` says which);
* with ``Options.source`` set to a charset: bytes in that charset, or UTF-8 font text of it.

The bytes are decoded with an incremental decoder, 1 MiB at a time, cut at line ends, and the text goes
through one repair engine piece by piece (:func:`repair_pieces`); memory stays bounded whatever the file
size. A line longer than ``LONG_LINE`` characters goes to the engine in pieces cut after a space (the
engine's evidence carries from piece to piece). Detection looks
at a sample from the start, the middle and the end (and at the first non-ASCII stretch when those are all
ASCII). Line endings are kept exactly (CRLF stays CRLF, mixed stays mixed: the decoder never translates
them); a byte order mark is written only when the input had one. ``Result.changed`` counts changed lines.

Binary data (NUL bytes outside UTF-16/32, or mostly control bytes) raises
``DocumentError(path, "binary data, not text")``.
"""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..charsets.registry import get_codec
from ..errors import DocumentError
from ..repair.engine import Repairer
from ..sniff import Prefixed, Sample, sample_file, sample_stream
from . import Options, Result, atomic_output
from .textdecode import _chinese_line, _vietnamese  # noqa: F401 - named here as before
from .textdecode import make_decoder
from .textlines import DiffSink, LineCounter, UnifiedDiff, cut_lines
from .textplan import Counter, Plan, Target, plan_stream, resolve_source, resolve_target  # noqa: F401

__all__ = [
    "convert_file",
    "detect_file",
    "convert_stream",
    "convert_bytes",
    "plan_stream",
    "resolve_source",
    "resolve_target",
    "Plan",
    "Target",
    "CHUNK",
    "LONG_LINE",
    "repair_pieces",
    "sample_file",
    "sample_stream",
]

#: the old private names (cli.py calls ``text._sample_stream``)
_sample_stream = sample_stream
_Sample = Sample

CHUNK = 1 << 20  #: bytes read per step
#: text without a line end is cut into pieces of at most this many characters (bytes, for raw legacy
#: bytes), after a space where there is one: the repair engine never holds more of a long line at once
LONG_LINE = 1 << 18

Progress = Callable[[int, int], None]  #: progress(bytes done, bytes total or 0)


def _long_pieces(text: str) -> tuple[list[str], str]:
    """Cut text holding no line end into pieces of at most ``LONG_LINE`` characters, each ending after its
    last space (anywhere, in text without spaces); returns the pieces and the rest (shorter than that)."""
    out: list[str] = []
    start = 0
    while len(text) - start > LONG_LINE:  # the rest keeps a character: a CR there may precede an LF
        j = text.rfind(" ", start, start + LONG_LINE) + 1
        end = j if j > start else start + LONG_LINE
        out.append(text[start:end])
        start = end
    return out, text[start:] if start else text


def repair_pieces(pieces: Iterable[str], **options: Any) -> Iterator[str]:
    """Repair text given as pieces (whole lines, or a long line cut after spaces) with one engine: what it
    learns about the document carries from piece to piece. One repaired piece per piece."""
    engine = Repairer(**options)
    for piece in pieces:
        yield engine.feed(piece)


def _encoder(target: Target, errors: str) -> Callable[[str], bytes]:
    if target.kind == "legacy":
        pieces = get_codec(target.name).piece_encoder()  # VIQR: a long line is cut anywhere, even in a word
        return lambda text: pieces(text, errors, False)
    if target.kind == "ncr":
        return lambda text: text.encode("ascii", "xmlcharrefreplace")
    if target.is_utf8:
        return lambda text: text.encode("utf-8")
    enc = codecs.getincrementalencoder(target.name)("replace" if errors == "lowercase" else errors)
    return enc.encode


def _size_of(src: IO[bytes]) -> int | None:
    """The size of a regular file that can seek (it is sampled from its start, middle and end), else None."""
    try:
        st = os.fstat(src.fileno())
        return st.st_size if stat.S_ISREG(st.st_mode) and src.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


class _Conversion:
    """One input streamed through decoding, repair and encoding (see :func:`convert_stream`)."""

    def __init__(self, reader: Any, plan: Plan, options: Options, name: str, size: int | None,
                 progress: Progress | None, diff: DiffSink | None) -> None:
        self.reader, self.plan, self.options, self.name = reader, plan, options, name
        self.target = resolve_target(options.target or "unicode")
        self.decoder = make_decoder(plan, options.count, LONG_LINE)
        differ = UnifiedDiff(diff, name, name + " (converted)") if diff else None
        # Raw legacy bytes are not repaired: which lines look changed is counted on the bytes, by the decoder.
        counted = plan.legacy and plan.encoding != "viqr" and differ is None and not (
            options.repair and options.tone_style
        )
        self.counter = None if counted else LineCounter(differ, plan.encoding if plan.legacy else None, LONG_LINE)
        self.encode = _encoder(self.target, options.errors or "strict")
        self.form = "NFD" if self.target.form == "NFD" or options.form == "NFD" else None
        self.write_bom = bool(plan.bom) and self.target.kind == "unicode"
        self.progress = progress
        self.total = size or 0
        self.bytes_in = plan.bom
        self.bytes_out = 0

    def _decode(self, raw: bytes) -> str:
        if raw and not self.plan.wide and b"\0" in raw:
            raise DocumentError(self.name, "binary data, not text")
        try:
            text = self.decoder.decode(raw, not raw)
        except UnicodeDecodeError as exc:
            offset = self.bytes_in + max(0, exc.start - (len(exc.object) - len(raw)))
            bad = exc.object[exc.start : exc.start + 1].hex().upper()
            raise DocumentError(self.name, f"byte 0x{bad} at offset {offset} is not valid {self.plan.encoding} "
                                "(use -f CHARSET, or --errors replace)") from None
        self.bytes_in += len(raw)
        if self.progress is not None and raw:
            self.progress(self.bytes_in, self.total)
        return text

    def pieces(self) -> Iterator[str]:
        """The decoded text in pieces that end at line ends (a long line: after a space), each counted in."""
        pending = ""
        feed = self.counter.feed_in if self.counter is not None else None
        while True:
            raw = self.reader.read(CHUNK)
            text = self._decode(raw)
            if pending:
                text, pending = pending + text, ""
            if not raw:
                out = [text] if text else []
            else:
                k = cut_lines(text)
                longs, pending = _long_pieces(text[k:] if k else text)
                out = ([text[:k]] if k else []) + longs
            for piece in out:
                if feed is not None:
                    feed(piece)
                yield piece
            if not raw:
                return

    def run(self, dst: IO[bytes] | None) -> None:
        """Repair (unless only transcoding) and write the pieces."""
        o, plan, target = self.options, self.plan, self.target
        # Raw legacy bytes say exactly what they are: their codec decodes them (and its lines of Chinese), and
        # the repair engine, which reads font text, would only re-read correct Unicode at a 6-fold cost.
        if o.repair and (not plan.legacy or o.tone_style):
            stream: Iterator[str] = repair_pieces(self.pieces(), hint=plan.hint, form=o.form,
                                                  tone_style=o.tone_style, restore=o.restore)
        else:  # transcoding only
            stream = self.pieces()
        # Lines are counted for error messages only where encoding can fail (UTF-8/16/32 take every character).
        track = not (target.kind == "unicode" and target.name.startswith("utf"))
        lines_before = 0
        bom = codecs.BOM_UTF8 if self.write_bom and target.is_utf8 else b""
        for out in stream:
            if not out:
                continue
            if self.form and not unicodedata.is_normalized(self.form, out):
                out = unicodedata.normalize(self.form, out)
            if self.counter is not None:
                self.counter.feed_out(out)
            data = bom + self._encode(out, lines_before if track else None)
            bom = b""
            if track:
                lines_before += out.count("\n")
            if dst is not None:
                dst.write(data)
            self.bytes_out += len(data)
        if bom:  # an empty text keeps its byte order mark
            if dst is not None:
                dst.write(bom)
            self.bytes_out += len(bom)
        if self.counter is not None:
            self.counter.finish()

    def _encode(self, out: str, lines_before: int | None) -> bytes:
        try:
            return self.encode(out)
        except UnicodeEncodeError as exc:
            where = "" if lines_before is None else f"line {lines_before + out.count(chr(10), 0, exc.start) + 1}: "
            ch = exc.object[exc.start]
            raise DocumentError(self.name, f"{where}{ch!r} (U+{ord(ch):04X}) cannot be written in "
                                f"{self.target.name} (use --errors replace, ignore or lowercase)") from None

    def report(self, result: Result) -> Result:
        plan, target, counter = self.plan, self.target, self.counter
        if Counter.replaced:
            what = "replaced by U+FFFD" if plan.errors != "vnconv.text.ignore" else "dropped"
            result.warnings.append(f"{Counter.replaced} byte(s) that are not valid {plan.encoding} were {what}")
        if counter is not None and counter.mismatch:
            result.warnings.append("repair changed the number of lines")
        if plan.wide or (plan.bom and target.kind == "unicode" and not target.is_utf8):
            note = " with a byte order mark" if self.write_bom and target.is_utf8 else ""
            result.warnings.append(f"input was {plan.encoding.upper()}; written as {target.name.upper()}{note}")
        result.changed = self.decoder.changed if counter is None else counter.changed
        lines = counter.lines if counter is not None else self.decoder.lines if self.options.count else None
        result.details.update(
            encoding=plan.encoding, bom=bool(plan.bom), form=plan.form, hint=plan.hint, detected=plan.detection,
            reasons=list(plan.reasons), target=target.name + ("-nfd" if self.form else ""), lines=lines,
            repaired=0 if counter is None else counter.repaired, bytes_in=self.bytes_in, bytes_out=self.bytes_out,
        )
        return result


def convert_stream(
    src: IO[bytes],
    dst: IO[bytes] | None,
    options: Options | None = None,
    *,
    name: str = "<stdin>",
    size: int | None = None,
    progress: Progress | None = None,
    diff: DiffSink | None = None,
) -> Result:
    """Convert the text read from ``src`` and write it to ``dst`` (None: write nothing, as for a dry run).

    ``size``: the input's size when known (a seekable file is sampled from its start, middle and end;
    other streams from their first 256 KiB). ``progress(done, total)`` is called after each MiB. ``diff``
    receives a unified diff of the changed lines.
    """
    options = options or Options()
    resolve_target(options.target or "unicode")  # an unknown target fails before anything is read
    size = _size_of(src) if size is None else size
    if size is not None:
        sample = sample_file(src, size)
        reader: Any = src
    else:
        sample, read = sample_stream(src)
        reader = Prefixed(read, src)
    plan = plan_stream(sample, options, name)
    result = Result(path=name, format="text", charset=plan.charset, confidence=round(plan.confidence, 4))
    result.warnings += plan.warnings
    if plan.bom:
        reader.read(plan.bom)
    job = _Conversion(reader, plan, options, name, size, progress, diff)
    Counter.replaced = 0
    job.run(dst)
    return job.report(result)


def convert_bytes(data: bytes, options: Options | None = None, name: str = "<bytes>") -> tuple[bytes, Result]:
    """Convert a whole text held in memory; returns the output bytes and the :class:`Result`."""
    import io

    out = io.BytesIO()
    result = convert_stream(io.BytesIO(data), out, options, name=name, size=len(data))
    return out.getvalue(), result


# -- the adapter interface -------------------------------------------------------------------------------
def _open(src: Path) -> IO[bytes]:
    try:
        mode = os.stat(src).st_mode
        if stat.S_ISDIR(mode):
            raise DocumentError(str(src), "is a directory, not a file")
        if not stat.S_ISREG(mode):  # a FIFO would block, a device would never end
            raise DocumentError(str(src), "not a regular file")
        return open(src, "rb")
    except OSError as exc:
        raise DocumentError(str(src), exc.strerror or str(exc)) from None


def convert_file(
    src: Path,
    dst: Path,
    options: Options | None = None,
    progress: Progress | None = None,
    diff: DiffSink | None = None,
) -> Result:
    """Convert the text file ``src`` into ``dst`` (written atomically; ``dst`` may be ``src``)."""
    src, dst = Path(src), Path(dst)
    options = options or Options()
    with _open(src) as fh:
        size = os.fstat(fh.fileno()).st_size
        try:
            with atomic_output(dst) as out:
                result = convert_stream(fh, out, options, name=str(src), size=size, progress=progress, diff=diff)
        except OSError as exc:
            raise DocumentError(str(src), f"cannot write {dst}: {exc.strerror or exc}") from None
    result.output = str(dst)
    return result


def dry_run(src: Path, options: Options | None = None, progress: Progress | None = None,
            diff: DiffSink | None = None) -> Result:
    """Convert ``src`` without writing anything: the :class:`Result` (and diff) of a conversion."""
    src = Path(src)
    with _open(src) as fh:
        size = os.fstat(fh.fileno()).st_size
        return convert_stream(fh, None, options, name=str(src), size=size, progress=progress, diff=diff)


def detect_file(src: Path, options: Options | None = None) -> Result:
    """What ``src`` holds (charset, confidence, form, reasons), reading a sample only."""
    src = Path(src)
    options = options or Options()
    with _open(src) as fh:
        size = os.fstat(fh.fileno()).st_size
        plan = plan_stream(sample_file(fh, size), options, str(src))
    result = Result(path=str(src), format="text", charset=plan.charset, confidence=round(plan.confidence, 4))
    result.warnings += plan.warnings
    result.details.update(encoding=plan.encoding, bom=bool(plan.bom), form=plan.form, hint=plan.hint,
                          detected=plan.detection, reasons=list(plan.reasons), size=size)
    return result
