"""Helpers of the public pages candidates use without an account (Odoo-free).

- :class:`CandidateAuthor`: who wrote what the candidate did on a public page.
  It travels in the context under :data:`CANDIDATE_AUTHOR`; being a Python
  object, no RPC call (whose context is JSON) can forge it.
- :func:`parse_ids`: record ids posted by a form, ASCII digits only.
- :func:`brand_color`: a company's colour, only when it is a hex colour.
- :func:`date_in_words`, :func:`event_when`: dates and times as a person
  reads them, in their language (Babel), never ISO.
"""
import datetime
import re

import pytz
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

CANDIDATE_AUTHOR = "nurture_candidate_author"
_ID_RX = re.compile(r"\A[0-9]{1,9}\Z")
_HEX_RX = re.compile(r"\A#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
DEFAULT_BRAND_COLOR = "#00a09d"


class CandidateAuthor(object):
    """The candidate as author of chatter notes: their contact, else their email."""

    __slots__ = ("partner_id", "email")

    def __init__(self, partner_id, email):
        self.partner_id = partner_id or False
        self.email = email or False

    def __eq__(self, other):
        return isinstance(other, CandidateAuthor) and \
            (self.partner_id, self.email) == (other.partner_id, other.email)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((CandidateAuthor, self.partner_id, self.email))

    def __repr__(self):
        return "CandidateAuthor(partner_id=%r)" % (self.partner_id,)

    def message_values(self):
        """author_id and email_from of a note written by the candidate."""
        values = {"author_id": self.partner_id}
        if self.email:
            values["email_from"] = self.email
        return values


def parse_ids(values, limit=200):
    """The set of ids in ``values`` (strings posted by a form), or None when any
    of them is not 1 to 9 ASCII digits (``²``, ``١``, ``-1``, ``1e3``...) or
    there are more than ``limit``."""
    values = list(values or [])
    if len(values) > limit:
        return None
    ids = set()
    for value in values:
        if not isinstance(value, str) or not _ID_RX.match(value):
            return None
        ids.add(int(value))
    return ids


def with_candidate_author(context, kwargs):
    """message_post's kwargs, with the candidate as author when a public page
    acts for them (the context carries a CandidateAuthor) and the caller named
    no author itself."""
    author = context.get(CANDIDATE_AUTHOR)
    if isinstance(author, CandidateAuthor) and kwargs.get("author_id") is None:
        kwargs.update(author.message_values())
    return kwargs


def is_hex_color(value):
    """True for '#abc' or '#a1b2c3' (nothing else may reach a style attribute)."""
    return isinstance(value, str) and bool(_HEX_RX.match(value))


def brand_color(value):
    """The colour to use: value when it is a hex colour, else the default."""
    return value if is_hex_color(value) else DEFAULT_BRAND_COLOR


def locale_of(lang):
    """The Babel locale of an Odoo language code ('fr_FR'), English when unknown."""
    try:
        return Locale.parse(lang or "en_US")
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale.parse("en_US")


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return datetime.datetime.strptime(value[:10], "%Y-%m-%d").date()
        except ValueError:
            return None
    return None


def date_in_words(value, lang=None, empty="-"):
    """'1 December 2026' / '1 décembre 2026' / '1. Dezember 2026' from a date,
    a datetime or an Odoo date(time) string; ``empty`` when there is none."""
    day = _as_date(value)
    if not day:
        return empty
    return format_date(day, format="long", locale=locale_of(lang))


def _as_utc(value):
    if isinstance(value, str):
        value = datetime.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    if value.tzinfo is None:
        value = pytz.utc.localize(value)
    return value


def event_when(begin, end, tz_name, lang=None):
    """The parts of an event's time, in the event's time zone and the reader's
    language: a dict with ``day`` ('Tuesday, 15 December 2026'), ``start`` and
    ``end`` ('16:00', no seconds), ``end_day`` (None when the event ends the
    day it begins) and ``zone`` (the time zone's name, 'Europe/Berlin').

    begin and end are UTC (naive datetimes or Odoo strings); an unknown zone is UTC.
    """
    try:
        zone = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        zone = pytz.utc
    locale = locale_of(lang)
    start = _as_utc(begin).astimezone(zone)
    stop = _as_utc(end).astimezone(zone) if end else None
    parts = {
        "day": format_date(start.date(), format="full", locale=locale),
        "start": format_time(start, format="short", locale=locale),
        "end": format_time(stop, format="short", locale=locale) if stop else None,
        "end_day": None,
        "zone": zone.zone,
    }
    if stop and stop.date() != start.date():
        parts["end_day"] = format_date(stop.date(), format="full", locale=locale)
    return parts
