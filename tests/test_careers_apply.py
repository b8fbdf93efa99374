"""New openings on a live server: the email by SMTP, its apply link, Odoo's apply form.

The application is made the way a candidate makes it: the link in the email
received by the SMTP sink, Odoo's careers page (website_hr_recruitment) and its
form posted to /website_form/hr.applicant with the page's CSRF token.
"""
import html
import re

import pytest
import requests

APPLY = re.compile(r'href="(http[^"]+/candidate/job/[^"]+page=apply[^"]*)"')
CSRF = re.compile(r'csrf_token: "([^"]+)"')


def local(odoo_url, url):
    """The server's web.base.url may differ from the test server's port."""
    return odoo_url + "/candidate/" + url.split("/candidate/", 1)[1]


def xmlid(rpc, name):
    return rpc("ir.model.data", "xmlid_to_res_id", name)


@pytest.fixture(scope="module")
def opening(rpc, sink, record_consent):
    """A talent interested in a department, a published job opening there, and the
    new-openings email the talent received."""
    dep = rpc("hr.department", "create", {"name": "E2E Careers"})
    email = "quinn.careers@candidates.example"
    talent = rpc("hr.talent", "create", {"name": "Quinn Careers", "email": email,
                                         "interest_department_ids": [(6, 0, [dep])]})
    record_consent([talent])
    job = rpc("hr.job", "create", {"name": "E2E Site Reliability Engineer",
                                   "department_id": dep, "website_published": True})
    sink.clear()
    rpc("ir.cron", "method_direct_trigger", [xmlid(rpc, "candidate_nurture.ir_cron_talent_opening_digest")])
    rpc("mail.mail", "process_email_queue")
    received = sink.received_by(email)
    assert len(received) == 1
    body = sink.body_text(received[0]["message"])
    return {"talent": talent, "job": job, "email": email, "body": body,
            "apply_url": html.unescape(APPLY.search(body).group(1))}


def apply_through(odoo_url, url, name, email):
    """Follow a link like a browser, fill in Odoo's apply form; the applicant id."""
    session = requests.Session()
    hop = session.get(url, allow_redirects=False, timeout=30)
    assert hop.status_code == 303
    location = hop.headers["Location"]
    assert "/jobs/apply/" in location and "utm_source=Talent+Pool" in location
    path = location.split(odoo_url, 1)[-1]  # werkzeug may make the location absolute
    form = session.get(odoo_url + path, timeout=30)
    assert form.status_code == 200 and 'name="partner_name"' in form.text
    assert session.cookies.get("odoo_utm_source") in ("Talent Pool", '"Talent Pool"')
    job_id = int(re.search(r"/jobs/apply/[\w-]*?(\d+)\?", location).group(1))
    posted = session.post(odoo_url + "/website_form/hr.applicant", data={
        "partner_name": name, "email_from": email, "partner_phone": "+32 2 555 02 02",
        "description": "Applied through the talent pool link", "job_id": job_id,
        "csrf_token": CSRF.search(form.text).group(1)}, timeout=30)
    assert posted.status_code == 200, posted.text[:500]
    return posted.json()["id"]


def read_applicant(rpc, applicant):
    return rpc("hr.applicant", "read", [applicant],
               ["talent_id", "job_id", "source_id", "medium_id", "campaign_id"])[0]


def test_new_openings_email_links_to_the_careers_page(rpc, opening):
    assert "E2E Site Reliability Engineer" in opening["body"]
    assert "Pass on this link" in opening["body"]
    count = rpc("hr.job", "read", [opening["job"]], ["nurture_opening_count"])[0]
    assert count["nurture_opening_count"] == 1, "created recruiting: announced once"


def test_apply_link_creates_an_applicant_linked_to_the_talent(rpc, odoo_url, opening):
    applicant = apply_through(odoo_url, local(odoo_url, opening["apply_url"]),
                              "Quinn Careers", opening["email"].upper())
    values = read_applicant(rpc, applicant)
    assert values["talent_id"][0] == opening["talent"]
    assert values["job_id"][0] == opening["job"]
    assert values["source_id"][1] == "Talent Pool"
    assert values["medium_id"][1] == "Email"
    assert values["campaign_id"][1] == "Job Campaign"


def test_a_passed_on_link_does_not_tie_someone_else_to_the_talent(rpc, odoo_url, opening):
    applicant = apply_through(odoo_url, local(odoo_url, opening["apply_url"]),
                              "Rae Friend", "rae.friend@candidates.example")
    values = read_applicant(rpc, applicant)
    assert values["talent_id"] and values["talent_id"][0] != opening["talent"]
    assert values["source_id"][1] == "Talent Pool"


def test_candidate_page_lists_the_opening_and_closed_jobs_say_so(rpc, odoo_url, opening):
    page = requests.get(local(odoo_url, rpc("hr.talent", "get_candidate_page_url",
                                            [opening["talent"]])), timeout=30)
    assert page.status_code == 200
    assert "Open positions" in page.text and "E2E Site Reliability Engineer" in page.text
    assert "/candidate/job/" in page.text and "channel=candidate_page" in page.text
    rpc("hr.job", "set_open", [opening["job"]])  # Odoo also unpublishes it
    gone = requests.get(local(odoo_url, opening["apply_url"]), allow_redirects=False, timeout=30)
    assert gone.status_code == 404 and "not open any more" in gone.text
    forged = requests.get(local(odoo_url, opening["apply_url"]).replace("/job/", "/job/9", 1),
                          allow_redirects=False, timeout=30)
    assert forged.status_code == 404 and "This link is not valid" in forged.text
