"""The remember mode, and the one place that reads and saves what the skill remembers of a person."""
from __future__ import annotations

import os

from skill.storage.store import STORED_KEYS

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
