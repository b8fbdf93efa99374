"""Many candidates at once on the public pages, beside Odoo's own /web/login.

A bounded load test on loopback only. It prepares N candidates on its own
database (created with candidate_nurture when missing; each run adds N new
ones, since a feedback link works once): an applicant refused with the refusal
wizard, its talent invited to an open house, and their three signed links.
It then starts Odoo in prefork mode (tests/odoo_server.py: 4 HTTP workers,
server_wide_modules web,queue_job, no cron worker so that nothing else runs)
and lets N simulated candidates (threads, at most --threads at once), arriving
over --ramp seconds and reading each page about --think seconds, each open
their candidate page, their feedback page (GET, then POST the answer with the
page's CSRF token), their event invitation (GET, then Accept), with a GET of
/web/login by the same visitor after each step: both under the same load, in
the same run. It stops by itself: at most 10 requests per candidate, N <= 1000,
no request starts after --seconds (<= 60) minus --timeout, so the load is over
within --seconds. An error is any answer but 200, a timeout or a refused
connection; a form whose page failed is not posted.

Before the load, one more candidate's pages are opened in this process
through Odoo's WSGI application, to count the SQL queries of each page (and of
/web/login), median time of 3 runs for the GETs.

    .venv/bin/python benchmarks/bench_load.py [--candidates 100] [--threads 100]
        [--workers 4] [--seconds 60] [--timeout 20] [--ramp 10] [--think 1] [--db load_bench]

Prints requests/s, p50/p95/p99 and errors per page, for our pages together and
for /web/login, and the ratio of the p95s (goal: <= 2, and 0 errors).
"""
import argparse
import datetime
import os
import random
import re
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))
from candidate_journey import (CANDIDATE_PAGE, EVENT_GET, EVENT_POST, FEEDBACK_GET,  # noqa: E402
                               FEEDBACK_POST, LOGIN, OUR_LABELS, Recorder, check_loopback,
                               journey, link_path)
from odoo_env import open_env  # noqa: E402
from odoo_server import OdooServer  # noqa: E402

MAX_CANDIDATES = 1000
MAX_SECONDS = 60


def prepare(env, count, run):
    """count refused candidates invited to one event: [{"me", "feedback", "event"}] paths."""
    stage = env["hr.recruitment.stage"].create({"name": "Load screening %s" % run, "sequence": 0})
    # personal feedback from a later stage on, as bench_refuse.py: one shared
    # message is then enough for the whole batch
    env.user.company_id.nurture_personal_stage_id = env["hr.recruitment.stage"].create(
        {"name": "Load interview %s" % run, "sequence": 50})
    job = env["hr.job"].create({"name": "Load Engineer %s" % run})
    Applicant = env["hr.applicant"].with_context(tracking_disable=True, mail_create_nolog=True)
    applicants = Applicant.browse([Applicant.create({
        "name": "Load application %d" % i, "partner_name": "Load Candidate %s %d" % (run, i),
        "email_from": "load.%s.%d@candidates.example" % (run, i),
        "job_id": job.id, "stage_id": stage.id}).id for i in range(count)])
    wizard = env["hr.applicant.refuse.wizard"].with_context(
        active_model="hr.applicant", active_ids=applicants.ids).create({
            "refuse_reason_id": env.ref("candidate_nurture.refuse_reason_skills_gap").id,
            "template_id": env.ref("candidate_nurture.mail_template_refuse_feedback").id,
            "strengths": "Clear answers in the live exercise\nGood questions about the team",
            "improvements": "Practise the system design exercise",
            "personal_message": "Thank you for the pairing session on Tuesday: your questions "
                                "about our deployment pipeline were the sharpest of this round.",
        })
    wizard.action_refuse()
    now = datetime.datetime.utcnow()
    event = env["event.event"].create({
        "name": "Load open house %s" % run, "seats_availability": "unlimited",
        "date_begin": (now + datetime.timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S"),
        "date_end": (now + datetime.timedelta(days=10, hours=3)).strftime("%Y-%m-%d %H:%M:%S")})
    event.button_confirm()
    links = []
    for applicant in applicants.with_context(active_test=False):
        invitation = env["hr.talent.invitation"].create(
            {"talent_id": applicant.talent_id.id, "event_id": event.id})
        links.append({
            "me": link_path(applicant.talent_id.get_candidate_page_url()),
            "feedback": link_path(applicant.get_refuse_feedback_url()),
            "event": link_path(invitation.get_answer_url()),
        })
    return links


def count_queries(links):
    """(label, queries, ms) of each page of one journey, in this process (WSGI)."""
    import odoo
    from odoo import sql_db
    os.environ["PATH"] = os.pathsep.join([
        os.path.join(os.path.dirname(os.path.dirname(sys.executable)), "node", "node_modules", ".bin"),
        os.environ.get("PATH", "")])
    from werkzeug.test import Client
    from werkzeug.wrappers import BaseResponse
    from candidate_journey import CSRF
    odoo.service.server.load_server_wide_modules()
    client = Client(odoo.service.wsgi_server.application, BaseResponse, use_cookies=True)
    rows = []

    def hit(label, method, path, data=None, runs=1):
        times, queries, response = [], None, None
        for _ in range(runs):
            before = sql_db.sql_counter
            start = time.perf_counter()
            response = client.open(path, method=method, data=data,
                                   environ_base={"REMOTE_ADDR": "127.0.0.1"})
            times.append(time.perf_counter() - start)
            queries = sql_db.sql_counter - before
        assert response.status_code == 200, (label, response.status_code)
        rows.append((label, queries, 1000.0 * statistics.median(times)))
        return response.get_data(as_text=True)

    def csrf(text):
        return CSRF.search(text).group(1)

    hit(LOGIN, "GET", LOGIN)  # warms the registry and the session store
    del rows[:]
    hit(LOGIN, "GET", LOGIN, runs=3)
    hit(CANDIDATE_PAGE, "GET", links["me"], runs=3)
    page = hit(FEEDBACK_GET, "GET", links["feedback"] + "?answer=yes", runs=3)
    hit(FEEDBACK_POST, "POST", links["feedback"],
        {"csrf_token": csrf(page), "answer": "yes", "comment": "Profiled"})
    page = hit(EVENT_GET, "GET", links["event"], runs=3)
    hit(EVENT_POST, "POST", links["event"], {"csrf_token": csrf(page), "answer": "accept"})
    return rows


def worker_memory(server):
    """Resident memory (MB) of each prefork worker after the load."""
    import psutil
    sizes = []
    for pid in server.worker_pids():
        try:
            sizes.append(psutil.Process(pid).memory_info().rss / 1048576.0)
        except psutil.NoSuchProcess:
            pass  # recycled meanwhile
    return sorted(sizes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--threads", type=int, default=100,
                        help="simulated candidates at once (a bounded thread pool)")
    parser.add_argument("--workers", type=int, default=4, help="Odoo's HTTP worker processes")
    parser.add_argument("--seconds", type=float, default=MAX_SECONDS,
                        help="the whole load lasts at most this long (at most 60): no request "
                             "starts after SECONDS - TIMEOUT")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds a candidate waits for a page before it counts as an error")
    parser.add_argument("--ramp", type=float, default=10.0,
                        help="candidates arrive spread over this many seconds (a newsletter's "
                             "readers do not all click in the same millisecond)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds a candidate reads a page before the next step "
                             "(times 0.5 to 1.5, at random)")
    parser.add_argument("--db", default="load_bench")
    parser.add_argument("--no-profile", action="store_true",
                        help="skip the in-process query count of each page")
    args = parser.parse_args()
    if not 1 <= args.candidates <= MAX_CANDIDATES:
        parser.error("--candidates must be between 1 and %d" % MAX_CANDIDATES)
    seconds = min(max(args.seconds, 1.0), MAX_SECONDS)
    timeout = min(max(args.timeout, 1.0), seconds / 2)
    threads = max(1, min(args.threads, args.candidates))
    run = uuid.uuid4().hex[:8]

    print("[bench] preparing %d candidates (+1 profiled) in %s..." % (args.candidates, args.db),
          flush=True)
    start = time.time()
    with open_env(args.db, commit=True) as env:
        links = prepare(env, args.candidates + 1, run)
    profiled, links = links[0], links[1:]
    print("[bench] prepared in %.1f s" % (time.time() - start), flush=True)

    if not args.no_profile:
        print("\nSQL queries per page (one request in this process; GETs: median of 3)")
        for label, queries, ms in count_queries(profiled):
            print("  %-24s %4d queries %8.1f ms" % (label, queries, ms))

    server = OdooServer(args.db, workers=args.workers, cron_threads=0,
                        queue_channels="root:1", log_name="bench-load-%s" % args.db)
    check_loopback(server.url)
    if os.path.exists(server.log):
        os.remove(server.log)  # this run's log only
    print("\n[bench] starting Odoo (prefork, %d HTTP workers) on %s" % (args.workers, server.url),
          flush=True)
    server.start()
    try:
        # every worker loads the registry on its first request: not measured
        with ThreadPoolExecutor(max_workers=2 * args.workers) as pool:
            list(pool.map(lambda path: __import__("requests").get(server.url + path, timeout=60),
                          [LOGIN, profiled["me"]] * (2 * args.workers)))
        record = Recorder()
        rng = random.Random(run)
        arrivals = sorted(rng.uniform(0, args.ramp) for _ in links)
        start = time.time()
        deadline = start + seconds - timeout  # the last request ends by start + seconds

        def candidate(item):
            link, arrival = item
            time.sleep(max(0.0, start + arrival - time.time()))
            return journey(server.url, link, record, deadline=deadline, timeout=timeout,
                           think=args.think, rng=random.Random(link["me"]))

        with ThreadPoolExecutor(max_workers=threads) as pool:
            made = sum(pool.map(candidate, zip(links, arrivals)))
        wall = time.time() - start
        memory = worker_memory(server)
    finally:
        server.stop()

    planned = 10 * args.candidates
    print("\n[bench] %d candidates (arriving over %.0f s, %.1f s reading each page), %d at "
          "once, Odoo prefork %d workers on 127.0.0.1: %.1f s, %d of %d requests made%s" % (
              args.candidates, args.ramp, args.think, threads, args.workers, wall, made, planned,
              "" if made == planned else " (time budget reached)"))
    print("%-24s %8s %8s %9s %9s %9s %7s" % ("", "requests", "req/s", "p50 ms", "p95 ms",
                                            "p99 ms", "errors"))

    def line(name, labels):
        fig = record.figures(labels, wall)
        print("%-24s %8d %8.1f %9.1f %9.1f %9.1f %7d" % (
            name, fig["count"], fig["rps"], fig["p50"], fig["p95"], fig["p99"], fig["errors"]))
        return fig

    for label in OUR_LABELS:
        line(label, (label,))
    ours = line("our pages (all)", OUR_LABELS)
    login = line(LOGIN, (LOGIN,))
    ratio = ours["p95"] / login["p95"] if login["p95"] else float("inf")
    print("p95 ours / %s: %.2fx (goal: <= 2x); errors: %d (goal: 0)" % (
        LOGIN, ratio, ours["errors"] + login["errors"]))
    kinds = {}
    for label, error in record.errors():
        kinds[(label, error)] = kinds.get((label, error), 0) + 1
    for (label, error), number in sorted(kinds.items()):
        print("  error: %s %s x%d" % (label, error, number))
    with open(server.log, errors="replace") as handle:
        text = handle.read()
    print("server log: %d Traceback, %d HTTP 5xx, %d serialization failures retried by Odoo "
          "(%d gave up after 5 tries)" % (
              text.count("Traceback"), len(re.findall(r'HTTP/1\.[01]" 5\d\d ', text)),
              text.count("SERIALIZATION_FAILURE, retry"),
              text.count("maximum number of tries reached")))
    print("worker resident memory after the load: %s MB" % ", ".join("%.0f" % m for m in memory))
    print("log file: %s" % server.log)
    return 0 if not kinds else 1


if __name__ == "__main__":
    sys.exit(main())
