# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models


# Kept apart from mail_mail.py and mail_mail_followup.py: parallel features merge cleanly.
class MailMail(models.Model):
    """A mass mailing's "Unsubscribe" link, sent to a talent, is the talent's stop link."""

    _inherit = "mail.mail"

    @api.multi
    def _get_unsubscribe_url(self, email_to):
        if self.model == "hr.talent" and self.res_id:
            talent = self.env["hr.talent"].sudo().browse(self.res_id).exists()
            if talent and not talent.anonymized_date:
                return talent.get_stop_url()
        return super(MailMail, self)._get_unsubscribe_url(email_to)
