"""One connection per process, a cursor per use: many threads at once, and another process that
needs the file while they keep it busy (issue 17, item 1)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.factories import file_held_by_another_process
from trygghet.config import PROJECT_ROOT
from trygghet.store.connection import StoreHeld
from trygghet.store.database import Store, StoreBusy, keep_open

pytestmark = pytest.mark.closes_after_use  # opening and closing the file is what is tested

DATA = Path(__file__).parent.parent / "data"


def _in_threads(n: int, work) -> list[BaseException]:
    """Run `work(i)` in n threads started together; the exceptions they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except Exception as exc:  # noqa: BLE001 - collected, so the test names them
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_many_threads_read_at_once_without_a_file_handle_conflict(tmp_store):
    """Before, each use opened its own connection and 16 threads reading 30 times each got hundreds of
    'Unique file handle conflict' errors; two Store objects of the same file share the one connection."""
    other = Store(tmp_store.path)

    def read(i: int) -> None:
        for _ in range(30):
            (tmp_store if i % 2 else other).data_version()

    assert _in_threads(16, read) == []


def test_writes_from_many_threads_are_serialised_not_conflicting(tmp_store):
    """Every write bumps the one row of data_version; twenty at once used to fail with a write-write conflict.
    Twenty writes: the version goes up by exactly 20, and all twenty rows are there."""
    before = tmp_store.data_version()
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def write(i: int) -> None:
        with tmp_store.transaction() as con:
            con.execute("INSERT INTO sign_in_failures VALUES (?, ?)", [f"trad{i}", at])

    assert _in_threads(20, write) == []
    assert tmp_store.data_version() == before + 20
    with tmp_store.connect() as con:
        assert con.execute("SELECT count(*) FROM sign_in_failures").fetchone()[0] == 20


def test_the_file_is_free_between_uses(tmp_store):
    """Another process opens the file once this one's last use has ended (the dashboard never keeps it)."""
    with tmp_store.connect() as con:
        con.execute("SELECT 1").fetchall()
    probe = subprocess.run(
        [sys.executable, "-c", "import duckdb,sys; duckdb.connect(sys.argv[1]).close()", str(tmp_store.path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr


# A process that keeps the file busy: 8 threads reading without pause for the given seconds (or until a line
# "stop" on its standard in), so that some use is nearly always under way. It prints how many reads it made and
# the errors it met.
BUSY_READERS = """
import sys, threading, time
from trygghet.store.database import Store
store, until = Store(sys.argv[1]), time.monotonic() + float(sys.argv[2])
reads, errors, stop = [0], [], threading.Event()
def listen():
    if sys.stdin.readline().strip() == "stop":
        stop.set()
threading.Thread(target=listen, daemon=True).start()
def loop():
    while time.monotonic() < until and not stop.is_set():
        try:
            store.stats()
            reads[0] += 1
        except Exception as exc:
            errors.append(repr(exc))
threads = [threading.Thread(target=loop) for _ in range(8)]
[t.start() for t in threads]
print("busy", flush=True)
[t.join() for t in threads]
print(reads[0], len(errors), errors[:2], flush=True)
"""


def _busy_readers(path: Path, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", BUSY_READERS, str(path), str(seconds)],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None  # both piped above
    assert process.stdout.readline().strip() == "busy", process.stderr.read()
    return process


@pytest.mark.slow
def test_a_cli_import_gets_the_file_from_a_process_that_keeps_it_busy(tmp_store, monkeypatch):
    """The holder sees the CLI waiting (`.wait`), lets its uses finish, closes and lets the CLI go first;
    its own readers wait meanwhile and none of them fails. The file imports its 4 foot patrols."""
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "20")
    readers = _busy_readers(tmp_store.path, 8)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "trygghet",
                "--db",
                str(tmp_store.path),
                "import",
                str(DATA / "fotpatrull_utf8_bom.csv"),
            ],
            check=False,
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        # The import is in: the readers stop after the uses under way (which take the file back), not at 8 s.
        reads, errors = readers.communicate("stop\n", timeout=60)[0].split()[:2]
    finally:
        readers.kill()
    assert int(reads) > 0 and errors == "0"
    assert tmp_store.stats().activities == 4


def test_a_use_waits_for_the_lock_timeout_then_says_so_in_swedish(tmp_store, monkeypatch):
    """A process that holds the file for longer than TRYGGHET_LOCK_TIMEOUT: a use gives up after about that
    long with StoreBusy, a Swedish message; the store is still usable once the file is free."""
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "0.5")
    with file_held_by_another_process(tmp_store.path):
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="används av ett annat program"):
            tmp_store.data_version()
        assert 0.4 < time.monotonic() - started < 5
    assert tmp_store.data_version() >= 0


def test_a_use_that_will_not_wait_is_told_at_once_that_another_process_holds_the_file(tmp_store, monkeypatch):
    """The dashboard asks for the data version without waiting (it shows the figures read last instead): StoreHeld
    at once, long before the lock timeout, while another process holds the file; the version once it is free."""
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "30")
    before = tmp_store.data_version()
    with file_held_by_another_process(tmp_store.path):
        started = time.monotonic()
        with pytest.raises(StoreHeld):
            tmp_store.data_version(wait=False)
        with pytest.raises(StoreHeld):  # a second ask at once is told again, without trying the file
            tmp_store.data_version(wait=False)
        assert time.monotonic() - started < 10
    time.sleep(0.3)  # a use that will not wait tries a held file again at most every 0,25 s (_RETRY_HELD)
    assert tmp_store.data_version(wait=False) == before


def _stats_command(path: Path) -> subprocess.Popen:
    """`python -m trygghet stats` on `path` in a process of its own, waiting for the file like any command."""
    return subprocess.Popen(
        [sys.executable, "-m", "trygghet", "--db", str(path), "stats"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_use_that_will_not_wait_does_not_make_a_waiting_process_wait_longer(tmp_store, monkeypatch):
    """While a command waits for the file, the holder's uses that will not wait are told StoreHeld and the
    holder closes for the command once its uses under way end, as for any other use."""
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "30")
    keep_open(60)
    try:
        tmp_store.data_version()  # the connection stays open now, with no use under way
        command = _stats_command(tmp_store.path)
        told = 0
        started = time.monotonic()
        while command.poll() is None and time.monotonic() - started < 50:
            try:
                tmp_store.data_version(wait=False)
            except StoreHeld:
                told += 1
            time.sleep(0.05)
        out, err = command.communicate(timeout=10)
    finally:
        keep_open(0)
    assert command.returncode == 0, err
    assert time.monotonic() - started < 30 and "aktiviteter" in out
    assert told > 0


def test_a_connection_kept_open_after_its_last_use_is_handed_over_at_the_next_use(tmp_store, monkeypatch):
    """The served dashboard keeps its connection open after a use (keep_open). A command waiting meanwhile
    gets the file at the holder's next use, which closes at once instead of reopening for itself: here the
    command is done long before the 60 s the connection would otherwise stay open."""
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "30")
    keep_open(60)
    try:
        tmp_store.data_version()  # the connection stays open now, with no use under way
        command = _stats_command(tmp_store.path)
        started = time.monotonic()
        while command.poll() is None and time.monotonic() - started < 50:
            tmp_store.data_version()  # a visitor's use now and then
            time.sleep(0.1)
        out, err = command.communicate(timeout=10)
    finally:
        keep_open(0)
        tmp_store.data_version()  # a use that closes the connection again
    assert command.returncode == 0, err
    assert time.monotonic() - started < 30 and "aktiviteter" in out


def test_an_import_killed_halfway_leaves_the_file_whole(tmp_store, tmp_path):
    """An import killed with SIGKILL the moment it starts writing (its write-ahead log appears; tried by hand: the
    log held 18 kB to 2 MB of the import then) leaves a file that opens, with all of the file's 30 000 patrols or
    none of them, and the day table in step with the log."""
    rows = ["Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter"]
    rows += [f"2024-{1 + n % 6:02d}-{1 + n % 28:02d};18:00;1;Vivsta;Plats {n};Polisen;2;{n % 7}" for n in range(30_000)]
    log = tmp_path / "stor.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    command = subprocess.Popen(
        [sys.executable, "-m", "trygghet", "--db", str(tmp_store.path), "import", str(log)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = tmp_store.path.with_name(tmp_store.path.name + ".wal")
    started = time.monotonic()
    while command.poll() is None and not wal.exists() and time.monotonic() - started < 60:
        time.sleep(0.05)
    command.kill()
    command.wait()
    stats = tmp_store.stats()
    assert stats.activities in (0, 30_000)
    with tmp_store.connect() as con:
        days = con.execute("SELECT coalesce(sum(activity_count), 0) FROM activity_days").fetchone()[0]
    assert round(days) == stats.activities


@pytest.mark.slow
def test_two_busy_processes_take_turns_without_errors(tmp_store, monkeypatch):
    """Two processes (say an internal and a public dashboard on one file), each with eight threads reading without
    pause for 8 s: each hands the file over when the other waits, so both read, and neither meets an error."""
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "30")
    first = _busy_readers(tmp_store.path, 8)
    second = _busy_readers(tmp_store.path, 8)
    try:
        results = [process.communicate(timeout=120)[0].split()[:2] for process in (first, second)]
    finally:
        first.kill()
        second.kill()
    assert all(int(reads) > 0 and errors == "0" for reads, errors in results), results


def test_an_import_in_the_served_dashboard_keys_its_rows_on_the_shared_connection(tmp_store, monkeypatch):
    """The dashboard keeps one connection open between uses: the preview registers the key function on it, and
    the import's write transaction must find it there rather than fail registering it again (which aborted the
    transaction: "Någon annan skrev till databasen samtidigt")."""
    from trygghet.importing import pipeline
    from trygghet.store import connection

    monkeypatch.setattr(connection, "_keep_open", 1.0)
    data = (PROJECT_ROOT / "tests" / "data" / "fotpatrull_utf8_bom.csv").read_bytes()
    assert pipeline.preview(tmp_store, "a.csv", data).new == 4
    done = pipeline.import_file(tmp_store, "a.csv", data, imported_by="redaktor")
    assert done.batch_id is not None and done.new == 4
    assert tmp_store.activity_count() == 4
