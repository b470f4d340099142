"""The DynamoDB store (Lambda): bounded timeouts and retries, one boto3 session, no record bodies in boto's logs.

boto3 and botocore are imported inside functions only, so importing this module
(or the SQLite store) costs no boto3 at cold start.
"""
from __future__ import annotations

import contextlib
import decimal
import logging
import os
import threading
import time

from ask_sdk_core.exceptions import PersistenceException

from skill.storage.store import ACCOUNT_RECORD, RecordStore, only_stored_keys

log = logging.getLogger(__name__)

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
