"""Where a person's surgery date is kept: SQLite on one machine, DynamoDB on Lambda.

Both are ask-sdk-core persistence adapters, so handlers only ever see the
attributes manager. Only the keys in ``STORED_KEYS`` are ever written: the
surgery date and preferences, nothing else a request happens to carry.
Records are keyed by a hash of the Alexa user ID, so the store and the logs
never hold the ID itself.

Every failure of a store reaches the handlers as ``PersistenceException`` and
within a bounded time (Alexa waits 8 seconds for an answer), so the handlers
can always apologise instead of going silent.

Configuration, from the environment only (see :func:`adapter_from_env`):

``RECOVERY_SKILL_DYNAMODB_TABLE``
    use DynamoDB, this table (partition key ``id``: the hashed user key;
    the record is the map attribute ``attributes``);
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

import contextlib
import decimal
import hashlib
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

log = logging.getLogger(__name__)

STORED_KEYS = ("surgery_date", "preferences")

# DynamoDB client limits. Worst case for one call: two attempts of READ_TIMEOUT
# each plus one back-off (botocore standard mode: at most 25 ms, or 1 s when
# throttled), about 3-4 s: a request whose storage call fails still answers well
# inside Alexa's 8 s. After a failed call the handlers make no further one.
DYNAMODB_CONNECT_TIMEOUT = 1.0
DYNAMODB_READ_TIMEOUT = 1.5
DYNAMODB_TOTAL_ATTEMPTS = 2
# How long a table created on first use may stay CREATING before we give up on this request.
DYNAMODB_TABLE_WAIT = 2.0


def user_key(user_id: str) -> str:
    """Stable, non-reversible key for a user ID (also what logs show)."""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:32]


def user_id_of(request_envelope) -> str:
    """The Alexa user ID of a request or skill event (events carry it only in context)."""
    try:
        user_id = request_envelope.context.system.user.user_id
    except AttributeError as exc:
        raise PersistenceException("request carries no user ID") from exc
    if not user_id:
        raise PersistenceException("request carries no user ID")
    return user_id


def keygen(request_envelope, *_args) -> str:
    """Partition key for both stores (the DynamoDB adapter calls it with the envelope)."""
    return user_key(user_id_of(request_envelope))


def only_stored_keys(attributes: dict) -> dict:
    dropped = set(attributes) - set(STORED_KEYS)
    if dropped:
        log.warning("not storing attribute(s) %s: only %s are kept", sorted(dropped), STORED_KEYS)
    return {k: v for k, v in attributes.items() if k in STORED_KEYS and v is not None}


# ---------------------------------------------------------------- SQLite


class SQLiteAdapter(AbstractPersistenceAdapter):
    """Persistence on an embedded SQLite file, safe with many threads and processes.

    WAL lets readers go on while one writer writes; the busy timeout makes a second
    writer wait instead of failing with "database is locked"; every write is one
    ``BEGIN IMMEDIATE`` transaction, so a record is never half written. Each thread
    has its own connection.
    """

    def __init__(self, path: str | os.PathLike, timeout_seconds: float = 3.0):
        self.path = Path(path)
        self.timeout_seconds = timeout_seconds
        self._local = threading.local()
        self._schema_ready = False

    def __repr__(self) -> str:
        return f"SQLiteAdapter({str(self.path)!r})"

    def describe(self) -> str:
        return f"SQLite file {self.path}"

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout_seconds, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_seconds * 1000)}")
            # A forgotten surgery date is overwritten on disk, not left in free pages.
            conn.execute("PRAGMA secure_delete = ON")
            if not self._schema_ready:
                self._prepare(conn)
                self._schema_ready = True
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            raise PersistenceException(f"cannot open the SQLite store: {exc}") from exc
        self._local.conn = conn
        return conn

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
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone()
        if not exists:
            with _transaction(conn):
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS users ("
                    " user_key TEXT PRIMARY KEY,"
                    " attributes TEXT NOT NULL,"
                    " updated_at REAL NOT NULL)"
                )

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            conn.close()

    def get_attributes(self, request_envelope) -> dict:
        return self.load(keygen(request_envelope))

    def save_attributes(self, request_envelope, attributes) -> None:
        self.save(keygen(request_envelope), attributes)

    def delete_attributes(self, request_envelope) -> None:
        self.delete(keygen(request_envelope))

    # Key-level operations, also used by the operator's data command.
    def load(self, key: str) -> dict:
        try:
            row = self._connection().execute(
                "SELECT attributes FROM users WHERE user_key = ?", (key,)
            ).fetchone()
        except sqlite3.Error as exc:
            raise PersistenceException(f"cannot read from the SQLite store: {exc}") from exc
        if not row:
            return {}
        try:
            value = json.loads(row[0])
        except ValueError as exc:
            raise PersistenceException("unreadable record in the SQLite store") from exc
        return value if isinstance(value, dict) else {}

    def save(self, key: str, attributes: dict) -> None:
        try:
            data = json.dumps(only_stored_keys(attributes), sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise PersistenceException(f"attributes cannot be stored: {type(exc).__name__}") from exc
        try:
            conn = self._connection()
            with _transaction(conn):
                conn.execute(
                    "INSERT INTO users (user_key, attributes, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT(user_key) DO UPDATE SET attributes = excluded.attributes,"
                    " updated_at = excluded.updated_at",
                    (key, data, time.time()),
                )
        except sqlite3.Error as exc:
            raise PersistenceException(f"cannot write to the SQLite store: {exc}") from exc

    def delete(self, key: str) -> None:
        try:
            conn = self._connection()
            with _transaction(conn):
                conn.execute("DELETE FROM users WHERE user_key = ?", (key,))
        except sqlite3.Error as exc:
            raise PersistenceException(f"cannot delete from the SQLite store: {exc}") from exc
        try:
            # Older copies of the record live on in the write-ahead log until a checkpoint.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:  # busy readers: the next checkpoint will do it
            log.info("checkpoint after delete deferred (%s)", type(exc).__name__)


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
    """The SDK's DynamoDB adapter with bounded retries and timeouts (Alexa waits 8 s at most).

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


class DynamoDbStore(AbstractPersistenceAdapter):
    """ask-sdk's ``DynamoDbAdapter`` plus what the skill needs around it.

    - only ``STORED_KEYS`` are written; numbers come back as int/float, not Decimal;
    - the table is created on first use when an endpoint is given (not in the
      constructor as the SDK would, which fails the whole skill when the store is down);
    - key-level ``load``/``save``/``delete`` for the operator's data command.
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
        self.inner = _sdk_adapter_class(self.region)(
            table_name=table,
            partition_key_name="id",
            attribute_name="attributes",
            create_table=False,  # see _ensure_table
            partition_keygen=keygen,
            dynamodb_resource=self.resource,
        )
        self._table_ready = self.endpoint is None
        self._table_lock = threading.Lock()
        _keep_records_out_of_boto_logs()

    def __repr__(self) -> str:
        return f"DynamoDbStore({self.table_name!r}, endpoint={self.endpoint!r}, region={self.region!r})"

    def describe(self) -> str:
        where = f" at {self.endpoint}" if self.endpoint else f" in {self.region}"
        return f"DynamoDB table {self.table_name}{where}"

    # The adapter interface, used by the skill.
    def get_attributes(self, request_envelope):
        self._ensure_table()
        return _from_dynamo(self.inner.get_attributes(request_envelope))

    def save_attributes(self, request_envelope, attributes):
        self._ensure_table()
        self.inner.save_attributes(request_envelope, _to_dynamo(only_stored_keys(attributes)))

    def delete_attributes(self, request_envelope):
        self._ensure_table()
        self.inner.delete_attributes(request_envelope)

    # Key-level operations, for the data command and the tests.
    def load(self, key: str) -> dict:
        self._ensure_table()
        with _as_persistence_error("read from"):
            item = self.table.get_item(Key={"id": key}, ConsistentRead=True).get("Item")
        return _from_dynamo(item["attributes"]) if item and "attributes" in item else {}

    def save(self, key: str, attributes: dict) -> None:
        self._ensure_table()
        with _as_persistence_error("write to"):
            self.table.put_item(Item={"id": key, "attributes": _to_dynamo(only_stored_keys(attributes))})

    def delete(self, key: str) -> None:
        self._ensure_table()
        with _as_persistence_error("delete from"):
            self.table.delete_item(Key={"id": key})

    def _ensure_table(self) -> None:
        """Create the table on first use (endpoint given only); a failure fails just this request."""
        if self._table_ready:
            return
        with self._table_lock:
            if self._table_ready:
                return
            client = self.resource.meta.client
            with _as_persistence_error("check or create the table in"):
                try:
                    status = client.describe_table(TableName=self.table_name)["Table"]["TableStatus"]
                except client.exceptions.ResourceNotFoundException:
                    try:
                        status = client.create_table(
                            TableName=self.table_name,
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                            BillingMode="PAY_PER_REQUEST",
                        )["TableDescription"]["TableStatus"]
                    except client.exceptions.ResourceInUseException:  # created meanwhile elsewhere
                        status = "CREATING"
                    else:
                        log.info("created DynamoDB table %s", self.table_name)
                deadline = time.monotonic() + DYNAMODB_TABLE_WAIT
                while status != "ACTIVE":
                    if time.monotonic() > deadline:
                        raise PersistenceException(f"DynamoDB table {self.table_name} is still {status}")
                    time.sleep(0.05)
                    status = client.describe_table(TableName=self.table_name)["Table"]["TableStatus"]
            self._table_ready = True


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


def _sdk_adapter_class(region: str):
    """ask_sdk_dynamodb's DynamoDbAdapter class.

    Importing that module builds ``boto3.resource("dynamodb")`` as a default argument,
    which raises NoRegionError when no region is configured; give it ours for the import.
    """
    try:
        from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    except Exception as exc:
        if type(exc).__name__ != "NoRegionError":
            raise
        with _env_default("AWS_DEFAULT_REGION", region):
            from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    return DynamoDbAdapter


_env_lock = threading.Lock()


@contextlib.contextmanager
def _env_default(name: str, value: str):
    with _env_lock:
        had = name in os.environ
        os.environ.setdefault(name, value)
        try:
            yield
        finally:
            if not had:
                os.environ.pop(name, None)


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


# ---------------------------------------------------------------- operators' data command


def data_command(args, env=os.environ, out=None, err=None) -> int:
    """``recovery-skill data show|delete --user ID`` on whichever store the environment configures.

    Prints the stored record as JSON (or "no record"); delete asks nothing and says
    what it did. Only the key hash is ever printed, never the user ID. Exit code 0
    when done (including "no record"), 1 when the store cannot be reached.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    key = user_key(args.user)
    try:
        store = adapter_from_env(env)
    except Exception as exc:  # e.g. DynamoDB configured but boto3 not installed
        print(f"cannot use the configured store: {type(exc).__name__}: {exc}", file=err)
        return 1
    where = store.describe()
    if isinstance(store, SQLiteAdapter) and not store.path.exists():
        # Do not create an empty database just to look into it.
        print(f"no record for user key {key}: {where} does not exist" + (", nothing deleted" if args.action == "delete" else ""),
              file=out)
        return 0
    try:
        record = store.load(key)
        if args.action == "show":
            if not record:
                print(f"no record for user key {key} in {where}", file=out)
            else:
                print(json.dumps({"user_key": key, "record": record}, indent=2, sort_keys=True, default=str), file=out)
            return 0
        if not record:
            print(f"no record for user key {key} in {where}: nothing deleted", file=out)
            return 0
        store.delete(key)
        print(f"deleted the record of user key {key} ({', '.join(sorted(record))}) from {where}", file=out)
        return 0
    except PersistenceException as exc:
        print(f"cannot reach {where}: {exc}", file=err)
        return 1
    finally:
        if isinstance(store, SQLiteAdapter):
            store.close()
