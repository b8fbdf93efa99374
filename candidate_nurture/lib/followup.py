"""Cadence and consent date arithmetic for follow-ups: pure functions, no Odoo.

Dates are ``datetime.date``; datetimes are naive UTC ``datetime.datetime``.
"""
import calendar
import datetime

CONSENT_VALID_STATES = ("given",)
CONSENT_STOP_STATES = ("declined", "expired", "withdrawn")
# a withdrawal or a refusal is final: nothing automated moves a talent out of it
# (only a recruiter's documented new consent does), and no email asks again
CONSENT_FINAL_STATES = ("withdrawn", "declined")
# the states in which the person may be asked for consent
CONSENT_ASKABLE_STATES = ("not_asked", "asked", "expired")
# merging two records of one person: the more protective final state wins
_CONSENT_FINAL_RANK = {"withdrawn": 2, "declined": 1}


def add_months(day, months):
    """day + months calendar months, clamped to the last day of the month."""
    month_index = day.month - 1 + int(months)
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def consent_expiry(given_on, months):
    """Last day consent given on ``given_on`` is valid, or None when it never expires."""
    if not given_on or not months or int(months) <= 0:
        return None
    return add_months(given_on, months)


def consent_valid(state, expiry, today):
    """Consent given and not past its expiry date."""
    return state in CONSENT_VALID_STATES and (expiry is None or expiry >= today)


def consent_change_allowed(current, new, documented=False):
    """May a talent whose consent is ``current`` be moved to ``new``?

    Out of a final state (withdrawn, declined) only into another final state,
    unless the change is documented (a recruiter recorded how the person gave
    a new consent).
    """
    if documented or current not in CONSENT_FINAL_STATES:
        return True
    return new in CONSENT_FINAL_STATES


def consent_askable(state):
    """May the person be asked for consent (refusal email, Ask for Consent)?"""
    return state in CONSENT_ASKABLE_STATES


def merged_consent(first, second):
    """The consent a merge of two records of one person keeps.

    ``first`` and ``second`` are ``(state, changed_on)`` pairs (``changed_on``
    a date, datetime or ISO string of one kind, None when never changed). A
    withdrawal on either side wins, then a decline (of two equal ones, the
    earliest: the person said no since then); otherwise the latest change wins
    (the person's most recent answer), ``first`` on a tie. Returns the winner.
    """
    ranks = [_CONSENT_FINAL_RANK.get(first[0], 0), _CONSENT_FINAL_RANK.get(second[0], 0)]
    if ranks[0] != ranks[1]:
        return first if ranks[0] > ranks[1] else second
    if ranks[0]:
        # both final and equal: the earliest (it has applied since)
        if first[1] is not None and second[1] is not None and second[1] < first[1]:
            return second
        return first
    if second[1] is not None and (first[1] is None or second[1] > first[1]):
        return second
    return first


def renewal_due(state, expiry, today, days_before, last_request=None):
    """A renewal request should go out: consent given, expiring within days_before,
    and no request sent since the window opened."""
    if state != "given" or expiry is None:
        return False
    window_start = expiry - datetime.timedelta(days=max(int(days_before or 0), 0))
    if today < window_start or today > expiry:
        return False
    return last_request is None or last_request < window_start


def step_due(base, delay_days):
    """When a step ``delay_days`` after ``base`` (a datetime) is due."""
    return base + datetime.timedelta(days=max(int(delay_days or 0), 0))


def digest_allowed(last_sent, period_days, now):
    """At most one "new opening" email per period: may one go out now?"""
    if last_sent is None or not period_days:
        return True
    return now >= last_sent + datetime.timedelta(days=int(period_days))


def retention_expired(no_consent_since, grace_days, today):
    """The talent went without valid consent for longer than the grace period."""
    if no_consent_since is None:
        return False
    return today > no_consent_since + datetime.timedelta(days=int(grace_days or 0))
