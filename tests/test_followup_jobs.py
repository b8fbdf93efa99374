"""Follow-up jobs on Odoo in prefork mode with queue_job's runner: real workers,
real HTTP, real cursors, the real SMTP sink.

(a) two workers drain one backlog: every step sent exactly once, both workers
    did some of the jobs;
(b) the worker running a job is killed (kill -9) half-way: nothing of it is
    kept, the scheduler requeues the job, which finishes with every step sent
    once.
"""
import os
import re
import signal
import threading
import time

import pytest
from conftest import DB, Rpc
from odoo_server import OdooServer

WORKERS = 2
JOB_START = re.compile(r"^\S+ \S+ (\d+) INFO \S+ \S+: Follow-up job ([0-9a-f-]+): running")


def wait_for(predicate, timeout, step=0.2, what="condition"):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out after %d s waiting for %s" % (timeout, what))
        time.sleep(step)


@pytest.fixture(scope="module")
def server(sink):
    with OdooServer(DB, workers=WORKERS, queue_channels="root:%d" % WORKERS,
                    smtp=(sink.host, sink.port), log_name="e2e-followup-jobs-%s" % DB) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server, sink):
    client = Rpc(server.url, DB)
    mail_server = client("ir.mail_server", "create", {
        "name": "E2E follow-up jobs sink", "sequence": 0, "smtp_host": sink.host,
        "smtp_port": sink.port})
    template = client("ir.model.data", "xmlid_to_res_id",
                      "candidate_nurture.mail_template_followup_checkin")
    sequence = client("hr.talent.sequence", "create", {
        "name": "E2E jobs", "step_ids": [(0, 0, {"name": "Check-in", "delay_days": 0,
                                                 "action": "mail", "template_id": template})]})
    client.sequence = sequence
    client.cron = client("ir.model.data", "xmlid_to_res_id",
                         "candidate_nurture.ir_cron_talent_followup")
    client.talents = []
    first_job = last_job_id(client)
    yield client
    client("queue.job", "unlink", client("queue.job", "search", [("id", ">", first_job)]))
    client("hr.talent", "unlink", client.talents)
    client("hr.talent.sequence", "unlink", [sequence])
    client("ir.mail_server", "unlink", [mail_server])
    for key in ("followup_job_size", "followup_dead_job_seconds"):
        client("ir.config_parameter", "set_param", "candidate_nurture." + key, "")


def backlog(api, count, prefix):
    """count contactable talents, each with its check-in due now."""
    quiet = {"tracking_disable": True, "mail_create_nolog": True}
    loaded = api("hr.talent", "load", ["name", "email"], [
        ["%s %d" % (prefix, i), "%s%d@candidates.example" % (prefix.lower(), i)]
        for i in range(count)], context=quiet)
    assert not loaded["messages"], loaded["messages"]
    talents = loaded["ids"]
    api.talents += talents
    wizard = api("hr.talent.consent.wizard", "create", {
        "talent_ids": [(6, 0, talents)], "state": "given",
        "note": "Agreed on the phone (end-to-end test)."})
    api("hr.talent.consent.wizard", "action_record", [wizard])
    loaded = api("hr.talent.enrollment", "load", ["talent_id/.id", "sequence_id/.id"],
                 [[str(t), str(api.sequence)] for t in talents], context=quiet)
    assert not loaded["messages"], loaded["messages"]
    return talents, loaded["ids"]


def followup_jobs(api, after, fields=("state",)):
    return api("queue.job", "search_read", [
        ("id", ">", after), ("model_name", "=", "hr.talent.enrollment"),
        ("method_name", "=", "_nurture_job_advance")], list(fields) + ["uuid"])


def last_job_id(api):
    found = api("queue.job", "search", [], limit=1, order="id desc")
    return found[0] if found else 0


def mails_per_enrollment(api, enrollments):
    counts = {}
    for mail in api("mail.mail", "search_read", [("nurture_enrollment_id", "in", enrollments)],
                    ["nurture_enrollment_id", "nurture_step_id"]):
        key = (mail["nurture_enrollment_id"][0], mail["nurture_step_id"][0])
        counts[key] = counts.get(key, 0) + 1
    return counts


def job_starts(server):
    """{job uuid: [pids of the workers that started it]} from the server's log."""
    starts = {}
    with open(server.log) as log:
        for line in log:
            match = JOB_START.match(line)
            if match:
                starts.setdefault(match.group(2), []).append(int(match.group(1)))
    return starts


def assert_each_step_once(api, sink, enrollments, prefix):
    step = api("hr.talent.sequence", "read", [api.sequence], ["step_ids"])[0]["step_ids"][0]
    assert mails_per_enrollment(api, enrollments) == dict(((e, step), 1) for e in enrollments)
    sink.clear()
    api("mail.mail", "process_email_queue")
    received = {}
    for message in sink.messages:
        for address in message["rcpt_tos"]:
            if address.startswith(prefix.lower()):
                received[address] = received.get(address, 0) + 1
    assert len(received) == len(enrollments) and set(received.values()) == {1}


def test_two_workers_drain_one_backlog_exactly_once(server, api, sink):
    talents, enrollments = backlog(api, 160, "Drain")
    api("ir.config_parameter", "set_param", "candidate_nurture.followup_job_size", "10")
    before = last_job_id(api)
    errors = []

    def run_cron():
        try:
            api("ir.cron", "method_direct_trigger", [api.cron])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    # two scheduler runs at once (two servers, or a manual run beside the cron)
    threads = [threading.Thread(target=run_cron) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    jobs = followup_jobs(api, before, fields=("state", "record_ids"))
    queued = sorted(i for job in jobs for i in job["record_ids"])
    assert queued == sorted(enrollments), "each enrolment queued in exactly one job"
    # 16 jobs of 10, one more when the two runs split the backlog unevenly
    assert 16 <= len(jobs) <= 17
    wait_for(lambda: all(j["state"] == "done" for j in followup_jobs(api, before)), 150,
             what="the jobs to be done")
    assert_each_step_once(api, sink, enrollments, "Drain")
    starts = job_starts(server)
    pids = set(pid for job in jobs for pid in starts[job["uuid"]])
    assert all(len(starts[job["uuid"]]) == 1 for job in jobs), "each job ran once"
    assert len(pids) == WORKERS, "both workers ran jobs: %s" % pids
    assert pids <= set(server.worker_pids())


def test_job_killed_half_way_is_requeued_and_sends_each_step_once(server, api, sink):
    talents, enrollments = backlog(api, 160, "Killed")
    # one job for the whole backlog, so that it runs for a while
    api("ir.config_parameter", "set_param", "candidate_nurture.followup_job_size", "160")
    api("ir.config_parameter", "set_param", "candidate_nurture.followup_dead_job_seconds", "2")
    before = last_job_id(api)
    api("ir.cron", "method_direct_trigger", [api.cron])
    (job,) = followup_jobs(api, before)
    pid = wait_for(lambda: job_starts(server).get(job["uuid"]), 60, step=0.05,
                   what="a worker to start the job")[0]
    time.sleep(0.1)  # rendering and queueing its mails
    os.kill(pid, signal.SIGKILL)
    # its transaction died with it: nothing of the batch is kept, and queue_job
    # leaves the job 'started' (it cannot know the worker is gone)
    time.sleep(3)
    assert followup_jobs(api, before)[0]["state"] == "started"
    assert mails_per_enrollment(api, enrollments) == {}
    assert api("hr.talent.enrollment", "search_count", [
        ("id", "in", enrollments), ("state", "=", "running"),
        ("last_step_id", "=", False)]) == len(enrollments)
    # the next scheduler run sees its lock free and requeues it; a new worker runs it
    api("ir.cron", "method_direct_trigger", [api.cron])
    assert len(followup_jobs(api, before)) == 1, "requeued, not queued anew"
    wait_for(lambda: followup_jobs(api, before)[0]["state"] == "done", 120,
             what="the requeued job to be done")
    assert_each_step_once(api, sink, enrollments, "Killed")
    starts = job_starts(server)[job["uuid"]]
    assert len(starts) == 2 and starts[0] == pid and starts[1] != pid
