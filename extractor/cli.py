"""The ``tariff`` command: a thin layer over the library. ``main(argv) -> exit code``.

Exit codes: 0 done (check: clean); 1 (check) a finding at or above --fail-on;
2 unusable input or bad usage (one line on stderr per problem, the rest of the batch
still runs). No traceback reaches a user.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .check import SEVERITY_RANK, check
from .check_output import CHECK_FORMATS, render
from .output import FORMATS, write_atomic, write_output
from .pipeline import extract
from .reference import load as load_reference
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
    ck = sub.add_parser(
        "check",
        help="reconcile every printed amount; fail on inconsistent documents",
        description="Reconcile units × 1単位の単価 with every printed yen, infer the unit price, check the "
        "benefit/copay split, and compare units with references and with the other documents given. "
        "Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 on unusable input.",
    )
    ck.add_argument("paths", nargs="+", metavar="PATH", help="documents to check (checked against each other too)")
    ck.add_argument("--format", choices=CHECK_FORMATS, default="text", help="text (default), json, junit or github")
    ck.add_argument("--reference", action="append", default=[], metavar="FILE",
                    help="a reference tariff: a service-code CSV (service_type,service_code,short_name,units) "
                    "or rows written by `tariff extract` (.jsonl); may be given more than once")
    ck.add_argument("--fail-on", choices=("error", "warning"), default="error", help="lowest severity that fails (default: error)")
    ck.add_argument("-v", "--verbose", action="store_true", help="show info findings too (text and github formats)")
    ck.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of stdout (atomically)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if args.command == "extract":
        return _extract(args)
    if args.command == "check":
        return _check(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


def _read_all(paths: list[str], quiet: bool = False) -> tuple[list, int]:
    """Extract every path; one line on stderr for each that cannot be read."""
    results, bad = [], 0
    for name in paths:
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
        if not quiet:
            print(
                f"{res.doc}: {len(res.rows)} rows, {len(res.findings)} findings ({res.status})"
                + (f" [{res.recognizer} {res.confidence:.2f}]" if res.recognizer else ""),
                file=sys.stderr,
            )
    return results, bad


def _extract(args) -> int:
    results, bad = _read_all(args.paths)
    try:
        write_output(results, args.format, args.output)
    except OSError as e:
        print(f"tariff: {args.output}: cannot write ({e.strerror}); choose a writable path", file=sys.stderr)
        return 2
    return 2 if bad else 0


def _check(args) -> int:
    refs = []
    for name in args.reference:
        try:
            refs.append(load_reference(Path(name)))
        except BadInput as e:
            print(f"tariff: {e}", file=sys.stderr)
            return 2
    results, bad = _read_all(args.paths, quiet=True)
    report = check(results, refs)
    text = render(report, args.format, args.fail_on, args.verbose)
    try:
        if args.output:
            write_atomic(Path(args.output), text)
        else:
            sys.stdout.write(text)
    except OSError as e:
        print(f"tariff: {args.output}: cannot write ({e.strerror}); choose a writable path", file=sys.stderr)
        return 2
    if bad:
        return 2
    return 1 if report.worst() >= SEVERITY_RANK[args.fail_on] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
