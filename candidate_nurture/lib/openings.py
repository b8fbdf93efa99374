"""New openings: when a job change is a real opening, and the links that announce it.

Plain functions, no database: the models gather the facts and call these.
"""
from urllib.parse import quote, urlencode, urlsplit

# decisions of opening_decision()
ANNOUNCE = "announce"   # a new opening: rediscover talents and queue the notice
RESUME = "resume"       # open again the day it was announced: nothing to say again
CLOSE = "close"         # no longer open: the next opening may be announced
NOTHING = None

SHARE_NETWORKS = ("linkedin", "x", "facebook", "email")
LINKEDIN_HOSTS = ("linkedin.com", "www.linkedin.com")


def is_opening(state, positions, published):
    """A job is open to applicants: recruiting with at least one position, or
    published on the careers page (people can apply there)."""
    return bool((state == "recruit" and (positions or 0) > 0) or published)


def opening_decision(open_now, running, announced_on, today):
    """What a change of a job means for its announcement.

    ``open_now``: the job is an opening after the change (is_opening);
    ``running``: the last announced opening has not been closed since;
    ``announced_on``: date of the last announcement (``datetime.date`` or None);
    ``today``: ``datetime.date``.

    An opening is announced once, whoever opened it and however (created
    recruiting, recruitment launched, positions from none to some, published).
    Closing it and opening it again the day it was announced is the same
    opening; on a later day it is a new one.
    """
    if open_now and not running:
        if announced_on is not None and announced_on == today:
            return RESUME
        return ANNOUNCE
    if running and not open_now:
        return CLOSE
    return NOTHING


def with_query(url, params):
    """url with the query parameters ``params`` (a list of pairs) appended."""
    if not params:
        return url
    return "%s%s%s" % (url, "&" if "?" in url else "?", urlencode(params))


def utm_params(source, medium, campaign):
    """Odoo's utm parameters (utm.mixin tracking_fields), empty values left out."""
    params = []
    for key, value in (("utm_source", source), ("utm_medium", medium),
                       ("utm_campaign", campaign)):
        if value:
            params.append((key, value))
    return params


def share_url(network, url, title):
    """A link that shares ``url`` on a network (LinkedIn, X, Facebook) or by email.

    No API and no key: the networks' public share pages. Unknown networks give ''.
    """
    title = title or ""
    if network == "linkedin":
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode([("url", url)])
    if network == "x":
        return "https://x.com/intent/tweet?" + urlencode([("text", title), ("url", url)])
    if network == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode([("u", url)])
    if network == "email":
        return "mailto:?subject=%s&body=%s" % (quote(title), quote(url))
    return ""


def linkedin_profile_url(value):
    """The https URL of a LinkedIn profile, or '' when value is not one.

    Accepts 'linkedin.com/in/ann', 'http://www.linkedin.com/in/ann/' ...; anything
    else (another host, a javascript: URL, spaces) gives '' so that it is never
    put in a link.
    """
    text = (value or "").strip()
    if not text or any(char in text for char in " \t\r\n\"'<>\\"):
        return ""
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or parts.hostname not in LINKEDIN_HOSTS:
        return ""
    if parts.username or parts.password or parts.port:
        return ""
    path = parts.path.rstrip("/")
    if not path:
        return ""
    return "https://www.linkedin.com%s" % path
