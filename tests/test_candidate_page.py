"""Candidate page and follow-up scheduler on a live server: real HTTP, real cursors."""
import re
import threading

import pytest
import requests


def local(odoo_url, url):
    """The server's web.base.url may differ from the test server's port."""
    return odoo_url + "/candidate/" + url.split("/candidate/", 1)[1]


@pytest.fixture(scope="module")
def talent(rpc, record_consent):
    pool = rpc("hr.talent.pool", "create", {"name": "E2E Backend pool"})
    talent_id = rpc("hr.talent", "create", {
        "name": "Paige Candidate", "email": "paige@candidates.example",
        "pool_ids": [(6, 0, [pool])]})
    record_consent([talent_id])
    yield talent_id


def read(rpc, talent_id, fields):
    return rpc("hr.talent", "read", [talent_id], fields)[0]


def test_page_shows_what_we_keep_and_tampering_is_rejected(rpc, odoo_url, talent):
    url = local(odoo_url, rpc("hr.talent", "get_candidate_page_url", [talent]))
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    for text in ("Paige Candidate", "paige@candidates.example",
                 "You agreed that we contact you about future opportunities, until",
                 "list of people we think of first"):
        assert text in page.text
    # issue 10: no internal pool name nor consent state word on the candidate's page
    assert "E2E Backend pool" not in page.text and ">Given<" not in page.text
    tampered = requests.get(url[:-2] + ("xx" if not url.endswith("xx") else "yy"), timeout=30)
    assert tampered.status_code == 404 and "This link is not valid" in tampered.text
    assert "Paige" not in tampered.text
    forged = re.sub(r"/(\d+)-", lambda m: "/%d-" % (int(m.group(1)) + 1), url)
    assert requests.get(forged, timeout=30).status_code == 404
    assert requests.post(forged, data={"action": "withdraw"}, timeout=30).status_code in (400, 404)
    assert read(rpc, talent, ["consent_state"])["consent_state"] == "given"


def test_withdrawal_on_the_page_cancels_queued_mail(rpc, odoo_url, talent):
    template = rpc("ir.model.data", "xmlid_to_res_id",
                   "candidate_nurture.mail_template_followup_news")
    seq = rpc("hr.talent.sequence", "create", {
        "name": "E2E now", "step_ids": [
            (0, 0, {"sequence": 1, "name": "News", "delay_days": 0, "action": "mail",
                    "template_id": template}),
            (0, 0, {"sequence": 2, "name": "Later", "delay_days": 30, "action": "mail",
                    "template_id": template})]})
    enrollment = rpc("hr.talent.enrollment", "create", {"talent_id": talent, "sequence_id": seq})
    cron = rpc("ir.model.data", "xmlid_to_res_id", "candidate_nurture.ir_cron_talent_followup")
    rpc("ir.cron", "method_direct_trigger", [cron])
    mails = rpc("mail.mail", "search_read", [("nurture_enrollment_id", "=", enrollment)],
                ["state"])
    assert [m["state"] for m in mails] == ["outgoing"]
    session = requests.Session()
    url = local(odoo_url, rpc("hr.talent", "get_candidate_page_url", [talent]))
    page = session.get(url, timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = session.post(url, data={"csrf_token": csrf, "action": "withdraw"}, timeout=30)
    assert done.status_code == 200 and "will not contact you" in done.text
    assert read(rpc, talent, ["consent_state", "is_contactable"]) == {
        "id": talent, "consent_state": "withdrawn", "is_contactable": False}
    assert rpc("mail.mail", "read", [mails[0]["id"]], ["state"])[0]["state"] == "cancel"
    state = rpc("hr.talent.enrollment", "read", [enrollment], ["state", "stop_reason"])[0]
    assert (state["state"], state["stop_reason"]) == ("stopped", "consent_withdrawn")



def test_after_a_withdrawal_the_page_offers_no_consent_and_refuses_it(rpc, odoo_url, talent):
    """A withdrawal is final for the system: the page neither offers nor takes it back."""
    assert read(rpc, talent, ["consent_state"])["consent_state"] == "withdrawn"
    session = requests.Session()
    url = local(odoo_url, rpc("hr.talent", "get_candidate_page_url", [talent]))
    page = session.get(url, timeout=30)
    assert page.status_code == 200
    assert 'value="give"' not in page.text and "tell the recruiter" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    again = session.post(url, data={"csrf_token": csrf, "action": "give"}, timeout=30)
    assert again.status_code == 409 and "Nothing was changed" in again.text
    assert "Thank you" not in again.text
    assert read(rpc, talent, ["consent_state", "is_contactable"]) == {
        "id": talent, "consent_state": "withdrawn", "is_contactable": False}

def test_one_click_stop_link(rpc, odoo_url, record_consent):
    other = rpc("hr.talent", "create", {"name": "Stan Stop", "email": "stan@candidates.example"})
    record_consent([other])
    url = local(odoo_url, rpc("hr.talent", "get_stop_url", [other]))
    confirm = requests.get(url, timeout=30)
    assert confirm.status_code == 200
    assert read(rpc, other, ["consent_state"])["consent_state"] == "given", \
        "opening the link (a mail scanner) changes nothing"
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, no CSRF token
    done = requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=30)
    assert done.status_code == 200
    assert read(rpc, other, ["consent_state"])["consent_state"] == "withdrawn"


def test_two_concurrent_cron_runs_send_each_step_once(rpc, record_consent):
    template = rpc("ir.model.data", "xmlid_to_res_id",
                   "candidate_nurture.mail_template_followup_checkin")
    seq = rpc("hr.talent.sequence", "create", {
        "name": "E2E concurrent", "step_ids": [(0, 0, {"name": "Check-in", "delay_days": 0,
                                                       "action": "mail",
                                                       "template_id": template})]})
    talents = []
    for index in range(60):
        tid = rpc("hr.talent", "create", {"name": "Conc %d" % index,
                                          "email": "conc%d@candidates.example" % index})
        talents.append(tid)
    record_consent(talents)
    enrollments = [rpc("hr.talent.enrollment", "create", {"talent_id": t, "sequence_id": seq})
                   for t in talents]
    cron = rpc("ir.model.data", "xmlid_to_res_id", "candidate_nurture.ir_cron_talent_followup")
    errors = []

    def run():
        try:
            rpc("ir.cron", "method_direct_trigger", [cron])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    mails = rpc("mail.mail", "search_read", [("nurture_enrollment_id", "in", enrollments)],
                ["nurture_enrollment_id"])
    per_enrollment = {}
    for mail in mails:
        per_enrollment.setdefault(mail["nurture_enrollment_id"][0], 0)
        per_enrollment[mail["nurture_enrollment_id"][0]] += 1
    assert per_enrollment == dict((e, 1) for e in enrollments)
    done = rpc("hr.talent.enrollment", "search_count",
               [("id", "in", enrollments), ("state", "=", "done")])
    assert done == len(enrollments)
    # committed data of this test is removed
    rpc("mail.mail", "unlink", [m["id"] for m in mails])
    rpc("hr.talent", "unlink", talents)
    rpc("hr.talent.sequence", "unlink", [seq])
