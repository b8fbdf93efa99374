"""A French talent opens their candidate page on a phone (issue 10).

French is installed the way an administrator does it (Settings > Translations >
Load a Translation: base.language.install, which loads the addon's fr.po with
every other module's). The talent's contact speaks French; the page, opened by
its signed link in the real headless Chromium at phone size (390 x 844), is in
French and fits the screen: no horizontal scrolling. A screenshot is kept in
.logs/candidate_page_fr.png (the README's is a copy of it).
"""
import os
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


def local(odoo_url, url):
    """The server's web.base.url may differ from the test server's port."""
    return odoo_url + "/candidate/" + url.split("/candidate/", 1)[1]


@pytest.fixture(scope="module")
def french_talent(rpc):
    if not rpc("res.lang", "search", [("code", "=", "fr_FR")]):
        wizard = rpc("base.language.install", "create", {"lang": "fr_FR"})
        rpc("base.language.install", "lang_install", [wizard])
    # one talent per email and company: a new address on every run
    email = "camille.dubois.%s@candidates.example" % uuid.uuid4().hex[:8]
    partner = rpc("res.partner", "create", {
        "name": "Camille Dubois-Lefèvre", "email": email, "lang": "fr_FR"})
    department = rpc("hr.department", "create", {"name": "Ingénierie logicielle"})
    return rpc("hr.talent", "create", {
        "name": "Camille Dubois-Lefèvre", "email": email,
        "partner_id": partner, "interest_department_ids": [(6, 0, [department])]})


@pytest.fixture
def phone(browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_french_talent_reads_their_page_in_french_on_a_phone(rpc, odoo_url, french_talent,
                                                             phone):
    url = local(odoo_url, rpc("hr.talent", "get_candidate_page_url", [french_talent]))
    phone.get(url)
    wait = WebDriverWait(phone, 60)
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Bonjour"))
    assert phone.find_element(By.TAG_NAME, "h1").text == "Bonjour Camille Dubois-Lefèvre"
    headings = [h.text for h in phone.find_elements(By.TAG_NAME, "h2")]
    for heading in ("Contact au sujet de futures opportunités",
                    "Les services qui vous intéressent", "Télécharger mes données",
                    "Arrêter tout contact"):
        assert heading in headings
    buttons = [b.text for b in phone.find_elements(By.TAG_NAME, "button")]
    assert "Oui, contactez-moi au sujet de futures opportunités" in buttons
    assert "Télécharger mes données" in buttons
    body = phone.find_element(By.TAG_NAME, "body").text
    for english in ("Download my data", "Stop all contact", "Your applications",
                    "What", "keeps about you", "Contact me about future opportunities"):
        assert english not in body
    # where the consent stands, in plain French
    assert "Nous ne vous avons pas demandé si nous pouvions vous contacter" in body
    assert phone.title == "Votre page"
    # readable on a phone: the page is as wide as the screen, nothing to scroll sideways
    width, scroll = phone.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth];")
    assert width == PHONE["width"]
    assert scroll <= width
    phone.save_screenshot(os.path.join(ROOT, ".logs", "candidate_page_fr.png"))
