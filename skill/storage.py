"""Where a person's surgery date is kept: SQLite on one machine, DynamoDB on Lambda.

Both are ask-sdk-core persistence adapters, so handlers only ever see the
attributes manager. Only the keys in ``STORED_KEYS`` are ever written: the
surgery date and preferences, nothing else a request happens to carry.
Records are keyed by a hash of the Alexa user ID, so the store and the logs
never hold the ID itself.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

log = logging.getLogger(__name__)

STORED_KEYS = ("surgery_date", "preferences")


def user_key(user_id: str) -> str:
    """Stable, non-reversible key for a user ID (also what logs show)."""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:32]


def user_id_of(request_envelope) -> str:
    """The Alexa user ID of a request or skill event (events carry it only in context)."""
    try:
        return request_envelope.context.system.user.user_id
    except AttributeError as exc:
        raise PersistenceException("request carries no user ID") from exc


def keygen(request_envelope, *_args) -> str:
    """Partition key for both stores (the DynamoDB adapter calls it with the envelope)."""
    return user_key(user_id_of(request_envelope))


def only_stored_keys(attributes: dict) -> dict:
    dropped = set(attributes) - set(STORED_KEYS)
    if dropped:
        log.warning("not storing attribute(s) %s: only %s are kept", sorted(dropped), STORED_KEYS)
    return {k: v for k, v in attributes.items() if k in STORED_KEYS and v is not None}


class SQLiteAdapter(AbstractPersistenceAdapter):
    """Persistence on an embedded SQLite file, safe with many threads and processes.

    WAL lets readers go on while one writer writes; the busy timeout makes a second
    writer wait instead of failing with "database is locked"; every write is one
    transaction, so a record is never half written.
    """

    def __init__(self, path: str | os.PathLike, timeout_seconds: float = 3.0):
        self.path = Path(path)
        self.timeout_seconds = timeout_seconds
        self._local = threading.local()
        self._schema_ready = False

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=self.timeout_seconds, isolation_level=None)
                conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_seconds * 1000)}")
                if not self._schema_ready:
                    conn.execute("PRAGMA journal_mode = WAL")
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS users ("
                        " user_key TEXT PRIMARY KEY,"
                        " attributes TEXT NOT NULL,"
                        " updated_at REAL NOT NULL)"
                    )
                    self._schema_ready = True
            except (sqlite3.Error, OSError) as exc:
                raise PersistenceException(f"cannot open the SQLite store: {exc}") from exc
            self._local.conn = conn
        return conn

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
        return json.loads(row[0]) if row else {}

    def save(self, key: str, attributes: dict) -> None:
        data = json.dumps(only_stored_keys(attributes), sort_keys=True)
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


@contextlib.contextmanager
def _transaction(conn):
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (the connection is in autocommit mode)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def dynamodb_adapter(table: str, endpoint: str | None = None, region: str | None = None):
    """The SDK's DynamoDB adapter with bounded retries and timeouts (Alexa waits 8 s at most).

    boto3 is imported here, not at module level, so the SQLite path never pays for it.
    """
    import boto3
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    from botocore.config import Config

    config = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 2, "mode": "standard"})
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=endpoint or None,
        region_name=region or os.environ.get("AWS_REGION") or "us-east-1",
        config=config,
    )
    return _StoredKeysOnly(
        DynamoDbAdapter(
            table_name=table,
            partition_key_name="id",
            attribute_name="attributes",
            create_table=bool(endpoint),
            partition_keygen=keygen,
            dynamodb_resource=resource,
        )
    )


class _StoredKeysOnly(AbstractPersistenceAdapter):
    """Applies the same stored-keys rule to the SDK's DynamoDB adapter."""

    def __init__(self, inner):
        self.inner = inner

    def get_attributes(self, request_envelope):
        return self.inner.get_attributes(request_envelope)

    def save_attributes(self, request_envelope, attributes):
        self.inner.save_attributes(request_envelope, only_stored_keys(attributes))

    def delete_attributes(self, request_envelope):
        self.inner.delete_attributes(request_envelope)


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
