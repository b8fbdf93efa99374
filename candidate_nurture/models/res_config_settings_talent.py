# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


# Kept apart from the main extension of this model on purpose: the talent pool
# is developed in parallel with the refusal wizard, and separate files merge cleanly.
class ResConfigSettings(models.TransientModel):
    """Talent pool settings (Recruitment > Configuration > Settings)."""

    _inherit = "res.config.settings"

    nurture_silver_stage_id = fields.Many2one(
        related="company_id.nurture_silver_stage_id", string="Silver Medalist From Stage")
    nurture_silver_min_priority = fields.Selection(
        related="company_id.nurture_silver_min_priority", string="Silver Medalist From Rating")
    nurture_silver_use_reason = fields.Boolean(
        related="company_id.nurture_silver_use_reason",
        string="Silver Medalist When Reason Is Pool-Eligible")
