from .common import NurtureCase
from .smtp_sink import free_port


class TestMailDelivery(NurtureCase):
    """The test harness itself: Odoo's queue really reaches the SMTP sink."""

    def test_queued_mail_reaches_the_sink(self):
        mail = self.env["mail.mail"].create({
            "subject": "Harness check",
            "body_html": "<p>Hello from the queue</p>",
            "email_to": "someone@example.com",
            "email_from": "hr@example.com",
        })
        self.assertEqual(mail.state, "outgoing")
        self.deliver_mail()
        self.assertEqual(mail.state, "sent")
        received = self.sink.received_by("someone@example.com")
        self.assertEqual(len(received), 1)
        self.assertEqual(received[0]["message"]["Subject"], "Harness check")
        self.assertIn("Hello from the queue", self.sink.body_text(received[0]["message"]))

    def test_unreachable_server_marks_mail_failed(self):
        self.mail_server.smtp_port = free_port()  # nothing listens there
        mail = self.env["mail.mail"].create({
            "subject": "Nobody listens",
            "body_html": "<p>x</p>",
            "email_to": "someone@example.com",
        })
        self.deliver_mail()
        self.assertEqual(mail.state, "exception")
        self.assertFalse(self.sink.messages)
