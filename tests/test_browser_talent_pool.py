"""The talent pool in the real web client (headless Chromium, 1440 x 900).

A silver medalist just refused (consent asked, not given yet) is in the
Talents list the menu opens on, and the list fits the screen; Contactable
narrows it. From a job's Matching Talents (counted right before the click),
a recruiter writes a personal invitation to apply in the email composer: it
reaches the SMTP sink with the talent's stop link and a working apply link.
"""
import html
import re
import time

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_careers_apply import APPLY, apply_through, local

WIDTH, HEIGHT = 1440, 900
# unique names and addresses: the module's data persists on the test database
RUN = "%x" % int(time.time() * 1000)


def xmlid(rpc, name):
    return rpc("ir.model.data", "xmlid_to_res_id", name)


def visible_button(driver, text, within="body"):
    for button in driver.find_elements(By.CSS_SELECTOR, within + " button"):
        if button.text.strip() == text and button.is_displayed():
            return button
    return False


def data_rows(driver):
    return [row for row in driver.find_elements(By.CSS_SELECTOR, ".o_list_view tbody tr.o_data_row")
            if row.is_displayed()]


def row_of(driver, name):
    return next((row for row in data_rows(driver) if name in row.text), None)


@pytest.fixture(scope="module")
def logged_in(browser, odoo_url):
    """Admin logged in, the window at 1440 x 900 (put back afterwards)."""
    size = browser.get_window_size()
    browser.set_window_size(WIDTH, HEIGHT)
    # the web client re-renders lists while we read them: try again then
    wait = WebDriverWait(browser, 120, ignored_exceptions=(StaleElementReferenceException,))
    browser.get(odoo_url + "/web/session/logout")
    browser.get(odoo_url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys("admin")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_main_content")))
    yield wait
    browser.set_window_size(size["width"], size["height"])


def test_the_talents_menu_shows_a_silver_medalist_just_refused(rpc, browser, odoo_url, logged_in):
    wait = logged_in
    job = rpc("hr.job", "create", {"name": "Browser Pool Analyst"})
    applicant = rpc("hr.applicant", "create", {
        "name": "Browser pool application", "partner_name": "Mira Silverline",
        "email_from": "mira.silverline.%s@candidates.example" % RUN, "job_id": job, "priority": "3"})
    wizard = rpc("hr.applicant.refuse.wizard", "create", {
        "refuse_reason_id": xmlid(rpc, "candidate_nurture.refuse_reason_position_filled"),
        "template_id": xmlid(rpc, "candidate_nurture.mail_template_refuse_feedback"),
        "personal_message": "Mira, your case study on churn was the clearest we read.",
        "strengths": "A clear, well-argued case study"},
        context={"active_model": "hr.applicant", "active_ids": [applicant]})
    rpc("hr.applicant.refuse.wizard", "action_refuse", [wizard])
    talent_id = rpc("hr.applicant", "read", [applicant], ["talent_id"],
                    context={"active_test": False})[0]["talent_id"][0]
    talent = rpc("hr.talent", "read", [talent_id], ["silver_medalist", "consent_state"])[0]
    assert talent["silver_medalist"] is True
    assert talent["consent_state"] == "asked", "asked in the refusal email, not given yet"

    # Recruitment > Talent Pool > Talents, as the menu opens it
    menu = xmlid(rpc, "candidate_nurture.hr_talent_menu")
    action = xmlid(rpc, "candidate_nurture.hr_talent_action")
    browser.get(odoo_url + "/web#menu_id=%d&action=%d" % (menu, action))
    wait.until(lambda d: row_of(d, "Mira Silverline"))
    facets = [facet.text for facet in browser.find_elements(By.CSS_SELECTOR, ".o_searchview_facet")]
    assert any("Not Opted Out" in facet for facet in facets), facets
    # the list fits the screen: no horizontal scrolling at 1440 px
    widths = browser.execute_script(
        "var c = document.querySelector('.o_content'), t = document.querySelector('table.o_list_view');"
        "return [c.clientWidth, c.scrollWidth, t.getBoundingClientRect().right, window.innerWidth];")
    assert widths[1] <= widths[0] and widths[2] <= widths[3], widths
    headers = [th.text.strip() for th in browser.find_elements(By.CSS_SELECTOR, ".o_list_view thead th")
               if th.text.strip()]
    assert "Consent Status" in headers and "Email" not in headers, headers

    # Contactable, one click away in the Filters menu, narrows to who may be emailed
    toggler = browser.find_element(By.XPATH, "//ul[contains(@class, 'o_filters_menu')]"
                                             "/preceding-sibling::button")
    if not toggler.is_displayed():  # Odoo 11 folds the search options under the search box
        browser.find_element(By.CSS_SELECTOR, ".o_searchview_more").click()
        wait.until(lambda d: toggler.is_displayed())
    toggler.click()
    item = wait.until(lambda d: next((a for a in d.find_elements(By.CSS_SELECTOR, ".o_filters_menu li a")
                                      if a.text.strip() == "Contactable" and a.is_displayed()), None))
    item.click()
    wait.until(lambda d: any("Contactable" in f.text
                             for f in d.find_elements(By.CSS_SELECTOR, ".o_searchview_facet")))
    wait.until(lambda d: not row_of(d, "Mira Silverline"))

    # Silver Medalists opens on the same people
    menu = xmlid(rpc, "candidate_nurture.hr_talent_menu_silver")
    action = xmlid(rpc, "candidate_nurture.hr_talent_action_silver")
    browser.get(odoo_url + "/web#menu_id=%d&action=%d&view_type=list" % (menu, action))
    wait.until(lambda d: row_of(d, "Mira Silverline"))


def test_invite_to_apply_from_a_match(rpc, sink, browser, odoo_url, logged_in, record_consent):
    wait = logged_in
    dep = rpc("hr.department", "create", {"name": "Browser Mobile %s" % RUN})
    tag = rpc("hr.applicant.category", "create", {"name": "Browser Kotlin %s" % RUN})
    earlier = rpc("hr.job", "create", {"name": "Browser Android Developer", "department_id": dep})
    email = "noa.invite.%s@candidates.example" % RUN
    first = rpc("hr.applicant", "create", {
        "name": "Browser Android application", "partner_name": "Noa Invite", "email_from": email,
        "job_id": earlier, "department_id": dep, "categ_ids": [(6, 0, [tag])]})
    talent = rpc("hr.applicant", "read", [first], ["talent_id"])[0]["talent_id"][0]
    record_consent([talent])
    job = rpc("hr.job", "create", {"name": "Browser Mobile Engineer", "department_id": dep,
                                   "talent_category_ids": [(6, 0, [tag])],
                                   "website_published": True})
    # someone joins the pool after the job was announced (and ranked)
    rpc("hr.applicant", "create", {
        "name": "Browser Android application", "partner_name": "Ola Later",
        "email_from": "ola.later.%s@candidates.example" % RUN, "job_id": earlier, "department_id": dep,
        "categ_ids": [(6, 0, [tag])]})
    values = rpc("hr.job", "read", [job], ["talent_match_count", "talent_match_ids"])[0]
    assert values["talent_match_count"] == 2, "counted before the click"
    assert len(values["talent_match_ids"]) == 1, "the last ranking knew one of them"

    browser.get(odoo_url + "/web#id=%d&model=hr.job&view_type=form" % job)
    button = wait.until(lambda d: next((b for b in d.find_elements(
        By.CSS_SELECTOR, "button.oe_stat_button") if "Matching Talents" in b.text
        and b.is_displayed()), None))
    assert re.search(r"\b2\b", button.text), button.text
    button.click()
    wait.until(lambda d: row_of(d, "Noa Invite") and row_of(d, "Ola Later"))
    assert len(data_rows(browser)) == 2
    assert not [b for b in row_of(browser, "Ola Later").find_elements(
        By.CSS_SELECTOR, "button[title='Invite to Apply']") if b.is_displayed()], \
        "no consent: no invitation"
    row_of(browser, "Noa Invite").find_element(
        By.CSS_SELECTOR, "button[title='Invite to Apply']").click()

    dialog = ".modal-dialog"
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, dialog + " .modal-title"),
                                                "Invite Noa Invite to apply"))
    paragraph = wait.until(lambda d: next((p for p in d.find_elements(
        By.CSS_SELECTOR, dialog + " .note-editable p") if "came to mind" in p.text), None))
    assert email in browser.find_element(By.CSS_SELECTOR, dialog).text
    paragraph.click()
    paragraph.send_keys(Keys.END, " Your offline-first sync demo stayed with me.")
    sink.clear()
    visible_button(browser, "Send", dialog + " .modal-footer").click()
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".modal-dialog"))

    rpc("mail.mail", "process_email_queue")
    received = sink.received_by(email)
    assert len(received) == 1
    message = received[0]["message"]
    assert message["Subject"].startswith("Browser Mobile Engineer at ")
    stop = rpc("hr.talent", "get_stop_url", [talent])
    assert message["List-Unsubscribe"] == "<%s>" % stop
    body = sink.body_text(message)
    assert "offline-first sync demo stayed with me" in body
    assert "Dear Noa Invite" in body and "Stop all emails" in body
    logged = rpc("mail.message", "search_read", [("model", "=", "hr.talent"), ("res_id", "=", talent),
                                                 ("message_type", "=", "email")], ["subject"])
    assert [m["subject"] for m in logged] == [message["Subject"]], "logged in the chatter"

    # the apply link of the email opens Odoo's apply form; the application is the talent's
    url = html.unescape(APPLY.search(body).group(1))
    applicant = apply_through(odoo_url, local(odoo_url, url), "Noa Invite", email)
    made = rpc("hr.applicant", "read", [applicant], ["talent_id", "job_id", "source_id"])[0]
    assert made["talent_id"][0] == talent
    assert made["job_id"][0] == job
    assert made["source_id"][1] == "Talent Pool"
