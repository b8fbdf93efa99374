"""Every public route on a live server, tested as the attack (issue 14).

Observations 1 (links for anyone over JSON-RPC), 10 (non-ASCII tokens gave
500), 13 (any department id stored), 14 (stop link: purpose, headers, what it
cancels), 15 (the candidate's actions logged as the administrator's); plus the
statuses of every route (404 not valid, 410 over, 400 bad form) and *Download
my data*. Each test builds its own person, so they run in any order.
"""
import datetime
import itertools
import json
import os
import re
import uuid

import pytest
import requests

DB = os.environ.get("NURTURE_TEST_DB", "nurture_test")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STOP_LINK = re.compile(r'href="(http[^"]+/candidate/stop/[^"?]+)"')
COUNTER = itertools.count(1)
RUN = uuid.uuid4().hex[:6]  # names, emails and logins unique to this run

# (method, path pattern, purpose of the token it takes)
ROUTES = [
    ("GET", "/candidate/me/%s", "page"),
    ("POST", "/candidate/me/%s", "page"),
    ("POST", "/candidate/me/%s/data", "page"),
    ("GET", "/candidate/stop/%s", "stop"),
    ("POST", "/candidate/stop/%s", "stop"),
    ("GET", "/candidate/feedback/%s", "feedback"),
    ("POST", "/candidate/feedback/%s", "feedback"),
    ("GET", "/candidate/event/%s", "event"),
    ("POST", "/candidate/event/%s", "event"),
]
# what a POST would change if the token were accepted
POST_DATA = {"page": {"action": "withdraw"}, "stop": {}, "feedback": {"answer": "no"},
             "event": {"answer": "decline"}}


def _dt(hours):
    return (datetime.datetime.utcnow() + datetime.timedelta(hours=hours)).strftime(
        "%Y-%m-%d %H:%M:%S")


def token_of(url):
    return url.split("?", 1)[0].rsplit("/", 1)[1]


def local(odoo_url, url):
    """The server's web.base.url may differ from the test server's port."""
    return odoo_url + "/candidate/" + url.split("/candidate/", 1)[1]


def jsonrpc(odoo_url, service, method, *args):
    """(result, error name) of a raw JSON-RPC call."""
    resp = requests.post(odoo_url + "/jsonrpc", json={
        "jsonrpc": "2.0", "method": "call", "id": 1,
        "params": {"service": service, "method": method, "args": list(args)}}, timeout=120)
    resp.raise_for_status()
    data = resp.json()
    if data.get("error"):
        return None, data["error"]["data"]["name"]
    return data["result"], None


def make_person(rpc, sink, partner=True, refuse=True, invite=True, **refusal):
    """A candidate refused through the wizard and invited to an event; their links."""
    n = next(COUNTER)
    name = "Pat Routes%d %s" % (n, RUN)
    email = "pat.routes%d.%s@candidates.example" % (n, RUN)
    job = rpc("hr.job", "create", {"name": "E2E Routes Engineer %d" % n})
    vals = {"name": "E2E routes application %d" % n, "partner_name": name,
            "email_from": email, "job_id": job}
    partner_id = False
    if partner:
        partner_id = rpc("res.partner", "create", {"name": name, "email": email})
        vals["partner_id"] = partner_id
    applicant = rpc("hr.applicant", "create", vals)
    talent = rpc("hr.applicant", "read", [applicant], ["talent_id"])[0]["talent_id"][0]
    # consent recorded as a recruiter does it (Record Consent, with how it was given)
    wizard = rpc("hr.talent.consent.wizard", "create", {
        "talent_ids": [(6, 0, [talent])], "state": "given",
        "note": "Agreed at the interview (end-to-end test)."})
    rpc("hr.talent.consent.wizard", "action_record", [wizard])
    person = {"name": name, "email": email, "applicant": applicant, "talent": talent,
              "partner": partner_id, "job": "E2E Routes Engineer %d" % n}
    if refuse:
        values = {"refuse_reason_id": rpc("ir.model.data", "xmlid_to_res_id",
                                          "candidate_nurture.refuse_reason_skills_gap"),
                  "template_id": rpc("ir.model.data", "xmlid_to_res_id",
                                     "candidate_nurture.mail_template_refuse_feedback"),
                  "strengths": "Careful answers in the exercise %d" % n,
                  # whatever stage it is in: personal feedback is never missing
                  "personal_message": "Your walkthrough of the billing migration in the "
                                      "second round was the clearest we heard this year."}
        values.update(refusal)
        wizard = rpc("hr.applicant.refuse.wizard", "create", values,
                     context={"active_model": "hr.applicant", "active_ids": [applicant]})
        rpc("hr.applicant.refuse.wizard", "action_refuse", [wizard])
        person["feedback"] = rpc("hr.applicant", "get_refuse_feedback_url", [applicant], "yes")
    if invite:
        event = rpc("event.event", "create", {
            "name": "E2E Routes Open House %d" % n, "date_begin": _dt(24 * 5),
            "date_end": _dt(24 * 5 + 2), "seats_availability": "unlimited"})
        rpc("event.event", "button_confirm", [event])
        wizard = rpc("hr.talent.invite.wizard", "create", {"event_id": event},
                     context={"active_model": "hr.talent", "active_ids": [talent]})
        rpc("hr.talent.invite.wizard", "action_send", [wizard])
        invitation = rpc("hr.talent.invitation", "search",
                         [("talent_id", "=", talent), ("event_id", "=", event)])[0]
        person.update(event=event, invitation=invitation,
                      event_name="E2E Routes Open House %d" % n,
                      event_url=rpc("hr.talent.invitation", "get_answer_url", [invitation],
                                    "accept"))
    person["page"] = rpc("hr.talent", "get_candidate_page_url", [talent])
    person["stop"] = rpc("hr.talent", "get_stop_url", [talent])
    person["tokens"] = {"page": token_of(person["page"]), "stop": token_of(person["stop"])}
    if refuse:
        person["tokens"]["feedback"] = token_of(person["feedback"])
    if invite:
        person["tokens"]["event"] = token_of(person["event_url"])
    return person


def session_with_csrf(odoo_url, person):
    session = requests.Session()
    page = session.get(local(odoo_url, person["page"]), timeout=30)
    assert page.status_code == 200
    return session, CSRF.search(page.text).group(1)


def state_of(rpc, person):
    """Everything a refused request must leave unchanged."""
    talent = rpc("hr.talent", "read", [person["talent"]],
                 ["consent_state", "interest_department_ids"])[0]
    state = {"consent": talent["consent_state"],
             "departments": talent["interest_department_ids"]}
    if "feedback" in person:
        state["feedback"] = rpc("hr.applicant", "read", [person["applicant"]],
                                ["refuse_feedback_helpful"])[0]["refuse_feedback_helpful"]
    if "invitation" in person:
        state["invitation"] = rpc("hr.talent.invitation", "read", [person["invitation"]],
                                  ["state"])[0]["state"]
    return state


def hit(session, csrf, odoo_url, method, pattern, token, purpose):
    url = odoo_url + pattern % token
    if method == "GET":
        return session.get(url, timeout=60)
    data = dict(POST_DATA[purpose])
    if purpose != "stop":
        data["csrf_token"] = csrf
    return session.post(url, data=data, timeout=60)


@pytest.fixture(scope="module")
def person(rpc, sink):
    return make_person(rpc, sink)


# ----------------------------------------------------------------------
# Observation 1: links for anyone, over JSON-RPC
# ----------------------------------------------------------------------
def test_portal_user_and_other_company_officer_cannot_mint_links_over_jsonrpc(
        rpc, odoo_url, person):
    portal_group = rpc("ir.model.data", "xmlid_to_res_id", "base.group_portal")
    officer_group = rpc("ir.model.data", "xmlid_to_res_id",
                        "hr_recruitment.group_hr_recruitment_user")
    other_company = rpc("res.company", "create", {"name": "E2E Routes Other Company %s" % RUN})
    users = {
        "portal": rpc("res.users", "create", {
            "name": "E2E Portal", "login": "e2e_routes_portal_" + RUN, "password": "portal-pass-1",
            "groups_id": [(6, 0, [portal_group])]}, context={"no_reset_password": True}),
        "officer": rpc("res.users", "create", {
            "name": "E2E Officer B", "login": "e2e_routes_officer_b_" + RUN,
            "password": "officer-pass-1", "company_id": other_company,
            "company_ids": [(6, 0, [other_company])], "groups_id": [(6, 0, [officer_group])]},
            context={"no_reset_password": True}),
    }
    calls = [("hr.talent", "get_candidate_page_url", [[person["talent"]]]),
             ("hr.talent", "get_stop_url", [[person["talent"]]]),
             ("hr.talent.invitation", "get_answer_url", [[person["invitation"]], "accept"]),
             ("hr.applicant", "get_refuse_feedback_url", [[person["applicant"]], "yes"])]
    for login, password in (("e2e_routes_portal_" + RUN, "portal-pass-1"),
                            ("e2e_routes_officer_b_" + RUN, "officer-pass-1")):
        uid, error = jsonrpc(odoo_url, "common", "login", DB, login, password)
        assert uid and not error
        for model, method, args in calls:
            result, error = jsonrpc(odoo_url, "object", "execute_kw", DB, uid, password,
                                    model, method, args)
            assert result is None and error == "odoo.exceptions.AccessError", \
                (login, method, result)
    assert users


# ----------------------------------------------------------------------
# Observation 10 and 404 on every route: malformed, altered, forged tokens
# ----------------------------------------------------------------------
def test_malformed_and_non_ascii_tokens_are_404_on_every_route(rpc, odoo_url, person):
    session, csrf = session_with_csrf(odoo_url, person)
    before = state_of(rpc, person)
    for method, pattern, purpose in ROUTES:
        token = person["tokens"][purpose]
        head, signature = token.split("-", 1)
        for bad in ("²-" + signature, "١-" + signature, head + "²-" + signature,
                    "١٢-" + signature, "9" * 5000 + "-" + signature, "%ff%fe", "%00",
                    "1-", "abc", "-", head + "-" + signature[:-1] + "%C3%A9",
                    token[:-2] + ("xx" if not token.endswith("xx") else "yy"),
                    "%d-%s" % (int(head) + 1, signature)):
            resp = hit(session, csrf, odoo_url, method, pattern, bad, purpose)
            assert resp.status_code == 404, (method, pattern, bad[:30], resp.status_code)
            assert "This link is not valid" in resp.text
            assert person["name"] not in resp.text
    assert state_of(rpc, person) == before, "a refused request changes nothing"


def test_a_token_of_one_purpose_opens_no_other_page(rpc, odoo_url, person):
    session, csrf = session_with_csrf(odoo_url, person)
    before = state_of(rpc, person)
    for method, pattern, purpose in ROUTES:
        for other, token in person["tokens"].items():
            if other == purpose:
                continue
            resp = hit(session, csrf, odoo_url, method, pattern, token, purpose)
            assert resp.status_code == 404, (method, pattern, other)
            assert person["name"] not in resp.text
    assert state_of(rpc, person) == before


# ----------------------------------------------------------------------
# 410 when the link is over, 400 for a bad form; nothing changes
# ----------------------------------------------------------------------
def test_expired_feedback_link_is_410_and_records_nothing(rpc, odoo_url, sink):
    person = make_person(rpc, sink, invite=False)
    rpc("hr.applicant", "write", [person["applicant"]], {"refuse_date": _dt(-24 * 91)})
    url = local(odoo_url, person["feedback"])
    page = requests.get(url, timeout=30)
    assert page.status_code == 410 and "This link has expired" in page.text
    session, csrf = session_with_csrf(odoo_url, person)
    done = session.post(url.split("?")[0], data={"csrf_token": csrf, "answer": "yes"},
                        timeout=30)
    assert done.status_code == 410
    assert state_of(rpc, person)["feedback"] is False
    # the company setting decides: 120 days, and the same link works again
    company = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"][0]
    rpc("res.company", "write", [company], {"nurture_feedback_link_days": 120})
    try:
        assert requests.get(url, timeout=30).status_code == 200
    finally:
        rpc("res.company", "write", [company], {"nurture_feedback_link_days": 90})


def test_finished_event_link_is_410_and_records_nothing(rpc, odoo_url, sink):
    person = make_person(rpc, sink, refuse=False)
    rpc("event.event", "write", [person["event"]],
        {"date_begin": _dt(-50), "date_end": _dt(-48)})
    url = local(odoo_url, person["event_url"])
    page = requests.get(url, timeout=30)
    assert page.status_code == 410 and "This event is over" in page.text
    assert 'value="accept"' not in page.text
    session, csrf = session_with_csrf(odoo_url, person)
    done = session.post(url.split("?")[0], data={"csrf_token": csrf, "answer": "accept"},
                        timeout=30)
    assert done.status_code == 410
    assert state_of(rpc, person)["invitation"] == "invited"


def test_bad_forms_are_400_and_change_nothing(rpc, odoo_url, person):
    session, csrf = session_with_csrf(odoo_url, person)
    before = state_of(rpc, person)
    for url, data in (
            (person["page"], {"action": "nonsense"}),
            (person["feedback"], {"answer": "maybe"}),
            (person["feedback"], {"answer": "yes", "comment": "x" * 2001}),
            (person["event_url"], {"answer": "²"})):
        resp = session.post(local(odoo_url, url).split("?")[0],
                            data=dict(data, csrf_token=csrf), timeout=30)
        assert resp.status_code == 400, (url, data)
    assert state_of(rpc, person) == before


# ----------------------------------------------------------------------
# Observation 13: departments
# ----------------------------------------------------------------------
def test_page_stores_only_departments_it_offers(rpc, odoo_url, sink):
    person = make_person(rpc, sink, refuse=False, invite=False)
    other_company = rpc("res.company", "create", {"name": "E2E Routes Dept Company %s" % RUN})
    foreign = rpc("hr.department", "create", {"name": "E2E Foreign Dept", "nurture_public": True,
                                              "company_id": other_company})
    own = rpc("hr.department", "create", {"name": "E2E Own Dept", "nurture_public": True})
    # an internal department (not shown to candidates): neither listed nor accepted
    internal = rpc("hr.department", "create", {"name": "E2E Internal Dept"})
    session, csrf = session_with_csrf(odoo_url, person)
    page = session.get(local(odoo_url, person["page"]), timeout=30)
    assert "E2E Own Dept" in page.text and "E2E Foreign Dept" not in page.text
    assert "E2E Internal Dept" not in page.text
    for posted in ([foreign], [own, foreign], [internal], [own, internal], ["²"], ["١"],
                   [str(own) + "²"], ["-1"],
                   ["1e3"], ["x"]):
        resp = session.post(local(odoo_url, person["page"]), data={
            "csrf_token": csrf, "action": "departments", "department_ids": posted}, timeout=30)
        assert resp.status_code == 400, posted
        assert "Nothing was changed" in resp.text
        assert state_of(rpc, person)["departments"] == [], posted
    resp = session.post(local(odoo_url, person["page"]), data={
        "csrf_token": csrf, "action": "departments", "department_ids": [own]}, timeout=30)
    assert resp.status_code == 200
    assert state_of(rpc, person)["departments"] == [own]


# ----------------------------------------------------------------------
# Observation 14: the stop link
# ----------------------------------------------------------------------
def test_refusal_and_invitation_carry_stop_link_and_headers(rpc, odoo_url, sink):
    sink.clear()
    person = make_person(rpc, sink)
    rpc("mail.mail", "process_email_queue")
    received = sink.received_by(person["email"])
    subjects = sorted(m["message"]["Subject"] for m in received)
    assert len(received) == 2, subjects
    for item in received:
        message = item["message"]
        header = message["List-Unsubscribe"]
        assert header and header.startswith("<") and header.endswith(">"), subjects
        assert token_of(header[1:-1]) == person["tokens"]["stop"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        links = STOP_LINK.findall(sink.body_text(message))
        assert [token_of(link) for link in links] == [person["tokens"]["stop"]], \
            message["Subject"]
    # the one-click address opens no candidate page
    one_click = local(odoo_url, received[0]["message"]["List-Unsubscribe"][1:-1])
    assert requests.get(one_click.replace("/candidate/stop/", "/candidate/me/"),
                        timeout=30).status_code == 404
    resp = requests.post(one_click, data={"List-Unsubscribe": "One-Click"}, timeout=30)
    assert resp.status_code == 200
    assert state_of(rpc, person)["consent"] == "withdrawn"


def test_stop_cancels_the_scheduled_refusal_and_everything_queued(rpc, odoo_url, sink):
    person = make_person(rpc, sink, send_mode="later", scheduled_date=_dt(1))
    applicant = rpc("hr.applicant", "read", [person["applicant"]],
                    ["refuse_mail_id", "refuse_email_state"])[0]
    assert applicant["refuse_email_state"] == "scheduled"
    queued = rpc("mail.mail", "search", [
        ("state", "=", "outgoing"), "|", "&", ("model", "=", "hr.talent"),
        ("res_id", "=", person["talent"]), ("id", "=", applicant["refuse_mail_id"][0])])
    assert len(queued) == 2, "the scheduled refusal and the invitation wait in the queue"
    stop = local(odoo_url, person["stop"])
    confirm = requests.get(stop, timeout=30)
    assert confirm.status_code == 200 and state_of(rpc, person)["consent"] == "given", \
        "opening the link (a mail scanner) changes nothing"
    done = requests.post(stop, data={"List-Unsubscribe": "One-Click"}, timeout=30)
    assert done.status_code == 200
    assert "You will not hear from us again" in done.text and "2 email(s) cancelled" in done.text
    assert set(m["state"] for m in rpc("mail.mail", "read", queued, ["state"])) == {"cancel"}
    assert rpc("hr.applicant", "read", [person["applicant"]], ["refuse_email_state"])[0][
        "refuse_email_state"] == "cancelled"
    sink.clear()
    rpc("mail.mail", "process_email_queue")
    assert sink.received_by(person["email"]) == [], "the stop page told the truth"


# ----------------------------------------------------------------------
# Observation 15: attribution
# ----------------------------------------------------------------------
def notes(rpc, model, res_id, since):
    return rpc("mail.message", "search_read", [
        ("model", "=", model), ("res_id", "=", res_id), ("id", ">", since),
        ("message_type", "=", "notification")], ["body", "author_id", "email_from"])


def test_what_the_candidate_does_is_logged_as_theirs(rpc, odoo_url, sink):
    person = make_person(rpc, sink)
    mark = rpc("mail.message", "search", [], limit=1, order="id desc")[0]
    admin_partner = rpc("res.users", "read", [rpc.uid], ["partner_id"])[0]["partner_id"][0]
    own = rpc("hr.department", "create", {"name": "E2E Attribution Dept", "nurture_public": True})
    session, csrf = session_with_csrf(odoo_url, person)
    page = local(odoo_url, person["page"])
    for data in ({"action": "give"}, {"action": "departments", "department_ids": [own]}):
        assert session.post(page, data=dict(data, csrf_token=csrf), timeout=30).status_code == 200
    assert session.post(local(odoo_url, person["feedback"]).split("?")[0], data={
        "csrf_token": csrf, "answer": "yes", "comment": "Kind and useful"},
        timeout=30).status_code == 200
    assert session.post(local(odoo_url, person["event_url"]).split("?")[0], data={
        "csrf_token": csrf, "answer": "accept"}, timeout=30).status_code == 200
    assert requests.post(local(odoo_url, person["stop"]), timeout=30).status_code == 200
    written = notes(rpc, "hr.talent", person["talent"], mark) + notes(
        rpc, "hr.applicant", person["applicant"], mark)
    for text in ("Given", "departments of interest", "helpful", "accepted the invitation",
                 "Withdrawn"):
        mine = [n for n in written if text in (n["body"] or "")]
        assert mine, text
        assert all(n["author_id"] and n["author_id"][0] == person["partner"] for n in mine), \
            (text, mine)
    assert not [n for n in written if n["author_id"] and n["author_id"][0] == admin_partner]


def test_without_a_contact_the_candidates_email_signs(rpc, odoo_url, sink):
    person = make_person(rpc, sink, partner=False, invite=False)
    mark = rpc("mail.message", "search", [], limit=1, order="id desc")[0]
    session, csrf = session_with_csrf(odoo_url, person)
    assert session.post(local(odoo_url, person["feedback"]).split("?")[0], data={
        "csrf_token": csrf, "answer": "no"}, timeout=30).status_code == 200
    (note,) = [n for n in notes(rpc, "hr.applicant", person["applicant"], mark)
               if "helpful" in n["body"]]
    assert note["author_id"] is False and person["email"] in note["email_from"]


# ----------------------------------------------------------------------
# Data access: the page and Download my data
# ----------------------------------------------------------------------
def test_page_lists_everything_kept_and_download_my_data(rpc, odoo_url, sink):
    person = make_person(rpc, sink)
    other = make_person(rpc, sink, refuse=False, invite=False)
    session, csrf = session_with_csrf(odoo_url, person)
    page = session.get(local(odoo_url, person["page"]), timeout=30)
    for text in (person["name"], person["email"], person["job"], "Skills do not match the role yet",
                 person["event_name"], "Careful answers in the exercise", "Download my data"):
        assert text in page.text, text
    assert other["name"] not in page.text
    data_url = local(odoo_url, person["page"]) + "/data"
    resp = session.post(data_url, data={"csrf_token": csrf}, timeout=30)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    assert "attachment" in resp.headers["Content-Disposition"]
    assert resp.headers["Cache-Control"] == "no-store"
    data = resp.json()
    assert data["contact"]["name"] == person["name"]
    assert data["applications"][0]["job"] == person["job"]
    assert data["applications"][0]["refusal"]["strengths"] == [
        "Careful answers in the exercise %s" % person["job"].rsplit(" ", 1)[1]]
    assert [event["event"] for event in data["events"]] == [person["event_name"]]
    assert other["name"] not in json.dumps(data)

    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)
    assert not [k for k in keys(data) if k == "id" or k.endswith("_id")]
    # the stop token downloads nothing, nor does a request without the form's CSRF token
    stop_data = odoo_url + "/candidate/me/%s/data" % person["tokens"]["stop"]
    assert session.post(stop_data, data={"csrf_token": csrf}, timeout=30).status_code == 404
    assert requests.post(data_url, timeout=30).status_code == 400
