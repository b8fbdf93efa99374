"""Shared test base: real mail delivery to a local SMTP sink."""
import contextlib
import threading

from odoo.tests.common import SavepointCase

from .smtp_sink import SmtpSink


class NurtureCase(SavepointCase):
    """SavepointCase whose outgoing mail server is a real SMTP sink on loopback.

    Odoo 11 never opens an SMTP connection while the test thread is flagged as
    ``testing``; :meth:`deliver_mail` lifts that flag only around the send, so
    the mail queue runs its production code path end to end.
    """

    @classmethod
    def setUpClass(cls):
        super(NurtureCase, cls).setUpClass()
        cls.sink = SmtpSink().start()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nolog=True))
        cls.mail_server = cls.env["ir.mail_server"].create({
            "name": "Test SMTP sink",
            "smtp_host": cls.sink.host,
            "smtp_port": cls.sink.port,
            "sequence": 0,
        })
        # mails queued before the test (demo data) are none of its business
        cls.mail_watermark = cls.env["mail.mail"].sudo().search(
            [], order="id desc", limit=1).id or 0

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()
        super(NurtureCase, cls).tearDownClass()

    def setUp(self):
        super(NurtureCase, self).setUp()
        self.sink.clear()

    @contextlib.contextmanager
    def _real_smtp(self):
        thread = threading.current_thread()
        testing = getattr(thread, "testing", False)
        thread.testing = False
        try:
            yield
        finally:
            thread.testing = testing

    def deliver_mail(self):
        """Send what Odoo's mail queue would send now, through real SMTP.

        Same selection as the mail queue cron (outgoing, scheduled date
        passed), without the cron's commit.
        """
        mails = self.env["mail.mail"].sudo().search([
            ("id", ">", self.mail_watermark),
            ("state", "=", "outgoing"),
            "|", ("scheduled_date", "=", False),
            ("scheduled_date", "<=", self._now_string()),
        ])
        with self._real_smtp():
            mails.send(auto_commit=False)
        return mails

    @staticmethod
    def _now_string():
        from odoo import fields
        return fields.Datetime.now()
