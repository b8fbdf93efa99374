"""Values that end up in an email header are one line of text.

A name typed with a line break ("Ann\\r\\nBcc: x@y") inserted into a Subject,
To or Reply-To header would either break the message (Python's email package
raises HeaderParseError) or add a header of the sender's choosing.
"""
import re
from email.utils import formataddr, parseaddr

# C0 controls (CR, LF, TAB...), DEL, C1 controls and the Unicode line and
# paragraph separators, which str.splitlines() also treats as line breaks
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value):
    """value with every run of control characters replaced by one space.

    Anything that is not a non-empty string (False, None) is returned as is.
    """
    if not value or not isinstance(value, str):
        return value
    return _CONTROL.sub(" ", value).strip()


def is_one_line(value):
    """True when value holds no control character (or is empty)."""
    return not value or not isinstance(value, str) or not _CONTROL.search(value)


def safe_address(address):
    """'Name <addr>' on one line, without the name when the name itself holds an
    address (mail servers and Odoo would take it for a second recipient)."""
    address = one_line(address)
    if not address:
        return address
    name, email = parseaddr(address)
    if email and "@" in (name or ""):
        return formataddr(("", email))
    return address
