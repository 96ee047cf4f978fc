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
from .check_output import CHECK_FORMATS
from . import engine
from .output import FORMATS, Target, WriteError, escape, pieces
from .sources import BadInput

# The checker and the references are imported by the commands that use them (check,
# report, build), not by `extract`, which never does.


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
        description="Read fee documents (PDFs, scanned PDFs through OCR, .txt/.md text) and write one record per tariff row.",
    )
    ex.add_argument("paths", nargs="+", metavar="PATH", help="documents, folders or glob patterns to read")
    ex.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="documents read in parallel (0: all cores; default 1)")
    ex.add_argument("--no-cache", action="store_true", help="read every file again (the cache is $TARIFF_CACHE or ~/.cache/tariff)")
    ex.add_argument("--executor", choices=("local", "dask"), default="local", help="where documents are read: this machine (default) or a Dask cluster")
    ex.add_argument("--scheduler", metavar="ADDR", help="the Dask scheduler, with --executor dask (e.g. tcp://127.0.0.1:8786)")
    ex.add_argument("--timeout", type=int, default=engine.DEFAULT_TIMEOUT, metavar="S",
                    help=f"stop a document after S seconds (1 to {engine.MAX_TIMEOUT}; default {engine.DEFAULT_TIMEOUT})")
    ex.add_argument("--max-memory", type=int, metavar="MB",
                    help=f"memory each worker may take ({engine.MIN_MAX_MEMORY_MB} to {engine.MAX_MAX_MEMORY_MB}; default {engine.DEFAULT_MAX_MEMORY_MB})")
    ex.add_argument("-v", "--verbose", action="store_true",
                    help="show each table's parsing report (columns, roles and why, rows read), and log library warnings, on stderr")
    ex.add_argument("--format", choices=FORMATS, default="jsonl", help="jsonl (default): one row per line; json: documents with rows and findings; csv: flat rows")
    ex.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout ('-': stdout; a file is replaced atomically, a device or pipe written to)")
    ex.add_argument("--password", metavar="PW", help="password of encrypted PDFs")
    ck = sub.add_parser(
        "check",
        help="reconcile every printed amount; fail on inconsistent documents",
        description="Reconcile units × 1単位の単価 with every printed yen, infer the unit price, check the "
        "benefit/copay split, and compare units with the built-in 令和6年度 service-code table, any --reference, "
        "and the other documents given.",
        epilog="exit codes:\n"
        "  0  clean: every document read completely, no finding at or above --fail-on\n"
        "  1  a finding at or above --fail-on\n"
        "  2  unusable input or bad usage (one line per problem on stderr; the rest is still checked)\n"
        "  3  a document is unverified: part of it was not read (a table line whose yen no row\n"
        "     carries, or no recognizer knows it); one line on stderr says what. --allow-partial\n"
        "     accepts such documents. 2 wins over 3, and 3 over 1.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ck.add_argument("paths", nargs="+", metavar="PATH", help="documents, folders or glob patterns to check (checked against each other too)")
    ck.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="documents read in parallel (0: all cores; default 1)")
    ck.add_argument("--no-cache", action="store_true", help="read every file again (the cache is $TARIFF_CACHE or ~/.cache/tariff)")
    ck.add_argument("--executor", choices=("local", "dask"), default="local", help="where documents are read: this machine (default) or a Dask cluster")
    ck.add_argument("--scheduler", metavar="ADDR", help="the Dask scheduler, with --executor dask (e.g. tcp://127.0.0.1:8786)")
    ck.add_argument("--timeout", type=int, default=engine.DEFAULT_TIMEOUT, metavar="S",
                    help=f"stop a document after S seconds (1 to {engine.MAX_TIMEOUT}; default {engine.DEFAULT_TIMEOUT})")
    ck.add_argument("--max-memory", type=int, metavar="MB",
                    help=f"memory each worker may take ({engine.MIN_MAX_MEMORY_MB} to {engine.MAX_MAX_MEMORY_MB}; default {engine.DEFAULT_MAX_MEMORY_MB})")
    ck.add_argument("--format", choices=CHECK_FORMATS, default="text", help="text (default), json, junit or github")
    ck.add_argument("--reference", action="append", default=[], metavar="FILE",
                    help="a reference tariff, in addition to the built-in one: a service-code CSV "
                    "(service_type,service_code,short_name,units) or rows written by `tariff extract` (.jsonl); "
                    "may be given more than once")
    ck.add_argument("--no-reference", action="store_true",
                    help="do not hold units to the built-in 令和6年度 service-code table (the official units of "
                    "居宅介護支援, 訪問看護, 訪問介護 and 通所介護 通常規模型, used by default)")
    ck.add_argument("--revisions", action="append", default=[], metavar="FILE",
                    help="a file of further revisions (the schema of extractor/data/revisions.json), added to the built-in ones; may be given more than once")
    ck.add_argument("--fail-on", choices=("error", "warning"), default="error", help="lowest severity that fails (default: error)")
    ck.add_argument("--allow-partial", action="store_true",
                    help="do not fail (exit 3) for a document that was not read completely; it is still reported")
    ck.add_argument("-v", "--verbose", action="store_true", help="show info findings too (text and github formats), and log library warnings")
    ck.add_argument("--password", metavar="PW", help="password of encrypted PDFs")
    ck.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of stdout (atomically)")
    bd = sub.add_parser(
        "build",
        help="build the canonical dataset (normalized/) from documents",
        description="Extract and check every document, merge their rows into canonical items with every "
        "source, mark disputed values, apply the reviewed errata, and write the dataset atomically.",
    )
    bd.add_argument("paths", nargs="+", metavar="SOURCE", help="documents, folders or glob patterns to build from")
    bd.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="documents read in parallel (0: all cores; default 1)")
    bd.add_argument("--out", default="normalized", metavar="DIR", help="dataset folder (default: normalized)")
    bd.add_argument("--reference", action="append", default=[], metavar="FILE", help="reference tariffs, as for check")
    bd.add_argument("--errata", metavar="FILE", help="reviewed errata (default: DIR/errata.json)")
    bd.add_argument("--password", metavar="PW", help="password of encrypted PDFs")
    bd.add_argument("--revisions", action="append", default=[], metavar="FILE",
                    help="a file of further revisions (the schema of extractor/data/revisions.json), added to the built-in ones; may be given more than once")
    bd.add_argument("--onto", metavar="DIR",
                    help="add these documents to the dataset DIR as a new revision: a changed value starts a new period and "
                    "closes the old one the day before, an equal value is confirmed, an unchanged one goes on")
    bd.add_argument("--revision", metavar="NAME",
                    help="the revision these documents are of (a name in the revisions data, e.g. 令和6年度): their "
                    "undated values start on the day it takes effect for their service, and the items it abolishes end")
    rp = sub.add_parser("report", help="a self-contained HTML report: pages, rows and flagged amounts",
                        description="Check the documents and write one HTML file that works offline: each PDF page "
                        "with a box over every row and a red box over every flagged amount, the table beside it, "
                        "and the findings linking to the boxes.")
    rp.add_argument("paths", nargs="+", metavar="PATH", help="documents, folders or glob patterns")
    rp.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    rp.add_argument("--reference", action="append", default=[], metavar="FILE", help="reference tariffs, as for check")
    rp.add_argument("--password", metavar="PW", help="password of encrypted PDFs")
    cc = sub.add_parser("calc", help="a month's charges for a plan, from the dataset",
                        description="Compute a month's charges (units, 処遇改善, limit, yen, benefit, copay) for a "
                        "plan file, from the canonical dataset only.")
    cc.add_argument("plan", metavar="PLAN.json", help="the plan (see the README)")
    cc.add_argument("--dataset", default="normalized", metavar="DIR", help="dataset folder (default: normalized)")
    cc.add_argument("--format", choices=("text", "json"), default="text")
    cc.add_argument("--month", metavar="YYYY-MM", help="compute the plan for this month instead of its own \"month\"")
    ex2 = sub.add_parser("export", help="export the dataset as CSV, Parquet or SQLite",
                         description="Export the canonical dataset for other systems.")
    ex2.add_argument("--dataset", default="normalized", metavar="DIR", help="dataset folder (default: normalized)")
    ex2.add_argument("--format", choices=("csv", "parquet", "sqlite"), required=True)
    ex2.add_argument("-o", "--output", required=True, metavar="FILE")
    ex2.add_argument("--encoding", choices=("utf-8-sig", "cp932"), default="utf-8-sig", help="CSV only (default: UTF-8 with a BOM)")
    ex2.add_argument("--as-of", metavar="DATE", help="only the items in force on this date (YYYY-MM-DD)")
    df = sub.add_parser("diff", help="what changed between two datasets or two revisions",
                        description="Compare two datasets (or one dataset at two dates or two revisions): changed, new "
                        "and abolished items by service, with old → new units and, with --grade, yen. Exit 1 when they differ.")
    df.add_argument("old", metavar="OLD", help="dataset folder")
    df.add_argument("new", metavar="NEW", nargs="?", help="dataset folder (default: OLD; compare two dates or revisions of it)")
    df.add_argument("--old-as-of", metavar="DATE", help="the revision of OLD in force on this date")
    df.add_argument("--new-as-of", metavar="DATE", help="the revision of NEW in force on this date")
    df.add_argument("--old-revision", "--from", metavar="NAME", help="OLD as this revision has it (its effective day for each service)")
    df.add_argument("--new-revision", "--to", metavar="NAME", help="NEW as this revision has it")
    df.add_argument("--grade", metavar="級地", help="show yen at this 級地 (1級地 … 7級地, その他), each service at its class's 地域単価 on each side's date")
    df.add_argument("--format", choices=("text", "json", "csv", "html"), default="text")
    df.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (atomically)")
    df.add_argument("--report-only", action="store_true", help="exit 0 even when there are differences")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is written escaped, never a crash
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    engine.quiet_libraries(getattr(args, "verbose", False))
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("tariff: interrupted; nothing was replaced", file=sys.stderr)
        return 130
    except BrokenPipeError:  # stdout or stderr closed by its reader: end quietly
        _stdout_gone()
        return 2
    except Exception as e:  # a bug: still one line, never a traceback
        what = " ".join(f"{type(e).__name__}: {e}".split())[:300]
        print(f"tariff: {args.command}: internal error ({what}); please report it", file=sys.stderr)
        return 2


def _run(args) -> int:
    if args.command == "extract":
        return _extract(args)
    if args.command == "check":
        return _check(args)
    if args.command == "build":
        return _build(args)
    if args.command == "export":
        return _export(args)
    if args.command == "report":
        return _report(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "calc":
        return _calc(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


# the batch engine lives in engine.py; these names stay importable from here
expand, _extract_one, _read_all, _iter_results = engine.expand, engine.extract_one, engine.read_all, engine.iter_results
Unavailable = engine.Unavailable


def _say(e: Exception) -> None:
    """One line on stderr for a problem: the file it names is printed escaped."""
    if isinstance(e, (BadInput, WriteError)):
        print(f"tariff: {escape(e.path) if isinstance(e, BadInput) else e.path}: {e.what}; {e.todo}", file=sys.stderr)
    else:
        print(f"tariff: {e}", file=sys.stderr)


def _options(args) -> None:
    """Refuse options out of range (``OptionError``) before anything is read."""
    engine.check_options(getattr(args, "jobs", 1), getattr(args, "timeout", engine.DEFAULT_TIMEOUT),
                         getattr(args, "max_memory", None))


def _open_output(name: str | None) -> Target:
    """The output, opened before the batch is read, so a path that cannot be written
    costs one line at once, not the whole run."""
    return Target(name).open()


def _extract(args) -> int:
    bad = [0]
    try:
        _options(args)
        target = _open_output(args.output)
    except (engine.OptionError, WriteError) as e:
        _say(e)
        return 2
    results = engine.iter_results(args.paths, bad, password=args.password, jobs=args.jobs, use_cache=not args.no_cache,
                                  executor=args.executor, scheduler=args.scheduler,
                                  timeout=args.timeout, max_memory=args.max_memory, tables=args.verbose,
                                  fmt=args.format)
    try:  # each document is written as it finishes: memory stays flat
        for piece in pieces(results, args.format):
            target.write(piece)
        target.commit()
    except BrokenPipeError:  # `tariff extract … | head`: the reader has gone, so stop quietly
        results.close()
        _stdout_gone()
        return 2 if bad[0] else 0
    except WriteError as e:
        results.close()
        _say(e)
        return 2
    except engine.Unavailable as e:
        target.discard()
        _say(e)
        return 2
    except BaseException:
        target.discard()
        raise
    return 2 if bad[0] else 0


def _stdout_gone() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not complain of
    the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


REFERENCE_MAX_MB = 256


def _references(names: list[str]) -> list | None:
    """The --reference files, or None after one line on stderr for the first unusable one."""
    from .reference import load as load_reference
    from .sources.files import MB, check_file

    try:
        for name in names:  # a reference is a table or rows: a device or FIFO is refused, not read forever
            if Path(name).is_dir() and (Path(name) / "items.jsonl").is_file():
                continue  # a dataset folder (`tariff build`): its items, with their periods
            check_file(Path(name), REFERENCE_MAX_MB * MB)
        return [load_reference(Path(name)) for name in names]
    except BadInput as e:
        _say(e)
        return None


def _check(args) -> int:
    from .check import SEVERITY_RANK, check
    from .check_output import render
    from .reference import builtin_reference
    from .revisions import Calendar, RevisionsError

    try:
        _options(args)
    except engine.OptionError as e:
        _say(e)
        return 2
    refs = _references(args.reference)
    if refs is None:
        return 2
    try:  # the revisions: built in, --revisions, and those of any dataset given as a reference
        cal = _calendar(args)
        for name in args.reference:
            if Path(name).is_dir():
                had = _calendar(args, Path(name))
                mine = {(r.name, r.scheme) for r in cal.revisions}
                cal = Calendar(cal.revisions + tuple(r for r in had.revisions if (r.name, r.scheme) not in mine))
    except RevisionsError as e:
        print(f"tariff: {e}", file=sys.stderr)
        return 2
    if not args.no_reference:
        refs = [builtin_reference(cal)] + refs
    try:
        target = _open_output(args.output)
    except WriteError as e:
        _say(e)
        return 2
    try:
        results, bad = engine.read_all(args.paths, quiet=True, password=args.password, jobs=args.jobs,
                                       use_cache=not args.no_cache, executor=args.executor, scheduler=args.scheduler,
                                       timeout=args.timeout, max_memory=args.max_memory)
        report = check(results, refs, password=args.password, calendar=cal)
        target.write(render(report, args.format, args.fail_on, args.verbose, args.allow_partial))
        target.commit()
    except BrokenPipeError:
        _stdout_gone()
        return 2
    except (WriteError, engine.Unavailable) as e:
        target.discard()
        _say(e)
        return 2
    except BaseException:
        target.discard()
        raise
    unverified = report.unverified()
    for d in unverified:  # one line each: what was not read
        print(f"tariff: {escape(d.result.path)}: not verified: {d.unread_summary()}"
              + ("" if args.allow_partial else "; the check cannot vouch for it (--allow-partial accepts it)"),
              file=sys.stderr)
    if bad:
        return 2
    if unverified and not args.allow_partial:
        return 3
    return 1 if report.worst() >= SEVERITY_RANK[args.fail_on] else 0


def _report(args) -> int:
    from .check import check
    from .report import render as render_report

    refs = _references(args.reference)
    if refs is None:
        return 2
    try:
        target = _open_output(args.output)
    except WriteError as e:
        _say(e)
        return 2
    try:
        results, bad = engine.read_all(args.paths, quiet=True, password=args.password)
        report = check(results, refs)
        target.write(render_report(report, password=args.password))
        target.commit()
    except WriteError as e:
        _say(e)
        return 2
    except BaseException:
        target.discard()
        raise
    e, w = report.count("error"), report.count("warning")
    n = len(results)
    print(f"{target.shown}: {n} document{'' if n == 1 else 's'}, {e} error{'' if e == 1 else 's'}, {w} warning{'' if w == 1 else 's'}", file=sys.stderr)
    return 2 if bad else 0


def _calc(args) -> int:
    import json

    from pydantic import ValidationError

    from .calculator import Plan, PlanError, calculate, render_text

    try:
        from .sources.files import MB, read_limited

        try:  # a plan is small: a device or FIFO is refused, not read forever
            raw = json.loads(read_limited(Path(args.plan), 16 * MB).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise BadInput(args.plan, f"is not JSON ({e})", "write the plan as UTF-8 JSON (see the README)") from None
        if args.month is not None and isinstance(raw, dict):
            raw = {**raw, "month": args.month}
        try:
            plan = Plan.model_validate(raw)
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(x) for x in err["loc"]) or "plan"
            raise BadInput(args.plan, f"{where}: {err['msg']}", "fix the plan (see the README's plan format)") from None
        try:
            charges = calculate(plan, _load_dataset(args.dataset), _load_calendar(args.dataset))
        except PlanError as e:
            raise BadInput(args.plan, str(e), "fix the plan or rebuild the dataset") from None
    except BadInput as e:
        _say(e)
        return 2
    if args.format == "json":
        sys.stdout.write(charges.model_dump_json(indent=1) + "\n")
    else:
        sys.stdout.write(render_text(charges))
    return 0


def _date(value: str | None, flag: str):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(flag, f"'{value}' is not a date", "write it as YYYY-MM-DD") from None


def _load_dataset(folder: str):
    from . import dataset

    path = Path(folder)
    if not (path / "items.jsonl").is_file():
        raise BadInput(folder, "is not a dataset (no items.jsonl)", "build one with `tariff build SOURCES --out DIR`")
    try:
        return dataset.load(path)
    except ValueError as e:
        raise BadInput(folder, f"has an unreadable items.jsonl ({str(e).splitlines()[0]})", "rebuild it with `tariff build`") from None


def _load_calendar(folder: str):
    """The dataset's calendar (calendar.json), or the built-in one for a dataset without it."""
    from . import dataset

    try:
        return dataset.load_calendar(Path(folder))
    except (ValueError, KeyError) as e:
        raise BadInput(folder, f"has an unreadable calendar.json ({str(e).splitlines()[0]})", "rebuild it with `tariff build`") from None


def _export(args) -> int:
    from . import dataset, exports
    from .output import write_via_file

    try:
        items = dataset.select(_load_dataset(args.dataset), _date(args.as_of, "--as-of"))
        if args.format == "csv":
            write_via_file(args.output, lambda tmp: exports.to_csv(items, tmp, args.encoding))
        elif args.format == "parquet":
            write_via_file(args.output, lambda tmp: exports.to_parquet(items, tmp))
        else:
            write_via_file(args.output, lambda tmp: exports.to_sqlite(items, tmp))
    except (BadInput, WriteError) as e:
        _say(e)
        return 2
    except ValueError as e:
        print(f"tariff: {Target(args.output).shown}: {e}", file=sys.stderr)
        return 2
    print(f"{Target(args.output).shown}: {len(items)} items", file=sys.stderr)
    return 0


def _diff(args) -> int:
    from . import dataset, diffs
    from .output import write_via_file

    new_dir = args.new or args.old
    try:
        if args.old_as_of and args.old_revision or args.new_as_of and args.new_revision:
            raise BadInput("diff", "a side is chosen by a date or by a revision, not both", "drop --old-as-of or --old-revision (or the new ones)")
        old_date, new_date = _date(args.old_as_of, "--old-as-of"), _date(args.new_as_of, "--new-as-of")
        old_all, new_all = _load_dataset(args.old), _load_dataset(new_dir)
        cal, values = _load_calendar(new_dir)
        old_cal, _ = _load_calendar(args.old)
        old = dataset.select(old_all, old_date)
        new = dataset.select(new_all, new_date)
        if args.old_revision:
            old = diffs.at_revision(old_all, old_cal, args.old_revision)
        if args.new_revision:
            new = diffs.at_revision(new_all, cal, args.new_revision)
        if args.grade is not None and args.grade not in {k[2] for k in values.keys("unit_price")}:
            raise BadInput("--grade", f"'{args.grade}' is not a 級地", "give 1級地 … 7級地 or その他")
    except BadInput as e:
        _say(e)
        return 2
    except diffs.DiffError as e:
        print(f"tariff: diff: {e}; name one of them", file=sys.stderr)
        return 2
    label = lambda folder, day, rev: rev or (f"{folder} {day}" if day else folder)  # noqa: E731
    d = diffs.for_people(old, new, cal, values, grade=args.grade,
                         old_label=label(args.old, old_date, args.old_revision), new_label=label(new_dir, new_date, args.new_revision),
                         old_as_of=old_date, new_as_of=new_date, old_revision=args.old_revision, new_revision=args.new_revision)
    out = diffs.render(d, args.format)
    if args.output and args.output != "-":
        try:
            write_via_file(args.output, lambda tmp: tmp.write_text(out, encoding="utf-8-sig" if args.format == "csv" else "utf-8"))
        except WriteError as e:
            _say(e)
            return 2
    else:
        sys.stdout.write(out)
    differs = any(d[k] for k in ("added", "removed", "changed"))
    return 1 if differs and not args.report_only else 0


def _calendar(args, base: Path | None = None):
    """The revisions of this run: built in, any --revisions FILE, and (for --onto) the ones
    the base dataset was built with. RevisionsError (one line) for a file the schema refuses."""
    from . import dataset
    from .revisions import Calendar, RevisionsError

    cal = Calendar.with_files([Path(f) for f in getattr(args, "revisions", [])])
    if base is not None and (base / "calendar.json").is_file():
        try:
            had, _ = dataset.load_calendar(base)
        except (ValueError, KeyError) as e:
            raise RevisionsError(f"{base / 'calendar.json'}: is not a calendar ({str(e).splitlines()[0]}); rebuild the dataset") from None
        mine = {(r.name, r.scheme) for r in cal.revisions}
        cal = Calendar(cal.revisions + tuple(r for r in had.revisions if (r.name, r.scheme) not in mine))
    revision = getattr(args, "revision", None)
    if revision is not None and not cal.named(revision):
        names = ", ".join(dict.fromkeys(r.name for r in cal.revisions))
        raise RevisionsError(f"--revision {revision}: no such revision (known: {names}); add it to a --revisions file")
    return cal


def _build(args) -> int:
    import json as _json

    from . import dataset, revise
    from .check import check
    from .revisions import RevisionsError

    refs = _references(args.reference)
    if refs is None:
        return 2
    base = base_items = None
    base_manifest: dict = {}
    try:
        if args.onto is not None:
            base = Path(args.onto)
            base_items = _load_dataset(args.onto)
            mf = base / "manifest.json"
            base_manifest = _json.loads(mf.read_text(encoding="utf-8")) if mf.is_file() else {}
        cal = _calendar(args, base)
    except BadInput as e:
        _say(e)
        return 2
    except RevisionsError as e:
        print(f"tariff: {e}", file=sys.stderr)
        return 2
    out = Path(args.out)
    errata_path = Path(args.errata) if args.errata else out / "errata.json"
    try:
        errata = dataset.load_errata(errata_path)
    except (ValueError, KeyError) as e:
        print(f"tariff: {errata_path}: is not an errata file ({e}); fix its JSON", file=sys.stderr)
        return 2
    names, problems = expand(args.paths)
    for line in problems:
        print(f"tariff: {line}", file=sys.stderr)
    try:
        _options(args)
    except engine.OptionError as e:
        _say(e)
        return 2
    results, bad = engine.read_all(sorted(names, key=lambda p: Path(p).name), quiet=True, password=args.password, jobs=args.jobs)
    bad += len(problems)
    report = check(results, refs, calendar=cal)
    items = dataset.build(report, errata, cal, args.revision)
    entry = dataset.established(items, report, args.revision)
    history = [entry]
    if base_items is not None:
        items, outcome = revise.onto(base_items, items, cal, args.revision)
        entry["items"] = outcome.counts()
        begun = set(outcome.new) | {n for _, n in outcome.changed}
        starts: dict[str, int] = {}
        for it in items:
            if it.id in begun:
                starts[str(it.effective_from)] = starts.get(str(it.effective_from), 0) + 1
        entry["periods"] = starts  # the periods these documents began (confirmed values go on)
        history = list(base_manifest.get("established", [])) + [entry]
    try:
        dataset.write(out, items, report, errata_path, cal, history, base_manifest.get("sources"))
    except OSError as e:
        print(f"tariff: {out}: cannot write the dataset ({e.strerror}); the previous one is intact", file=sys.stderr)
        return 2
    status = {s: sum(it.status == s for it in items) for s in ("agreed", "disputed", "corrected")}
    print(f"{out}: {len(items)} items from {len(results)} documents "
          f"({status['agreed']} agreed, {status['disputed']} disputed, {status['corrected']} corrected)", file=sys.stderr)
    return 2 if bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
