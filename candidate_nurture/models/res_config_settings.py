# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    nurture_personal_stage_id = fields.Many2one(
        related="company_id.nurture_personal_stage_id",
        string="Personal Feedback From Stage")
    nurture_protected_terms = fields.Text(
        related="company_id.nurture_protected_terms", string="Protected Wording")
