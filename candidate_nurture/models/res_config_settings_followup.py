# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


# Kept apart from the other extensions of this model on purpose (parallel features merge cleanly).
class ResConfigSettings(models.TransientModel):
    """Consent and follow-up settings (Recruitment > Configuration > Settings)."""

    _inherit = "res.config.settings"

    nurture_consent_months = fields.Integer(related="company_id.nurture_consent_months")
    nurture_consent_renewal_days = fields.Integer(
        related="company_id.nurture_consent_renewal_days")
    nurture_opening_digest_days = fields.Integer(
        related="company_id.nurture_opening_digest_days")
    nurture_retention_days = fields.Integer(related="company_id.nurture_retention_days")
    nurture_followup_max_attempts = fields.Integer(
        related="company_id.nurture_followup_max_attempts")
