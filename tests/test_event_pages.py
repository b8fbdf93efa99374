"""Open-house invitations on a live server: the email by SMTP and the public answer page."""
import datetime
import re

import pytest
import requests

LINK = re.compile(r'href="(http[^"]+/candidate/event/[^"?]+)\?answer=(accept|decline)"')


def _dt(hours):
    return (datetime.datetime.utcnow() + datetime.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def _event(rpc, name, **values):
    vals = {"name": name, "date_begin": _dt(24 * 10), "date_end": _dt(24 * 10 + 3),
            "seats_availability": "unlimited"}
    vals.update(values)
    event = rpc("event.event", "create", vals)
    rpc("event.event", "button_confirm", [event])
    return event


def _invite(rpc, sink, event, talents):
    """Invite through the wizard, run the mail queue, return {email: accept url}."""
    wizard = rpc("hr.talent.invite.wizard", "create", {"event_id": event},
                 context={"active_model": "hr.talent", "active_ids": talents})
    rpc("hr.talent.invite.wizard", "action_send", [wizard])
    sink.clear()
    rpc("mail.mail", "process_email_queue")
    urls = {}
    for talent in rpc("hr.talent", "read", talents, ["email"]):
        received = sink.received_by(talent["email"])
        assert len(received) == 1
        body = sink.body_text(received[0]["message"])
        links = dict((answer, url) for url, answer in LINK.findall(body))
        assert set(links) == {"accept", "decline"}
        urls[talent["id"]] = links["accept"]
    return urls


def _local(odoo_url, url):
    return odoo_url + "/candidate/" + url.split("/candidate/", 1)[1]


def _invitation(rpc, talent, event):
    ids = rpc("hr.talent.invitation", "search", [("talent_id", "=", talent), ("event_id", "=", event)])
    assert len(ids) == 1
    return rpc("hr.talent.invitation", "read", ids, ["state", "registration_id", "answer_date"])[0]


def _registrations(rpc, event):
    return rpc("event.registration", "search_read", [("event_id", "=", event)], ["state", "name", "email"])


@pytest.fixture(scope="module")
def invited(rpc, sink, record_consent):
    talent = rpc("hr.talent", "create", {"name": "Robin Openhouse",
                                         "email": "robin.openhouse@candidates.example",
                                         "phone": "+32 2 555 01 01"})
    record_consent([talent])
    event = _event(rpc, "E2E Open House")
    urls = _invite(rpc, sink, event, [talent])
    return {"talent": talent, "event": event, "url": urls[talent]}


def test_get_shows_form_and_changes_nothing(rpc, odoo_url, invited):
    page = requests.get(_local(odoo_url, invited["url"]) + "?answer=accept", timeout=30)
    assert page.status_code == 200
    assert "E2E Open House" in page.text and "Robin Openhouse" in page.text
    assert 'value="accept"' in page.text and 'value="decline"' in page.text
    assert page.headers.get("Cache-Control") == "no-store"
    invitation = _invitation(rpc, invited["talent"], invited["event"])
    assert invitation["state"] == "invited" and invitation["answer_date"] is False, \
        "opening the link (e.g. by a mail scanner) records nothing"
    assert _registrations(rpc, invited["event"]) == []


def test_post_accept_registers_once(rpc, odoo_url, invited):
    url = _local(odoo_url, invited["url"])
    session = requests.Session()
    page = session.get(url, timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for _attempt in range(2):
        done = session.post(url, data={"csrf_token": csrf, "answer": "accept"}, timeout=30)
        assert done.status_code == 200
        assert "Thank you" in done.text and "is booked" in done.text
    registrations = _registrations(rpc, invited["event"])
    assert len(registrations) == 1
    assert registrations[0]["state"] == "open"
    assert registrations[0]["email"] == "robin.openhouse@candidates.example"
    assert _invitation(rpc, invited["talent"], invited["event"])["state"] == "accepted"


def test_forged_link_is_not_valid(rpc, odoo_url, invited):
    path = invited["url"].split("/candidate/event/", 1)[1]
    head, signature = path.split("-", 1)
    tampered = "%s/candidate/event/%s-%s" % (odoo_url, head, signature[:-2] + (
        "xx" if not signature.endswith("xx") else "yy"))
    resp = requests.get(tampered, timeout=30)
    assert resp.status_code == 404
    assert "This link is not valid" in resp.text and "E2E Open House" not in resp.text
    forged = "%s/candidate/event/%d-%s" % (odoo_url, int(head) + 1, signature)
    assert requests.get(forged, timeout=30).status_code == 404
    session = requests.Session()
    page = session.get(_local(odoo_url, invited["url"]), timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    resp = session.post(tampered, data={"csrf_token": csrf, "answer": "decline"}, timeout=30)
    assert resp.status_code == 404
    assert _invitation(rpc, invited["talent"], invited["event"])["state"] == "accepted"


def test_full_event_offers_no_accept(rpc, odoo_url, sink, record_consent):
    first = rpc("hr.talent", "create", {"name": "Sam First", "email": "sam.first@candidates.example"})
    second = rpc("hr.talent", "create", {"name": "Kim Second", "email": "kim.second@candidates.example"})
    record_consent([first, second])
    event = _event(rpc, "E2E Tiny Open House", seats_availability="limited", seats_max=1)
    urls = _invite(rpc, sink, event, [first, second])
    session = requests.Session()
    page = session.get(_local(odoo_url, urls[first]), timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert session.post(_local(odoo_url, urls[first]),
                        data={"csrf_token": csrf, "answer": "accept"}, timeout=30).status_code == 200
    page = session.get(_local(odoo_url, urls[second]), timeout=30)
    assert page.status_code == 200
    assert "This event is full" in page.text
    assert 'value="accept"' not in page.text
    resp = session.post(_local(odoo_url, urls[second]),
                        data={"csrf_token": csrf, "answer": "accept"}, timeout=30)
    assert resp.status_code == 409
    assert "This event is full" in resp.text
    assert len([r for r in _registrations(rpc, event) if r["state"] in ("open", "done")]) == 1
    assert _invitation(rpc, second, event)["state"] == "invited"
