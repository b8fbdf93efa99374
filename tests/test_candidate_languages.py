"""Which language a candidate's public pages are in, on a live server (issue 10).

The token holder's language when it is installed (their contact's), else the
website's default language; a link that names nobody (not valid) is shown in
the website's default language.
"""
import re
import uuid

import pytest
import requests


def local(odoo_url, url):
    """The server's web.base.url may differ from the test server's port."""
    return odoo_url + "/candidate/" + url.split("/candidate/", 1)[1]


@pytest.fixture(scope="module")
def languages(rpc):
    for code in ("fr_FR", "de_DE"):
        if not rpc("res.lang", "search", [("code", "=", code)]):
            wizard = rpc("base.language.install", "create", {"lang": code})
            rpc("base.language.install", "lang_install", [wizard])
    return dict((code, rpc("res.lang", "search", [("code", "=", code)])[0])
                for code in ("en_US", "fr_FR", "de_DE"))


@pytest.fixture
def website_in_german(rpc, languages):
    """The website's default language is German for one test, English again after."""
    website = rpc("website", "search", [], limit=1)[0]
    before = rpc("website", "read", [website], ["default_lang_id"])[0]["default_lang_id"][0]
    rpc("website", "write", [website], {
        "language_ids": [(4, languages["de_DE"])], "default_lang_id": languages["de_DE"]})
    yield website
    rpc("website", "write", [website], {"default_lang_id": before})


def talent(rpc, name, lang=None):
    # one talent per email and company: a new address on every run
    email = "%s.%s@candidates.example" % (name.lower().replace(" ", "."), uuid.uuid4().hex[:8])
    values = {"name": name, "email": email}
    if lang:
        values["partner_id"] = rpc("res.partner", "create", {
            "name": name, "email": email, "lang": lang})
    return rpc("hr.talent", "create", values)


def test_pages_in_the_token_holders_language(rpc, odoo_url, languages):
    person = talent(rpc, "Léa Fournier", "fr_FR")
    session = requests.Session()
    url = local(odoo_url, rpc("hr.talent", "get_candidate_page_url", [person]))
    page = session.get(url, timeout=60)
    assert page.status_code == 200 and "<h1>Bonjour Léa Fournier</h1>" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = session.post(url, data={"csrf_token": csrf, "action": "departments"}, timeout=60)
    assert "Vos services d'intérêt ont été enregistrés." in done.text
    stop = requests.get(local(odoo_url, rpc("hr.talent", "get_stop_url", [person])), timeout=60)
    assert stop.status_code == 200 and "Ne plus recevoir d'e-mails de" in stop.text
    stopped = requests.post(local(odoo_url, rpc("hr.talent", "get_stop_url", [person])),
                            timeout=60)
    assert "Vous n'aurez plus de nouvelles de nous" in stopped.text
    # an English-speaking candidate still reads English
    english = talent(rpc, "Noah Baker", "en_US")
    page = requests.get(local(odoo_url, rpc("hr.talent", "get_candidate_page_url", [english])),
                        timeout=60)
    assert "<h1>Hello Noah Baker</h1>" in page.text


def test_without_a_language_the_websites_default(rpc, odoo_url, website_in_german):
    person = talent(rpc, "Sam Keller")  # no contact, so no language of their own
    page = requests.get(local(odoo_url, rpc("hr.talent", "get_candidate_page_url", [person])),
                        timeout=60)
    assert page.status_code == 200 and "<h1>Guten Tag Sam Keller</h1>" in page.text
    assert "Meine Daten herunterladen" in page.text
    invalid = requests.get(odoo_url + "/candidate/me/1-not-a-valid-token", timeout=60)
    assert invalid.status_code == 404 and "Dieser Link ist ungültig" in invalid.text
