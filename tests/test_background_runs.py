"""Large refusals in the background, on Odoo in prefork mode with queue_job's runner.

One server for the module: 2 HTTP workers, queue_job's runner with channel
root:1 (one batch at a time, one worker always free for the web client, as a
production configuration gives the channel less capacity than the workers),
the session's SMTP sink as outgoing server, no cron worker (the test triggers
the crons, deterministically).

(a) a worker is killed (SIGKILL) while it runs a batch: the watchdog cron
    requeues it and the run still refuses and emails every applicant once;
(b) the web client stays responsive while a 5,000-applicant refusal runs.
"""
import os
import signal
import statistics
import subprocess
import time

import psycopg2
from psycopg2 import sql
import pytest
import requests
from conftest import DB, ROOT, Rpc
from odoo_server import OdooServer

RUN = "hr.recruitment.background.run"
# (a)'s size: on this shared 2-core machine a refusal costs up to 0.4 s per
# applicant in a worker, so 300 in 6 batches keep the test within its bounds
KILL_COUNT = int(os.environ.get("NURTURE_BG_KILL_COUNT", "300"))
BATCH = 50


def _pg_connect():
    """A connection to the test database, found as runtime/odoo finds it."""
    kwargs = {"dbname": DB}
    out = subprocess.run([os.path.join(ROOT, "runtime", "pg.sh")], capture_output=True,
                         text=True, check=True).stdout.split()
    for opt in out:
        key, _sep, value = opt.lstrip("-").partition("=")
        kwargs[{"db_host": "host", "db_port": "port", "db_user": "user",
                "db_password": "password"}[key]] = value
    conn = psycopg2.connect(**kwargs)
    conn.autocommit = True
    return conn


@pytest.fixture(scope="module")
def server(sink):
    with OdooServer(DB, workers=2, queue_channels="root:1,root.candidate_nurture:1",
                    smtp=(sink.host, sink.port), log_name="e2e-background-%s" % DB) as srv:
        yield srv


@pytest.fixture(scope="module")
def admin(server, sink, pg):
    # batches left by an earlier, interrupted run of these tests are not theirs
    # (a 'started' one would hold the channel's only slot)
    with pg.cursor() as cr:
        cr.execute("UPDATE queue_job SET state = 'done', date_done = now() at time zone 'UTC', "
                   "result = 'cancelled by tests/test_background_runs.py' "
                   "WHERE model_name = %s AND state != 'done'", (RUN,))
    client = Rpc(server.url, DB)
    # first in line while this module runs (other sessions' sinks may be gone)
    mail_server = client("ir.mail_server", "create", {
        "name": "E2E SMTP sink (background runs)", "sequence": -1, "smtp_host": sink.host,
        "smtp_port": sink.port})
    company = client("res.users", "read", [client.uid], ["company_id"])[0]["company_id"][0]
    client("res.company", "write", [company], {"nurture_background_threshold": 200,
                                               "nurture_background_batch_size": BATCH})
    yield client
    client("ir.mail_server", "unlink", [mail_server])


@pytest.fixture(scope="module")
def pg():
    conn = _pg_connect()
    yield conn
    conn.close()


def _make_applicants(admin, pg, tag, count):
    """count applicants: one made through the ORM (RPC), then copied count times
    in one INSERT, each with its own name and email, without a talent (as
    applicants imported before the addon: the refusal makes their talents).
    Through the ORM, on this shared 2-core machine, 5,000 applicants take
    minutes; the test is about the refusal, not about creating them."""
    job_id = admin("hr.job", "create", {"name": "Background %s" % tag})
    model = admin("hr.applicant", "create", {
        "name": "Application %s model" % tag, "partner_name": "Cand %s model" % tag,
        "email_from": "cand.%s.model@bg.example" % tag.lower(), "job_id": job_id})
    with pg.cursor() as cr:
        cr.execute("SELECT column_name FROM information_schema.columns "
                   "WHERE table_name = 'hr_applicant'")
        skip = {"id", "name", "partner_name", "email_from", "talent_id", "partner_id",
                "create_date", "write_date"}
        columns = [row[0] for row in cr.fetchall() if row[0] not in skip]
        cr.execute(sql.SQL(
            "INSERT INTO hr_applicant (name, partner_name, email_from, create_date, "
            "write_date, {cols}) "
            "SELECT 'Application ' || %(tag)s || ' ' || lpad(n::text, 5, '0'), "
            "'Cand ' || %(tag)s || ' ' || lpad(n::text, 5, '0'), "
            "'cand.' || lower(%(tag)s) || '.' || lpad(n::text, 5, '0') || '@bg.example', "
            "now() at time zone 'UTC', now() at time zone 'UTC', {cols} "
            "FROM hr_applicant, generate_series(1, %(count)s) AS n WHERE id = %(model)s "
            "RETURNING id").format(cols=sql.SQL(", ").join(map(sql.Identifier, columns))),
            {"tag": tag, "count": count - 1, "model": model})
        ids = [model] + sorted(row[0] for row in cr.fetchall())
    assert len(ids) == count
    return ids


def _refuse(admin, applicant_ids):
    reason = admin("ir.model.data", "xmlid_to_res_id",
                   "candidate_nurture.refuse_reason_position_filled")
    wizard = admin("hr.applicant.refuse.wizard", "create", {
        "applicant_ids": [(6, 0, applicant_ids)], "refuse_reason_id": reason,
        "template_id": admin("ir.model.data", "xmlid_to_res_id",
                             "candidate_nurture.mail_template_refuse_feedback"),
        "line_ids": [(0, 0, {"applicant_id": aid}) for aid in applicant_ids]})
    admin("hr.applicant.refuse.wizard", "action_refuse", [wizard])
    html = admin("hr.applicant.refuse.wizard", "read", [wizard], ["result_html"])[0]["result_html"]
    assert "%d candidates are being refused in the background" % len(applicant_ids) in html
    return admin(RUN, "search", [], limit=1, order="id desc")[0]


def _job_backend(pg, job_ids):
    """(worker pid, queue_job id) of a batch running now: the batch names itself
    in its PostgreSQL backend's application_name."""
    with pg.cursor() as cr:
        cr.execute("SELECT application_name FROM pg_stat_activity "
                   "WHERE application_name LIKE 'candidate_nurture job %%'")
        for (name,) in cr.fetchall():
            parts = name.split()
            job_id, pid = int(parts[2]), int(parts[4])
            if job_id in job_ids:
                return pid, job_id
    return None


def _wait(predicate, timeout, step=0.5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out after %d s" % timeout)


def test_a_killed_worker_does_not_lose_nor_double_a_refusal(server, admin, pg, sink):
    ids = _make_applicants(admin, pg, "Kill", KILL_COUNT)
    sink.clear()
    started = time.time()
    run = _refuse(admin, ids)
    job_ids = admin(RUN, "read", [run], ["job_ids"])[0]["job_ids"]
    assert len(job_ids) == -(-KILL_COUNT // BATCH)
    # a batch is running in one of the HTTP workers: kill -9 that worker mid-way
    pid, killed_job = _wait(lambda: _job_backend(pg, job_ids), 60, step=0.1)
    assert pid in server.worker_pids()
    time.sleep(1.0)
    os.kill(pid, signal.SIGKILL)
    print("\nkilled worker %d running batch %d, %.1f s after the refusal"
          % (pid, killed_job, time.time() - started))
    # queue_job 11 leaves it 'started' forever; the watchdog cron requeues it
    # once its lock is free and it started more than 10 s ago
    watch = admin("ir.model.data", "xmlid_to_res_id",
                  "candidate_nurture.ir_cron_background_run_watch")

    def requeued():
        state = admin("queue.job", "read", [killed_job], ["state"])[0]["state"]
        if state == "started":
            admin("ir.cron", "method_direct_trigger", [watch])
            state = admin("queue.job", "read", [killed_job], ["state"])[0]["state"]
        return state != "started"
    _wait(requeued, 60, step=2)

    def finished():
        admin(RUN, "action_refresh", [run])
        return admin(RUN, "read", [run], ["state"])[0]["state"] != "running"
    _wait(finished, 150, step=2)
    values = admin(RUN, "read", [run], ["state", "done_count", "failed_count", "total"])[0]
    print("run finished in %.1f s: %s" % (time.time() - started, values))
    assert (values["state"], values["done_count"], values["failed_count"]) == (
        "done", KILL_COUNT, 0)
    with pg.cursor() as cr:
        cr.execute("SELECT count(*) FROM hr_applicant WHERE id = ANY(%s) AND NOT active "
                   "AND refuse_date IS NOT NULL AND refuse_mail_id IS NOT NULL", (ids,))
        assert cr.fetchone()[0] == KILL_COUNT
        cr.execute("SELECT m.res_id, count(*) FROM mail_mail AS mm "
                   "JOIN mail_message AS m ON m.id = mm.mail_message_id "
                   "WHERE m.model = 'hr.applicant' AND m.res_id = ANY(%s) GROUP BY m.res_id",
                   (ids,))
        counts = dict(cr.fetchall())
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}
    # the mail queue sends them: exactly one email per applicant reaches the sink
    mail_cron = admin("ir.model.data", "xmlid_to_res_id", "mail.ir_cron_mail_scheduler_action")
    admin("ir.cron", "method_direct_trigger", [mail_cron])
    received = [r for m in sink.messages for r in m["rcpt_tos"]
                if r.startswith("cand.kill.") and r.endswith("@bg.example")]
    assert len(received) == KILL_COUNT and len(set(received)) == KILL_COUNT
    # the recruiter (here the administrator) is told in their Inbox
    partner = admin("res.users", "read", [admin.uid], ["partner_id"])[0]["partner_id"][0]
    assert admin("mail.message", "search_count", [
        ("model", "=", RUN), ("res_id", "=", run), ("needaction_partner_ids", "in", partner)])


def test_b_web_client_stays_responsive_during_a_5000_refusal(server, admin, pg):
    ids = _make_applicants(admin, pg, "Load", 5000)
    run = _refuse(admin, ids)
    job_ids = admin(RUN, "read", [run], ["job_ids"])[0]["job_ids"]
    try:
        _measure_during(server, admin, pg, run, ids, job_ids)
    finally:
        # the rest of the run is not this test's business: its batches are set done
        pending = admin("queue.job", "search", [("id", "in", job_ids),
                                                ("state", "in", ["pending", "enqueued"])])
        admin("queue.job", "button_done", pending)
        # and the batch running now ends by itself
        _wait(lambda: not admin("queue.job", "search_count", [
            ("id", "in", job_ids), ("state", "in", ["started", "enqueued"])]), 90, step=1)


def _measure_during(server, admin, pg, run, ids, job_ids):
    _wait(lambda: _job_backend(pg, job_ids), 60, step=0.1)
    session = requests.Session()
    session.post(server.url + "/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": DB, "login": "admin", "password": "admin"}},
        timeout=60).raise_for_status()
    version, reads = [], []
    deadline = time.time() + 20
    while time.time() < deadline:
        t0 = time.time()
        session.post(server.url + "/web/webclient/version_info",
                     json={"jsonrpc": "2.0", "params": {}}, timeout=60).raise_for_status()
        t1 = time.time()
        resp = session.post(server.url + "/web/dataset/search_read", json={
            "jsonrpc": "2.0", "params": {
                "model": "hr.applicant", "fields": ["name", "stage_id", "email_from"],
                "domain": [("id", "in", ids[:2000])], "limit": 80}}, timeout=60)
        resp.raise_for_status()
        assert "error" not in resp.json()
        t2 = time.time()
        version.append(t1 - t0)
        reads.append(t2 - t1)
        time.sleep(0.2)
    admin(RUN, "action_refresh", [run])
    done = admin(RUN, "read", [run], ["done_count"])[0]["done_count"]

    def p95(values):
        return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]
    print("\nduring the 5,000-refusal (%d applicants done in the window): "
          "version_info p50 %.3f s p95 %.3f s; search_read p50 %.3f s p95 %.3f s (%d samples)"
          % (done, statistics.median(version), p95(version), statistics.median(reads),
             p95(reads), len(reads)))
    assert p95(version) < 5 and p95(reads) < 5
