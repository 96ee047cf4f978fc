"""The ``tariff`` command: a thin layer over the library. ``main(argv) -> exit code``.

Exit codes: 0 done; 2 unusable input or bad usage (one line on stderr per problem,
the rest of the batch still runs). No traceback reaches a user.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .output import FORMATS, write_output
from .pipeline import extract
from .sources import BadInput


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="tariff", description="Read Japanese care-fee documents into sourced tariff rows.")
    p.add_argument("--version", action="version", version=f"tariff {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    ex = sub.add_parser(
        "extract",
        help="read documents and write their tariff rows",
        description="Read fee documents (.txt/.md text) and write one record per tariff row.",
    )
    ex.add_argument("paths", nargs="+", metavar="PATH", help="documents to read")
    ex.add_argument("--format", choices=FORMATS, default="jsonl", help="jsonl (default): one row per line; json: documents with rows and findings; csv: flat rows")
    ex.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (atomically)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if args.command == "extract":
        return _extract(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


def _extract(args) -> int:
    results, bad = [], 0
    for name in args.paths:
        try:
            res = extract(Path(name))
        except BadInput as e:
            print(f"tariff: {e}", file=sys.stderr)
            bad += 1
            continue
        except Exception as e:  # a recognizer bug must not lose the batch
            print(f"tariff: {name}: internal error ({type(e).__name__}: {e}); please report it with this file", file=sys.stderr)
            bad += 1
            continue
        results.append(res)
        n_find = len(res.findings)
        print(
            f"{res.doc}: {len(res.rows)} rows, {n_find} findings ({res.status})"
            + (f" [{res.recognizer} {res.confidence:.2f}]" if res.recognizer else ""),
            file=sys.stderr,
        )
    try:
        write_output(results, args.format, args.output)
    except OSError as e:
        print(f"tariff: {args.output}: cannot write ({e.strerror}); choose a writable path", file=sys.stderr)
        return 2
    return 2 if bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
