# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class EventRegistration(models.Model):
    _inherit = "event.registration"
    # anonymising a talent clears the text of its registrations but this one
    _nurture_anonymize_keep = ("origin",)

    @api.multi
    def write(self, vals):
        res = super(EventRegistration, self).write(vals)
        if "state" in vals and self.ids:
            # attendance (Odoo's "Attended") reaches the talent's invitation;
            # event staff may not see invitations: the sync reads them as sudo
            self.env["hr.talent.invitation"]._nurture_sync_registrations(self)
        return res
