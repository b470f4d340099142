"""Which record a request reaches, what a record may hold, and what every store does with records.

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

Only the keys in ``STORED_KEYS`` are ever written: the surgery date and
preferences, nothing else a request happens to carry.
"""
from __future__ import annotations

import abc
import hashlib
import logging
from typing import NamedTuple

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

log = logging.getLogger(__name__)

# reminder: the lifting reminder's alert token, or the surgery date a reminder was declined for (skill/reminders.py).
STORED_KEYS = ("surgery_date", "preferences", "reminder", "country_permission")

# The person key of an account's own record: what voices Alexa did not recognise use.
# Never a hash (those are 32 hex digits), never empty (DynamoDB refuses empty key strings).
ACCOUNT_RECORD = "account"
# Requests that concern the whole account: deleting "their" record erases every record of it.
# Alexa names only the account in them, whoever disabled the skill.
ACCOUNT_WIDE_REQUESTS = frozenset({"AlexaSkillEvent.SkillDisabled"})


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


class RecordKey(NamedTuple):   # not a frozen dataclass: that costs a cold start 1-2 ms (see skill.timeline)
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

