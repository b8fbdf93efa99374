"""What a candidate sees, over real HTTP: the company's logo route (its logo
and nothing else), the logo and colour on every public page, dates in words
and plain consent words on the candidate page, the event time in its zone."""
import base64
import io
import re
import uuid

import pytest
import requests
from PIL import Image

from test_public_routes import local, make_person

COLOUR = "#7b2d8e"
LOGO_SRC = re.compile(r'<img src="(http[^"]+/candidate/logo/[^"]+)"')
ISO_DATE = re.compile(r"\b20[0-9]{2}-[01][0-9]-[0-3][0-9]\b")


def _png():
    out = io.BytesIO()
    Image.new("RGB", (240, 80), (123, 45, 142)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


@pytest.fixture(scope="module")
def brand(rpc):
    company = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"][0]
    before = rpc("res.company", "read", [company], ["logo", "nurture_brand_color"])[0]
    rpc("res.company", "write", [company], {"logo": _png(), "nurture_brand_color": COLOUR})
    values = rpc("res.company", "read", [company], ["nurture_logo_url", "logo_web"])[0]
    yield {"company": company, "url": values["nurture_logo_url"],
           "logo_web": base64.b64decode(values["logo_web"])}
    rpc("res.company", "write", [company], {"logo": before["logo"],
                                            "nurture_brand_color": before["nurture_brand_color"]})


def assert_branded(page, brand):
    assert COLOUR in page.text, page.url
    path = "/candidate/logo/" + brand["url"].rsplit("/", 1)[1]
    assert 'src="%s"' % path in page.text, page.url


def test_logo_route_serves_only_the_logo(odoo_url, rpc, brand):
    resp = requests.get(local(odoo_url, brand["url"]), timeout=30)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "image/png"
    assert resp.content == brand["logo_web"], "the company's logo, as Odoo sizes it for the web"
    assert resp.headers.get("Cache-Control", "").startswith("public")
    token = brand["url"].rsplit("/", 1)[1]
    other = rpc("res.company", "create", {"name": "E2E Logo Other Co %s" % uuid.uuid4().hex[:6],
                                          "logo": _png()})
    signature = token.split("-", 1)[1]
    for forged in ("%d-%s" % (other, signature),                      # another company
                   "%d-%s" % (brand["company"] + 9999, signature),     # no company
                   token[:-1] + ("A" if token[-1] != "A" else "B"),    # altered
                   "%d-%s" % (brand["company"], "A" * 43),              # not signed
                   str(brand["company"]), "1-x"):
        resp = requests.get(odoo_url + "/candidate/logo/" + forged, timeout=30)
        assert resp.status_code == 404, forged
        assert not resp.headers["Content-Type"].startswith("image/"), forged
        assert resp.content != brand["logo_web"]


def test_every_public_page_carries_logo_and_colour(odoo_url, rpc, sink, brand):
    person = make_person(rpc, sink)
    pages = {
        "candidate page": requests.get(local(odoo_url, person["page"]), timeout=30),
        "stop page": requests.get(local(odoo_url, person["stop"]), timeout=30),
        "feedback page": requests.get(local(odoo_url, person["feedback"]), timeout=30),
        "event page": requests.get(local(odoo_url, person["event_url"]), timeout=30),
        "not valid": requests.get(odoo_url + "/candidate/me/1-" + "A" * 43, timeout=30),
    }
    for name, page in pages.items():
        assert page.status_code == (404 if name == "not valid" else 200), name
        assert_branded(page, brand)
    # the emails the candidate received show the same logo, by an absolute URL
    rpc("mail.mail", "process_email_queue")
    received = sink.received_by(person["email"])
    assert received
    for item in received:
        body = sink.body_text(item["message"])
        src = LOGO_SRC.search(body)
        assert src and src.group(1) == brand["url"], item["message"]["Subject"]
        assert COLOUR in body
    assert requests.get(local(odoo_url, src.group(1)), timeout=30).status_code == 200


def test_candidate_page_in_plain_words(odoo_url, rpc, sink, brand):
    person = make_person(rpc, sink, invite=False)
    page = requests.get(local(odoo_url, person["page"]), timeout=30)
    assert page.status_code == 200
    text = page.text
    assert "What \"we may contact you\" means" in text or "What &quot;we may contact you&quot; means" in text
    assert "You agreed that we contact you about future opportunities, until" in text
    assert "at most one email every" in text and "Stop all emails" in text
    assert ">Asked<" not in text and ">Given<" not in text and "Not Asked" not in text
    assert not ISO_DATE.search(re.sub(r"<[^>]+>", " ", text)), "dates are in words"
    pools = rpc("hr.talent.pool", "search", [], limit=1)
    if pools:
        name = rpc("hr.talent.pool", "read", pools, ["name"])[0]["name"]
        rpc("hr.talent", "write", [person["talent"]], {"pool_ids": [(4, pools[0])]})
        text = requests.get(local(odoo_url, person["page"]), timeout=30).text
        assert name not in text, "internal pool names stay internal"
        assert "list of people we think of first" in text


def test_event_page_shows_the_time_in_the_event_zone(odoo_url, rpc, sink, brand):
    person = make_person(rpc, sink)
    rpc("event.event", "write", [person["event"]], {
        "date_tz": "Asia/Tokyo", "date_begin": "2031-03-04 01:00:00",
        "date_end": "2031-03-04 03:15:00"})
    page = requests.get(local(odoo_url, person["event_url"]), timeout=30)
    assert page.status_code == 200
    assert "Tuesday, March 4, 2031, from 10:00 AM to 12:15 PM (Asia/Tokyo time)" in page.text
    assert "01:00:00" not in page.text
