"""Signed, URL-safe tokens for the public pages candidates reach from emails.

A token names a record and a purpose and carries an HMAC-SHA256 signature made
with a server secret and a per-record nonce; changing any part of it, or
rotating the nonce, invalidates it, and a token of one purpose never verifies
for another. Verification compares in constant time.

A token is exactly ``<id>-<signature>``: 1 to 12 ASCII digits, a dash and the
43 characters of the unpadded URL-safe base64 signature. Anything else (other
digits such as ``²`` or ``١``, which ``str.isdigit()`` accepts, other lengths,
other characters) is not a token at all.
"""
import base64
import datetime
import hashlib
import hmac
import re

SIGNATURE_LENGTH = 43  # unpadded URL-safe base64 of 32 bytes
_TOKEN_RX = re.compile(r"\A([0-9]{1,12})-([A-Za-z0-9_-]{%d})\Z" % SIGNATURE_LENGTH)


def _b64(raw):
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _signature(secret, purpose, record_id, nonce):
    message = "%s:%s:%s" % (purpose, record_id, nonce)
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()


def make_token(secret, purpose, record_id, nonce):
    """'<id>-<signature>' for record_id, valid while the record keeps nonce."""
    if not secret or not nonce or not purpose:
        raise ValueError("a secret, a purpose and a nonce are required to sign a token")
    return "%d-%s" % (int(record_id), _b64(_signature(secret, purpose, int(record_id), nonce)))


def parse_token(token):
    """The record id a token claims, or None when it is not even well-formed."""
    if not isinstance(token, str) or len(token) > 12 + 1 + SIGNATURE_LENGTH:
        return None
    match = _TOKEN_RX.match(token)
    if not match:
        return None
    record_id = int(match.group(1))
    return record_id or None


def verify_token(secret, purpose, token, nonce):
    """True when token was made by make_token(secret, purpose, its id, nonce)."""
    record_id = parse_token(token)
    if record_id is None or not secret or not nonce or not purpose:
        return False
    expected = make_token(secret, purpose, record_id, nonce)
    # parse_token accepted ASCII only: both sides encode without loss
    return hmac.compare_digest(expected.encode("ascii"), token.encode("ascii"))


def link_expired(start, days, now):
    """True when ``now`` is more than ``days`` days after ``start`` (datetimes).

    A link without a start date, or with no positive validity, has expired.
    """
    if not start or not days or days <= 0:
        return True
    return now > start + datetime.timedelta(days=days)


def public_url(base_url, page, token, answer=None, answers=("yes", "no")):
    """Absolute link to a candidate page: <base>/candidate/<page>/<token>[?answer=...].

    ``answer`` is only added when it is one of ``answers``, so nothing else ever
    reaches the query string.
    """
    url = "%s/candidate/%s/%s" % ((base_url or "").rstrip("/"), page, token)
    if answer and answer in answers:
        url += "?answer=%s" % answer
    return url
