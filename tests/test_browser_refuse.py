"""A recruiter refuses a candidate in the real web client (headless Chromium),
and the candidate answers "was this helpful?" in the same browser."""
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

LINK = re.compile(r'href="(http[^"]+/candidate/feedback/[^"?]+)\?answer=yes"')


def visible_button(driver, text, within="body"):
    for button in driver.find_elements(By.CSS_SELECTOR, within + " button"):
        if button.text.strip() == text and button.is_displayed():
            return button
    return False


@pytest.fixture(scope="module")
def logged_in(browser, odoo_url):
    wait = WebDriverWait(browser, 120)
    browser.get(odoo_url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys("admin")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_main_content")))
    return wait


def test_recruiter_refuses_in_the_web_client(rpc, sink, browser, odoo_url, logged_in):
    wait = logged_in
    late = rpc("hr.recruitment.stage", "create", {"name": "Browser final round", "sequence": 90})
    job = rpc("hr.job", "create", {"name": "Browser QA Engineer"})
    applicant = rpc("hr.applicant", "create", {
        "name": "Browser application", "partner_name": "Kai Browser",
        "email_from": "kai.browser@candidates.example", "job_id": job, "stage_id": late})
    browser.get(odoo_url + "/web#id=%d&model=hr.applicant&view_type=form" % applicant)
    refuse = wait.until(lambda d: visible_button(d, "Refuse", ".o_form_statusbar"))
    refuse.click()
    dialog = ".modal-dialog"
    reason = wait.until(EC.element_to_be_clickable(
        (By.CSS_SELECTOR, dialog + " .o_field_widget[name=refuse_reason_id] input")))
    reason.send_keys("Skills do not match")
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "ul.ui-autocomplete li a"))).click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, dialog), "Preview"))

    # an interviewed candidate without a personal message is stopped, nothing lost
    visible_button(browser, "Refuse", dialog + " .modal-footer").click()
    wait.until(lambda d: any("deserve personal, specific feedback" in m.text
                             for m in d.find_elements(By.CSS_SELECTOR, ".modal-dialog")))
    wait.until(lambda d: visible_button(d, "Ok", ".modal-footer")).click()
    wait.until(lambda d: not visible_button(d, "Ok", ".modal-footer"))
    assert rpc("hr.applicant", "read", [applicant], ["active"])[0]["active"] is True

    message = browser.find_element(By.CSS_SELECTOR, dialog + " textarea[name=personal_message]")
    message.send_keys("Kai, your exploratory testing session found two real bugs in our "
                      "staging app; we were impressed.")
    browser.find_element(By.CSS_SELECTOR, dialog + " textarea[name=improvements]").send_keys(
        "Automate the regression checks you described in the final round")
    browser.find_element(By.CSS_SELECTOR, dialog + " .modal-title").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, dialog), "Automate the regression"))
    visible_button(browser, "Refuse", dialog + " .modal-footer").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, dialog), "1 candidate refused."))

    values = rpc("hr.applicant", "read", [applicant],
                 ["active", "refuse_email_state", "refuse_message"], context={"active_test": False})[0]
    assert values["active"] is False
    assert values["refuse_email_state"] == "queued", "sent now: waiting in the mail queue"
    assert "exploratory testing session" in values["refuse_message"]

    sink.clear()
    rpc("mail.mail", "process_email_queue")
    received = sink.received_by("kai.browser@candidates.example")
    assert len(received) == 1
    body = sink.body_text(received[0]["message"])
    assert "exploratory testing session" in body

    # the candidate opens the link and answers
    url = odoo_url + "/candidate/" + LINK.search(body).group(1).split("/candidate/")[1]
    browser.get(url + "?answer=yes")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "textarea[name=comment]"))).send_keys(
        "Very specific, thank you")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Thank you"))
    answer = rpc("hr.applicant", "read", [applicant], ["refuse_feedback_helpful", "refuse_feedback_comment"],
                 context={"active_test": False})[0]
    assert answer["refuse_feedback_helpful"] == "yes"
    assert answer["refuse_feedback_comment"] == "Very specific, thank you"
