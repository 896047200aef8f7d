"""The parser in a process of its own: a large sales file is parsed, re-cut and grouped
(:mod:`shopx.ingest.batches`) in a second process while the importer's process writes.

Parsing is pure Python (about half of an import's work): in the importer's own process it
holds the interpreter while the writer waits for it, however many cores the machine has.
In a second process it runs on another core, and the importer only writes.

:func:`batches_from_process` starts it for a file that was opened by its path and is at
least :data:`MIN_BYTES` long; otherwise (a stream, a small file, a process that may not
start one) it answers None and the importer parses in a worker thread as before. The
process opens the file again and settles it the same way; the parent checks that it got
the same settings. It sends each batch through a pipe as columns of plain values (about
ten times cheaper to receive than the rows themselves) and stays at most about two batches
ahead: a pipe holds one, and the sender waits. A file-level error found while parsing is
the same :class:`~shopx.ingest.parse.ParseError` as in-process, after the batches before
it; a process that dies says so. When the import stops early (an error, a cancel) the
process is ended.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import shopx
from shopx.calendar import epoch_micros, from_epoch_micros
from shopx.config import Settings
from shopx.db.models import OrderStatus
from shopx.errors import ShopXError
from shopx.ingest.batches import Batch, Group, Preparer
from shopx.ingest.dates import DateOrder
from shopx.ingest.parse import FileSettings, ParsedFile, ParseError, parse_sales
from shopx.ingest.rows import RowError, SaleRow

MIN_BYTES = 4 << 20
"""Files smaller than this are parsed in the importer's process (starting a process costs
about half a second)."""
AT, STATUS = SaleRow._fields.index("ordered_at"), SaleRow._fields.index("status")
STATUSES = {status.value: status for status in OrderStatus}
STOP_SECONDS = 5.0


class ParserDied(ShopXError):
    """The parsing process ended without finishing or saying why."""


@dataclass(frozen=True)
class _Job:
    """What the parsing process needs: the file and how the importer's process settled it."""

    path: str
    tz: str
    date_order: DateOrder | None
    """As the importer's process opened it: given, the voting stops sooner (another
    decimal separator may win)."""
    settings: FileSettings
    batch_rows: int
    size: int


def batches_from_process(
    parsed: ParsedFile, size: int, *, min_bytes: int | None = None
) -> _Batches | None:
    """The prepared batches of ``parsed`` (``size`` rows each, :class:`Preparer`) from a
    parsing process, or None where the file is parsed in this process instead (module
    doc: a stream, or a file under ``min_bytes``, :data:`MIN_BYTES` by default).
    ``parsed``'s progress hears how far the process has read."""
    smallest = MIN_BYTES if min_bytes is None else min_bytes
    if parsed.path is None or parsed.settings.size < smallest:
        return None
    job = _Job(
        parsed.path, parsed.tz.key, parsed.date_order, parsed.settings, parsed.batch_rows, size
    )
    return _Batches(parsed, job)


@asynccontextmanager
async def parsing_process(parsed: ParsedFile, settings: Settings) -> AsyncIterator[_Batches | None]:
    """What an import of ``parsed`` reads: a parsing process's batches where
    ``SHOPX_IMPORT_PARSE_PROCESS`` and the file allow one (:func:`batches_from_process`),
    else None (parse it in this process). The process ends with the block."""
    batches = None
    if settings.import_parse_process:
        batches = batches_from_process(parsed, settings.import_batch_rows)
    try:
        yield batches
    finally:
        if batches is not None:
            await batches.aclose()


class _Batches:
    """A parsing process's batches. :meth:`aclose` ends the process even while another task
    waits for its next batch (the importer's read-ahead, cancelled when the import stops):
    that wait ends with it, and that task reaps it."""

    def __init__(self, parsed: ParsedFile, job: _Job) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self._batches = self._receive(parsed, job)

    def __aiter__(self) -> _Batches:
        return self

    def __anext__(self) -> Awaitable[Batch]:
        return self._batches.__anext__()

    async def aclose(self) -> None:
        self._kill()
        # "already running": the task waiting for a batch ends them (class doc).
        with suppress(RuntimeError):
            await self._batches.aclose()

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()

    async def _receive(self, parsed: ParsedFile, job: _Job) -> AsyncIterator[Batch]:
        # A program of its own (python -m), not multiprocessing: it does not run the parent's
        # main module again, and a daemonic process (a pool's worker) may start it too.
        # Started here, not in a worker thread: a cancel cannot come between its start and
        # this object knowing it (a few milliseconds; the job is a few hundred bytes).
        self.process = process = _start(job)
        assert process.stdout is not None
        try:
            while True:
                message = await asyncio.to_thread(_next, process.stdout)
                if message[0] == "batch":
                    batch, done = message[1], message[2]
                    parsed.progress(done)
                    yield batch
                elif message[0] == "end":
                    parsed.parser_peak_rss_mib = message[1]
                    return
                else:
                    _, text, detail = message
                    raise ParseError(text, detail=detail)
        finally:
            # Killed first: a thread may still be reading the pipe, and closing it waits
            # for that read, which only the process's end ends if the process hangs.
            self._kill()
            await asyncio.to_thread(process.wait, STOP_SECONDS)
            process.stdout.close()


def _start(job: _Job) -> subprocess.Popen[bytes]:
    """The parsing process, given ``job`` on its standard input."""
    env = dict(os.environ)
    # The same shopx as this process's, wherever this one found it.
    source = str(Path(shopx.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "shopx.ingest.process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        # Its own process group: a terminal's Ctrl-C is the importer's to act on (it ends
        # this process), not a KeyboardInterrupt that fails the import from in here.
        process_group=0,
    )
    assert process.stdin is not None
    with process.stdin:
        pickle.dump(job, process.stdin)
    return process


def _next(stream: IO[bytes]) -> tuple[Any, ...]:
    """The next message, its batch decoded (in a worker thread: the event loop stays free)."""
    try:
        message = pickle.load(stream)
    except (EOFError, pickle.UnpicklingError):  # it ended, maybe in the middle of a message
        raise ParserDied("the parsing process ended before the end of the file") from None
    if message[0] == "batch":
        return ("batch", _decode(message[1]), message[2])
    if message[0] == "failed":
        raise ParserDied(f"the parsing process failed: {message[1]}")
    return message


def _parse(job: _Job, out: IO[bytes]) -> None:
    """The parsing process: every prepared batch of the file, then ``("end", peak RSS)``."""

    def send(*message: Any) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        with parse_sales(
            job.path,
            tz=ZoneInfo(job.tz),
            date_order=job.date_order,
            batch_rows=job.batch_rows,
        ) as parsed:
            if parsed.settings != job.settings:
                raise ParseError("the file changed while it was being imported; import it again")
            done = [0]
            preparer = Preparer(job.size, parsed.settings.size)
            for batch in preparer.all(_counted(parsed, done)):
                send("batch", _encode(batch), done[0])
        send("end", process_status_mb("VmHWM"))
    except (BrokenPipeError, ConnectionResetError):
        return  # the importer stopped reading: it has ended
    except ParseError as exc:
        send("parse-error", exc.message, exc.detail)
    except BaseException as exc:
        send("failed", f"{type(exc).__name__}: {exc}")


def process_status_mb(field: str) -> float | None:
    """A memory figure of this process from ``/proc/self/status`` (``RssAnon``, ``VmHWM``),
    MiB; None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _counted(parsed: ParsedFile, done: list[int]) -> Iterator[Any]:
    """The parser's batches, keeping ``done[0]`` at the bytes read."""
    for batch in parsed.batches():
        done[0] = batch.bytes_read
        yield batch


Encoded = tuple[Any, ...]


def _encode(batch: Batch) -> Encoded:
    """A prepared batch as lists of plain values: the rows as one list per field (times as
    microseconds since 1970, statuses as their values), the errors as tuples, the groups
    as row positions, keys and references."""
    rows = batch.rows
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else []
    if rows:
        columns[AT] = [epoch_micros(moment) for moment in columns[AT]]
        columns[STATUS] = [status.value for status in columns[STATUS]]
    position = {id(row): index for index, row in enumerate(rows)}
    groups = batch.groups or []
    members = [position[id(row)] for group in groups for row in group.rows]
    sizes = [len(group.rows) for group in groups]
    keys = [key for group in groups for key in group.keys]
    refs = [group.ref for group in groups]
    ref_keys = [group.ref_key for group in groups]
    errors = [(e.line, e.column, e.value, e.reason) for e in batch.errors]
    return (columns, errors, batch.percent, batch.read, members, sizes, keys, refs, ref_keys)


def _decode(encoded: Encoded) -> Batch:
    columns, errors, percent, read, members, sizes, keys, refs, ref_keys = encoded
    rows: list[SaleRow] = []
    if columns:
        times: dict[int, datetime] = {}
        for micros in columns[AT]:
            if micros not in times:
                times[micros] = from_epoch_micros(micros)
        columns[AT] = [times[micros] for micros in columns[AT]]
        columns[STATUS] = [STATUSES[value] for value in columns[STATUS]]
        rows = list(map(SaleRow, *columns))
    groups, start = [], 0
    for count, ref, ref_key in zip(sizes, refs, ref_keys, strict=True):
        end = start + count
        members_rows = [rows[i] for i in members[start:end]]
        groups.append(Group(members_rows, keys[start:end], ref, ref_key))
        start = end
    return Batch(rows, [RowError(*error) for error in errors], percent, groups, read)


if __name__ == "__main__":
    batches_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the batches
    _parse(pickle.load(sys.stdin.buffer), batches_out)
