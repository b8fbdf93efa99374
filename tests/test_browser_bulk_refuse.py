"""A recruiter refuses three interviewed candidates at once in the real web
client (headless Chromium): Action > Refuse on a selection of the applicant
list, a personal message written in each candidate's line, Preview For on
each, and three emails in the SMTP sink, each with its own message.

With NURTURE_SCREENSHOT_DIR set, the wizard is also saved there at 1440x900
as refuse_wizard.png (the README's screenshot, taken on a demo database).
"""
import os
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import pytest

JOB = "Site Reliability Engineer"
PEOPLE = [
    ("Amira Haddad", "amira.haddad@candidates.example",
     "Amira, your incident review of the cache stampede was the clearest we heard this year."),
    ("Jonas Berg", "jonas.berg@candidates.example",
     "Jonas, the way you traced the slow query live with us impressed the whole panel."),
    ("Lucia Romero", "lucia.romero@candidates.example",
     "Lucia, your questions about our on-call rota showed real care for the people on call."),
]
STRENGTHS = "Calm, structured debugging in the live exercise"


@pytest.fixture(scope="module")
def signed_in(browser, odoo_url):
    """Logged in as admin (the session may already be, from another browser test)."""
    # dialogs are redrawn while we look at them: a stale element means "look again"
    wait = WebDriverWait(browser, 120, ignored_exceptions=(StaleElementReferenceException,))
    browser.get(odoo_url + "/web/login")
    wait.until(lambda d: d.find_elements(By.NAME, "login")
               or d.find_elements(By.CSS_SELECTOR, ".o_main_content"))
    if browser.find_elements(By.NAME, "login"):
        browser.find_element(By.NAME, "login").send_keys("admin")
        browser.find_element(By.NAME, "password").send_keys("admin")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_main_content")))
    return wait


def top_modal(driver):
    modals = [m for m in driver.find_elements(By.CSS_SELECTOR, ".modal-dialog") if m.is_displayed()]
    return modals[-1] if modals else None


def modal_count(driver):
    return len([m for m in driver.find_elements(By.CSS_SELECTOR, ".modal-dialog") if m.is_displayed()])


def button_in(element, prefix):
    for button in element.find_elements(By.CSS_SELECTOR, ".modal-footer button"):
        if button.is_displayed() and button.text.strip().startswith(prefix):
            return button
    return False


def pick_many2one(driver, wait, field, text):
    wizard = top_modal(driver)
    box = wizard.find_element(By.CSS_SELECTOR, ".o_field_widget[name=%s] input" % field)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)

    def option(d):
        for link in d.find_elements(By.CSS_SELECTOR, "ul.ui-autocomplete li a"):
            if link.is_displayed() and link.text.strip().startswith(text):
                return link
        return False
    wait.until(option).click()


def test_bulk_refusal_of_three_interviewed_candidates(rpc, sink, browser, odoo_url, signed_in):
    wait = signed_in
    # a second run on the same database starts from a clean job
    previous = rpc("hr.applicant", "search", [("job_id.name", "=", JOB)], context={"active_test": False})
    if previous:
        rpc("hr.applicant", "unlink", previous)
    late = rpc("hr.recruitment.stage", "create", {"name": "Bulk final round", "sequence": 95})
    job = rpc("hr.job", "create", {"name": JOB})
    ids = []
    for name, email, _message in PEOPLE:
        # as in Odoo's demo data, the application carries the job title
        ids.append(rpc("hr.applicant", "create", {
            "name": JOB, "partner_name": name, "email_from": email,
            "job_id": job, "stage_id": late}))
    action = rpc("ir.model.data", "xmlid_to_res_id", "hr_recruitment.crm_case_categ0_act_job")
    browser.get(odoo_url + "/web#action=%d&model=hr.applicant&view_type=list" % action)
    search = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".o_searchview_input")))
    search.send_keys(JOB)
    search.send_keys(Keys.ENTER)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".o_list_view tbody tr.o_data_row")) == 3)
    browser.find_element(By.CSS_SELECTOR, ".o_list_view thead .o_list_record_selector input").click()
    action_button = wait.until(lambda d: next((b for b in d.find_elements(
        By.CSS_SELECTOR, ".o_cp_sidebar button") if b.is_displayed() and b.text.strip() == "Action"), False))
    action_button.click()
    wait.until(lambda d: next((a for a in d.find_elements(By.CSS_SELECTOR, ".o_cp_sidebar .dropdown-menu a")
                               if a.is_displayed() and a.text.strip() == "Refuse"), False)).click()

    # the lines name the people from the start: names, emails, no red rows
    wait.until(lambda d: top_modal(d) and len(top_modal(d).find_elements(
        By.CSS_SELECTOR, ".o_field_one2many[name=line_ids] tr.o_data_row")) == 3)
    wizard = top_modal(browser)
    rows = wizard.find_elements(By.CSS_SELECTOR, ".o_field_one2many[name=line_ids] tr.o_data_row")
    texts = sorted(row.text for row in rows)
    for text, (name, email, _message) in zip(texts, PEOPLE):
        assert text.startswith(name) and email in text and "Bulk final round" in text
    assert not any("text-danger" in (row.get_attribute("class") or "") for row in rows)
    pick_many2one(browser, wait, "refuse_reason_id", "Skills do not match")
    wait.until(lambda d: "Amira Haddad reached interview rounds" in top_modal(d).text)
    assert "%s reached interview rounds" % JOB not in top_modal(browser).text

    # a personal message and a strength for each, written in the candidate's line
    for name, _email, message in PEOPLE:
        row = next(r for r in top_modal(browser).find_elements(
            By.CSS_SELECTOR, ".o_field_one2many[name=line_ids] tr.o_data_row")
            if r.text.startswith(name))
        row.find_elements(By.CSS_SELECTOR, "td")[0].click()
        wait.until(lambda d: modal_count(d) == 2 and top_modal(d).find_elements(
            By.CSS_SELECTOR, "textarea[name=personal_message]"))
        line = top_modal(browser)
        assert name in line.text
        line.find_element(By.CSS_SELECTOR, "textarea[name=personal_message]").send_keys(message)
        line.find_element(By.CSS_SELECTOR, "textarea[name=strengths]").send_keys(STRENGTHS)
        button_in(line, "Save").click()
        wait.until(lambda d: modal_count(d) == 1)
        wait.until(lambda d, m=message: m[:30] in top_modal(d).text)
    wait.until(lambda d: "reached interview rounds and needs" not in top_modal(d).text)

    # Preview For each candidate shows that person's own message
    for name, _email, message in PEOPLE:
        pick_many2one(browser, wait, "preview_applicant_id", name)
        wait.until(lambda d, n=name, m=message: "Dear %s" % n in top_modal(d).text
                   and m in top_modal(d).text)
        others = [m for n, _e, m in PEOPLE if n != name]
        assert not any(other in top_modal(browser).find_element(
            By.CSS_SELECTOR, ".o_field_widget[name=preview_body]").text for other in others)

    directory = os.environ.get("NURTURE_SCREENSHOT_DIR")
    if directory:
        # a 1440x900 page, the candidates' lines and the preview in view
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        pick_many2one(browser, wait, "preview_applicant_id", PEOPLE[0][0])
        browser.execute_script(
            "var lines = document.querySelector('.modal-dialog .o_field_one2many[name=line_ids]');"
            "lines.scrollIntoView(true); lines.closest('.modal-body').scrollTop -= 70;")
        time.sleep(1)
        browser.save_screenshot(os.path.join(directory, "refuse_wizard.png"))
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    sink.clear()
    button_in(top_modal(browser), "Refuse").click()
    wait.until(lambda d: top_modal(d) and "3 candidates refused." in top_modal(d).text)
    assert "3 emails queued" in top_modal(browser).text
    states = rpc("hr.applicant", "read", ids, ["active", "refuse_email_state", "refuse_message"],
                 context={"active_test": False})
    assert [s["active"] for s in states] == [False] * 3
    assert [s["refuse_email_state"] for s in states] == ["queued"] * 3
    for values, (_name, _email, message) in zip(states, PEOPLE):
        assert values["refuse_message"] == message

    # on a database used before, earlier runs' sinks (dead ports) must not win
    servers = rpc("ir.mail_server", "search", [("name", "=", "E2E SMTP sink")], order="id desc")
    if len(servers) > 1:
        rpc("ir.mail_server", "write", servers[1:], {"active": False})
    rpc("mail.mail", "process_email_queue")
    for name, email, message in PEOPLE:
        received = sink.received_by(email)
        assert len(received) == 1, email
        body = sink.body_text(received[0]["message"])
        assert "Dear %s" % name in body
        assert message in body
        assert not any(m in body for n, _e, m in PEOPLE if n != name)
