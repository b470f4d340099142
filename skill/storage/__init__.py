"""Where surgery dates and preferences are kept: SQLite on one machine, DynamoDB on Lambda.

Both stores are ask-sdk-core persistence adapters (:class:`skill.storage.store.RecordStore`),
so handlers only ever see the attributes manager, and read and change what is remembered
through :mod:`skill.storage.remember`. The package:

- :mod:`skill.storage.store`: which record a request reaches, what is stored, the store interface;
- :mod:`skill.storage.sqlite`: the SQLite file (one machine, the simulator, the web service);
- :mod:`skill.storage.dynamodb`: the DynamoDB table (Lambda); boto3 is imported only there;
- :mod:`skill.storage.remember`: the remember mode, and the one place that reads and saves a person's keys;
- here: which store the environment configures, imported only when chosen (SQLite never loads boto3).

Every failure of a store reaches the handlers as ``PersistenceException`` and
within a bounded time (Alexa waits 8 seconds for an answer), so the handlers
can always apologise instead of going silent.

Configuration, from the environment only (see :func:`adapter_from_env`):

``RECOVERY_SKILL_DYNAMODB_TABLE``
    use DynamoDB, this table: partition key ``id`` (hashed account), sort key
    ``person`` (hashed person, or ``account``), the record in the map attribute
    ``attributes``. A table of earlier versions (partition key ``id`` only) keeps
    working as it did, one record per account, with a warning (:class:`skill.storage.dynamodb.DynamoDbStore`);
``RECOVERY_SKILL_DYNAMODB_ENDPOINT``
    a DynamoDB-protocol endpoint other than AWS's (DynamoDB Local, dynalite);
    the table is then created on first use;
``AWS_REGION``
    the region (default ``us-east-1``); credentials come the usual boto3 way;
``RECOVERY_SKILL_DB``
    without a DynamoDB table: the SQLite file (default: see :func:`default_db_path`);
``RECOVERY_SKILL_REMEMBER``
    ``persistent`` (default) keeps the surgery date in the store; ``session`` keeps it in the
    session only and no store is opened at all (see :func:`skill.storage.remember.remember_mode`).
"""
from __future__ import annotations

import logging
import os

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

log = logging.getLogger(__name__)


def adapter_from_env(env=os.environ) -> AbstractPersistenceAdapter:
    """DynamoDB when RECOVERY_SKILL_DYNAMODB_TABLE is set, else SQLite at RECOVERY_SKILL_DB."""
    table = env.get("RECOVERY_SKILL_DYNAMODB_TABLE")
    if table:
        from skill.storage.dynamodb import dynamodb_adapter

        return dynamodb_adapter(table, env.get("RECOVERY_SKILL_DYNAMODB_ENDPOINT"), env.get("AWS_REGION"))
    from skill.storage.sqlite import SQLiteAdapter

    return SQLiteAdapter(env.get("RECOVERY_SKILL_DB") or default_db_path(env))


def default_db_path(env=os.environ) -> str:
    if env.get("AWS_LAMBDA_FUNCTION_NAME"):
        log.warning("no RECOVERY_SKILL_DYNAMODB_TABLE on Lambda: dates live in /tmp and are lost with the container")
        return "/tmp/recovery-skill.db"
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "recovery-skill", "recovery.db")

