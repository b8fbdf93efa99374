# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..lib.feedback import DEFAULT_PROTECTED_TERMS, parse_terms


class ResCompany(models.Model):
    _inherit = "res.company"

    nurture_personal_stage_id = fields.Many2one(
        "hr.recruitment.stage", "Personal Feedback From Stage",
        help="Candidates refused at this stage or later must get a personal message "
             "and at least one specific feedback point. Empty: any stage after the "
             "first one of the pipeline (i.e. from the first interview on).")
    nurture_protected_terms = fields.Text(
        "Protected Wording",
        default=lambda self: ", ".join(DEFAULT_PROTECTED_TERMS),
        help="Words touching protected characteristics, separated by commas. Feedback "
             "using them must be confirmed explicitly before it is sent.")

    def _nurture_protected_terms(self):
        self.ensure_one()
        return parse_terms(self.nurture_protected_terms)

    def _nurture_personal_stage(self):
        """The threshold stage: the configured one, else the second stage by sequence."""
        self.ensure_one()
        if self.nurture_personal_stage_id:
            return self.nurture_personal_stage_id
        stages = self.env["hr.recruitment.stage"].sudo().search(
            [("job_id", "=", False)], order="sequence, id", limit=2)
        return stages[1:2] or stages[:1]
