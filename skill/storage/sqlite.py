"""The SQLite store: one file on one machine (the simulator, the web service, tests), private to its owner."""
from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

from ask_sdk_core.exceptions import PersistenceException

from skill.storage.store import ACCOUNT_RECORD, RecordStore, only_stored_keys

log = logging.getLogger(__name__)


class SQLiteAdapter(RecordStore):
    """Persistence on an embedded SQLite file, safe with many threads and processes.

    WAL lets readers go on while one writer writes; the busy timeout makes a second
    writer wait instead of failing with "database is locked"; every write is one
    ``BEGIN IMMEDIATE`` transaction, so a record is never half written. Each thread
    has its own connection.

    Surgery dates are health data: the file, its ``-wal`` and ``-shm`` are readable by
    their owner only (0600), whatever the umask, and so is the folder made for them
    (0700). Files made by earlier versions (0644) are tightened when opened, and so is
    their folder when it holds nothing but the store.

    The file is the one this process opened: a store removed or replaced under a running
    process (``rm recovery.db`` while ``serve`` runs) is noticed on the next read or write
    (its inode and device are compared with the open file's), and from then on every call
    fails with PersistenceException, so the skill apologises instead of saying "I'll
    remember" into a deleted file. A new process then starts on a fresh file: the
    write-ahead log the removed file left behind is deleted first, instead of failing
    with "disk I/O error". ``recovery-skill data delete`` is the way to delete dates.

    Table ``records``: primary key (``account_key``, ``person_key``), so one
    account's records are one range of the key's index (erase is one DELETE).
    Files of earlier versions (table ``users``, one record per account) are moved
    into it on first open, as account records, in one transaction.
    """

    def __init__(self, path: str | os.PathLike, timeout_seconds: float = 3.0):
        self.path = Path(path)
        self.timeout_seconds = timeout_seconds
        self._local = threading.local()
        self._schema_ready = False
        # Threads that open their connection while the first one is still making the table
        # wait for it: otherwise their first read finds no table and a date is not saved.
        self._schema_lock = threading.Lock()
        # (device, inode) of the file the connections have open; why the store is unusable, once it is.
        self._identity: tuple[int, int] | None = None
        self._side_identities: dict[Path, tuple[int, int]] = {}
        self._gone: str | None = None
        # Every connection of every thread, so that a stop can close them all (close_all).
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SQLiteAdapter({str(self.path)!r})"

    def describe(self) -> str:
        return f"SQLite file {self.path}"

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._check_same_file(conn)
            return conn
        if self._gone:
            raise PersistenceException(self._gone)
        conn = None
        try:
            self._private_files_before_open()
            conn = sqlite3.connect(self.path, timeout=self.timeout_seconds, isolation_level=None,
                                   check_same_thread=False)  # only close_all, after the threads, crosses over
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_seconds * 1000)}")
            # A forgotten surgery date is overwritten on disk, not left in free pages.
            conn.execute("PRAGMA secure_delete = ON")
            if not self._schema_ready:
                with self._schema_lock:
                    if not self._schema_ready:
                        self._prepare(conn)
                        self._schema_ready = True
            _tighten(self.path, *self._side_files())
            identity = _identity(os.stat(self.path))
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            raise PersistenceException(f"cannot open the SQLite store: {exc}") from exc
        with self._connections_lock:
            if self._identity is None:
                self._identity = identity
            if identity == self._identity:  # the -wal and -shm this file has now (SQLite may have made them anew)
                self._side_identities.update(_identities(self._side_files()))
            self._connections.append(conn)
        self._local.conn = conn
        if identity != self._identity:  # replaced between two threads' first opens
            self._check_same_file(conn)
        return conn

    def _side_files(self) -> tuple[Path, Path]:
        return self.path.with_name(self.path.name + "-wal"), self.path.with_name(self.path.name + "-shm")

    def _private_files_before_open(self) -> None:
        """The folder (0700 when it is the store's own) and the file (0600), before SQLite opens or makes it."""
        folder = self.path.parent
        made = not folder.exists()
        folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        if made:
            os.chmod(folder, PRIVATE_FOLDER)  # whatever the umask
        elif _holds_only_the_store(folder, self.path.name):
            _tighten(folder)
        if self.path.exists():
            return
        for leftover in self._side_files():
            # The log of a store that was removed: opened with a new file it fails with "disk I/O error".
            if leftover.exists():
                log.warning("SQLite store: removing %s, left behind by a removed database file", leftover.name)
                leftover.unlink(missing_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:  # made meanwhile by another process or thread
            return
        try:
            os.fchmod(fd, PRIVATE_FILE)  # whatever the umask; SQLite gives -wal and -shm the file's mode
        finally:
            os.close(fd)

    def _check_same_file(self, conn: sqlite3.Connection) -> None:
        """Raise PersistenceException when the file at ``path`` is no longer the one this process opened."""
        try:
            now = _identity(os.stat(self.path))
        except FileNotFoundError:
            now = None
        except OSError as exc:
            raise PersistenceException(f"cannot reach the SQLite store: {exc}") from exc
        if now is not None and now == self._identity and not self._gone:
            return
        self._local.conn = None
        with self._connections_lock:
            if conn in self._connections:
                self._connections.remove(conn)
            conn.close()
            # The -wal and -shm at the path are still the old file's (SQLite keeps them when its file has
            # moved): a new file there would take them for its own, and read the old file's pages.
            for side in self._side_files():
                if _identities([side]).get(side) == self._side_identities.get(side):
                    with contextlib.suppress(OSError):
                        side.unlink()
            if not self._gone:
                self._gone = (
                    f"the SQLite store {self.path} was {'removed' if now is None else 'replaced'} while this process "
                    "was using it: nothing is read or saved until the process is restarted (to delete dates, use "
                    "recovery-skill data delete)"
                )
                log.error("%s", self._gone)
        raise PersistenceException(self._gone)

    def close_all(self) -> None:
        """At a stop, once no thread uses the store: fold the write-ahead log into the file, close every connection."""
        with self._connections_lock:
            connections, self._connections = self._connections, []
        self._local.conn = None
        if connections and not self._gone:
            try:
                connections[0].execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:  # another process is reading: its own close will fold it in
                log.info("checkpoint at stop deferred (%s)", type(exc).__name__)
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL mode and the table, touching the file only when they are missing.

        Another process may be writing right now: reading the current state never
        waits for it, and the changes (made once, by the first process) wait at most
        the busy timeout.
        """
        deadline = time.monotonic() + self.timeout_seconds
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
        while mode != "wal":
            # Switching to WAL needs the file to itself and does not always call the
            # busy handler, so retry until the timeout. Done once per file: it sticks.
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
                continue
            if mode != "wal":  # e.g. a file system without shared memory: still correct, just slower
                log.warning("SQLite store cannot use WAL (journal mode %s): readers will wait for writers", mode)
                break
        if _tables(conn) & {"records", "users"} != {"records"}:
            with _transaction(conn):
                tables = _tables(conn)  # again, under the write lock: another process may have done it
                if "records" not in tables:
                    conn.execute(
                        "CREATE TABLE records ("
                        " account_key TEXT NOT NULL,"
                        " person_key TEXT NOT NULL,"
                        " attributes TEXT NOT NULL,"
                        " updated_at REAL NOT NULL,"
                        " PRIMARY KEY (account_key, person_key)) WITHOUT ROWID"
                    )
                if "users" in tables:
                    self._move_earlier_records(conn)

    @staticmethod
    def _move_earlier_records(conn: sqlite3.Connection) -> None:
        """One record per account (table ``users``) becomes that account's own record."""
        moved = conn.execute(
            "INSERT INTO records (account_key, person_key, attributes, updated_at)"
            " SELECT user_key, ?, attributes, updated_at FROM users WHERE true"
            " ON CONFLICT (account_key, person_key) DO UPDATE SET attributes = excluded.attributes,"
            " updated_at = excluded.updated_at WHERE excluded.updated_at > records.updated_at",
            (ACCOUNT_RECORD,),
        ).rowcount
        conn.execute("DROP TABLE users")
        log.info("SQLite store: moved %d record(s) of the one-record-per-account layout to account records", moved)

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends, or with close_all)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            with self._connections_lock:
                if conn in self._connections:
                    self._connections.remove(conn)
            conn.close()

    def load(self, account: str, person: str = ACCOUNT_RECORD) -> dict:
        try:
            row = self._connection().execute(
                "SELECT attributes FROM records WHERE account_key = ? AND person_key = ?", (account, person)
            ).fetchone()
        except sqlite3.Error as exc:
            raise PersistenceException(f"cannot read from the SQLite store: {exc}") from exc
        return _parse_record(row[0]) if row else {}

    def records(self, account: str) -> dict[str, dict]:
        try:
            rows = self._connection().execute(
                "SELECT person_key, attributes FROM records WHERE account_key = ?", (account,)
            ).fetchall()
        except sqlite3.Error as exc:
            raise PersistenceException(f"cannot read from the SQLite store: {exc}") from exc
        return {person: _parse_record(text) for person, text in rows}

    def save(self, account: str, attributes: dict, person: str = ACCOUNT_RECORD) -> None:
        try:
            data = json.dumps(only_stored_keys(attributes), sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise PersistenceException(f"attributes cannot be stored: {type(exc).__name__}") from exc
        try:
            conn = self._connection()
            with _transaction(conn):
                conn.execute(
                    "INSERT INTO records (account_key, person_key, attributes, updated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (account_key, person_key) DO UPDATE SET attributes = excluded.attributes,"
                    " updated_at = excluded.updated_at",
                    (account, person, data, time.time()),
                )
        except sqlite3.Error as exc:
            raise PersistenceException(f"cannot write to the SQLite store: {exc}") from exc

    def delete(self, account: str, person: str = ACCOUNT_RECORD) -> None:
        self._delete("account_key = ? AND person_key = ?", (account, person))

    def erase(self, account: str) -> int:
        return self._delete("account_key = ?", (account,))

    def _delete(self, where: str, params: tuple) -> int:
        try:
            conn = self._connection()
            with _transaction(conn):
                deleted = conn.execute(f"DELETE FROM records WHERE {where}", params).rowcount
        except sqlite3.Error as exc:
            raise PersistenceException(f"cannot delete from the SQLite store: {exc}") from exc
        try:
            # Older copies of the record live on in the write-ahead log until a checkpoint.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:  # busy readers: the next checkpoint will do it
            log.info("checkpoint after delete deferred (%s)", type(exc).__name__)
        return deleted


PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def _identity(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _identities(paths) -> dict[Path, tuple[int, int]]:
    """(device, inode) of each of these files that exists."""
    found = {}
    for path in paths:
        with contextlib.suppress(OSError):
            found[path] = _identity(os.stat(path))
    return found


def _tighten(*paths: Path) -> None:
    """Take every group and other permission off these files or folders (the owner's stay as they are)."""
    for path in paths:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
            if mode & 0o077:
                os.chmod(path, mode & ~0o077)
        except FileNotFoundError:
            continue
        except OSError as exc:  # not ours: say so, the store still works
            log.warning("SQLite store: cannot make %s private (%s)", path.name, type(exc).__name__)


def _holds_only_the_store(folder: Path, name: str) -> bool:
    """Whether ``folder`` is the store's own: nothing in it but the database and its -wal, -shm, -journal."""
    try:
        with os.scandir(folder) as entries:
            return all(entry.name in (name, f"{name}-wal", f"{name}-shm", f"{name}-journal") for entry in entries)
    except OSError:
        return False


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _parse_record(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise PersistenceException("unreadable record in the SQLite store") from exc
    return value if isinstance(value, dict) else {}


@contextlib.contextmanager
def _transaction(conn):
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (the connection is in autocommit mode).

    IMMEDIATE takes the write lock up front, so two writers queue on the busy
    timeout instead of one failing halfway with "database is locked".
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise

