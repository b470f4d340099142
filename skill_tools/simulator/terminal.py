"""The simulator's terminal commands: ``sim`` (talk), ``nlu`` (what was understood), ``test`` (scripts).

Each typed line is said to a :class:`skill_tools.simulator.device.Simulator`; the
answer is printed and, if asked, spoken (or saved as WAV files without a sound device).
"""
from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from dataclasses import asdict
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from skill_tools.simulator.device import DEFAULT_ZONE, Simulator, TurnResult, country_zone, parse_now

AUDIO_FALLBACK_DIR = "audio"  # without a sound device: audio/<the run's date and time>/turn-001.wav, ...

log = logging.getLogger(__name__)


def run_audio_folder(now: datetime | None = None) -> str:
    """Where this run's answers are saved without a sound device: audio/20261124-150000 (made when first used)."""
    return os.path.join(AUDIO_FALLBACK_DIR, (now or datetime.now()).strftime("%Y%m%d-%H%M%S"))


def supported_locales() -> list[str]:
    """The locales the skill has an interaction model for (interaction_model/<locale>.json)."""
    from skill_tools.simulator.nlu import DEFAULT_MODEL

    return sorted(path.stem for path in DEFAULT_MODEL.parent.glob("*.json"))


def _store(args, scratch: str):
    """(persistence adapter or None, what it is): --db, else the store the environment configures
    (as ``data`` uses), else a scratch file that goes when sim ends."""
    from skill.storage import adapter_from_env
    from skill.storage.remember import SESSION, remember_mode
    from skill.storage.sqlite import SQLiteAdapter

    if args.db:
        return SQLiteAdapter(args.db), f"SQLite file {args.db} (--db)"
    if remember_mode() == SESSION:
        return None, "no store: RECOVERY_SKILL_REMEMBER=session keeps dates in the session only"
    if os.environ.get("RECOVERY_SKILL_DYNAMODB_TABLE") or os.environ.get("RECOVERY_SKILL_DB"):
        store = adapter_from_env()
        return store, f"{store.describe()} (from the environment)"
    path = os.path.join(scratch, "session.db")
    return SQLiteAdapter(path), "a scratch store, gone when sim ends (--db FILE keeps dates)"


def _lines(args, about: str = ""):
    """The turns: arguments, else standard input (a prompt with history on a terminal)."""
    if args.utterances:
        yield from args.utterances
        return
    if sys.stdin.isatty() and not args.json:
        try:
            import readline  # noqa: F401  (history and line editing for input())
        except ImportError:
            pass
        print("Type what you would say to Alexa. Start with 'open spine recovery helper'. Ctrl-D to quit.")
        if about:
            print(about)
        while True:
            try:
                line = input("you> ")
            except EOFError:
                print()
                return
            if line.strip():
                yield line
    else:
        for line in sys.stdin:
            if line.strip():
                yield line.rstrip("\n")


def run_sim(args) -> int:
    try:
        now = parse_now(args.now)
        country = (getattr(args, "country", None) or "").upper() or None
        zone = (args.timezone or (country and country_zone(country)) or os.environ.get("RECOVERY_SKILL_TIMEZONE")
                or DEFAULT_ZONE)
        ZoneInfo(zone)
    except (ValueError, KeyError) as exc:
        print(f"recovery-skill sim: {exc}", file=sys.stderr)
        return 2
    locales = supported_locales()
    if args.locale not in locales:
        print(f"recovery-skill sim: --locale {args.locale}: the skill has an interaction model for "
              f"{', '.join(locales)} only, so it cannot be tried in {args.locale} yet", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        try:
            store, where = _store(args, scratch)
        except Exception as exc:  # e.g. DynamoDB configured but boto3 not installed
            print(f"recovery-skill sim: cannot use the configured store: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        from skill_tools.simulator.fake_reminders import FakeReminders

        reminders = FakeReminders(granted=args.reminders != "not-granted",
                                  mode=args.reminders if args.reminders in ("down", "slow") else "ok")
        sim = Simulator.with_store(store, user_id=args.user, now=now, zone=zone, locale=args.locale,
                                   strict=args.strict, person_id=args.person,
                                   viewport=args.viewport if args.screen else None, reminders=reminders,
                                   country=country, address_granted=getattr(args, "address", "") == "granted")
        conv = sim.conversation
        who = f"Alexa user {conv.user_id}" + (f", recognised as person {conv.person_id}" if conv.person_id else "")
        about = f"You are {who}; surgery dates: {where}."
        log.info("sim: %s", about)
        voice = None
        if args.speak or args.save_audio:
            from skill_tools.simulator.voice import Voice

            # Without a sound device, spoken answers go to WAV files: --save-audio DIR, else a folder of this
            # run's own in ./audio, so that no run overwrites another's turn-001.wav.
            voice = Voice(rate_wpm=args.rate, play=args.speak, save_dir=args.save_audio,
                          fallback_dir=args.save_audio or run_audio_folder())
        for number, line in enumerate(_lines(args, about), start=1):
            result = sim.say(line)
            if args.json:
                print(json.dumps(asdict(result)), flush=True)
            else:
                _print_turn(result, show_screen=bool(args.screen))
            saved = voice.say(result.ssml, number) if voice is not None else None
            if saved and not args.json:
                print(f"  [audio: {saved}]", flush=True)
    return 0


def _print_turn(result: TurnResult, show_screen: bool = False) -> None:
    heard = result.intent or result.request_type
    slots = " ".join(f"{k}={v} (Alexa) -> {result.used[k]} (used)" if k in result.used else f"{k}={v}"
                     for k, v in result.slots.items())
    print(f"  [{heard}{' ' + slots if slots else ''}]")
    print(f"Alexa: {result.speech}" if result.speech else "Alexa: (no answer)")
    if show_screen:
        _print_screen(result.screen)
    if result.end_session:
        print("  [session ended]")
    sys.stdout.flush()


def _print_screen(shown: dict | None, width: int = 64) -> None:
    """The screen as text: title, the key line in capitals, the answer, the buttons."""
    import textwrap

    if shown is None:
        print("  screen: (unchanged: nothing rendered)")
        return
    print(f"  +-- screen ({shown['kind']}) " + "-" * max(0, width - 16 - len(shown["kind"])))
    lines = [shown["title"] or ""]
    if shown["key"]:
        lines.append(shown["key"].upper())
    lines += textwrap.wrap(shown["text"] or "", width - 4) or [""]
    lines += textwrap.wrap(shown["question"] or "", width - 4)
    if shown["buttons"]:
        lines.append("  ".join(f"[ {label} ]" for label in shown["buttons"]))
    for line in lines:
        print(f"  | {line}")
    print("  +" + "-" * (width - 1))


def run_nlu(args) -> int:
    from skill_tools.simulator.nlu import Understanding

    now = parse_now(args.now) or datetime.now(timezone.utc)
    today = now.astimezone(ZoneInfo(args.timezone or DEFAULT_ZONE)).date()
    if args.locale not in supported_locales():
        print(f"recovery-skill nlu: --locale {args.locale}: no interaction model for it "
              f"({', '.join(supported_locales())})", file=sys.stderr)
        return 2
    understanding = Understanding.for_locale(args.locale)
    for rank, meaning in enumerate(understanding.top(" ".join(args.text), today, n=3, strict=args.strict), start=1):
        slots = ", ".join(f"{s['name']}={s.get('value')}" for s in meaning.slots if s.get("value")) or "-"
        print(f"{rank}. {meaning.intent:32} {meaning.confidence:.3f}  slots: {slots}")
    return 0


def run_scripts(args) -> int:
    from skill_tools.simulator.scripts import run_files

    return 0 if run_files(args.files) else 1
