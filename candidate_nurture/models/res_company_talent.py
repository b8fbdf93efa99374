# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.addons.hr_recruitment.models.hr_recruitment import AVAILABLE_PRIORITIES


# Kept apart from the main extension of this model on purpose: the talent pool
# is developed in parallel with the refusal wizard, and separate files merge cleanly.
class ResCompany(models.Model):
    """The silver-medalist rule of the company (talent pool)."""

    _inherit = "res.company"

    nurture_silver_stage_id = fields.Many2one(
        "hr.recruitment.stage", "Silver Medalist From Stage",
        help="Refused candidates who reached this stage or a later one are silver "
             "medalists. Empty: the stage is not a criterion.")
    nurture_silver_min_priority = fields.Selection(
        AVAILABLE_PRIORITIES[1:], "Silver Medalist From Rating", default="2",
        help="Refused candidates rated at least this are silver medalists. Empty: the "
             "rating is not a criterion.")
    nurture_silver_use_reason = fields.Boolean(
        "Silver Medalist When Reason Is Pool-Eligible", default=True,
        help="Candidates refused for a reason marked \"Talent Pool Eligible\" are "
             "silver medalists.")

    @api.multi
    def _nurture_silver_rule(self):
        """Thresholds of lib.talent.silver_medalist_criteria: any one criterion suffices."""
        self.ensure_one()
        return {
            "stage_sequence": (self.nurture_silver_stage_id.sequence
                               if self.nurture_silver_stage_id else None),
            "min_rating": int(self.nurture_silver_min_priority)
            if self.nurture_silver_min_priority else None,
            "use_reason": self.nurture_silver_use_reason,
        }
