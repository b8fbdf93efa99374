# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models


# Kept apart from hr_talent.py and hr_talent_followup.py: newsletters are their own feature.
class HrTalent(models.Model):
    """Talents as recipients of Odoo's Mass Mailing."""

    _inherit = "hr.talent"

    @api.multi
    def message_get_default_recipients(self, res_model=None, res_ids=None):
        """A talent is written to at its own email address, not its contact's."""
        if res_model and res_ids:
            return super(HrTalent, self).message_get_default_recipients(
                res_model=res_model, res_ids=res_ids)
        return dict((talent.id, {"partner_ids": [], "email_to": talent.email or False,
                                 "email_cc": False}) for talent in self.sudo())

    @api.model
    def _nurture_contactable_ids(self, res_ids):
        """The ids among res_ids a newsletter may go to, in their order."""
        return self.env["mail.mass_mailing"]._nurture_contactable_talent_ids(res_ids)
