"""``recovery-skill data``: the operator's look at, and deletion of, the records of one account.

A tool, not part of the skill: it uses the store the environment configures, the
same one the skill would (:func:`skill.storage.adapter_from_env`).
"""
from __future__ import annotations

import json
import os
import sys

from ask_sdk_core.exceptions import PersistenceException

from skill.storage import adapter_from_env
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import ACCOUNT_RECORD, user_key


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
