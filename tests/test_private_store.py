"""Surgery dates at rest: private files, and a store removed or replaced under a running process.

Dates are health data: no other local user may read them, whatever the umask, and a process
whose database file was deleted must not go on saying "I'll remember" into it.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from ask_sdk_core.exceptions import PersistenceException

from skill import content as recovery_content
from skill_tools.simulator.session import Conversation
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import user_key
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[1]
USER = "amzn1.ask.account.PRIVATE-STORE-TESTER"
SAVE_APOLOGY = recovery_content.load().phrases["date_not_saved"]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


@pytest.fixture
def umask():
    """Set a umask for the test (the process's own is restored after)."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_to(value: int) -> None:
        os.umask(value)

    yield set_to
    os.umask(saved)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o002, 0o077])
def test_a_new_store_is_readable_by_its_owner_only_whatever_the_umask(tmp_path, umask, mask):
    umask(mask)
    db = tmp_path / "data" / "recovery-skill" / "recovery.db"
    store = SQLiteAdapter(db)
    store.save(user_key(USER), {"surgery_date": "2026-11-10"})
    assert store.load(user_key(USER)) == {"surgery_date": "2026-11-10"}

    assert mode(db.parent) == 0o700
    for path in files(db):
        assert path.exists(), path
        assert mode(path) == 0o600, (path.name, oct(mode(path)))
    store.close_all()


def test_an_existing_store_of_an_earlier_version_is_tightened_when_opened(tmp_path, umask):
    umask(0o022)
    folder = tmp_path / "recovery-skill"
    folder.mkdir(mode=0o755)
    db = folder / "recovery.db"
    earlier = SQLiteAdapter(db)
    earlier.save(user_key(USER), {"surgery_date": "2026-11-10"})
    # As earlier versions left them, the connection still open (so -wal and -shm exist).
    for path in [folder, *files(db)]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)

    later = SQLiteAdapter(db)
    assert later.load(user_key(USER)) == {"surgery_date": "2026-11-10"}

    assert mode(folder) == 0o700
    assert [oct(mode(path)) for path in files(db)] == [oct(0o600)] * 3
    earlier.close_all()
    later.close_all()


def test_a_shared_folder_is_left_as_it_is_but_the_files_are_private(tmp_path, umask):
    """--db shared.db in a project folder: the folder is not the store's to lock, the files are."""
    umask(0o022)
    (tmp_path / "notes.txt").write_text("someone else's file")
    os.chmod(tmp_path, 0o755)
    store = SQLiteAdapter(tmp_path / "shared.db")
    store.save(user_key(USER), {"surgery_date": "2026-11-10"})
    assert mode(tmp_path) == 0o755
    assert all(mode(path) == 0o600 for path in files(tmp_path / "shared.db"))
    store.close_all()


def test_a_read_only_file_stays_read_only(tmp_path):
    """Tightening takes group and other permissions away; it never gives the owner write permission."""
    db = tmp_path / "recovery.db"
    SQLiteAdapter(db).save(user_key(USER), {"surgery_date": "2026-11-10"})
    os.chmod(db, 0o444)
    assert SQLiteAdapter(db).load(user_key(USER)) == {"surgery_date": "2026-11-10"}
    assert mode(db) == 0o400


# ------------------------------------------------------------------ removed or replaced while running


def person(store) -> Conversation:
    return Conversation.build(store, zone="America/New_York", now=NOW, user_id=USER)


def save_a_date(store) -> str:
    talk = person(store)
    talk.intent("SetSurgeryDateIntent", {"date": "2026-11-10"})
    return talk.intent("AMAZON.YesIntent").speech


def test_a_store_removed_while_running_is_refused_not_written_into(tmp_path, caplog):
    db = tmp_path / "recovery.db"
    store = SQLiteAdapter(db)
    assert save_a_date(store).startswith("Thank you. I'll remember")

    db.unlink()  # the README's old advice, while the server runs

    answer = save_a_date(store)
    assert answer.startswith(SAVE_APOLOGY), answer
    assert "I'll remember" not in answer
    with pytest.raises(PersistenceException, match="was removed while this process was using it"):
        store.load(user_key(USER))
    assert "recovery-skill data delete" in caplog.text
    store.close_all()


def test_after_the_removal_a_new_process_starts_on_a_fresh_file(tmp_path):
    """The old process's write-ahead log is not taken for the new file's ("disk I/O error")."""
    db = tmp_path / "recovery.db"
    running = SQLiteAdapter(db)
    running.save(user_key(USER), {"surgery_date": "2026-11-10"})
    db.unlink()
    script = (
        "import sys; from skill.storage.sqlite import SQLiteAdapter\nfrom skill.storage.store import user_key\n"
        "s = SQLiteAdapter(sys.argv[1]); print(s.load(user_key('x')))\n"
        "s.save(user_key('x'), {'surgery_date': '2026-12-01'}); print(s.load(user_key('x')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(db)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["{}", "{'surgery_date': '2026-12-01'}"]
    with pytest.raises(PersistenceException):
        running.save(user_key(USER), {"surgery_date": "2026-11-11"})
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (1,)


def test_a_store_replaced_while_running_is_refused_and_the_new_file_left_whole(tmp_path):
    db = tmp_path / "recovery.db"
    store = SQLiteAdapter(db)
    store.save(user_key(USER), {"surgery_date": "2026-11-10"})
    other = tmp_path / "other" / "recovery.db"
    replacement = SQLiteAdapter(other)
    replacement.save(user_key("someone"), {"surgery_date": "2026-01-01"})
    replacement.close_all()
    shutil.move(other, db)

    assert save_a_date(store).startswith(SAVE_APOLOGY)
    store.close_all()
    assert SQLiteAdapter(db).load(user_key("someone")) == {"surgery_date": "2026-01-01"}
    assert SQLiteAdapter(db).load(user_key(USER)) == {}


def test_data_delete_is_what_the_readme_says(tmp_path):
    readme = (ROOT / "README.md").read_text()
    assert "rm ~/.local/share/recovery-skill/recovery.db" not in readme
    assert "recovery-skill data delete" in readme
