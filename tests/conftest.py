"""End-to-end fixtures: a live Odoo server on loopback and a real SMTP sink.

The server runs on the database the addon tests just installed
(NURTURE_TEST_DB, default nurture_test), with the sink as its outgoing SMTP
server and no cron threads (tests trigger crons themselves, deterministically).
"""
import os

import pytest
import requests
from odoo_server import OdooServer, smtp_sink

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DB = os.environ.get("NURTURE_TEST_DB", "nurture_test")


class Rpc(object):
    """Minimal JSON-RPC client for Odoo 11's /jsonrpc endpoint."""

    def __init__(self, url, db, login="admin", password="admin"):
        self.url, self.db, self.password = url, db, password
        self.uid = self.call("common", "login", db, login, password)

    def call(self, service, method, *args):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1,
                   "params": {"service": service, "method": method, "args": list(args)}}
        resp = requests.post(self.url + "/jsonrpc", json=payload, timeout=120)
        resp.raise_for_status()
        data = resp.json()
        if data.get("error"):
            raise RuntimeError(data["error"]["data"]["message"])
        return data.get("result")

    def __call__(self, model, method, *args, **kwargs):  # noqa: D401
        return self.call("object", "execute_kw", self.db, self.uid, self.password,
                         model, method, list(args), kwargs)


@pytest.fixture(scope="session")
def sink():
    server = smtp_sink.SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def odoo_url(sink):
    with OdooServer(DB, smtp=(sink.host, sink.port), log_name="e2e-server-%s" % DB) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by ChromeDriver (no download, no network)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot of the browser when a browser test fails (in .logs/)."""
    outcome = yield
    report = outcome.get_result()
    driver = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.failed and driver is not None:
        path = os.path.join(ROOT, ".logs", "failure-%s.png" % item.name)
        try:
            driver.save_screenshot(path)
        except Exception:  # noqa: BLE001 - best effort, the failure itself is reported
            pass


@pytest.fixture(scope="session")
def rpc(odoo_url, sink):
    client = Rpc(odoo_url, DB)
    # base data ships a 'localhost:25' outgoing server that wins over --smtp:
    # put the sink first in line
    server = client("ir.mail_server", "create", {"name": "E2E SMTP sink", "sequence": 0,
                                                 "smtp_host": sink.host, "smtp_port": sink.port})
    yield client
    # a later session on the same database must not find this (then dead) sink first
    try:
        client("ir.mail_server", "unlink", [server])
    except Exception:  # noqa: BLE001 - the last test uninstalls the module; the server may be gone
        pass


@pytest.fixture(scope="session")
def record_consent(rpc):
    """Record Consent over JSON-RPC, as a recruiter does with the wizard: the only
    way to record a consent the person gave outside our emails."""
    def record(talent_ids, state="given", note="Agreed on the phone (end-to-end test)."):
        wizard = rpc("hr.talent.consent.wizard", "create", {
            "talent_ids": [(6, 0, list(talent_ids))], "state": state, "note": note})
        rpc("hr.talent.consent.wizard", "action_record", [wizard])
    return record
