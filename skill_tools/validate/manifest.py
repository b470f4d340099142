"""The skill manifest (skill.json): store listing, disclaimer, icons, privacy, endpoints, events."""
from __future__ import annotations

import re
import struct
from pathlib import Path

from skill_tools.model_locales import emergency_numbers
from skill_tools.validate.model import SLOT, custom_types, indexed_intents, type_phrases
from skill_tools.validate.project import ASSETS_DIR, LOCALES, MANIFEST_FILE, Report, get, model_file

MAX_EXAMPLE_PHRASES = 3

CATEGORIES = frozenset(
    """ALARMS_AND_CLOCKS ASTROLOGY BUSINESS_AND_FINANCE CALCULATORS CALENDARS_AND_REMINDERS
    CHILDRENS_EDUCATION_AND_REFERENCE CHILDRENS_GAMES CHILDRENS_MUSIC_AND_AUDIO CHILDRENS_NOVELTY_AND_HUMOR
    COMMUNICATION CONNECTED_CAR COOKING_AND_RECIPE CURRENCY_GUIDES_AND_CONVERTERS DATING DELIVERY_AND_TAKEOUT
    DEVICE_TRACKING EDUCATION_AND_REFERENCE EVENT_FINDERS EXERCISE_AND_WORKOUT FASHION_AND_STYLE FLIGHT_FINDERS
    FRIENDS_AND_FAMILY GAME_INFO_AND_ACCESSORY GAMES HEALTH_AND_FITNESS HOTEL_FINDERS KNOWLEDGE_AND_TRIVIA
    MOVIE_AND_TV_KNOWLEDGE_AND_TRIVIA MOVIE_INFO_AND_REVIEWS MOVIE_SHOWTIMES MUSIC_AND_AUDIO_ACCESSORIES
    MUSIC_AND_AUDIO_KNOWLEDGE_AND_TRIVIA MUSIC_INFO_REVIEWS_AND_RECOGNITION_SERVICE NAVIGATION_AND_TRIP_PLANNER
    NEWS NOVELTY ORGANIZERS_AND_ASSISTANTS PETS_AND_ANIMAL PODCAST PUBLIC_TRANSPORTATION RELIGION_AND_SPIRITUALITY
    RESTAURANT_BOOKING_INFO_AND_REVIEW SCHOOLS SCORE_KEEPING SELF_IMPROVEMENT SHOPPING SMART_HOME
    SOCIAL_NETWORKING SPORTS_GAMES SPORTS_NEWS STREAMING_SERVICE TAXI_AND_RIDESHARING TO_DO_LISTS_AND_NOTES
    TRANSLATORS TV_GUIDES UNIT_CONVERTERS WEATHER WINE_AND_BEVERAGE ZIP_CODE_LOOKUP""".split()
)

SKILL_EVENTS = frozenset(
    {
        "SKILL_ENABLED",
        "SKILL_DISABLED",
        "SKILL_PERMISSION_ACCEPTED",
        "SKILL_PERMISSION_CHANGED",
        "SKILL_ACCOUNT_LINKED",
        "SKILL_PROACTIVE_SUBSCRIPTION_CHANGED",
    }
)
# We delete the person's data when they disable the skill (privacy policy, certification).
REQUIRED_EVENTS = ("SKILL_DISABLED",)

SSL_CERTIFICATE_TYPES = frozenset({"Trusted", "Wildcard", "SelfSigned"})
LAMBDA_ARN = re.compile(r"^arn:aws:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$")
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)(example\.(com|org|net)|localhost|test|invalid)$|^127\.|^0\.0\.0\.0$", re.I)

# Icons: certification wants 108x108 and 512x512 PNGs.
ICON_SIZES = {"smallIconUri": 108, "largeIconUri": 512}

# The health-skill disclaimer the description must carry (shared/alexa-facts.md), with the emergency
# number of the locale's country (skill_tools/model_locales.yaml, listing).
DISCLAIMER_PARTS = (
    (re.compile(r"general information", re.I), "that it gives general information"),
    (re.compile(r"not\s+(a\s+substitute\s+for\s+)?medical\s+advice", re.I), '"not medical advice"'),
)


def check_manifest(root: Path, manifest: dict, lms: dict, report: Report, *, package: Path,
                   filled_by_cli=frozenset()) -> None:
    """``lms``: each locale's language model (None where it could not be read); ``package``: the skill
    package directory (icons); ``filled_by_cli``: "endpoint" and/or "events" when ``ask deploy`` writes
    them into skill.json itself (skill_tools.validate.package)."""

    def add(path, message, severity="error"):
        report.add(MANIFEST_FILE, path, message, severity)

    m = manifest.get("manifest") if isinstance(manifest, dict) else None
    if not isinstance(m, dict):
        add("manifest", "no manifest object")
        return
    if m.get("manifestVersion") != "1.0":
        add("manifest.manifestVersion", 'must be "1.0"')
    pub = m.get("publishingInformation") or {}
    for locale in LOCALES:
        _check_listing(root, package, locale, get(pub, "locales", locale), lms.get(locale), add)
    for locale in get(pub, "locales") or {}:
        if locale not in LOCALES:
            add(f"manifest.publishingInformation.locales.{locale}",
                f"no interaction model for {locale} ({model_file(locale)}): list it in skill_tools/model_locales.yaml")
    if not isinstance(pub.get("isAvailableWorldwide"), bool):
        add("manifest.publishingInformation.isAvailableWorldwide", "true or false")
    elif not pub["isAvailableWorldwide"] and not pub.get("distributionCountries"):
        add("manifest.publishingInformation.distributionCountries", "not available worldwide, so list the countries")
    if pub.get("category") not in CATEGORIES:
        add("manifest.publishingInformation.category", f"{pub.get('category')!r} is not an Alexa skill category")
    if not (pub.get("testingInstructions") or "").strip():
        add("manifest.publishingInformation.testingInstructions", "tell the certification testers how to test the skill")
    _check_privacy(m.get("privacyAndCompliance"), add)
    _check_endpoints(m, add, filled_by_cli)
    permissions = m.get("permissions", [])
    if not isinstance(permissions, list) or any(not isinstance(p, dict) or not p.get("name") for p in permissions):
        add("manifest.permissions", 'a list of {"name": ...}')


def _check_listing(root: Path, package: Path, locale: str, loc, lm, add) -> None:
    """One locale's store listing: texts, disclaimer and emergency number, keywords, examples, icons."""
    base = f"manifest.publishingInformation.locales.{locale}"
    if not isinstance(loc, dict):
        add("manifest.publishingInformation.locales", f"no {locale} publishing information")
        return
    for key, limit in (("name", 50), ("summary", 160), ("description", 4000)):
        text = loc.get(key)
        if not isinstance(text, str) or not text.strip():
            add(f"{base}.{key}", f"{key} is missing")
        elif len(text) > limit:
            add(f"{base}.{key}", f"{key} is {len(text)} characters; at most {limit}")
    description = loc.get("description") or ""
    for pattern, what in DISCLAIMER_PARTS:
        if not pattern.search(description):
            add(f"{base}.description", f"the description must say {what} (health skill disclaimer)")
    own = emergency_numbers(locale)
    for number in own:
        if not re.search(rf"(?<![\d,]){number}(?!\d)", description):
            add(f"{base}.description", f"the description must say to call {number} in an emergency "
                f"(the number of {locale}'s country)")
    others = {n for other in LOCALES for n in emergency_numbers(other)} - set(own)
    for number in sorted(others):
        if re.search(rf"(?<![\d,]){number}(?!\d)", description):
            add(f"{base}.description", f"{number} is not an emergency number of {locale}'s country "
                f"({', '.join(own)}): a person there would call a number that does not answer")
    keywords = loc.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        add(f"{base}.keywords", "no keywords")
    elif len(keywords) > 30 or any(not isinstance(k, str) or not k.strip() for k in keywords):
        add(f"{base}.keywords", "at most 30 keywords, none empty")
    _check_example_phrases(loc.get("examplePhrases"), f"{base}.examplePhrases", lm, add)
    for key, size in ICON_SIZES.items():
        _check_icon(root, package, loc.get(key), f"{base}.{key}", size, add)


_PHRASE = re.compile(r"^alexa,\s+(open|ask|launch)\s+(.*)$")
_CONNECTORS = ("to", "for", "about", "if", "whether")


def _check_example_phrases(phrases, where: str, lm, add) -> None:
    if not isinstance(phrases, list) or not phrases:
        add(where, "give one to three example phrases")
        return
    if len(phrases) > MAX_EXAMPLE_PHRASES:
        add(where, f"{len(phrases)} example phrases; at most {MAX_EXAMPLE_PHRASES}")
    invocation = (lm or {}).get("invocationName") or ""
    seen = set()
    for k, phrase in enumerate(phrases):
        spot = f"{where}[{k}]"
        if not isinstance(phrase, str):
            add(spot, "not a string")
            continue
        text = " ".join(phrase.strip().rstrip(".?!").split()).lower()
        if text in seen:
            add(spot, f"{phrase!r} is listed twice")
        seen.add(text)
        m = _PHRASE.match(text)
        if not m or not invocation or not (m.group(2) + " ").startswith(invocation + " "):
            add(spot, f'{phrase!r} must start with "Alexa, open|ask|launch {invocation}"')
            continue
        verb, rest = m.group(1), m.group(2)[len(invocation) :].strip()
        if verb in ("open", "launch"):
            if rest:
                add(spot, f'{phrase!r}: nothing may follow "{verb} {invocation}"')
            continue
        if not rest:
            add(spot, f'{phrase!r}: say what to ask after "ask {invocation}"')
            continue
        candidates = [rest]
        first, _, remainder = rest.partition(" ")
        if first in _CONNECTORS and remainder:
            candidates.append(remainder)
        if not any(_matching_intent(lm, c) for c in candidates):
            add(spot, f'{phrase!r}: "{rest}" is not a sample utterance of any intent of the model')


def _matching_intent(lm, text: str) -> str | None:
    """The intent one of whose samples says ``text`` (slots filled by their values), or None."""
    if not lm:
        return None
    types = custom_types(lm)
    for _, intent in indexed_intents(lm):
        slot_types = {s.get("name"): s.get("type") for s in intent.get("slots") or [] if isinstance(s, dict)}
        for sample in intent.get("samples") or []:
            if isinstance(sample, str) and _sample_matches(sample, slot_types, types, text):
                return intent.get("name")
    return None


def _sample_matches(sample: str, slot_types: dict, types: dict, text: str) -> bool:
    parts = []
    for token in sample.split():
        slot = SLOT.fullmatch(token)
        if not slot:
            parts.append(re.escape(token.lower()))
            continue
        kind = slot_types.get(slot.group(1))
        if kind in types:
            phrases = sorted({" ".join(p.lower().split()) for p in type_phrases(types[kind])}, key=len, reverse=True)
            parts.append("(?:" + "|".join(re.escape(p) for p in phrases) + ")" if phrases else "(?!)")
        else:
            parts.append(r"\S+(?: \S+){0,5}")
    return re.fullmatch(" ".join(parts), " ".join(text.lower().split())) is not None


def _placeholder_url(url: str) -> bool:
    host = re.sub(r"^https?://", "", url, flags=re.I).split("/")[0].split(":")[0]
    return bool(PLACEHOLDER_HOSTS.search(host)) or not host


def _check_icon(root: Path, package: Path, uri, where: str, size: int, add) -> None:
    if not uri:
        add(where, f"no icon: certification needs a {size}x{size} PNG", "submission")
        return
    if not isinstance(uri, str):
        add(where, "not a string")
        return
    if uri.startswith("https://"):
        if _placeholder_url(uri):
            add(where, f"{uri} is a placeholder: certification needs a real {size}x{size} PNG", "submission")
        return
    if not uri.startswith("file://"):
        add(where, f'{uri!r}: an https:// URL or "file://{ASSETS_DIR}/..." inside the skill package')
        return
    relative = uri[len("file://") :]
    if not relative.startswith(ASSETS_DIR + "/") or ".." in relative.split("/"):
        add(where, f"{uri}: icons of the skill package live under {ASSETS_DIR}/")
        return
    path = package / relative
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    if not path.is_file():
        add(where, f"{shown} is not there yet: add a {size}x{size} PNG (see DEPLOY.md)", "submission")
        return
    dims = _png_size(path)
    if dims is None:
        add(where, f"{shown} is not a PNG file")
    elif dims != (size, size):
        add(where, f"{shown} is {dims[0]}x{dims[1]}; certification needs {size}x{size}")


def _png_size(path: Path) -> tuple[int, int] | None:
    head = path.read_bytes()[:24]
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def _check_privacy(privacy, add) -> None:
    where = "manifest.privacyAndCompliance"
    if not isinstance(privacy, dict):
        add(where, "no privacyAndCompliance")
        return
    for key in ("allowsPurchases", "usesPersonalInfo", "isChildDirected", "isExportCompliant", "containsAds"):
        if not isinstance(privacy.get(key), bool):
            add(f"{where}.{key}", "true or false")
    if privacy.get("isExportCompliant") is not True:
        add(f"{where}.isExportCompliant", "must be true to publish")
    if privacy.get("isChildDirected") is True:
        add(f"{where}.isChildDirected", "a recovery skill for adults is not child-directed")
    for locale in LOCALES:
        urls = get(privacy, "locales", locale) or {}
        for key in ("privacyPolicyUrl", "termsOfUseUrl"):
            url = urls.get(key)
            spot = f"{where}.locales.{locale}.{key}"
            if not url:
                if key == "privacyPolicyUrl" and privacy.get("usesPersonalInfo"):
                    add(spot, "usesPersonalInfo is true (we store the surgery date), so a privacy policy URL is required")
                continue
            if not isinstance(url, str) or not url.startswith("https://"):
                add(spot, f"{url!r}: an https:// URL")
            elif _placeholder_url(url):
                add(spot, f"{url} is a placeholder: publish the page and put its real address here", "submission")


def _check_endpoints(m: dict, add, filled_by_cli) -> None:
    custom = get(m, "apis", "custom")
    if not isinstance(custom, dict):
        add("manifest.apis.custom", "no custom skill API")
    else:
        if custom.get("endpoint") is not None or "endpoint" not in filled_by_cli:
            _check_endpoint(custom.get("endpoint"), "manifest.apis.custom.endpoint", add)
        if not isinstance(custom.get("interfaces", []), list):
            add("manifest.apis.custom.interfaces", "a list")
    events = m.get("events")
    if events is None and "events" in filled_by_cli:
        return  # ask deploy adds them, with the function's ARN (its list is checked in ask-resources.json)
    if not isinstance(events, dict):
        add("manifest.events", "no events: subscribe to SKILL_DISABLED, so a person's data goes when they disable the skill")
        return
    _check_endpoint(events.get("endpoint"), "manifest.events.endpoint", add)
    names = []
    for k, sub in enumerate(events.get("subscriptions") or []):
        name = (sub or {}).get("eventName")
        names.append(name)
        if name not in SKILL_EVENTS:
            add(f"manifest.events.subscriptions[{k}].eventName", f"{name!r} is not a skill event")
    for name in REQUIRED_EVENTS:
        if name not in names:
            add(
                "manifest.events.subscriptions",
                f"{name} is not subscribed: the skill deletes a person's data when they disable it",
            )


def _check_endpoint(endpoint, where: str, add) -> None:
    uri = (endpoint or {}).get("uri") if isinstance(endpoint, dict) else None
    if not uri:
        add(where, "no endpoint uri")
        return
    if uri.startswith("arn:"):
        if not LAMBDA_ARN.match(uri):
            add(f"{where}.uri", f"{uri!r} is not a Lambda function ARN")
        return
    if not uri.startswith("https://"):
        add(f"{where}.uri", f"{uri!r}: a Lambda ARN or an https:// URL (Alexa calls web services on 443 only)")
        return
    port = re.match(r"https://[^/:]+:(\d+)", uri)
    if port and port.group(1) != "443":
        add(f"{where}.uri", f"{uri}: Alexa calls HTTPS endpoints on port 443 only")
    if endpoint.get("sslCertificateType") not in SSL_CERTIFICATE_TYPES:
        add(f"{where}.sslCertificateType", f"an HTTPS endpoint needs sslCertificateType: {', '.join(sorted(SSL_CERTIFICATE_TYPES))}")
    if _placeholder_url(uri):
        add(f"{where}.uri", f"{uri} is a placeholder host", "submission")
