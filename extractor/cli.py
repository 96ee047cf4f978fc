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
        description="Read fee documents (PDFs, scanned PDFs through OCR, .txt/.md text) and write one record per tariff row.",
    )
    ex.add_argument("paths", nargs="+", metavar="PATH", help="documents, folders or glob patterns to read")
    ex.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="documents read in parallel (0: all cores; default 1)")
    ex.add_argument("--no-cache", action="store_true", help="read every file again (the cache is $TARIFF_CACHE or ~/.cache/tariff)")
    ex.add_argument("--executor", choices=("local", "dask"), default="local", help="where documents are read: this machine (default) or a Dask cluster")
    ex.add_argument("--scheduler", metavar="ADDR", help="the Dask scheduler, with --executor dask (e.g. tcp://127.0.0.1:8786)")
    ex.add_argument("--timeout", type=int, default=300, metavar="S", help="stop a document after S seconds (default 300; 0: no limit)")
    ex.add_argument("--max-memory", type=int, metavar="MB", help="memory limit of each worker with --jobs > 1")
    ex.add_argument("--format", choices=FORMATS, default="jsonl", help="jsonl (default): one row per line; json: documents with rows and findings; csv: flat rows")
    ex.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (atomically)")
    ex.add_argument("--password", metavar="PW", help="password of encrypted PDFs")
    ck = sub.add_parser(
        "check",
        help="reconcile every printed amount; fail on inconsistent documents",
        description="Reconcile units × 1単位の単価 with every printed yen, infer the unit price, check the "
        "benefit/copay split, and compare units with references and with the other documents given. "
        "Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 on unusable input.",
    )
    ck.add_argument("paths", nargs="+", metavar="PATH", help="documents, folders or glob patterns to check (checked against each other too)")
    ck.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="documents read in parallel (0: all cores; default 1)")
    ck.add_argument("--no-cache", action="store_true", help="read every file again (the cache is $TARIFF_CACHE or ~/.cache/tariff)")
    ck.add_argument("--executor", choices=("local", "dask"), default="local", help="where documents are read: this machine (default) or a Dask cluster")
    ck.add_argument("--scheduler", metavar="ADDR", help="the Dask scheduler, with --executor dask (e.g. tcp://127.0.0.1:8786)")
    ck.add_argument("--timeout", type=int, default=300, metavar="S", help="stop a document after S seconds (default 300; 0: no limit)")
    ck.add_argument("--max-memory", type=int, metavar="MB", help="memory limit of each worker with --jobs > 1")
    ck.add_argument("--format", choices=CHECK_FORMATS, default="text", help="text (default), json, junit or github")
    ck.add_argument("--reference", action="append", default=[], metavar="FILE",
                    help="a reference tariff: a service-code CSV (service_type,service_code,short_name,units) "
                    "or rows written by `tariff extract` (.jsonl); may be given more than once")
    ck.add_argument("--fail-on", choices=("error", "warning"), default="error", help="lowest severity that fails (default: error)")
    ck.add_argument("-v", "--verbose", action="store_true", help="show info findings too (text and github formats)")
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
    ex2 = sub.add_parser("export", help="export the dataset as CSV, Parquet or SQLite",
                         description="Export the canonical dataset for other systems.")
    ex2.add_argument("--dataset", default="normalized", metavar="DIR", help="dataset folder (default: normalized)")
    ex2.add_argument("--format", choices=("csv", "parquet", "sqlite"), required=True)
    ex2.add_argument("-o", "--output", required=True, metavar="FILE")
    ex2.add_argument("--encoding", choices=("utf-8-sig", "cp932"), default="utf-8-sig", help="CSV only (default: UTF-8 with a BOM)")
    ex2.add_argument("--as-of", metavar="DATE", help="only the items in force on this date (YYYY-MM-DD)")
    df = sub.add_parser("diff", help="what changed between two datasets or two revisions",
                        description="Compare two datasets (or one dataset at two dates). Exit 1 when they differ.")
    df.add_argument("old", metavar="OLD", help="dataset folder")
    df.add_argument("new", metavar="NEW", help="dataset folder (may be the same as OLD with --old-as-of/--new-as-of)")
    df.add_argument("--old-as-of", metavar="DATE", help="the revision of OLD in force on this date")
    df.add_argument("--new-as-of", metavar="DATE", help="the revision of NEW in force on this date")
    df.add_argument("--format", choices=("text", "json"), default="text")
    df.add_argument("--report-only", action="store_true", help="exit 0 even when there are differences")
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


DOCUMENT_SUFFIXES = (".pdf", ".txt", ".md", ".text", ".tsv")


def expand(args: list[str]) -> tuple[list[str], list[str]]:
    """Files, folders (every document below them) and glob patterns, in a stable order;
    and one message for each argument that names nothing."""
    import glob

    paths, problems = [], []
    for a in args:
        p = Path(a)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES)
            if not found:
                problems.append(f"{a}: folder holds no documents ({', '.join(DOCUMENT_SUFFIXES)}); check the path")
            paths += found
        elif any(ch in a for ch in "*?[") and not p.exists():
            found = sorted(f for f in glob.glob(a, recursive=True) if Path(f).is_file())
            if not found:
                problems.append(f"{a}: matches no file; check the pattern")
            paths += found
        else:
            paths.append(a)
    return paths, problems


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def _limit_memory(mb: int | None) -> None:
    """Pool-worker initializer: cap the worker's address space."""
    if mb:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (mb * 1024 * 1024, mb * 1024 * 1024))


def _extract_one(job: tuple):
    """One document, in a worker: the result, or the line to print (exceptions do not
    travel back from a process pool as they were raised). With the cache on, an
    unchanged file is not read again. A document over the time limit is stopped."""
    import signal
    import threading

    name, password, use_cache, timeout = job
    timed = bool(timeout) and threading.current_thread() is threading.main_thread()
    if timed:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(int(timeout))
    try:
        if use_cache:
            from . import cache

            path = Path(name)
            k = cache.key(path, path.read_bytes()) if path.is_file() else None
            hit = cache.get(k) if k else None
            if hit is not None:
                return hit.model_copy(update={"path": str(path)})
            res = extract(path, password)
            if k:
                cache.put(k, res, name)
            return res
        return extract(Path(name), password)
    except BadInput as e:
        return f"tariff: {e}"
    except _Timeout:
        return f"tariff: {name}: took longer than {timeout} s and was stopped; raise --timeout, or check the file"
    except MemoryError:
        return f"tariff: {name}: needs more memory than the limit and was stopped; raise --max-memory, or check the file"
    except Exception as e:  # a recognizer bug must not lose the batch
        return f"tariff: {name}: internal error ({type(e).__name__}: {e}); please report it with this file"
    finally:
        if timed:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)


class Unavailable(Exception):
    """An option that needs something not installed: one line, exit 2."""


def _progress(total: int):
    """A progress bar on a terminal (stderr), nothing in CI or when redirected."""
    import os

    if total < 2 or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    # the bar draws on stderr and must leave stdout alone: it carries the rows
    bar = Progress(transient=True, console=Console(stderr=True), redirect_stdout=False)
    bar.start()
    return bar, bar.add_task("reading", total=total)


def _outcomes(work: list, jobs: int, executor: str, scheduler: str | None, max_memory: int | None = None):
    """Results of _extract_one over ``work``, in input order: in this process, a process
    pool, or a Dask cluster."""
    if executor == "dask":
        try:
            from distributed import Client
        except ImportError:
            raise Unavailable("--executor dask needs Dask: pip install 'tariff[dask]'") from None
        if not scheduler:
            raise Unavailable("--executor dask needs --scheduler ADDR (e.g. tcp://127.0.0.1:8786)")
        with Client(scheduler) as client:
            for future in client.map(_extract_one, work, pure=False):
                yield future.result()
        return
    if jobs > 1 and len(work) > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=min(jobs, len(work)), initializer=_limit_memory, initargs=(max_memory,))
        try:
            yield from pool.map(_extract_one, work, chunksize=1)
        finally:
            pool.shutdown(cancel_futures=True)
        return
    yield from map(_extract_one, work)


def _iter_results(paths: list[str], bad: list[int], quiet: bool = False, password: str | None = None, jobs: int = 1,
                  use_cache: bool = False, executor: str = "local", scheduler: str | None = None,
                  timeout: int | None = None, max_memory: int | None = None):
    """Extract every path (folders and patterns expanded), in parallel with ``jobs``
    processes, yielding results in input order as they finish; one line on stderr per
    unreadable input, counted in ``bad[0]``."""
    import os

    names, problems = expand(paths)
    for line in problems:
        print(f"tariff: {line}", file=sys.stderr)
    bad[0] += len(problems)
    work = [(n, password, use_cache, timeout) for n in names]
    jobs = (os.cpu_count() or 1) if jobs == 0 else jobs
    progress = _progress(len(work))
    try:
        for res in _outcomes(work, jobs, executor, scheduler, max_memory):
            if progress:
                progress[0].advance(progress[1])
            if isinstance(res, str):
                print(res, file=sys.stderr)
                bad[0] += 1
                continue
            if not quiet:
                print(
                    f"{res.doc}: {len(res.rows)} rows, {len(res.findings)} findings ({res.status})"
                    + (f" [{res.recognizer} {res.confidence:.2f}]" if res.recognizer else ""),
                    file=sys.stderr,
                )
            yield res
    finally:
        if progress:
            progress[0].stop()


def _read_all(paths: list[str], quiet: bool = False, password: str | None = None, jobs: int = 1,
              use_cache: bool = False, executor: str = "local", scheduler: str | None = None,
              timeout: int | None = None, max_memory: int | None = None) -> tuple[list, int]:
    """Every result at once (check and build compare documents with each other)."""
    bad = [0]
    results = list(_iter_results(paths, bad, quiet, password, jobs, use_cache, executor, scheduler, timeout, max_memory))
    return results, bad[0]


def _extract(args) -> int:
    bad = [0]
    try:  # each document is written as it finishes: memory stays flat
        write_output(_iter_results(args.paths, bad, password=args.password, jobs=args.jobs, use_cache=not args.no_cache,
                                   executor=args.executor, scheduler=args.scheduler,
                                   timeout=args.timeout, max_memory=args.max_memory),
                     args.format, args.output)
    except OSError as e:
        print(f"tariff: {args.output}: cannot write ({e.strerror}); choose a writable path", file=sys.stderr)
        return 2
    except Unavailable as e:
        print(f"tariff: {e}", file=sys.stderr)
        return 2
    return 2 if bad[0] else 0


def _references(names: list[str]) -> list | None:
    """The --reference files, or None after one line on stderr for the first unusable one."""
    try:
        return [load_reference(Path(name)) for name in names]
    except BadInput as e:
        print(f"tariff: {e}", file=sys.stderr)
        return None


def _check(args) -> int:
    refs = _references(args.reference)
    if refs is None:
        return 2
    try:
        results, bad = _read_all(args.paths, quiet=True, password=args.password, jobs=args.jobs,
                                 use_cache=not args.no_cache, executor=args.executor, scheduler=args.scheduler,
                                 timeout=args.timeout, max_memory=args.max_memory)
    except Unavailable as e:
        print(f"tariff: {e}", file=sys.stderr)
        return 2
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


def _report(args) -> int:
    from .report import render as render_report

    refs = _references(args.reference)
    if refs is None:
        return 2
    results, bad = _read_all(args.paths, quiet=True, password=args.password)
    report = check(results, refs)
    try:
        write_atomic(Path(args.output), render_report(report, password=args.password))
    except OSError as e:
        print(f"tariff: {args.output}: cannot write ({e.strerror}); choose a writable path", file=sys.stderr)
        return 2
    e, w = report.count("error"), report.count("warning")
    n = len(results)
    print(f"{args.output}: {n} document{'' if n == 1 else 's'}, {e} error{'' if e == 1 else 's'}, {w} warning{'' if w == 1 else 's'}", file=sys.stderr)
    return 2 if bad else 0


def _calc(args) -> int:
    import json

    from pydantic import ValidationError

    from .calculator import Plan, PlanError, calculate, render_text

    try:
        try:
            raw = json.loads(Path(args.plan).read_text("utf-8"))
        except OSError as e:
            raise BadInput(args.plan, f"cannot be read ({e.strerror})", "check the path") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise BadInput(args.plan, f"is not JSON ({e})", "write the plan as UTF-8 JSON (see the README)") from None
        try:
            plan = Plan.model_validate(raw)
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(x) for x in err["loc"]) or "plan"
            raise BadInput(args.plan, f"{where}: {err['msg']}", "fix the plan (see the README's plan format)") from None
        try:
            charges = calculate(plan, _load_dataset(args.dataset))
        except PlanError as e:
            raise BadInput(args.plan, str(e), "fix the plan or rebuild the dataset") from None
    except BadInput as e:
        print(f"tariff: {e}", file=sys.stderr)
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


def _export(args) -> int:
    from . import dataset, exports

    try:
        items = dataset.select(_load_dataset(args.dataset), _date(args.as_of, "--as-of"))
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        if args.format == "csv":
            exports.to_csv(items, tmp, args.encoding)
        elif args.format == "parquet":
            exports.to_parquet(items, tmp)
        else:
            exports.to_sqlite(items, tmp)
        tmp.replace(out)
    except BadInput as e:
        print(f"tariff: {e}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"tariff: {args.output}: {e}", file=sys.stderr)
        Path(args.output).with_name(f".{Path(args.output).name}.tmp").unlink(missing_ok=True)
        return 2
    print(f"{args.output}: {len(items)} items", file=sys.stderr)
    return 0


def _diff(args) -> int:
    import json as _json

    from . import dataset, exports

    try:
        old = dataset.select(_load_dataset(args.old), _date(args.old_as_of, "--old-as-of"))
        new = dataset.select(_load_dataset(args.new), _date(args.new_as_of, "--new-as-of"))
    except BadInput as e:
        print(f"tariff: {e}", file=sys.stderr)
        return 2
    d = exports.diff(old, new)
    sys.stdout.write(_json.dumps(d, ensure_ascii=False, indent=1) + "\n" if args.format == "json" else exports.diff_text(d))
    differs = any(d[k] for k in ("added", "removed", "changed"))
    return 1 if differs and not args.report_only else 0


def _build(args) -> int:
    from . import dataset

    refs = _references(args.reference)
    if refs is None:
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
    results, bad = _read_all(sorted(names, key=lambda p: Path(p).name), quiet=True, password=args.password, jobs=args.jobs)
    bad += len(problems)
    report = check(results, refs)
    items = dataset.build(report, errata)
    try:
        dataset.write(out, items, report, errata_path)
    except OSError as e:
        print(f"tariff: {out}: cannot write the dataset ({e.strerror}); the previous one is intact", file=sys.stderr)
        return 2
    status = {s: sum(it.status == s for it in items) for s in ("agreed", "disputed", "corrected")}
    print(f"{out}: {len(items)} items from {len(results)} documents "
          f"({status['agreed']} agreed, {status['disputed']} disputed, {status['corrected']} corrected)", file=sys.stderr)
    return 2 if bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
