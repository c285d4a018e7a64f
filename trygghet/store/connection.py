"""Connections to the DuckDB file: one per process and file, shared by its threads, and all-or-nothing writes.

DuckDB lets one process at a time open a file for writing, and the dashboard must not keep
it locked while a scheduled import from the command line waits. So each process shares one
connection per file between its threads (each use gets its own cursor), opens it when the
first use starts and closes it when the last one ends. A process that cannot open the file
says so by a lock on `<file>.wait`; a process holding the file sees that at its next use,
lets the uses under way finish, closes, and lets the waiting one go first (see `_Shared`).
Writes within a process are serialised, so no two of them conflict.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from trygghet.config import db_path, lock_timeout_seconds
from trygghet.store.erasure import erase, erase_soon

_log = logging.getLogger("trygghet")

# Parameters of one statement: positional (?) or named ($name).
Params = Sequence[object] | dict[str, object] | None
R = TypeVar("R")


class StoreError(RuntimeError):
    """A problem with the database file; the message is Swedish and meant for the user."""


class StoreBusy(StoreError):
    """Another process holds the file for longer than we are willing to wait."""


class StoreHeld(StoreBusy):
    """Another process holds the file or waits for it, and the caller asked not to wait (`connect(wait=False)`)."""


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> Any:
    """The first column of the first row of a query that always returns a row (a count, a max, RETURNING id)."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:
        raise StoreError(f"Databasen svarade inte som väntat ({sql.split()[0]}).")
    return row[0]


class _Shared:
    """The one connection of this process to one database file, shared by its threads.

    Each use takes a cursor of it; the connection is opened by the first use and closed by the
    last one, so between uses the file is free for another process. Opening and closing happen
    under one lock, so threads never race to attach the file (DuckDB refuses a second attach of
    a file still being closed: "Unique file handle conflict").

    Fairness between processes: one that cannot open the file holds a shared POSIX lock on
    `<file>.wait` while it retries. The holder tests that lock at each new use; when another
    process waits, new uses wait too, the holder closes as soon as the uses under way have
    ended, and before opening again it waits until the other process has stopped waiting (it
    got the file, or gave up). POSIX locks never conflict within one process, which is why
    the process's own test of the file cannot see itself."""

    def __init__(self, path: Path):
        self.path = path
        self.wait_path = path.with_name(path.name + ".wait")
        self.cond = threading.Condition()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.users = 0
        self.opening = False
        self.draining = False  # another process waits: no new uses until the file is closed
        self.yield_next = False  # we closed for another process: let it open first
        self.idle_since = 0.0  # when the last use ended, while kept open (keep_open)
        self.held_elsewhere = False  # the last attempt to open failed: another process holds the file
        self.refused_at = 0.0  # when it failed: a use that will not wait tries again at most every _RETRY_HELD
        self.local = threading.local()
        self.text_key = False  # normal_text is registered on `con` (see content_key.with_text_key)
        self.text_key_lock = threading.Lock()

    def acquire(self, wait: bool = True) -> duckdb.DuckDBPyConnection:
        """A cursor of the shared connection, opening it when needed; StoreBusy after the lock timeout.
        With `wait=False`, StoreHeld at once instead of waiting for another process (never for this one's own
        opening of the file)."""
        deadline = time.monotonic() + lock_timeout_seconds()
        with self.cond:
            while True:
                if self.con is not None and not self.draining:
                    if not self._others_waiting():
                        cursor = self.con.cursor()
                        self.users += 1
                        return cursor
                    self.draining = True
                    _log.info("another process waits for %s; closing it when the current uses end", self.path)
                    if self.users == 0:  # kept open after the last use (keep_open): close at once, then open
                        self._close()
                        continue
                elif self.con is None and not self.opening:
                    if wait or not self.held_elsewhere or time.monotonic() - self.refused_at >= _RETRY_HELD:
                        self.opening = True
                        break
                if not wait and (self.draining or self.held_elsewhere):
                    raise StoreHeld(f"{self.path} is held by another process")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _busy(self.path)
                self.cond.wait(remaining)
        try:
            con = self._open(deadline, wait)
        except BaseException:
            with self.cond:
                self.opening = False
                self.cond.notify_all()
            raise
        with self.cond:
            self.con, self.opening, self.draining, self.yield_next = con, False, False, False
            self.held_elsewhere = False
            self.users += 1
            self.cond.notify_all()
        try:
            return con.cursor()
        except BaseException:
            self.release(None)
            raise

    def release(self, cursor: duckdb.DuckDBPyConnection | None) -> None:
        if cursor is not None:
            cursor.close()
        with self.cond:
            self.users -= 1
            if self.users == 0 and self.con is not None:
                if self.draining or _keep_open <= 0:
                    self._close()
                else:  # a busy server's next use comes soon; a waiting process waits at most this long
                    self.idle_since = time.monotonic()
                    timer = threading.Timer(_keep_open, self._close_if_idle, args=(self.idle_since,))
                    timer.daemon = True
                    timer.start()

    def _close_if_idle(self, since: float) -> None:
        with self.cond:
            if self.users == 0 and self.con is not None and self.idle_since == since:
                self._close()

    def _close(self) -> None:
        """Close the connection (the caller holds the lock and no use is under way)."""
        self.yield_next = self.draining
        if self.con is not None:
            self.con.close()
        self.con, self.draining, self.text_key = None, False, False
        self.cond.notify_all()

    def _open(self, deadline: float, wait: bool) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting (and saying so in `.wait`) while another process holds it; StoreHeld at the
        first refusal when not to `wait`."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.yield_next:  # let the process we closed for open first
            if not wait and self._others_waiting():
                raise StoreHeld(f"{self.path} is waited for by another process")
            while self._others_waiting() and time.monotonic() < deadline:
                time.sleep(0.02)
        wait_fd: int | None = None
        delay = 0.02
        try:
            while True:
                try:
                    return duckdb.connect(str(self.path))
                except duckdb.IOException as exc:
                    if "lock" not in str(exc).lower():
                        _log.error("cannot open %s: %s", self.path, exc)
                        raise StoreError(
                            "Databasfilen kan inte öppnas. Felet är loggat; kontakta en administratör."
                        ) from exc
                    self.held_elsewhere, self.refused_at = True, time.monotonic()
                    if not wait:
                        raise StoreHeld(f"{self.path} is held by another process") from exc
                    if time.monotonic() >= deadline:
                        raise _busy(self.path) from exc
                    if wait_fd is None:
                        wait_fd = self._say_waiting()
                    time.sleep(delay)
                    delay = min(delay * 2, 0.25)
        finally:
            if wait_fd is not None:
                os.close(wait_fd)  # releases the shared lock

    def _say_waiting(self) -> int | None:
        fd = os.open(self.wait_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:  # a holder is testing the lock this instant; try again at the next retry
            os.close(fd)
            return None
        return fd

    def _others_waiting(self) -> bool:
        """Whether another process holds a shared lock on `.wait`, i.e. waits for the file."""
        try:
            fd = os.open(self.wait_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return False
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            return exc.errno in (errno.EACCES, errno.EAGAIN)
        finally:
            os.close(fd)
        return False


# Seconds between two attempts of uses that will not wait to open a file another process holds (each attempt costs
# tens of milliseconds, and a page run asks many times).
_RETRY_HELD = 0.25


def _busy(path: Path) -> StoreBusy:
    _log.warning("database %s busy for longer than TRYGGHET_LOCK_TIMEOUT (%s s)", path, lock_timeout_seconds())
    return StoreBusy(f"Databasfilen {path} används av ett annat program som skriver till den. Försök igen om en stund.")


# Seconds a connection stays open after its last use. 0 (the command line, tests): closed at once, so the
# file is free the moment a command is done. The dashboard keeps it open for a moment (`keep_open`), since
# reopening costs tens of milliseconds a use and drops DuckDB's cache; another process waits at most this long.
_keep_open = 0.0


def keep_open(seconds: float) -> None:
    global _keep_open
    _keep_open = seconds


# Every committed write of this process that bumped the data version: its count, and who is told of it (the
# dashboard notes the version a visitor's own write made, so that the visitor's pages show at least that data).
_written = 0
_AFTER_WRITE: list[Callable[[int], None]] = []


def writes() -> int:
    """How many writes this process has committed: a cheap test of whether a data version read earlier still holds
    as far as this process's own writes go."""
    return _written


def after_write(hook: Callable[[int], None]) -> None:
    """Call `hook(new data version)` in the writing thread after each committed write that bumped the version."""
    if hook not in _AFTER_WRITE:
        _AFTER_WRITE.append(hook)


_SHARED: dict[Path, _Shared] = {}
_SHARED_LOCK = threading.Lock()
# Writes of this process, one at a time (re-entrant for a write inside a write of the same thread).
_WRITES = threading.RLock()


def _shared(path: Path) -> _Shared:
    key = path.resolve()
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = _Shared(key)
        return _SHARED[key]


def holder_of(con: duckdb.DuckDBPyConnection) -> _Shared | None:
    """The holder whose use in this thread is the cursor `con` (a cursor of `Connections.connect`)."""
    with _SHARED_LOCK:
        holders = list(_SHARED.values())
    return next((h for h in holders if getattr(h.local, "cursor", None) is con), None)


class Connections:
    """The file of one store and its uses: the base every part of `Store` builds on."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else db_path()

    @contextmanager
    def connect(self, *, wait: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of this process's connection to the file (see `_Shared`).

        Nested uses in the same thread share the outer cursor, so a page that reads several
        things takes one; the connection is closed when the process's last use ends. With
        `wait=False`, StoreHeld at once where the use would wait for another process.
        """
        shared = _shared(self.path)
        held = getattr(shared.local, "cursor", None)
        if held is not None:
            yield held
            return
        cursor = shared.acquire(wait)
        shared.local.cursor = cursor
        try:
            cursor.execute("SET TimeZone = 'Europe/Stockholm'")
            yield cursor
        finally:
            shared.local.cursor = None
            shared.release(cursor)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing on a new connection (see `write`)."""
        with self.connect() as con, self.write(con):
            yield con

    @staticmethod
    @contextmanager
    def write(con: duckdb.DuckDBPyConnection, *, figures: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commits at the end, rolls back on any exception or interruption,
        and bumps the data version so that cached figures are recomputed (not with `figures=False`,
        for a write no figure depends on, such as a sign-in attempt). One at a time in this
        process: concurrent transactions touching the same rows would otherwise conflict."""
        global _written
        if not _WRITES.acquire(timeout=lock_timeout_seconds()):
            _log.warning("a write waited longer than TRYGGHET_LOCK_TIMEOUT for another write of this process")
            raise StoreBusy("Databasen är upptagen av en annan ändring. Försök igen om en stund.")
        version = None
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
                if figures:
                    bumped = con.execute("UPDATE data_version SET version = version + 1 RETURNING *").fetchone()
                    assert bumped is not None  # the table's one row, from migration 001
                    version = int(bumped[1])
                    if len(bumped) > 2:  # a new token for the write (none in a file migrated only up to 015)
                        con.execute("UPDATE data_version SET token = uuid()")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            if version is not None:
                _written += 1
        finally:
            _WRITES.release()
        if version is not None:
            for hook in _AFTER_WRITE:
                hook(version)

    def _frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, params or []).df()

    def _records(self, make: Callable[..., R], sql: str, params: Params = None) -> list[R]:
        """The rows of a query, each made into a record by `make` (a row type whose fields follow the columns)."""
        with self.connect() as con:
            return [make(*row) for row in con.execute(sql, params or []).fetchall()]

    def erase_deleted(self) -> None:
        """Overwrite what deleted or changed rows left in the database file (see erasure.py); after every
        deletion and every change of free text. The dashboard does it in the background."""
        erase_soon(self.path.resolve(), self._erase)

    def _erase(self) -> None:
        with _WRITES, self.connect() as con:  # no write of this process between the rewrite and the filler
            erase(con)
