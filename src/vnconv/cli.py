"""The ``vnconv`` command line: it parses the arguments and calls :mod:`vnconv.jobs`.

::

    vnconv convert PATH... [-f auto|CHARSET] [-t unicode|CHARSET] [-o FILE|DIR [--no-clobber]]
                           [--in-place [--no-backup]] [--dry-run [--diff]] [--report FILE.json] [--jobs N]
                           [--include GLOB] [--exclude GLOB] [--quiet]
    vnconv detect PATH... [--json]
    vnconv charsets
    vnconv fonts
    vnconv < in.txt > out.txt

iconv habits work too: ``vnconv -f tcvn3 -t utf-8 old.txt > new.txt`` (``convert`` is implied), ``-l``
lists the charsets, ``-c`` drops what cannot be converted, ``-s`` is silent. Exit codes: 0 all files
converted, 1 some failed, 2 usage error, 130 interrupted. See docs/cli.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from . import __version__
from .jobs import Console, Request, UsageError, convert, detect, list_charsets, list_fonts
from .jobs.console import PROG

__all__ = ["main", "build_parser"]

COMMANDS = ("convert", "detect", "charsets", "fonts", "web")
_TOP_FLAGS = ("-h", "--help", "-V", "--version", "-l", "--list", "--usage", "--completion", "--manpage")

EXAMPLES = """\
commands (one example each):
  convert    vnconv convert old.txt -o new.txt          detect, convert and repair to UTF-8
             (the default: vnconv -f tcvn3 old.txt > new.txt, or vnconv < old.txt > new.txt)
  detect     vnconv detect archive/                     tell what each file holds (reads only)
  charsets   vnconv charsets                            list the charsets and their aliases (also -l)
  fonts      vnconv fonts                               list the legacy fonts vnconv knows
  web        vnconv web                                 a page in the browser: drop files, see, download

exit codes: 0 ok, 1 some files failed, 2 usage error, 130 interrupted.
'vnconv COMMAND --help' tells more; docs/cli.md has it all."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # exit code 2, one line
        raise UsageError(message)


def _convert_parser(sub: Any) -> None:
    conv = sub.add_parser("convert", help="convert files (the default command)",
                          description="Convert text files and documents to Unicode (or to a legacy charset).")
    conv.add_argument("paths", nargs="*", metavar="PATH", help="files or directories ('-': stdin; none: stdin)")
    conv.add_argument("-f", "--from", dest="source", default="auto", metavar="CHARSET",
                      help="input charset, or 'auto' (default): detect and repair")
    conv.add_argument("-t", "--to", dest="target", default="unicode", metavar="CHARSET",
                      help="text files: 'unicode' (UTF-8, default), 'nfd', 'ncr', or a charset such as tcvn3")
    conv.add_argument("-o", "--output", metavar="FILE|DIR",
                      help="output file ('-': stdout), or a directory that mirrors the input tree; an existing "
                      "file there is replaced unless --no-clobber")
    conv.add_argument("--no-clobber", action="store_true",
                      help="never replace a file that exists: --no-clobber wins over -o (that file fails and "
                      "the others are converted); --in-place still replaces the file it converts")
    conv.add_argument("-i", "--in-place", action="store_true",
                      help="replace each file, keeping the original as NAME.bak")
    conv.add_argument("--no-backup", action="store_true", help="with --in-place: keep no backup")
    conv.add_argument("-n", "--dry-run", action="store_true", help="convert but write nothing")
    conv.add_argument("--diff", action="store_true", help="with --dry-run: print a unified diff of text changes")
    conv.add_argument("--report", metavar="FILE.json", help="write a JSON report of every file ('-': stdout)")
    conv.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                      help="convert N files at a time in parallel processes (0: one per CPU)")
    conv.add_argument("--dask", metavar="ADDRESS",
                      help="run the conversions on a running Dask cluster (tcp://host:8786); its workers must see "
                      "the files at the same paths (pip install 'vnconv[dask]')")
    conv.add_argument("--include", action="append", default=[], metavar="GLOB",
                      help="in directories, convert only files matching GLOB (repeatable)")
    conv.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                      help="in directories, skip files matching GLOB (repeatable)")
    conv.add_argument("--hidden", action="store_true", help="in directories, also enter hidden files and folders")
    conv.add_argument("--errors", choices=("strict", "replace", "ignore", "lowercase"),
                      help="bytes or characters that cannot be converted: fail (strict), replace, ignore, or "
                      "(-t legacy charset) write missing capitals as lowercase. Default: strict with -f CHARSET "
                      "and for output, replace when detecting")
    conv.add_argument("-c", dest="errors", action="store_const", const="ignore",
                      help="like iconv -c: drop what cannot be converted (--errors ignore)")
    conv.add_argument("--form", choices=("NFC", "NFD"), default="NFC", help="Unicode normalization form")
    conv.add_argument("--tone-style", choices=("old", "new"), help="rewrite tone marks: old (hoà) or new (hòa)")
    conv.add_argument("--no-restore", dest="restore", action="store_false",
                      help="do not restore letters legacy encodings lose (TCVN3 ư in soft hyphens)")
    conv.add_argument("--no-repair", dest="repair", action="store_false",
                      help="text files: transcode only (like iconv), no repair of font text left inside")
    conv.add_argument("--uppercase", choices=("convert", "caps"), default="convert",
                      help="documents: .VnTimeH text to real capitals (convert) or lowercase + caps property")
    conv.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                      help="time an external converter (LibreOffice) may take per file")
    conv.add_argument("-q", "--quiet", "-s", "--silent", action="store_true",
                      help="no progress, warnings or summary (-s: like iconv -s)")
    conv.add_argument("-v", "--verbose", action="store_true", help="one line per file on stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Legacy Vietnamese text (TCVN3/ABC, VNI, VIQR, VISCII, VPS, CP1258 …) to Unicode and back; "
        "repairs text files and documents.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-l", "--list", action="store_true", help="list the charsets (like iconv -l)")
    parser.add_argument("--usage", action="store_true", help="print a short usage message")
    parser.add_argument("--completion", choices=("bash", "zsh", "tcsh"), metavar="SHELL",
                        help="print a completion script for bash, zsh or tcsh (needs vnconv[shell]: shtab)")
    parser.add_argument("--manpage", action="store_true",
                        help="print the manual page, made from this parser (needs vnconv[shell]: argparse-manpage)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _convert_parser(sub)
    det = sub.add_parser("detect", help="tell what each file holds",
                         description="Detect the charset of each file (reads only).")
    det.add_argument("paths", nargs="+", metavar="PATH", help="files or directories ('-': stdin)")
    det.add_argument("--json", action="store_true", help="JSON output")
    det.add_argument("--include", action="append", default=[], metavar="GLOB")
    det.add_argument("--exclude", action="append", default=[], metavar="GLOB")
    det.add_argument("--hidden", action="store_true")
    chs = sub.add_parser("charsets", help="list the charsets and their aliases")
    chs.add_argument("--json", action="store_true")
    fts = sub.add_parser("fonts", help="list the legacy fonts vnconv knows")
    fts.add_argument("--json", action="store_true")
    web = sub.add_parser("web", help="a page in the browser to convert files (needs vnconv[web])",
                         description="Serve a page on 127.0.0.1 to drop files and see what changes (docs/web.md).")
    web.add_argument("--port", type=int, default=0, metavar="N", help="port to listen on (default: a free one)")
    web.add_argument("--no-browser", action="store_true", help="do not open the browser")
    web.add_argument("--limit", type=float, default=200.0, metavar="MB", help="largest upload (default 200 MB)")
    return parser


def _normalize_argv(argv: list[str], stdin_is_data: bool = False) -> list[str]:
    """``vnconv -f tcvn3 file`` means ``vnconv convert -f tcvn3 file`` (iconv style); a bare ``vnconv``
    with data piped in means ``vnconv convert`` (stdin to stdout)."""
    if not argv:
        return ["convert"] if stdin_is_data else argv
    if argv[0] in COMMANDS or argv[0] in _TOP_FLAGS:
        return argv
    return ["convert", *argv]


def _stdin_is_data() -> bool:
    try:
        return sys.stdin is not None and not sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _request(args: argparse.Namespace) -> Request:
    from .documents import Options

    options = Options(source=args.source, target=args.target, form=args.form, tone_style=args.tone_style,
                      restore=args.restore, uppercase=args.uppercase, timeout=args.timeout, errors=args.errors,
                      repair=args.repair)
    return Request(paths=list(args.paths), options=options, output=args.output, in_place=args.in_place,
                   no_backup=args.no_backup, no_clobber=args.no_clobber, dry_run=args.dry_run, diff=args.diff,
                   report=args.report, jobs=args.jobs, dask=args.dask, include=args.include, exclude=args.exclude,
                   hidden=args.hidden, quiet=args.quiet, verbose=args.verbose)


def _usage(parser: argparse.ArgumentParser) -> int:
    sys.stdout.write(parser.format_usage())
    sys.stdout.write(f"       {PROG} convert PATH... [-f CHARSET] [-t CHARSET] [-o FILE|DIR | -i] [-n] [-j N]\n"
                     f"       {PROG} detect PATH... | {PROG} charsets | {PROG} fonts | {PROG} < in > out\n")
    return 0


def _shell_extra(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """--completion SHELL (shtab) and --manpage (argparse-manpage): optional, generated from the parser."""
    import importlib

    flag, module, package = (("--completion", "shtab", "shtab") if args.completion
                             else ("--manpage", "argparse_manpage.manpage", "argparse-manpage"))
    try:
        lib = importlib.import_module(module)
    except ImportError:
        raise UsageError(f"{flag} needs {package}: pip install 'vnconv[shell]'") from None
    if args.completion:
        text = lib.complete(parser, shell=args.completion)
    else:
        data = {"project_name": PROG, "version": __version__, "url": "https://pypi.org/project/vnconv/"}
        text = str(lib.Manpage(parser, _data=data, format="pretty"))
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.usage:
        return _usage(parser)
    if args.completion or args.manpage:
        return _shell_extra(parser, args)
    if args.list or args.command == "charsets":
        return list_charsets(getattr(args, "json", False))
    if args.command is None:
        raise UsageError("give a command: convert, detect, charsets or fonts (or pipe text in: vnconv < in > out)")
    if args.command == "fonts":
        return list_fonts(args.json)
    if args.command == "web":
        from .web import serve

        return serve(args.port, not args.no_browser, args.limit)
    console = Console(quiet=getattr(args, "quiet", False))
    if args.command == "detect":
        return detect(args.paths, console, args.json, args.include, args.exclude, args.hidden)
    previous = None
    with contextlib.suppress(ValueError):  # not the main thread
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return convert(_request(args), console)
    finally:
        if previous is not None:
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 some files failed, 2 usage error, 130 Ctrl-C)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    console = Console(quiet=any(a in argv for a in ("-q", "--quiet", "-s", "--silent")))
    try:
        try:
            args = parser.parse_args(_normalize_argv(argv, not argv and _stdin_is_data()))
        except SystemExit as exc:  # --help, --version
            return int(exc.code or 0) if not isinstance(exc.code, str) else 2
        return _dispatch(parser, args)
    except UsageError as exc:
        console.clear()
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        print(f"Try '{PROG} --help' or '{PROG} convert --help'.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        console.clear()
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (vnconv … | head): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
