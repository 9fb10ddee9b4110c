"""Client-side validation rules: each returns an error message, or None when the value is fine.

They run before any request, so a form can point at the bad field and send nothing. Rules take
the raw text the admin typed (already stripped by the form) and never raise.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from datetime import date
from functools import lru_cache

Rule = Callable[[str], "str | None"]

CONTACT_TYPES = ("email", "phone_extension", "phone", "site", "icq", "twitter", "skype", "staff")
GENDERS = ("male", "female", "")
MEMBER_TYPES = ("user", "group", "department")

# Mailbox local parts (nicknames, aliases, mailing-list labels): Latin letters, digits and
# . _ - inside, starting and ending with a letter or digit, no doubled dots.
LOCAL_PART = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,38}[a-z0-9])?$", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{2,30}$")
PASSWORD_MIN = 8
PASSWORD_MAX = 255


def required(value: str) -> str | None:
    """Non-empty."""
    return None if value.strip() else "required"


def max_length(limit: int) -> Rule:
    """At most ``limit`` characters."""
    def check(value: str) -> str | None:
        return None if len(value) <= limit else f"at most {limit} characters"
    return check


def local_part(value: str) -> str | None:
    """A login, alias or mailing-list label (empty allowed: required() says otherwise)."""
    if value == "":
        return None
    # isascii(): with IGNORECASE, [a-z] also matches the Kelvin sign and the long s.
    if not value.isascii() or LOCAL_PART.match(value) is None:
        return ("use Latin letters, digits and . _ - (start and end with a letter or digit, "
                "at most 40 characters)")
    if ".." in value:
        return "two dots in a row are not allowed"
    return None


def birthday(value: str, *, today: date | None = None) -> str | None:
    """``YYYY-MM-DD``, a real calendar date, not in the future (empty clears it)."""
    if value == "":
        return None
    if ISO_DATE.match(value) is None:
        return "use the format YYYY-MM-DD, e.g. 1990-04-23"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return f"{value} is not a real date"
    if day > (today or date.today()):
        return "a birthday cannot be in the future"
    if day.year < 1900:
        return "the year must be 1900 or later"
    return None


def gender(value: str) -> str | None:
    """``male``, ``female`` or empty."""
    return None if value in GENDERS else "choose male, female or not set"


def language(value: str) -> str | None:
    """A two-letter lower-case language code such as ``ru`` or ``en`` (empty = unchanged)."""
    if value == "" or LANGUAGE.match(value):
        return None
    return "use a two-letter language code such as ru or en"


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_name(value: str) -> str | None:
    """An IANA time zone name known to this system's tz database (e.g. ``Europe/Moscow``)."""
    if value == "":
        return None
    zones = _zones()
    if zones:
        return None if value in zones else f"unknown time zone {value!r}; e.g. Europe/Moscow"
    try:  # no tz database listing (some minimal systems): ask zoneinfo directly
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r}; e.g. Europe/Moscow"
    return None


def positive_int(value: str) -> str | None:
    """A positive whole number (ids of departments and groups)."""
    # ASCII only: str.isdigit() accepts "²", which int() then rejects.
    ok = value.isascii() and value.isdigit() and int(value) > 0
    return None if ok else "enter a positive whole number"


def uid(value: str) -> str | None:
    """A user id: digits only (empty allowed)."""
    ok = value == "" or (value.isascii() and value.isdigit())
    return None if ok else "a user id is digits only"


def contact(kind: str, value: str) -> str | None:
    """One contact: an allowed type and a value that fits it."""
    if kind not in CONTACT_TYPES:
        return f"type must be one of {', '.join(CONTACT_TYPES)}"
    if not value.strip():
        return "a contact needs a value"
    if kind == "email" and EMAIL.match(value) is None:
        return f"{value!r} is not an email address"
    if kind in ("phone", "phone_extension") and PHONE.match(value) is None:
        return f"{value!r} is not a phone number"
    return None


def parse_contacts(text: str) -> tuple[list[dict[str, str]], str | None]:
    """Contacts typed one per line as ``type value [| label]``; returns (contacts, error).

    The value runs to the ``|`` (phone numbers contain spaces), the label follows it.
    """
    contacts: list[dict[str, str]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        kind, _, rest = line.strip().partition(" ")
        value, _, label = rest.partition("|")
        error = contact(kind, value.strip())
        if error:
            return [], f"line {n}: {error}"
        contacts.append({"type": kind, "value": value.strip(), "label": label.strip()})
    return contacts, None


def contacts_text(contacts: list[dict[str, str]]) -> str:
    """The inverse of :func:`parse_contacts`."""
    return "\n".join(f"{c['type']} {c['value']}" + (f" | {c['label']}" if c.get("label") else "")
                     for c in contacts)


def password(value: str) -> str | None:
    """A new password: 8 to 255 characters, no spaces at either end."""
    if not value:
        return "a password is required when switching to portal sign-in"
    if value != value.strip():
        return "no spaces at the start or end"
    if len(value) < PASSWORD_MIN:
        return f"at least {PASSWORD_MIN} characters"
    if len(value) > PASSWORD_MAX:
        return f"at most {PASSWORD_MAX} characters"
    return None


def first_error(value: str, rules: tuple[Rule, ...]) -> str | None:
    """The first message any rule gives for ``value``."""
    for rule in rules:
        message = rule(value)
        if message:
            return message
    return None
