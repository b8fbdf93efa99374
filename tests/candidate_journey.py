"""A candidate using the links of our emails the way a browser does, timed.

Shared by tests/test_prefork.py and benchmarks/bench_load.py. One journey is
one candidate with one cookie session: the candidate page, the refusal's
"Was this feedback helpful?" page (GET with ?answer=yes, then POST the answer
with the page's CSRF token), the event invitation page and its Accept answer.
Odoo's own /web/login is opened by the same visitor after each step (or after
the steps named in ``login_after``), so that both are measured under the same
load. Every request goes through
``record(label, seconds, error)``; ``error`` is None for the status a candidate
expects (200), else a short text (``HTTP 500``, ``ConnectionError``...).

Links are paths (``/candidate/...``): the caller gives the server's base URL,
which is always a loopback address here.
"""
import re
import threading
import time

import requests

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LOGIN = "/web/login"
# labels, in journey order
CANDIDATE_PAGE = "candidate page GET"
FEEDBACK_GET = "feedback page GET"
FEEDBACK_POST = "feedback answer POST"
EVENT_GET = "event page GET"
EVENT_POST = "event answer POST"
OUR_LABELS = (CANDIDATE_PAGE, FEEDBACK_GET, FEEDBACK_POST, EVENT_GET, EVENT_POST)


def link_path(url):
    """/candidate/... of an absolute link made with the database's web.base.url."""
    return "/candidate/" + url.split("/candidate/", 1)[1]


def check_loopback(base):
    host = base.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        raise ValueError("load is only ever sent to a loopback address, not %s" % base)


class Recorder(object):
    """Thread-safe store of (label, seconds, error) with the figures of each label."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def __call__(self, label, seconds, error):
        with self.lock:
            self.rows.append((label, seconds, error))

    def errors(self, labels=None):
        return [(label, error) for label, _s, error in self.rows
                if error and (labels is None or label in labels)]

    def figures(self, labels, wall):
        """count, requests/s over ``wall`` seconds, p50/p95/p99 (ms), errors."""
        times = sorted(s for label, s, _e in self.rows if label in labels)
        errors = sum(1 for label, _s, error in self.rows if label in labels and error)
        if not times:
            return {"count": 0, "rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0,
                    "errors": errors}
        def pct(p):
            return 1000.0 * times[min(len(times) - 1, int(round(p / 100.0 * (len(times) - 1))))]
        return {"count": len(times), "rps": len(times) / wall if wall else 0.0,
                "p50": pct(50), "p95": pct(95), "p99": pct(99), "errors": errors}


class DeadlineReached(Exception):
    """The run's time budget is spent: the journey stops before its next request."""


class PageMissing(Exception):
    """The page a form is posted from did not load: a browser could not post it."""


def journey(base, links, record, login_after=OUR_LABELS, timeout=30, deadline=None,
            comment="Helpful, thank you", think=0.0, rng=None):
    """One candidate's visit; links = {"me": path, "feedback": path, "event": path}.

    ``think``: seconds the candidate reads each page before the next step
    (times 0.5 to 1.5 when ``rng``, a random.Random, is given). No request
    starts after ``deadline``; a form whose page failed is not posted (the
    failed GET is the error). Returns the number of requests made."""
    session = requests.Session()
    made = [0]

    def pause():
        if think:
            time.sleep(think * (rng.uniform(0.5, 1.5) if rng else 1.0))

    def hit(label, method, path, data=None):
        if made[0]:
            pause()
        if deadline is not None and time.time() >= deadline:
            raise DeadlineReached()
        start = time.perf_counter()
        response, error = None, None
        try:
            response = session.request(method, base + path, data=data, timeout=timeout,
                                       allow_redirects=False)
            if response.status_code != 200:
                error = "HTTP %d" % response.status_code
        except requests.RequestException as exc:
            error = type(exc).__name__
        record(label, time.perf_counter() - start, error)
        made[0] += 1
        if label in login_after:
            start = time.perf_counter()
            login_error = None
            try:
                login = session.get(base + LOGIN, timeout=timeout, allow_redirects=False)
                if login.status_code != 200:
                    login_error = "HTTP %d" % login.status_code
            except requests.RequestException as exc:
                login_error = type(exc).__name__
            record(LOGIN, time.perf_counter() - start, login_error)
            made[0] += 1
        return response if error is None else None

    def csrf(response):
        match = CSRF.search(response.text) if response is not None else None
        if not match:
            raise PageMissing()
        return match.group(1)

    try:
        hit(CANDIDATE_PAGE, "GET", links["me"])
        try:
            page = hit(FEEDBACK_GET, "GET", links["feedback"] + "?answer=yes")
            hit(FEEDBACK_POST, "POST", links["feedback"],
                {"csrf_token": csrf(page), "answer": "yes", "comment": comment})
        except PageMissing:
            pass
        try:
            page = hit(EVENT_GET, "GET", links["event"])
            hit(EVENT_POST, "POST", links["event"], {"csrf_token": csrf(page), "answer": "accept"})
        except PageMissing:
            pass
    except DeadlineReached:
        pass
    return made[0]
