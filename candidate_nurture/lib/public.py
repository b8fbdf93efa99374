"""Helpers of the public pages candidates use without an account (Odoo-free).

- :class:`CandidateAuthor`: who wrote what the candidate did on a public page.
  It travels in the context under :data:`CANDIDATE_AUTHOR`; being a Python
  object, no RPC call (whose context is JSON) can forge it.
- :func:`parse_ids`: record ids posted by a form, ASCII digits only.
- :func:`candidate_lang`: the language a candidate's emails and pages are in.
"""
import re

CANDIDATE_AUTHOR = "nurture_candidate_author"
_ID_RX = re.compile(r"\A[0-9]{1,9}\Z")


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


def candidate_lang(wanted, installed, defaults=()):
    """The language of a candidate's emails and public pages: the first of
    ``wanted`` (the person's own: their contact's language) that is installed,
    else the first installed of ``defaults`` (the website's default language,
    then the company's), else None (Odoo's en_US)."""
    installed = set(installed)
    for lang in tuple(wanted) + tuple(defaults):
        if lang and lang in installed:
            return lang
    return None
