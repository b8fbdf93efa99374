# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models


# Kept apart from mail_mail.py (refusal emails) on purpose: parallel features merge cleanly.
class MailMail(models.Model):
    """Follow-up emails know their enrolment and step: each step is sent once."""

    _inherit = "mail.mail"

    nurture_enrollment_id = fields.Many2one(
        "hr.talent.enrollment", "Follow-up Enrolment", index=True, ondelete="set null",
        readonly=True)
    nurture_step_id = fields.Many2one(
        "hr.talent.sequence.step", "Follow-up Step", ondelete="set null", readonly=True)

    _sql_constraints = [
        ("nurture_step_once", "UNIQUE(nurture_enrollment_id, nurture_step_id)",
         "A follow-up step is sent only once per enrolment."),
    ]

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
