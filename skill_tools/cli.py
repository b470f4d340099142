"""``recovery-skill`` / ``python -m skill_tools``: one program, one subcommand per job.

Each subcommand's work lives in its own module and is imported only when used,
so ``recovery-skill sim`` never loads Flask and ``serve`` never loads pyttsx3.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys


def _sim_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object per turn on standard output")
    p.add_argument("--user", default=None, help="Alexa user ID, the account (default: amzn1.ask.account.LOCAL-TESTER)")
    p.add_argument("--person", default=None,
                   help="Alexa person ID: the speaker's voice profile was recognised (default: not recognised)")
    p.add_argument("--db", default=None, help="SQLite file, so stored dates survive between runs (default: the "
                   "store RECOVERY_SKILL_DB or RECOVERY_SKILL_DYNAMODB_TABLE configures, else a scratch one)")
    p.add_argument("--now", default=None, help="request timestamp, ISO 8601 (default: the real time)")
    p.add_argument("--timezone", default=None, help="the device's time zone, as the settings API would say it")
    p.add_argument("--locale", default="en-US", help="the request locale, and the interaction model the typed sentences are understood with "
                   "(interaction_model/<locale>.json: en-US, en-GB, en-CA, en-AU, en-IN)")
    p.add_argument("--country", default=None, metavar="CODE",
                   help="where the device is (IE, GB, CA...): its time zone is then one of that country's, unless "
                   "--timezone says another, and the address API gives it once the permission is granted")
    p.add_argument("--address", choices=["granted", "not-granted"], default="not-granted",
                   help="the device address (country and postal code) permission (default: not granted)")
    p.add_argument("--speak", action="store_true", help="speak every answer aloud (pyttsx3 and espeak-ng; needs a "
                   "sound device, else each answer is saved as a WAV file in --save-audio DIR or ./audio)")
    p.add_argument("--rate", type=int, default=None, help="speaking rate in words per minute")
    p.add_argument("--save-audio", default=None, metavar="DIR", help="write one WAV per turn to DIR")
    p.add_argument("--strict", action="store_true", help="exact sample matches only (coverage check)")
    p.add_argument("--screen", action="store_true",
                   help="a device with a screen: show what it would say; 'tap more' and 'tap repeat' touch its buttons")
    p.add_argument("--viewport", default="hub-medium",
                   choices=["hub-medium", "hub-small", "hub-round", "hub-large", "hub-xlarge"],
                   help="which screen, with --screen (default hub-medium, an Echo Show 8)")
    p.add_argument("--reminders", default="not-granted", choices=["not-granted", "granted", "down", "slow"],
                   help="the local Reminders API: reminders not yet allowed (Alexa asks), allowed, down, or too slow")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="recovery-skill", description="Kyphoplasty Recovery Alexa skill, locally.")
    top.add_argument("-v", "--verbose", action="store_true", help="log at INFO level to standard error")
    sub = top.add_subparsers(dest="command", required=True)

    sim = sub.add_parser("sim", help="talk to the skill: typed sentences become real Alexa requests")
    _sim_args(sim)
    sim.add_argument("utterances", nargs="*", metavar="UTTERANCE")

    nlu = sub.add_parser("nlu", help="show the top three intents for a sentence")
    nlu.add_argument("text", nargs="+")
    nlu.add_argument("--now", default=None)
    nlu.add_argument("--timezone", default=None)
    nlu.add_argument("--strict", action="store_true")
    nlu.add_argument("--locale", default="en-US", help="whose interaction model and words (interaction_model/<locale>.json)")

    test = sub.add_parser("test", help="run conversation scripts (YAML)")
    test.add_argument("files", nargs="+", metavar="FILE")

    sub.add_parser("validate", help="check interaction model, manifest and content as certification would")

    serve = sub.add_parser(
        "serve",
        help="serve the skill as a web service (flask-ask-sdk)",
        description="Serve the skill as a web service. Needs RECOVERY_SKILL_ID (the skill's ID: Alexa's requests "
        "are verified against it), or --no-verify for local testing only.",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--workers", type=int, default=None,
                       help="worker threads (default: skill_tools.web.server.THREADS, four for each client of an ordinary load)")
    serve.add_argument("--no-verify", action="store_true", help="LOCAL TESTING ONLY: skip Alexa request verification")

    console = sub.add_parser("console", help="try the skill in a web page: type or speak, hear it answer")
    console.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    console.add_argument("--port", type=int, default=8000)
    console.add_argument("--db", default=None, help="SQLite file (default: a scratch file, forgotten at exit)")
    console.add_argument("--user", default=None, help="Alexa user ID (default: a local tester)")
    console.add_argument("--timezone", default=None, help="the device's time zone (default: RECOVERY_SKILL_TIMEZONE or New York)")
    console.add_argument("--locale", default="en-US", choices=["en-US", "en-GB", "en-CA", "en-AU", "en-IN"],
                         help="the devices' language and interaction model")
    console.add_argument("--country", default=None, metavar="CODE",
                         help="where the devices are (IE, GB...): a time zone of that country, and the address API says it")

    review = sub.add_parser("review", help="write the content review report (HTML and PDF) for a clinician to sign")
    review.add_argument("--out", default="build/review", metavar="DIR", help="where to write review.html and review.pdf")
    review.add_argument("--since", default=None, metavar="REV", help="only what changed since this signed git revision")
    review.add_argument("--locale", default="en-US", help="the locale whose answers are shown (default en-US)")
    review.add_argument("--country", default=None, metavar="CODE",
                        help="the country whose numbers the answers say (default: the locale's own), e.g. IE")
    review.add_argument("--corpus", default=None, metavar="FILE",
                        help="the triage corpus to run (default the tuning set, skill_tools/corpus/triage_tuning*.yaml)")

    data = sub.add_parser("data", help="show or delete an account's or one person's stored data (operators)")
    data.add_argument("action", choices=["show", "delete"])
    data.add_argument("--user", required=True, help="the Alexa user ID (the account): all its records")
    data.add_argument("--person", default=None, help="an Alexa person ID (voice profile): that record only")
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader went away (`recovery-skill sim --json ... | head -1`): stop quietly, as a Unix
        # tool stopped by SIGPIPE does, and keep Python's exit flush from raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE


def _run(args) -> int:
    if args.command in ("sim", "nlu", "test"):
        from skill_tools.simulator import terminal

        return {"sim": terminal.run_sim, "nlu": terminal.run_nlu, "test": terminal.run_scripts}[args.command](args)
    if args.command == "validate":
        from skill_tools import validate

        return validate.run(args)
    if args.command == "serve":
        from skill_tools.web import server

        return server.serve(args)
    if args.command == "review":
        from skill_tools.review import render

        return render.run_review(args)
    if args.command == "console":
        from skill_tools.web import console_app

        return console_app.run_console(args)
    from skill_tools.data_command import data_command

    return data_command(args)


if __name__ == "__main__":
    sys.exit(main())
