"""Signed, URL-safe tokens for the public pages candidates reach from emails.

A token names a record and a purpose and carries an HMAC-SHA256 signature made
with a server secret and a per-record nonce; changing any part of it, or
rotating the nonce, invalidates it. Verification compares in constant time.
"""
import base64
import hashlib
import hmac


def _b64(raw):
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _signature(secret, purpose, record_id, nonce):
    message = "%s:%s:%s" % (purpose, record_id, nonce)
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()


def make_token(secret, purpose, record_id, nonce):
    """'<id>-<signature>' for record_id, valid while the record keeps nonce."""
    if not secret or not nonce:
        raise ValueError("a secret and a nonce are required to sign a token")
    return "%d-%s" % (int(record_id), _b64(_signature(secret, purpose, int(record_id), nonce)))


def parse_token(token):
    """The record id a token claims, or None when it is not even well-formed."""
    if not token or len(token) > 200 or "-" not in token:
        return None
    head = token.split("-", 1)[0]
    if not head.isdigit() or len(head) > 12:
        return None
    return int(head)


def verify_token(secret, purpose, token, nonce):
    """True when token was made by make_token(secret, purpose, its id, nonce)."""
    record_id = parse_token(token)
    if record_id is None or not secret or not nonce:
        return False
    expected = make_token(secret, purpose, record_id, nonce)
    return hmac.compare_digest(expected.encode("ascii"), token.encode("ascii", "replace"))


def public_url(base_url, page, token, answer=None, answers=("yes", "no")):
    """Absolute link to a candidate page: <base>/candidate/<page>/<token>[?answer=...].

    ``answer`` is only added when it is one of ``answers``, so nothing else ever
    reaches the query string.
    """
    url = "%s/candidate/%s/%s" % ((base_url or "").rstrip("/"), page, token)
    if answer and answer in answers:
        url += "?answer=%s" % answer
    return url
