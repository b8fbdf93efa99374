"""A real SMTP server on 127.0.0.1 that keeps what it receives, for tests.

Odoo's outgoing mail server is pointed at it, so a test can assert what really
left Odoo's mail queue over SMTP (recipients, subject, body, headers).
"""
import email
import email.policy
import socket
import threading

try:
    from aiosmtpd.controller import Controller
except ImportError:  # pragma: no cover - aiosmtpd is a test-only dependency
    Controller = None


def free_port():
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
    finally:
        sock.close()


class _Handler(object):
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append({
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "message": message,
            })
        return "250 Message accepted for delivery"


class SmtpSink(object):
    """Start with start(), read .messages, stop with stop()."""

    def __init__(self, port=None):
        if Controller is None:
            raise RuntimeError("aiosmtpd is not installed: run `make test` to build the test venv")
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.messages = []
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname=self.host, port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def clear(self):
        with self.lock:
            del self.messages[:]

    def received_by(self, address):
        address = address.lower()
        with self.lock:
            return [m for m in self.messages
                    if address in [r.lower() for r in m["rcpt_tos"]]]

    @staticmethod
    def body_text(message):
        """The HTML (or plain) body of a received message, decoded."""
        part = message.get_body(preferencelist=("html", "plain"))
        return part.get_content() if part is not None else ""
