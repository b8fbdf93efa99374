# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..lib import headers as hdr

# mail.mail state -> refusal email state of the applicant it was sent for
_STATE_MAP = {"sent": "sent", "exception": "failed", "cancel": "cancelled",
              "outgoing": "scheduled"}
# values that become email headers (record_name feeds Odoo's Reply-To)
_HEADER_FIELDS = ("subject", "email_from", "email_to", "email_cc", "reply_to", "record_name")


class MailMail(models.Model):
    _inherit = "mail.mail"

    # follow-up emails know their enrolment and step: each step is sent once
    nurture_enrollment_id = fields.Many2one(
        "hr.talent.enrollment", "Follow-up Enrolment", index=True, ondelete="set null",
        readonly=True)
    nurture_step_id = fields.Many2one(
        "hr.talent.sequence.step", "Follow-up Step", ondelete="set null", readonly=True)

    _sql_constraints = [
        ("nurture_step_once", "UNIQUE(nurture_enrollment_id, nurture_step_id)",
         "A follow-up step is sent only once per enrolment."),
    ]

    # ------------------------------------------------------------------
    # Refusal emails: the applicant shows the state of its email
    # ------------------------------------------------------------------
    @api.multi
    def write(self, vals):
        res = super(MailMail, self).write(vals)
        new_state = _STATE_MAP.get(vals.get("state"))
        if new_state and self.ids:
            applicants = self.env["hr.applicant"].sudo().with_context(active_test=False).search(
                [("refuse_mail_id", "in", self.ids)])
            if applicants:
                applicants.write({"refuse_email_state": new_state})
        return res

    # ------------------------------------------------------------------
    # Safe headers: names typed with a line break never break an email
    # ------------------------------------------------------------------
    @api.model
    def create(self, values):
        """Header values are stored on one line (a name with a line break in a
        subject, an address or the record name).

        For a new message, the record name and Reply-To (which names the
        document when an alias domain is set) are derived here as mail.message
        would, then put on one line: the same work, done once. A mail for an
        existing message (a notification) leaves that message's values alone.
        """
        values = dict(values)
        Message = self.env["mail.message"]
        if not values.get("mail_message_id"):
            if values.get("model") and values.get("res_id") and "record_name" not in values \
                    and "default_record_name" not in self.env.context:
                values["record_name"] = Message._get_record_name(values)
            if "reply_to" not in values:
                if "email_from" not in values:
                    values["email_from"] = Message._get_default_from()
                values["reply_to"] = Message._get_reply_to(values)
        for fname in _HEADER_FIELDS:
            if values.get(fname):
                values[fname] = hdr.one_line(values[fname])
        return super(MailMail, self).create(values)

    @api.multi
    def _send(self, auto_commit=False, raise_exception=False, smtp_session=None):
        """Before sending, header values queued before this check are put on
        one line too (one read of the batch)."""
        for row in self.exists().read(["subject", "email_from", "email_to", "email_cc",
                                       "reply_to"]):
            dirty = dict((fname, hdr.one_line(value)) for fname, value in row.items()
                         if fname != "id" and not hdr.is_one_line(value))
            if dirty:
                self.browse(row["id"]).write(dirty)
        return super(MailMail, self)._send(auto_commit=auto_commit,
                                           raise_exception=raise_exception,
                                           smtp_session=smtp_session)

    @api.multi
    def send_get_mail_to(self, partner=None):
        """The recipient's name goes into To on one line, and only when it holds no
        address: Odoo sends to every address it finds in To, so a contact named
        "Ann evil@example.com" would otherwise send a copy there."""
        return [hdr.safe_address(address) for address in
                super(MailMail, self).send_get_mail_to(partner=partner)]

    # ------------------------------------------------------------------
    # Follow-ups: each step is sent once; a refused send ends the enrolment
    # ------------------------------------------------------------------
    @api.multi
    def _postprocess_sent_message(self, mail_sent=True):
        """A follow-up email the server refused (bounce at sending) ends its enrolment.

        Not on write(state='exception'): Odoo 11 writes that state just before
        every send, as a guard, then 'sent' once it went out.
        """
        if not mail_sent:
            enrollments = self.sudo().mapped("nurture_enrollment_id").filtered(
                lambda e: e.state == "running")
            enrollments._nurture_stop("bounced")
        return super(MailMail, self)._postprocess_sent_message(mail_sent=mail_sent)

    # ------------------------------------------------------------------
    # Newsletters: the Unsubscribe link of a talent is its stop link
    # ------------------------------------------------------------------
    @api.multi
    def _get_unsubscribe_url(self, email_to):
        if self.model == "hr.talent" and self.res_id:
            talent = self.env["hr.talent"].sudo().browse(self.res_id).exists()
            if talent and not talent.anonymized_date:
                # the system building the email: no caller to check
                return talent._nurture_stop_url()
        return super(MailMail, self)._get_unsubscribe_url(email_to)
