"""The installed addon on a live server: login page, JSON-RPC, loopback only, real mail."""
import socket

import psutil
import requests


def test_login_page_answers(odoo_url):
    resp = requests.get(odoo_url + "/web/login", timeout=30)
    assert resp.status_code == 200
    assert "Log in" in resp.text


def test_admin_authenticates_over_jsonrpc(rpc):
    assert rpc.uid == 1 or rpc.uid
    modules = rpc("ir.module.module", "search_read",
                  [("name", "=", "candidate_nurture")], fields=["state"])
    assert modules == [{"id": modules[0]["id"], "state": "installed"}]


def test_server_listens_on_loopback_only(odoo_url):
    port = int(odoo_url.rsplit(":", 1)[1])
    wide = [c for c in psutil.net_connections(kind="tcp")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port]
    assert wide, "the server's listening socket was not found"
    assert all(c.laddr.ip == "127.0.0.1" for c in wide), wide
    # and it is not reachable on another local address
    other = socket.gethostbyname(socket.gethostname())
    if other != "127.0.0.1" and not other.startswith("127."):
        sock = socket.socket()
        sock.settimeout(2)
        try:
            assert sock.connect_ex((other, port)) != 0
        finally:
            sock.close()


def test_mail_queue_delivers_to_the_sink(rpc, sink):
    sink.clear()
    mail_id = rpc("mail.mail", "create", {
        "subject": "E2E harness", "body_html": "<p>through the live queue</p>",
        "email_to": "e2e@example.com", "email_from": "hr@example.com"})
    rpc("mail.mail", "process_email_queue", [mail_id])
    received = sink.received_by("e2e@example.com")
    assert len(received) == 1
    assert received[0]["message"]["Subject"] == "E2E harness"
