# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

# mail.mail state -> refusal email state of the applicant it was sent for
_STATE_MAP = {"sent": "sent", "exception": "failed", "cancel": "cancelled",
              "outgoing": "scheduled"}


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
