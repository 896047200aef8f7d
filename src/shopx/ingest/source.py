"""The bytes of a sales file: opened from a path or a stream, read from the start as many
times as parsing needs, counted as they go, and cut into lines of bounded length."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from shopx.errors import BadInput

Progress = Callable[[int, int], None]
"""Called with (bytes read, file size in bytes) as the parse goes."""
CHUNK = 1 << 16
MAX_LINE = 1 << 20
"""The longest physical line read, in characters (a sales line is a few hundred)."""


class ParseError(BadInput):
    """The file as a whole cannot be read; the message says why, for the person who gave it."""


class Source:
    """A seekable binary file; a stream that cannot seek is first copied to a temporary file."""

    def __init__(self, source: str | os.PathLike[str] | BinaryIO) -> None:
        self._owned = isinstance(source, str | os.PathLike)
        self.path: str | None = None
        """Where the file is, when it was given by its path (another process can open it)."""
        if self._owned:
            self.path = os.fspath(source)
            self.file: BinaryIO = open(source, "rb")  # noqa: SIM115 (closed by close())
        elif source.seekable():
            self.file = source
        else:
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
            shutil.copyfileobj(source, self.file, CHUNK)
            self.file.seek(0)
            self._owned = True
        self.start = self.file.tell()
        self.size = self.file.seek(0, io.SEEK_END) - self.start
        self.file.seek(self.start)

    def head(self, count: int) -> bytes:
        self.file.seek(self.start)
        return self.file.read(count)

    def text(self, encoding: str, progress: Progress | None = None) -> io.TextIOWrapper:
        """The file from its start, decoded (bytes the encoding cannot read become U+FFFD)."""
        self.file.seek(self.start)
        raw = _Counting(self.file, self.size, progress)
        buffered = io.BufferedReader(raw, CHUNK)
        return io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")

    def close(self) -> None:
        if self._owned:
            self.file.close()


def lines(text: io.TextIOWrapper) -> Iterator[str]:
    """The physical lines of ``text`` (line ends kept, for the CSV reader); a line past
    :data:`MAX_LINE` characters raises :class:`LineTooLong`."""
    readline = text.readline
    while line := readline(MAX_LINE):
        if len(line) == MAX_LINE and line[-1] not in "\r\n":
            raise LineTooLong
        yield line


class LineTooLong(Exception):
    pass


class _Counting(io.RawIOBase):
    """Reads ``file`` and reports the bytes read so far; never closes ``file``."""

    def __init__(self, file: BinaryIO, size: int, progress: Progress | None) -> None:
        self._file = file
        self._size = size
        self._progress = progress
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._file.readinto(buffer)
        self.done += count
        if self._progress is not None:
            self._progress(min(self.done, self._size), self._size)
        return count
