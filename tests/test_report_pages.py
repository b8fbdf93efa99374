"""Click measurement on a live server: the tracked link in an email that left by
SMTP, a link checker's HEAD, a forged token, and the funnel it feeds."""
import re

import pytest
import requests

# this server runs no queue_job runner: the follow-up jobs the scheduler queues
# run at once, in the cron's transaction (queue_job's own switch for tests);
# tests/test_followup_jobs.py runs them through the runner and prefork workers
FOLLOWUPS_NOW = {"test_queue_job_no_delay": True}

TRACKED = re.compile(r'href="(http[^"]+/r/([A-Za-z0-9]+)/n/([0-9]+-[A-Za-z0-9_-]+))"')


def local(odoo_url, url, marker):
    """The server's web.base.url may differ from the test server's port."""
    return odoo_url + marker + url.split(marker, 1)[1]


@pytest.fixture(scope="module")
def followed_up(rpc, sink):
    """A refused candidate who agreed to hear from us, and the follow-up email
    (with a link to our jobs page) that reached them."""
    reason = rpc("ir.model.data", "xmlid_to_res_id", "candidate_nurture.refuse_reason_experience")
    model = rpc("ir.model", "search", [("model", "=", "hr.talent")])[0]
    template = rpc("mail.template", "create", {
        "name": "E2E openings", "model_id": model, "subject": "E2E openings",
        "email_to": "${object.email | safe}", "auto_delete": False,
        "body_html": '<p>See <a href="/jobs/detail/3?utm_medium=email">our openings</a>.</p>'})
    sequence = rpc("hr.talent.sequence", "create", {
        "name": "E2E clicks", "refuse_reason_ids": [(6, 0, [reason])],
        "step_ids": [(0, 0, {"name": "Openings", "delay_days": 0, "action": "mail",
                             "template_id": template})]})
    job = rpc("hr.job", "create", {"name": "E2E Click Analyst"})
    applicant = rpc("hr.applicant", "create", {
        "name": "E2E click application", "partner_name": "Cleo Clicks",
        "email_from": "cleo.clicks@candidates.example", "job_id": job})
    refuse_template = rpc("ir.model.data", "xmlid_to_res_id",
                          "candidate_nurture.mail_template_refuse_feedback")
    wizard = rpc("hr.applicant.refuse.wizard", "create", {
        "refuse_reason_id": reason, "template_id": refuse_template,
        "strengths": "Sharp questions about our data model"},
        context={"active_model": "hr.applicant", "active_ids": [applicant]})
    rpc("hr.applicant.refuse.wizard", "action_refuse", [wizard])
    talent = rpc("hr.applicant", "read", [applicant], ["talent_id"],
                 context={"active_test": False})[0]["talent_id"][0]
    wizard = rpc("hr.talent.consent.wizard", "create", {
        "talent_ids": [(6, 0, [talent])], "state": "given", "note": "Said yes on the phone."})
    rpc("hr.talent.consent.wizard", "action_record", [wizard])
    cron = rpc("ir.model.data", "xmlid_to_res_id", "candidate_nurture.ir_cron_talent_followup")
    rpc("ir.cron", "method_direct_trigger", [cron], context=FOLLOWUPS_NOW)
    sink.clear()
    rpc("mail.mail", "process_email_queue")
    bodies = [sink.body_text(m["message"]) for m in sink.received_by("cleo.clicks@candidates.example")
              if m["message"]["Subject"] == "E2E openings"]
    assert len(bodies) == 1
    yield {"talent": talent, "body": bodies[0], "sequence": sequence}
    rpc("hr.talent.sequence", "unlink", [sequence])


def funnel(rpc, talent):
    return rpc("hr.talent.funnel", "search_read", [("talent_id", "=", talent)],
               ["contacted_date", "engaged_date", "engaged_kind"])[0]


def clicks(rpc, code):
    link = rpc("link.tracker.code", "search_read", [("code", "=", code)], ["link_id"])
    return rpc("link.tracker.click", "search_read", [("link_id", "=", link[0]["link_id"][0])],
               ["ip", "nurture_mail_id"])


def test_click_on_a_tracked_link_counts_once_and_engages(rpc, odoo_url, followed_up):
    match = TRACKED.search(followed_up["body"])
    assert match, "our jobs link goes through link_tracker"
    assert "<img" not in followed_up["body"], "no open-tracking pixel by default"
    url = local(odoo_url, match.group(1), "/r/")
    before = funnel(rpc, followed_up["talent"])
    assert before["contacted_date"] and not before["engaged_date"]

    probe = requests.head(url, allow_redirects=False, timeout=30)
    assert probe.status_code == 301
    assert clicks(rpc, match.group(2)) == [], "a link checker's HEAD counts nothing"

    resp = requests.get(url, allow_redirects=False, timeout=30)
    assert resp.status_code == 301
    assert resp.headers["Location"].endswith("/jobs/detail/3?utm_medium=email")
    requests.get(url, allow_redirects=False, timeout=30)
    counted = clicks(rpc, match.group(2))
    assert len(counted) == 1, "one click per email"
    assert counted[0]["ip"] is False, "no IP address stored"
    after = funnel(rpc, followed_up["talent"])
    assert after["engaged_kind"] == "clicked" and after["engaged_date"]
    engaged = rpc("hr.talent.engagement", "search_read",
                  [("talent_id", "=", followed_up["talent"])], ["kind", "sequence_id"])
    assert [(e["kind"], e["sequence_id"][0]) for e in engaged] == [
        ("clicked", followed_up["sequence"])]


def test_forged_click_redirects_without_counting(rpc, odoo_url, followed_up):
    match = TRACKED.search(followed_up["body"])
    url = local(odoo_url, match.group(1), "/r/")
    forged = url[:-2] + ("xx" if not url.endswith("xx") else "yy")
    resp = requests.get(forged, allow_redirects=False, timeout=30)
    assert resp.status_code == 301, "the candidate still reaches the page"
    assert len(clicks(rpc, match.group(2))) == 1
    unknown = requests.get(odoo_url + "/r/nosuchcode/n/" + match.group(3),
                           allow_redirects=False, timeout=30)
    assert unknown.status_code == 404


def test_candidate_page_visit_engages_but_a_probe_does_not(rpc, odoo_url):
    talent = rpc("hr.talent", "create", {"name": "Vic Visit", "email": "vic@candidates.example"})
    url = local(odoo_url, rpc("hr.talent", "get_candidate_page_url", [talent]), "/candidate/")
    assert requests.head(url, timeout=30).status_code == 200
    count = lambda: rpc("hr.talent.engagement", "search_count", [("talent_id", "=", talent)])  # noqa: E731
    assert count() == 0
    assert requests.get(url, timeout=30).status_code == 200
    assert count() == 1
