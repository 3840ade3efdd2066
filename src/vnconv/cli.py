"""The ``vnconv`` command line."""

from __future__ import annotations

import argparse
import sys

from . import charsets, convert

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vnconv", description="Legacy Vietnamese text to Unicode and back.")
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("convert", help="convert text files")
    conv.add_argument("paths", nargs="+", metavar="PATH")
    conv.add_argument("-f", "--from", dest="source", default="tcvn3")
    conv.add_argument("-t", "--to", dest="target", default="unicode")
    conv.add_argument("-o", "--output", default="-")
    sub.add_parser("charsets", help="list the charsets")
    args = parser.parse_args(argv)
    if args.command == "charsets":
        print("\n".join(charsets()))
        return 0
    for path in args.paths:
        with open(path, encoding="utf-8") as fh:
            sys.stdout.write(convert(fh.read(), args.source, args.target))
    return 0
