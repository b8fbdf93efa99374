"""Odoo in prefork mode, as production runs it: candidates and Odoo's login at once.

A server with 2 HTTP workers, a cron worker, the longpolling process and
queue_job's runner (server_wide_modules web,queue_job) serves 10 candidates
opening their links concurrently (candidate page, feedback page and answer,
event invitation and answer) and Odoo's /web/login between them: 60 requests
over 10 threads, bounded in time. Every answer must be recorded once, no
request may fail or answer a 5xx, and the server's log must hold no traceback.
"""
import datetime
import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
import requests
from candidate_journey import (CANDIDATE_PAGE, LOGIN, OUR_LABELS, Recorder, journey,
                               link_path)
from conftest import DB, Rpc
from odoo_server import OdooServer

CANDIDATES = 10
WORKERS = 2


@pytest.fixture(scope="module")
def prefork(sink):
    with OdooServer(DB, workers=WORKERS, cron_threads=1, smtp=(sink.host, sink.port),
                    queue_channels="root:1", log_name="e2e-prefork-%s" % DB) as server:
        yield server


@pytest.fixture(scope="module")
def candidates(prefork):
    """CANDIDATES refused applicants, each invited to one open house, and their links."""
    rpc = Rpc(prefork.url, DB)
    run = uuid.uuid4().hex[:8]
    # a late stage: a stage in front would move the company's "personal feedback
    # from the second stage" threshold for the end-to-end files that run after this one
    stage = rpc("hr.recruitment.stage", "create", {"name": "Prefork final round %s" % run,
                                                   "sequence": 97})
    job = rpc("hr.job", "create", {"name": "Prefork Engineer %s" % run})
    applicants = [rpc("hr.applicant", "create", {
        "name": "Prefork application %d" % i, "partner_name": "Prefork Candidate %s %d" % (run, i),
        "email_from": "prefork.%s.%d@candidates.example" % (run, i), "job_id": job,
        "stage_id": stage}) for i in range(CANDIDATES)]
    reason = rpc("ir.model.data", "xmlid_to_res_id", "candidate_nurture.refuse_reason_skills_gap")
    template = rpc("ir.model.data", "xmlid_to_res_id",
                   "candidate_nurture.mail_template_refuse_feedback")
    for applicant in applicants:  # one by one: each gets its personal message
        wizard = rpc("hr.applicant.refuse.wizard", "create", {
            "refuse_reason_id": reason, "template_id": template,
            "strengths": "Clear answers in the live exercise",
            "personal_message": "Thank you for the pairing session on Tuesday: your questions "
                                "about our deployment pipeline were the sharpest of this round."},
            context={"active_model": "hr.applicant", "active_ids": [applicant]})
        rpc("hr.applicant.refuse.wizard", "action_refuse", [wizard])
    now = datetime.datetime.utcnow()
    event = rpc("event.event", "create", {
        "name": "Prefork open house %s" % run, "seats_availability": "unlimited",
        "date_begin": (now + datetime.timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S"),
        "date_end": (now + datetime.timedelta(days=10, hours=3)).strftime("%Y-%m-%d %H:%M:%S")})
    rpc("event.event", "button_confirm", [event])
    rows = rpc("hr.applicant", "read", applicants, ["talent_id"], context={"active_test": False})
    result = []
    for row in rows:
        talent = row["talent_id"][0]
        invitation = rpc("hr.talent.invitation", "create", {"talent_id": talent, "event_id": event})
        result.append({
            "applicant": row["id"], "talent": talent, "invitation": invitation,
            "links": {
                "me": link_path(rpc("hr.talent", "get_candidate_page_url", [talent])),
                "feedback": link_path(rpc("hr.applicant", "get_refuse_feedback_url", [row["id"]])),
                "event": link_path(rpc("hr.talent.invitation", "get_answer_url", [invitation])),
            }})
    return {"rpc": rpc, "rows": result}


def test_prefork_serves_candidates_and_login_concurrently(prefork, candidates):
    record = Recorder()
    deadline = time.time() + 120
    with ThreadPoolExecutor(max_workers=10) as pool:
        made = list(pool.map(
            lambda row: journey(prefork.url, row["links"], record, login_after=(CANDIDATE_PAGE,),
                                deadline=deadline),
            candidates["rows"]))
    assert sum(made) == 60 == len(record.rows), "the run ended before every request was made"
    assert not record.errors(), record.errors()
    assert record.figures((LOGIN,), 1)["count"] == CANDIDATES
    assert record.figures(OUR_LABELS, 1)["count"] == 5 * CANDIDATES
    # what the candidates answered is in the database, once each
    rpc = candidates["rpc"]
    answers = rpc("hr.applicant", "read", [r["applicant"] for r in candidates["rows"]],
                  ["refuse_feedback_helpful", "refuse_feedback_comment"],
                  context={"active_test": False})
    assert {(a["refuse_feedback_helpful"], a["refuse_feedback_comment"]) for a in answers} \
        == {("yes", "Helpful, thank you")}
    invitations = rpc("hr.talent.invitation", "read", [r["invitation"] for r in candidates["rows"]],
                      ["state", "registration_id"])
    assert {i["state"] for i in invitations} == {"accepted"}
    assert len({i["registration_id"][0] for i in invitations if i["registration_id"]}) == CANDIDATES
    # a used feedback link says it was answered, in whichever worker it lands,
    # and a second answer records nothing
    used = candidates["rows"][0]["links"]["feedback"]
    again = requests.get(prefork.url + used, timeout=30)
    assert again.status_code == 200 and "already answered" in again.text


def test_prefork_runs_workers_cron_longpolling_and_job_runner_on_loopback(prefork, candidates):
    with open(prefork.log, errors="replace") as handle:
        text = handle.read()
    assert len(re.findall(r"Worker WorkerHTTP \(\d+\) alive", text)) >= WORKERS, text[-3000:]
    assert re.search(r"Worker WorkerCron \(\d+\) alive", text), "no cron worker started"
    assert "Evented Service (longpolling) running on 127.0.0.1:%d" % prefork.longpolling_port \
        in text
    assert "starting jobrunner thread (in prefork server)" in text
    # every process of the server listens on 127.0.0.1 only
    master = psutil.Process(prefork.proc.pid)
    listening = []
    for process in [master] + master.children(recursive=True):
        try:
            connections = process.connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        listening += [c.laddr for c in connections if c.status == psutil.CONN_LISTEN]
    ports = {address.port for address in listening}
    assert {prefork.port, prefork.longpolling_port} <= ports, listening
    assert all(address.ip == "127.0.0.1" for address in listening), listening


def test_prefork_log_has_no_traceback(prefork, candidates):
    # after the load of the first test (module order) and the start of every process
    with open(prefork.log, errors="replace") as handle:
        text = handle.read()
    assert "Traceback" not in text, text[text.index("Traceback") - 500:][:4000]
    # Accepting an invitation registers the talent: Odoo recomputes the event's
    # stored seat counts, i.e. writes the event's row, so two answers to one event
    # at once meet as a serialization failure, which Odoo's HTTP layer retries
    # (odoo/service/model.py, up to 5 times). sql_db logs the failed query as an
    # ERROR: expected for exactly that, every request above still got its 200.
    lines = text.splitlines()
    errors = []
    for number, line in enumerate(lines):
        if not re.match(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", line):
            continue
        retried = (" odoo.sql_db: bad query: " in line and number + 1 < len(lines)
                   and "could not serialize access due to concurrent update" in lines[number + 1])
        if not retried:
            errors.append(line)
    assert not errors, "\n".join(errors)
    assert "maximum number of tries reached" not in text


def test_sample_configuration_parses():
    """runtime/odoo.conf.example, the README's sample: Odoo's own parser reads it as
    prefork with queue_job server-wide, and queue_job's parser reads its channels."""
    code = r"""
import json, sys
from odoo.tools import config
config.parse_config(["-c", sys.argv[1], "--addons-path=" + sys.argv[2]])
from odoo.addons.queue_job.jobrunner.channels import ChannelManager
manager = ChannelManager()
manager.simple_configure(config.misc["queue_job"]["channels"])
print(json.dumps({key: config[key] for key in (
    "workers", "max_cron_threads", "server_wide_modules", "proxy_mode", "http_interface",
    "longpolling_port", "limit_time_cpu", "limit_time_real", "limit_time_real_cron")}))
print(json.dumps({name: manager.get_channel_by_name(name).capacity
                  for name in ("root", "root.candidate_nurture")}))
"""
    addons = os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons")
    conf = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "runtime", "odoo.conf.example")
    out = subprocess.run([sys.executable, "-c", code, conf, addons], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    options, capacities = json.loads(out[-2]), json.loads(out[-1])
    assert options["workers"] > 0 and options["max_cron_threads"] >= 1
    assert options["server_wide_modules"].replace(" ", "") == "web,queue_job"
    assert options["proxy_mode"] is True and options["http_interface"] == "127.0.0.1"
    assert options["longpolling_port"] == 8072
    assert options["limit_time_real_cron"] >= options["limit_time_real"]
    assert 0 < capacities["root"] < options["workers"]
    assert 0 < capacities["root.candidate_nurture"] <= capacities["root"]
