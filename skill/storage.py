"""Where surgery dates and preferences are kept: SQLite on one machine, DynamoDB on Lambda.

Both are ask-sdk-core persistence adapters, so handlers only ever see the
attributes manager. Only the keys in ``STORED_KEYS`` are ever written: the
surgery date and preferences, nothing else a request happens to carry.

One record per person. A record is keyed by two hashes (:func:`user_key`), so
the store and the logs never hold an Alexa ID itself:

- the account (``context.System.user.userId``), and
- the speaker Alexa recognised by voice profile (``context.System.person.personId``),
  or the marker ``ACCOUNT_RECORD`` when Alexa did not recognise the voice.

So two people with voice profiles on one Echo each keep their own date, and an
unrecognised voice only ever reaches the account's own record. A recognised
person never falls back to the account's record either: on a shared Echo that
date may be the partner's, and timing advice from someone else's surgery date
is worse than being asked for the date once. "Forget" deletes the speaker's
record only; a SkillDisabled event (which names only the account) erases every
record of the account, in one query on the account key (see :func:`record_key`).

Every failure of a store reaches the handlers as ``PersistenceException`` and
within a bounded time (Alexa waits 8 seconds for an answer), so the handlers
can always apologise instead of going silent.

Configuration, from the environment only (see :func:`adapter_from_env`):

``RECOVERY_SKILL_DYNAMODB_TABLE``
    use DynamoDB, this table: partition key ``id`` (hashed account), sort key
    ``person`` (hashed person, or ``account``), the record in the map attribute
    ``attributes``. A table of earlier versions (partition key ``id`` only) keeps
    working as it did, one record per account, with a warning (:class:`DynamoDbStore`);
``RECOVERY_SKILL_DYNAMODB_ENDPOINT``
    a DynamoDB-protocol endpoint other than AWS's (DynamoDB Local, dynalite);
    the table is then created on first use;
``AWS_REGION``
    the region (default ``us-east-1``); credentials come the usual boto3 way;
``RECOVERY_SKILL_DB``
    without a DynamoDB table: the SQLite file (default: see :func:`default_db_path`);
``RECOVERY_SKILL_REMEMBER``
    ``persistent`` (default) keeps the surgery date in the store; ``session`` keeps it in the
    session only and no store is opened at all (see :func:`remember_mode`).
"""
from __future__ import annotations

import abc
import contextlib
import decimal
import hashlib
import json
import logging
import os
import sqlite3
import stat
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

log = logging.getLogger(__name__)

# reminder: the lifting reminder's alert token, or the surgery date a reminder was declined for (skill/reminders.py).
STORED_KEYS = ("surgery_date", "preferences", "reminder")

# The person key of an account's own record: what voices Alexa did not recognise use.
# Never a hash (those are 32 hex digits), never empty (DynamoDB refuses empty key strings).
ACCOUNT_RECORD = "account"
# Requests that concern the whole account: deleting "their" record erases every record of it.
# Alexa names only the account in them, whoever disabled the skill.
ACCOUNT_WIDE_REQUESTS = frozenset({"AlexaSkillEvent.SkillDisabled"})

# DynamoDB client limits. Worst case for one call: two attempts of READ_TIMEOUT
# each plus one back-off (botocore standard mode: at most 25 ms, or 1 s when
# throttled), about 3-4 s: a request whose storage call fails still answers well
# inside Alexa's 8 s. After a failed call the handlers make no further one.
DYNAMODB_CONNECT_TIMEOUT = 1.0
DYNAMODB_READ_TIMEOUT = 1.5
DYNAMODB_TOTAL_ATTEMPTS = 2
# How long a table created on first use may stay CREATING before we give up on this request.
DYNAMODB_TABLE_WAIT = 2.0
# Rounds of BatchWriteItem for the deletes DynamoDB left unprocessed (throttling) before giving up.
DYNAMODB_BATCH_ROUNDS = 3


def user_key(alexa_id: str) -> str:
    """Stable, non-reversible key for an Alexa user or person ID (also what logs show)."""
    return hashlib.sha256(alexa_id.encode("utf-8")).hexdigest()[:32]


def user_id_of(request_envelope) -> str:
    """The Alexa user ID of a request or skill event (events carry it only in context)."""
    try:
        user_id = request_envelope.context.system.user.user_id
    except AttributeError as exc:
        raise PersistenceException("request carries no user ID") from exc
    if not user_id:
        raise PersistenceException("request carries no user ID")
    return user_id


def person_id_of(request_envelope) -> str | None:
    """The person ID when Alexa recognised the speaker's voice profile, else None."""
    person = getattr(getattr(getattr(request_envelope, "context", None), "system", None), "person", None)
    return getattr(person, "person_id", None) or None


@dataclass(frozen=True)
class RecordKey:
    """Which record a request reaches: hashed account, and hashed person or ``ACCOUNT_RECORD``."""

    account: str
    person: str = ACCOUNT_RECORD


def record_key(request_envelope) -> RecordKey:
    """The recognised speaker's record, else the account's own; never the one for the other."""
    person = person_id_of(request_envelope)
    return RecordKey(user_key(user_id_of(request_envelope)), user_key(person) if person else ACCOUNT_RECORD)


def concerns_whole_account(request_envelope) -> bool:
    return getattr(getattr(request_envelope, "request", None), "object_type", None) in ACCOUNT_WIDE_REQUESTS


def only_stored_keys(attributes: dict) -> dict:
    dropped = set(attributes) - set(STORED_KEYS)
    if dropped:
        log.warning("not storing attribute(s) %s: only %s are kept", sorted(dropped), STORED_KEYS)
    return {k: v for k, v in attributes.items() if k in STORED_KEYS and v is not None}


class RecordStore(AbstractPersistenceAdapter, abc.ABC):
    """The adapter interface in terms of records: which record a request reaches is decided here, once.

    Stores implement ``load``/``save``/``delete`` of one record, ``records`` and
    ``erase`` of an account (also what the operator's data command uses).
    """

    def get_attributes(self, request_envelope) -> dict:
        key = record_key(request_envelope)
        return self.load(key.account, key.person)

    def save_attributes(self, request_envelope, attributes) -> None:
        key = record_key(request_envelope)
        self.save(key.account, attributes, key.person)

    def delete_attributes(self, request_envelope) -> None:
        key = record_key(request_envelope)
        if concerns_whole_account(request_envelope):
            self.erase(key.account)
        else:
            self.delete(key.account, key.person)

    @abc.abstractmethod
    def load(self, account: str, person: str = ACCOUNT_RECORD) -> dict:
        ...

    @abc.abstractmethod
    def save(self, account: str, attributes: dict, person: str = ACCOUNT_RECORD) -> None:
        ...

    @abc.abstractmethod
    def delete(self, account: str, person: str = ACCOUNT_RECORD) -> None:
        ...

    @abc.abstractmethod
    def records(self, account: str) -> dict[str, dict]:
        """Every record of an account, by person key."""
        ...

    @abc.abstractmethod
    def erase(self, account: str) -> int:
        """Delete every record of an account; how many there were."""
        ...


# ---------------------------------------------------------------- SQLite


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


# ---------------------------------------------------------------- DynamoDB


def dynamodb_adapter(
    table: str,
    endpoint: str | None = None,
    region: str | None = None,
    *,
    connect_timeout: float = DYNAMODB_CONNECT_TIMEOUT,
    read_timeout: float = DYNAMODB_READ_TIMEOUT,
    total_attempts: int = DYNAMODB_TOTAL_ATTEMPTS,
) -> "DynamoDbStore":
    """A DynamoDB store with bounded retries and timeouts (Alexa waits 8 s at most).

    No network call happens here: with an ``endpoint`` the table is created on first
    use, so a store that is down cannot stop the skill from starting (and answering
    emergencies). boto3 is imported here, not at module level, so the SQLite path
    never pays for it.
    """
    return DynamoDbStore(
        table,
        endpoint,
        region,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        total_attempts=total_attempts,
    )


class DynamoDbStore(RecordStore):
    """Records in a DynamoDB table: partition key ``id`` (account), sort key ``person``.

    ask-sdk's own ``DynamoDbAdapter`` knows only a partition key, and a composite
    partition key ("account#person") would need a table scan to erase an account;
    so this is three boto3 item calls, plus one Query for an account's records.

    - only ``STORED_KEYS`` are written; numbers come back as int/float, not Decimal;
    - the table is created on first use when an endpoint is given (not in the
      constructor, so a store that is down cannot fail the whole skill);
    - a table of earlier versions (partition key ``id`` only, no sort key) is found
      on first use by one probe read, and then used as it always was: one record
      per account, which every voice on the account shares, with a warning in the
      log. DynamoDB cannot add a sort key to a table; to keep one record per person,
      create a table with both keys (DEPLOY.md) and point the skill at it.
    """

    def __init__(self, table: str, endpoint: str | None = None, region: str | None = None, *,
                 connect_timeout: float = DYNAMODB_CONNECT_TIMEOUT, read_timeout: float = DYNAMODB_READ_TIMEOUT,
                 total_attempts: int = DYNAMODB_TOTAL_ATTEMPTS):
        from botocore.config import Config

        self.table_name = table
        self.endpoint = endpoint or None
        self.region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        config = Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"total_max_attempts": total_attempts, "mode": "standard"},
            max_pool_connections=32,
        )
        session = _boto3_session(self.region)
        self.resource = session.resource("dynamodb", endpoint_url=self.endpoint, config=config)
        self.table = self.resource.Table(table)  # no network: loads the resource model once, here
        self._per_person: bool | None = None  # the table's layout, found out on first use
        self._table_lock = threading.Lock()
        _keep_records_out_of_boto_logs()

    def __repr__(self) -> str:
        return f"DynamoDbStore({self.table_name!r}, endpoint={self.endpoint!r}, region={self.region!r})"

    def describe(self) -> str:
        where = f" at {self.endpoint}" if self.endpoint else f" in {self.region}"
        return f"DynamoDB table {self.table_name}{where}"

    def _key(self, account: str, person: str) -> dict:
        return {"id": account, "person": person} if self._records_per_person() else {"id": account}

    def load(self, account: str, person: str = ACCOUNT_RECORD) -> dict:
        key = self._key(account, person)
        with _as_persistence_error("read from"):
            item = self.table.get_item(Key=key, ConsistentRead=True).get("Item")
        return _from_dynamo(item["attributes"]) if item and "attributes" in item else {}

    def save(self, account: str, attributes: dict, person: str = ACCOUNT_RECORD) -> None:
        item = {**self._key(account, person), "attributes": _to_dynamo(only_stored_keys(attributes))}
        with _as_persistence_error("write to"):
            self.table.put_item(Item=item)

    def delete(self, account: str, person: str = ACCOUNT_RECORD) -> None:
        key = self._key(account, person)
        with _as_persistence_error("delete from"):
            self.table.delete_item(Key=key)

    def records(self, account: str) -> dict[str, dict]:
        if not self._records_per_person():
            record = self.load(account)
            return {ACCOUNT_RECORD: record} if record else {}
        return {item["person"]: _from_dynamo(item.get("attributes") or {}) for item in self._query(account)}

    def erase(self, account: str) -> int:
        """One Query on the account's partition, then its items deleted in batches of 25."""
        if not self._records_per_person():
            existed = bool(self.load(account))
            self.delete(account)
            return int(existed)
        keys = [{"id": account, "person": item["person"]} for item in self._query(account, keys_only=True)]
        for start in range(0, len(keys), 25):
            self._batch_delete(keys[start:start + 25])
        return len(keys)

    def _query(self, account: str, keys_only: bool = False) -> list[dict]:
        from boto3.dynamodb.conditions import Key

        params = {"KeyConditionExpression": Key("id").eq(account), "ConsistentRead": True}
        if keys_only:
            params.update(ProjectionExpression="#p", ExpressionAttributeNames={"#p": "person"})
        items = []
        with _as_persistence_error("read from"):
            while True:
                page = self.table.query(**params)
                items.extend(page.get("Items", []))
                if "LastEvaluatedKey" not in page:
                    return items
                params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _batch_delete(self, keys: list[dict]) -> None:
        """BatchWriteItem, retrying what DynamoDB left unprocessed a bounded number of times."""
        pending = [{"DeleteRequest": {"Key": key}} for key in keys]
        with _as_persistence_error("delete from"):
            for round_ in range(DYNAMODB_BATCH_ROUNDS):
                left = self.resource.batch_write_item(RequestItems={self.table_name: pending})
                pending = left.get("UnprocessedItems", {}).get(self.table_name, [])
                if not pending:
                    return
                time.sleep(0.05 * (round_ + 1))
        raise PersistenceException(f"DynamoDB left {len(pending)} delete(s) unprocessed")

    def _records_per_person(self) -> bool:
        """Whether the table has a record per person (True) or per account (earlier versions).

        Found out once per container: the table is created first when an endpoint
        is given; then one read with both keys, which a table without the sort key
        refuses. A failure fails just this request; the next one tries again.
        """
        if self._per_person is not None:
            return self._per_person
        with self._table_lock:
            if self._per_person is None:
                created = self._endpoint_table_created() if self.endpoint else False
                self._per_person = True if created else self._probe_layout()
        return self._per_person

    def _probe_layout(self) -> bool:
        from botocore.exceptions import ClientError

        with _as_persistence_error("read from"):
            try:
                self.table.get_item(Key={"id": "layout-probe", "person": ACCOUNT_RECORD})
            except ClientError as exc:
                error = exc.response.get("Error", {})
                if error.get("Code") != "ValidationException" or "does not match the schema" not in error.get("Message", ""):
                    raise
                log.warning(
                    "DynamoDB table %s has the one-key layout of earlier versions: every voice on an account"
                    " shares one record. For one record per person, create a table with partition key id and"
                    " sort key person (see DEPLOY.md) and set RECOVERY_SKILL_DYNAMODB_TABLE to it.",
                    self.table_name,
                )
                return False
        return True

    def _endpoint_table_created(self) -> bool:
        """Create the table (endpoint given only) unless it exists; whether this call created it."""
        client = self.resource.meta.client
        created = False
        with _as_persistence_error("check or create the table in"):
            try:
                status = client.describe_table(TableName=self.table_name)["Table"]["TableStatus"]
            except client.exceptions.ResourceNotFoundException:
                try:
                    status = client.create_table(
                        TableName=self.table_name,
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"},
                                   {"AttributeName": "person", "KeyType": "RANGE"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                              {"AttributeName": "person", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST",
                    )["TableDescription"]["TableStatus"]
                except client.exceptions.ResourceInUseException:  # created meanwhile elsewhere
                    status = "CREATING"
                else:
                    created = True
                    log.info("created DynamoDB table %s", self.table_name)
            deadline = time.monotonic() + DYNAMODB_TABLE_WAIT
            while status != "ACTIVE":
                if time.monotonic() > deadline:
                    raise PersistenceException(f"DynamoDB table {self.table_name} is still {status}")
                time.sleep(0.05)
                status = client.describe_table(TableName=self.table_name)["Table"]["TableStatus"]
        return created


_boto_lock = threading.Lock()
_shared_loader = None


def _boto3_session(region: str):
    """A boto3 session of its own (credentials, connections) sharing the parsed service models.

    Parsing botocore's model files costs about 0.2 s per session; adapters after
    the first (tests, the benchmark, a second store) reuse them.
    """
    global _shared_loader
    import boto3.session
    import botocore.session

    with _boto_lock:
        core = botocore.session.get_session()
        if _shared_loader is None:
            _shared_loader = core.get_component("data_loader")
        else:
            core.register_component("data_loader", _shared_loader)
        session = boto3.session.Session(botocore_session=core, region_name=region)
        # boto3 appends its own model folder to the loader's search path each time.
        _shared_loader.search_paths[:] = list(dict.fromkeys(_shared_loader.search_paths))
    return session


# boto3/botocore loggers whose DEBUG records carry request and response bodies,
# that is surgery dates: with debug logging on (e.g. AWS_LAMBDA_LOG_LEVEL=DEBUG)
# they would put health data in the logs.
_BODY_LOGGERS = ("boto3.resources.action", "botocore.endpoint", "botocore.parsers")


class _NoBodies(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_NO_BODIES = _NoBodies()


def _keep_records_out_of_boto_logs() -> None:
    for name in _BODY_LOGGERS:
        logger = logging.getLogger(name)
        if _NO_BODIES not in logger.filters:
            logger.addFilter(_NO_BODIES)


@contextlib.contextmanager
def _as_persistence_error(doing: str):
    try:
        yield
    except PersistenceException:
        raise
    except Exception as exc:  # botocore's errors: connection, timeout, throttling, validation
        raise PersistenceException(
            f"cannot {doing} the DynamoDB store: {type(exc).__name__}: {exc}"
        ) from exc


def _from_dynamo(value):
    """DynamoDB numbers come back as Decimal: make them int or float again (JSON-friendly)."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_from_dynamo(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_from_dynamo(v) for v in value)
    return value


def _to_dynamo(value):
    """boto3 refuses floats: store them as Decimal."""
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_dynamo(v) for v in value]
    return value


# ---------------------------------------------------------------- configuration


def adapter_from_env(env=os.environ) -> AbstractPersistenceAdapter:
    """DynamoDB when RECOVERY_SKILL_DYNAMODB_TABLE is set, else SQLite at RECOVERY_SKILL_DB."""
    table = env.get("RECOVERY_SKILL_DYNAMODB_TABLE")
    if table:
        return dynamodb_adapter(table, env.get("RECOVERY_SKILL_DYNAMODB_ENDPOINT"), env.get("AWS_REGION"))
    return SQLiteAdapter(env.get("RECOVERY_SKILL_DB") or default_db_path(env))


def default_db_path(env=os.environ) -> str:
    if env.get("AWS_LAMBDA_FUNCTION_NAME"):
        log.warning("no RECOVERY_SKILL_DYNAMODB_TABLE on Lambda: dates live in /tmp and are lost with the container")
        return "/tmp/recovery-skill.db"
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "recovery-skill", "recovery.db")


# A stored surgery date is health information: kept across sessions only by a publisher inside
# Amazon's HIPAA-eligible programme (DEPLOY.md); "session" keeps it for the conversation only.
PERSISTENT, SESSION = "persistent", "session"
REMEMBER_MODES = (PERSISTENT, SESSION)


def remember_mode(env=os.environ) -> str:
    """RECOVERY_SKILL_REMEMBER: persistent (default) or session. Any other value: session, the side
    that stores nothing (the builder logs it as an error)."""
    value = (env.get("RECOVERY_SKILL_REMEMBER") or PERSISTENT).strip().lower()
    return value if value in REMEMBER_MODES else SESSION


# The one place that decides where what the skill remembers of a person (STORED_KEYS) is read and
# saved: their record in the store, or with RECOVERY_SKILL_REMEMBER=session the session's attributes.


def remembered(handler_input) -> dict:
    """What the skill remembers of this person (read only: change it with :func:`remember`)."""
    manager = handler_input.attributes_manager
    if remember_mode() == SESSION:
        return manager.session_attributes if handler_input.request_envelope.session is not None else {}
    return manager.persistent_attributes


def remember(handler_input, **changes) -> None:
    """Set these keys (a value of None removes the key) where :func:`remembered` reads them.

    Raises PersistenceException when the store fails.
    """
    session_only = remember_mode() == SESSION
    manager = handler_input.attributes_manager
    attrs = remembered(handler_input) if session_only else dict(manager.persistent_attributes)
    for key, value in changes.items():
        if value is None:
            attrs.pop(key, None)
        else:
            attrs[key] = value
    if not session_only:
        manager.persistent_attributes = attrs
        manager.save_persistent_attributes()


def forget_all(handler_input) -> None:
    """Forget everything remembered of this person. Raises PersistenceException when the store fails."""
    if remember_mode() == SESSION:
        remember(handler_input, **{key: None for key in STORED_KEYS})
    else:
        handler_input.attributes_manager.delete_persistent_attributes()


# ---------------------------------------------------------------- operators' data command


def data_command(args, env=os.environ, out=None, err=None) -> int:
    """``recovery-skill data show|delete --user ID [--person ID]`` on whichever store the environment configures.

    Without ``--person``: every record of the account (its own and each voice
    profile's), as disabling the skill would erase them; with it: that person's
    record only. Prints records as JSON (or "no record"); delete asks nothing and
    says what it did. Only key hashes are ever printed, never an Alexa ID. Exit
    code 0 when done (including "no record"), 1 when the store cannot be reached.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    account = user_key(args.user)
    person = user_key(args.person) if getattr(args, "person", None) else None
    whose = f"person key {person} of account key {account}" if person else f"account key {account}"
    try:
        store = adapter_from_env(env)
    except Exception as exc:  # e.g. DynamoDB configured but boto3 not installed
        print(f"cannot use the configured store: {type(exc).__name__}: {exc}", file=err)
        return 1
    where = store.describe()
    if isinstance(store, SQLiteAdapter) and not store.path.exists():
        # Do not create an empty database just to look into it.
        print(f"no record for {whose}: {where} does not exist" + (", nothing deleted" if args.action == "delete" else ""),
              file=out)
        return 0
    try:
        records = {person: store.load(account, person)} if person else store.records(account)
        records = {key: record for key, record in records.items() if record}
        if not records:
            print(f"no record for {whose} in {where}" + (": nothing deleted" if args.action == "delete" else ""),
                  file=out)
            return 0
        if args.action == "show":
            shown = {"account_key": account, "person_key": person, "record": records[person]} if person else \
                {"account_key": account, "records": records}
            print(json.dumps(shown, indent=2, sort_keys=True, default=str), file=out)
            return 0
        if person:
            store.delete(account, person)
            print(f"deleted the record of {whose} ({', '.join(sorted(records[person]))}) from {where}", file=out)
        else:
            deleted = store.erase(account)
            people = len([key for key in records if key != ACCOUNT_RECORD])
            parts = (["the account's own record"] if ACCOUNT_RECORD in records else []) + \
                ([f"{people} voice profile(s)"] if people else [])
            print(f"deleted {deleted} record(s) of {whose} ({' and '.join(parts)}) from {where}", file=out)
        return 0
    except PersistenceException as exc:
        print(f"cannot reach {where}: {exc}", file=err)
        return 1
    finally:
        if isinstance(store, SQLiteAdapter):
            store.close()
