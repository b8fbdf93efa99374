# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

# mail.mail state -> refusal email state of the applicant it was sent for
_STATE_MAP = {"sent": "sent", "exception": "failed", "cancel": "cancelled",
              "outgoing": "scheduled"}


class MailMail(models.Model):
    _inherit = "mail.mail"

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
