"""Refusal on a live server: the email that leaves by SMTP and the public feedback page."""
import re

import pytest
import requests

LINK = re.compile(r'href="(http[^"]+/candidate/feedback/[^"?]+)\?answer=(yes|no)"')


@pytest.fixture(scope="module")
def refused(rpc, sink):
    """One applicant refused through the wizard, its email delivered to the sink."""
    stage = rpc("hr.recruitment.stage", "create", {"name": "E2E Screening", "sequence": 0})
    job = rpc("hr.job", "create", {"name": "E2E Data Engineer"})
    applicant = rpc("hr.applicant", "create", {
        "name": "E2E application", "partner_name": "Robin Pages",
        "email_from": "robin.pages@candidates.example", "job_id": job, "stage_id": stage})
    reason = rpc("ir.model.data", "xmlid_to_res_id", "candidate_nurture.refuse_reason_skills_gap")
    template = rpc("ir.model.data", "xmlid_to_res_id", "candidate_nurture.mail_template_refuse_feedback")
    wizard = rpc("hr.applicant.refuse.wizard", "create", {
        "refuse_reason_id": reason, "template_id": template,
        "strengths": "Elegant SQL in the live exercise"},
        context={"active_model": "hr.applicant", "active_ids": [applicant]})
    rpc("hr.applicant.refuse.wizard", "action_refuse", [wizard])
    sink.clear()
    rpc("mail.mail", "process_email_queue")
    received = sink.received_by("robin.pages@candidates.example")
    assert len(received) == 1
    body = sink.body_text(received[0]["message"])
    links = dict((answer, url) for url, answer in LINK.findall(body))
    return {"id": applicant, "body": body, "url": links["yes"]}


def read_answer(rpc, applicant):
    return rpc("hr.applicant", "read", [applicant],
               ["refuse_feedback_helpful", "refuse_feedback_comment"],
               context={"active_test": False})[0]


def test_email_carries_feedback_and_links(refused):
    assert "Elegant SQL in the live exercise" in refused["body"]
    assert refused["url"].startswith("http")


def test_tampered_link_is_not_valid_and_changes_nothing(rpc, odoo_url, refused):
    path = refused["url"].split("/candidate/")[1]
    tampered = odoo_url + "/candidate/" + path[:-2] + ("xx" if not path.endswith("xx") else "yy")
    resp = requests.get(tampered + "?answer=yes", timeout=30)
    assert resp.status_code == 404
    assert "This link is not valid" in resp.text
    assert "Robin" not in resp.text and "E2E Data Engineer" not in resp.text
    forged = odoo_url + "/candidate/feedback/%d-%s" % (refused["id"] + 1, path.split("-", 1)[1])
    assert requests.get(forged, timeout=30).status_code == 404
    assert read_answer(rpc, refused["id"])["refuse_feedback_helpful"] is False


def test_candidate_answers_once(rpc, odoo_url, refused):
    url = odoo_url + "/candidate/" + refused["url"].split("/candidate/")[1]
    session = requests.Session()
    page = session.get(url + "?answer=yes", timeout=30)
    assert page.status_code == 200
    assert "E2E Data Engineer" in page.text
    assert 'value="yes" checked' in page.text
    assert read_answer(rpc, refused["id"])["refuse_feedback_helpful"] is False, \
        "opening the link (e.g. by a mail scanner) records nothing"
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = session.post(url, data={"csrf_token": csrf, "answer": "yes",
                                   "comment": "The resources list was great"}, timeout=30)
    assert done.status_code == 200
    assert "Thank you" in done.text
    answer = read_answer(rpc, refused["id"])
    assert answer["refuse_feedback_helpful"] == "yes"
    assert answer["refuse_feedback_comment"] == "The resources list was great"
    # the genuine link, used: "you already answered", and nothing is recorded again
    again = session.post(url, data={"csrf_token": csrf, "answer": "no"}, timeout=30)
    assert again.status_code == 409
    assert "You already answered, thank you" in again.text
    assert "not valid" not in again.text
    assert read_answer(rpc, refused["id"])["refuse_feedback_helpful"] == "yes"
    reopened = requests.get(url + "?answer=no", timeout=30)
    assert reopened.status_code == 200
    assert "You already answered, thank you" in reopened.text
    assert "not valid" not in reopened.text and "expired" not in reopened.text
    assert 'name="answer"' not in reopened.text, "no form to answer a second time"
    # an altered copy of the used link stays "not valid" (404)
    altered = url[:-2] + ("xx" if not url.endswith("xx") else "yy")
    resp = requests.get(altered, timeout=30)
    assert resp.status_code == 404 and "This link is not valid" in resp.text
    assert "already answered" not in resp.text
