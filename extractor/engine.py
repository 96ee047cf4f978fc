"""The batch engine: expand the paths, read every document in worker processes within
its limits, and yield each result (or the one line that replaces it) in input order.

Limits that hold whatever the input:
- every document is read in a worker process (``--jobs`` of them, never more than the
  files or the cores), whose memory is capped (``--max-memory``, default
  ``DEFAULT_MAX_MEMORY_MB``, on top of what the worker starts with);
- a document over ``--timeout`` is stopped: by an alarm inside the worker, or, when the
  worker is stuck where the alarm cannot reach it (inside a C library), by killing the
  worker; a fresh worker takes the next document;
- a worker that dies (killed, out of memory, a C library aborting) costs one line for
  the document it was reading, and the batch goes on with a fresh worker;
- library warnings are logged (``-v`` shows them, one line each, naming the file), never
  printed on their own.

The Dask executor runs the same per-document function on a cluster (its workers are
Dask's; the alarm-based timeout holds only where Dask runs tasks on a main thread); a
large PDF's runs of pages are tasks of their own there (``extract_one_dask``).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from pathlib import Path

from .output import Rendered, escape, utf8_chunks, write_all
from .sources import BadInput
from .sources.files import check_readable

log = logging.getLogger("tariff")

DOCUMENT_SUFFIXES = (".pdf", ".txt", ".md", ".text", ".tsv", ".html", ".htm", ".xlsx", ".xlsm", ".docx", ".docm")
DEFAULT_TIMEOUT = 300
MAX_TIMEOUT = 7 * 24 * 3600  # a week: longer is a mistake, not a limit
DEFAULT_MAX_MEMORY_MB = 2048
MIN_MAX_MEMORY_MB = 64
MAX_MAX_MEMORY_MB = 1 << 20  # 1 TiB
KILL_GRACE = 5.0  # seconds past --timeout before a worker the alarm did not stop is killed


def extract(path: Path, password: str | None = None):
    """``pipeline.extract``, imported when the first document is read (the recognizers
    and the reading stage are most of the start-up, and `--help` needs none of them)."""
    from .pipeline import extract as read

    return read(path, password)


class Unavailable(Exception):
    """An option that needs something not installed: one line, exit 2."""


class OptionError(Exception):
    """An option out of range: one line, exit 2."""


def check_options(jobs: int, timeout: int, max_memory: int | None) -> None:
    """Refuse options out of range, with the range in the message."""
    if jobs < 0:
        raise OptionError(f"--jobs {jobs}: must be 0 (all cores) or more")
    if not 1 <= timeout <= MAX_TIMEOUT:
        raise OptionError(f"--timeout {timeout}: must be between 1 and {MAX_TIMEOUT} seconds")
    if max_memory is not None and not MIN_MAX_MEMORY_MB <= max_memory <= MAX_MAX_MEMORY_MB:
        raise OptionError(f"--max-memory {max_memory}: must be between {MIN_MAX_MEMORY_MB} and {MAX_MAX_MEMORY_MB} MB")


def workers_for(jobs: int, files: int) -> int:
    """Never more workers than files or cores; 0 means all cores."""
    cores = os.cpu_count() or 1
    return max(1, min(cores if jobs == 0 else jobs, cores, files))


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
                problems.append(f"{escape(a)}: folder holds no documents ({', '.join(DOCUMENT_SUFFIXES)}); check the path")
            paths += found
        elif any(ch in a for ch in "*?[") and not p.exists():
            found = sorted(f for f in glob.glob(a, recursive=True) if Path(f).is_file())
            if not found:
                problems.append(f"{escape(a)}: matches no file; check the pattern")
            paths += found
        else:
            paths.append(a)
    return paths, problems


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


class _Named(logging.Filter):
    """Put the file being read in front of every library log line, and keep it one line."""

    current = "-"

    def filter(self, record: logging.LogRecord) -> bool:
        msg = " ".join(record.getMessage().split())
        who = "" if record.name == log.name else f"{record.name}: "
        record.msg, record.args = f"{escape(_Named.current)}: {who}{msg}", None
        return True


def quiet_libraries(verbose: bool) -> None:
    """Library warnings (pdfminer's logging, Python warnings) never reach stderr on their
    own: with ``verbose`` they are logged there, one line each, naming the file."""
    import warnings

    logging.captureWarnings(True)
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_tariff", False):
            root.removeHandler(h)
    handler: logging.Handler
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("tariff: %(message)s"))
        handler.addFilter(_Named())
        root.setLevel(logging.WARNING)
    else:
        handler = logging.NullHandler()
        warnings.simplefilter("ignore")
    handler._tariff = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    for name in ("pdfminer", "pdfplumber", "PIL", "camelot"):
        logging.getLogger(name).setLevel(logging.WARNING if verbose else logging.CRITICAL + 1)


def extract_one(job: tuple):
    """One document: the result, or the line to print (exceptions do not travel back
    from a worker as they were raised). With the cache on, an unchanged file is not read
    again. A document over the time limit is stopped."""
    import threading

    name, password, use_cache, timeout = job[:4]
    page_jobs = job[4] if len(job) > 4 else 1  # processes one large PDF's pages may be read in (see outcomes)
    fmt = job[5] if len(job) > 5 else None  # `extract`'s output format: the document is sent back written in it
    shown = escape(name)
    _Named.current = name
    if page_jobs > 1:
        from . import pipeline
        from .sources import pdf as pdf_source

        pdf_source.PAGE_JOBS = page_jobs
        if fmt and not use_cache:  # (a cached document is written from the rows once cached)
            pipeline.WRITE_FORMAT = fmt
    timed = bool(timeout) and threading.current_thread() is threading.main_thread()
    if timed:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(int(timeout))
    try:
        path = Path(name)
        if use_cache and path.suffix.lower() in DOCUMENT_SUFFIXES:
            from . import cache

            data = check_readable(path)
            k = cache.key(path, data) if data is not None else None
            del data
            kept = fmt in cache.RENDERED and k
            written = cache.get_rendered(k, fmt) if kept else None
            if written is not None:
                return written
            hit = cache.get(k) if k else None
            if hit is not None:
                res = hit.model_copy(update={"path": str(path)})
            else:
                res = extract(path, password)
                if k:
                    cache.put(k, res, name)
            if kept:
                return cache.put_rendered(k, res, fmt, release=True)
            return Rendered.streamed(res, fmt, jobs=page_jobs) if fmt else res
        res = extract(path, password)
        return Rendered.streamed(res, fmt, jobs=page_jobs) if fmt else res  # (the rows go as they are written, when sent)
    except BadInput as e:
        return f"tariff: {escape(e.path)}: {e.what}; {e.todo}"
    except _Timeout:
        return f"tariff: {shown}: took longer than {timeout} s and was stopped; raise --timeout, or check the file"
    except MemoryError:
        return f"tariff: {shown}: needs more memory than the limit and was stopped; raise --max-memory, or check the file"
    except RecursionError:
        return f"tariff: {shown}: is nested too deeply to read (a damaged or hostile file); get a fresh copy of the file"
    except Exception as e:  # a recognizer bug must not lose the batch
        what = " ".join(f"{type(e).__name__}: {e}".split())[:300]
        return f"tariff: {shown}: internal error ({what}); please report it with this file"
    finally:
        if timed:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
        _Named.current = "-"
        if page_jobs > 1:
            pdf_source.PAGE_JOBS = 1
            pipeline.WRITE_FORMAT = None


def extract_one_dask(job: tuple):
    """``extract_one`` as a Dask task: a PDF of many pages (``PAGES_PER_JOB`` a run) has its
    runs of pages read by tasks of their own, spread over the cluster's threads, and its
    lines joined here in page order, so one large document uses the cluster as the local
    engine's forked page readers use the cores; the rest of the reading (the recognizers,
    which need the whole document) is done here. The same lines, so the same output."""
    from .sources import pdf as pdf_source

    pdf_source.RUNNER.runs = _dask_runs
    try:
        return extract_one(job)
    finally:
        pdf_source.RUNNER.runs = None


def _dask_runs(path: Path, password: str | None, pages: int):
    """The outcomes of ``pdf.read_run`` over ``pages`` cut in runs, one task each, from
    inside a Dask task (which leaves its worker's pool while it waits, so the runs may take
    its thread); None when the cluster has one thread or the document too few pages for two
    runs, or when the cluster fails them (the pages are then read here)."""
    from .sources import pdf as pdf_source

    try:
        from distributed import worker_client

        with worker_client() as client:
            threads = sum(client.nthreads().values())
            jobs = min(threads, pages // pdf_source.PAGES_PER_JOB)
            if jobs < 2:
                return None
            cuts = [pages * k // jobs for k in range(jobs + 1)]
            futures = [client.submit(pdf_source.read_run, str(path), password, a, b, pure=False)
                       for a, b in zip(cuts, cuts[1:])]
            return client.gather(futures)
    except Exception as e:  # noqa: BLE001  (not in a Dask task, a worker lost: read here)
        log.debug("page runs not read by the cluster (%s: %s); read in one task", type(e).__name__, e)
        return None


def _vm_size() -> int:
    """This process's address space now, in bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _serve(conn, max_memory_mb: int) -> None:
    """A worker: cap its memory, then read one document per message until told to stop."""
    import gc
    import resource

    from .pipeline import GC_YOUNG

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # what the parent imported lives as long as the worker: out of the collector's way (nor copied
    # from the parent when a collection would touch it), and the collector run less often, as
    # while a document is read (pipeline.fewer_collections), for the writing too
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    limit = _vm_size() + max_memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, job = msg
        res = extract_one(job)
        try:
            _send(conn, index, res)
        except Exception as e:  # a result that cannot travel back is still one line
            conn.send((index, f"tariff: {escape(job[0])}: internal error (result not sent: {type(e).__name__}); please report it with this file"))
        finally:
            if len(job) > 4 and job[4] > 1:
                from .output import drop_early

                drop_early()  # (rows started early and not written so: the document ended otherwise)


def _send(conn, index: int, res) -> None:
    """A worker's result to the parent. A document written in its format goes as the head
    of its ``Rendered`` (pickled), then its piece as UTF-8, about 64K characters to a
    message, written as it is sent (``Rendered.texts``: a row at a time, each row let go
    once written), then an empty message and what became of the writing (None, or the
    line that replaces the document). Pickled whole, the piece cost two more copies of
    itself (its UTF-8, encoded in a buffer of 3 bytes a character, and pickle's buffer);
    written whole first, one more: tens of MB at the worker's peak for a long document.
    ``_receive`` puts it back together."""
    if not isinstance(res, Rendered):
        conn.send((index, res))
        return
    conn.send((index, res.head(), None))
    failed = None
    try:
        for text in res.texts(SEND_CHARS):
            conn.send_bytes(text.encode("utf-8", "surrogatepass"))  # (as pickle encodes a str)
    except (OSError, EOFError):
        raise
    except Exception as e:  # a row that cannot be written: this document's line, as extract_one says it
        what = " ".join(f"{type(e).__name__}: {e}".split())[:300]
        failed = f"tariff: {escape(res.doc)}: internal error ({what}); please report it with this file"
    conn.send_bytes(b"")
    conn.send(failed)


SEND_CHARS = 1 << 16
SPOOL_BYTES = 1 << 20  # a document's part received beyond this waits in an anonymous temporary file, not in memory


def _receive(conn, deadline: float | None = None):
    """What ``_send`` sent: (index, result). A written document's piece over
    ``SPOOL_BYTES`` is kept in a temporary file with no name, so the parent never holds
    a long document's output whole, and nothing is left on disk whatever happens; a
    file that cannot be written (a full disk) keeps it in memory instead. The worker
    writes the piece as it sends it: a worker that stops sending past ``deadline``
    (``time.monotonic``) is a ``TimeoutError``, for the pool to stop it."""
    got = conn.recv()
    if len(got) == 2:
        return got
    index, head, _ = got
    spool, parts, held = None, [], 0  # (parts: received, not in the file yet)
    while True:
        if deadline is not None and not conn.poll(max(0.0, deadline - time.monotonic())):
            if spool:
                spool.close()
            raise TimeoutError("the worker stopped sending")
        chunk = conn.recv_bytes()
        if not chunk:
            break
        parts.append(chunk)
        held += len(chunk)
        if held > SPOOL_BYTES and spool is not False:
            spool, parts = _spill(spool, parts)
            held = sum(map(len, parts))
    failed = conn.recv()
    if failed is not None:
        if spool:
            spool.close()
        return index, failed
    if spool and parts:
        spool, parts = _spill(spool, parts)
    if not spool:
        return index, Rendered(**head, piece=b"".join(parts).decode("utf-8", "surrogatepass"))
    spool.seek(0)
    return index, Rendered.spooled(spool, **head)


def _spill(spool, parts: list[bytes]):
    """``parts`` written at the end of ``spool`` (a temporary file with no name, made when
    None): (the file, []); or, when it cannot be written, (False, all it held and ``parts``)."""
    import tempfile

    at = 0
    try:
        if spool is None:
            spool = tempfile.TemporaryFile(prefix="tariff-", buffering=0)  # (unbuffered: a write is there or failed)
        at = spool.seek(0, os.SEEK_END)
        for p in parts:
            write_all(spool, p)
        return spool, []
    except OSError:
        if spool is None:
            return False, parts
        try:
            kept = os.pread(spool.fileno(), at, 0) if at else b""
        finally:
            spool.close()
        return False, [kept, *parts]


class _Worker:
    def __init__(self, ctx, max_memory_mb: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, max_memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.job: tuple | None = None  # (index, job, deadline)

    def give(self, index: int, job: tuple, timeout: int) -> None:
        self.conn.send((index, job))
        self.job = (index, job, time.monotonic() + timeout + KILL_GRACE)

    def stop(self) -> None:
        try:
            if self.proc.is_alive():
                self.conn.send(None)
        except OSError:
            pass
        self.proc.join(timeout=2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()


def _died(name: str, exitcode: int | None, max_memory_mb: int) -> str:
    shown = escape(name)
    if exitcode is not None and exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit status {exitcode}"
    return (f"tariff: {shown}: the worker reading it died ({how}), most likely out of memory "
            f"(limit {max_memory_mb} MB per worker); raise --max-memory, or check the file")


def _too_long(job: tuple) -> str:
    return f"tariff: {escape(job[0])}: took longer than {job[3]} s and was stopped; raise --timeout, or check the file"


def _pool(work: list[tuple], workers: int, max_memory_mb: int, timeout: int):
    """(index, result) for every job, each exactly once, as they finish: ``workers``
    processes, each given one document at a time, replaced when one dies or is killed."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    from . import pipeline, sources  # imported once here, so each forked worker has them already

    for job in work:  # the readers of the kinds in the batch (a batch of PDFs compiles no HTML reader)
        sources.reader_for(Path(job[0]).suffix.lower())
    del pipeline

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    pending = list(enumerate(work))
    pending.reverse()
    idle: list[_Worker] = []
    busy: list[_Worker] = []
    try:
        while pending or busy:
            while pending and len(busy) < workers:
                w = idle.pop() if idle else _Worker(ctx, max_memory_mb)
                index, job = pending.pop()
                try:
                    w.give(index, job, timeout)
                except OSError:  # it died between two documents: a fresh one
                    w.kill()
                    pending.append((index, job))
                    continue
                busy.append(w)
            now = time.monotonic()
            wait_for = max(0.0, min(w.job[2] for w in busy) - now) if busy else 0.0
            ready = wait([x for w in busy for x in (w.conn, w.proc.sentinel)], timeout=min(wait_for, 1.0))
            for w in list(busy):
                index, job, deadline = w.job
                got = None
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        if w.conn.poll():
                            got = _receive(w.conn, deadline)
                    except TimeoutError:  # it stopped sending a document half sent: stuck, as below
                        busy.remove(w)
                        w.kill()
                        yield index, _too_long(job)
                        continue
                    except (EOFError, OSError):
                        got = None
                    if got is not None:
                        busy.remove(w)
                        w.job = None
                        idle.append(w)
                        yield got
                        continue
                    if not w.proc.is_alive():
                        w.proc.join()
                        busy.remove(w)
                        code = w.proc.exitcode
                        w.kill()
                        yield index, _died(job[0], code, max_memory_mb)
                        continue
                if time.monotonic() > deadline:  # stuck where the alarm cannot reach
                    busy.remove(w)
                    w.kill()
                    yield index, _too_long(job)
    finally:
        for w in idle:
            w.stop()
        for w in busy:
            w.kill()


def outcomes(work: list, jobs: int, executor: str, scheduler: str | None, max_memory: int | None = None,
             timeout: int = DEFAULT_TIMEOUT):
    """Results of ``extract_one`` over ``work``, in input order: in worker processes on
    this machine, or on a Dask cluster."""
    if executor == "dask":
        try:
            from distributed import Client
        except ImportError:
            raise Unavailable("--executor dask needs Dask: pip install 'tariff[dask]'") from None
        if not scheduler:
            raise Unavailable("--executor dask needs --scheduler ADDR (e.g. tcp://127.0.0.1:8786)")
        try:
            client = Client(scheduler, timeout=30)
        except (OSError, TimeoutError) as e:
            raise Unavailable(f"--scheduler {scheduler}: cannot connect ({type(e).__name__}); "
                              "start the scheduler, or check the address") from None
        with client:
            for job, future in zip(work, client.map(extract_one_dask, work, pure=False)):
                try:
                    yield future.result()
                except Exception as e:  # a Dask worker lost (killed, out of memory): this file's line
                    yield (f"tariff: {escape(job[0])}: the Dask worker reading it failed ({type(e).__name__}); "
                           "check the cluster's workers, or read the file without --executor dask")
        return
    if not work:
        return
    done: dict[int, object] = {}
    for index, job in enumerate(work):  # a document whose output the cache holds as written needs no worker
        if (hit := _written(job)) is not None:
            done[index] = hit
    todo = [index for index in range(len(work)) if index not in done]
    nxt = 0
    while nxt in done:
        yield done.pop(nxt)
        nxt += 1
    if not todo:
        return
    work = [work[index] for index in todo]
    workers = workers_for(jobs, len(work))
    cores = min(os.cpu_count() or 1, jobs or os.cpu_count() or 1)
    if cores >= 2 * len(work):  # cores no document would use: a PDF's pages are spread over them
        work = [(*job[:4], cores // len(work), *job[5:]) for job in work]
    for index, res in _pool(work, workers, max_memory or DEFAULT_MAX_MEMORY_MB, timeout):
        done[todo[index]] = res
        while nxt in done:
            yield done.pop(nxt)
            nxt += 1


def _written(job: tuple):
    """The document's output as the cache holds it written in the job's format (see
    ``extract_one``), or None: read here, as it needs no reading of the document."""
    name, _, use_cache, _ = job[:4]
    fmt = job[5] if len(job) > 5 else None
    path = Path(name)
    if not use_cache or path.suffix.lower() not in DOCUMENT_SUFFIXES:
        return None
    from . import cache

    if fmt not in cache.RENDERED:
        return None
    try:
        data = check_readable(path)
    except Exception:  # noqa: BLE001
        return None  # (the worker says what is wrong with it)
    return cache.get_rendered(cache.key(path, data), fmt) if data is not None else None


def _progress(total: int):
    """A progress bar on a terminal (stderr), nothing in CI or when redirected."""
    if total < 2 or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    # the bar draws on stderr and must leave stdout alone: it carries the rows
    bar = Progress(transient=True, console=Console(stderr=True), redirect_stdout=False)
    bar.start()
    return bar, bar.add_task("reading", total=total)


def table_report(res) -> list[str]:
    """The general reader's parsing report of each table, one line each, for ``-v``:
    where the table is, its rows printed and read, and each column's role and why."""
    out = []
    for t in res.tables:
        where = (f"p.{t['page']} " if t.get("page") else "") + f"lines {t['lines'][0]}-{t['lines'][1]}"
        cols = " | ".join(f"{c['header'] or '(no header)'}={c.get('key') or c['role'] or '?'} ({c['why'] or 'no reason'})"
                          for c in t["columns"])
        price = f", price {t['unit_price']}" if t.get("unit_price") else ""
        out.append(f"  table {where}: {t['rows_read']} of {t['rows_printed']} rows read{price}; {cols}")
    return out


def iter_results(paths: list[str], bad: list[int], quiet: bool = False, password: str | None = None, jobs: int = 1,
                 use_cache: bool = False, executor: str = "local", scheduler: str | None = None,
                 timeout: int | None = None, max_memory: int | None = None, tables: bool = False,
                 fmt: str | None = None):
    """Extract every path (folders and patterns expanded), yielding results in input
    order as they finish; one line on stderr per unreadable input, counted in ``bad[0]``;
    with ``tables``, each document's table reports under its line. With ``fmt``, each
    result comes as an ``output.Rendered``: its part of the output in that format."""
    names, problems = expand(paths)
    for line in problems:
        print(f"tariff: {line}", file=sys.stderr)
    bad[0] += len(problems)
    timeout = timeout or DEFAULT_TIMEOUT
    work = [(n, password, use_cache, timeout, 1, fmt) if fmt else (n, password, use_cache, timeout) for n in names]
    progress = _progress(len(work))
    try:
        for res in outcomes(work, jobs, executor, scheduler, max_memory, timeout):
            if progress:
                progress[0].advance(progress[1])
            if isinstance(res, str):
                print(res, file=sys.stderr)
                bad[0] += 1
                continue
            if not quiet:
                rows, found = (res.n_rows, res.n_findings) if isinstance(res, Rendered) else (len(res.rows), len(res.findings))
                print(
                    f"{escape(res.doc)}: {rows} rows, {found} findings ({res.status})"
                    + (f" [{res.recognizer} {res.confidence:.2f}]" if res.recognizer else ""),
                    file=sys.stderr,
                )
                for line in table_report(res) if tables else []:
                    print(line, file=sys.stderr)
            yield res
    finally:
        if progress:
            progress[0].stop()


def read_all(paths: list[str], quiet: bool = False, password: str | None = None, jobs: int = 1,
             use_cache: bool = False, executor: str = "local", scheduler: str | None = None,
             timeout: int | None = None, max_memory: int | None = None) -> tuple[list, int]:
    """Every result at once (check and build compare documents with each other)."""
    bad = [0]
    results = list(iter_results(paths, bad, quiet, password, jobs, use_cache, executor, scheduler, timeout, max_memory))
    return results, bad[0]
