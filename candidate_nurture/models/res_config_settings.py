# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # refusal feedback rules
    nurture_personal_stage_id = fields.Many2one(
        related="company_id.nurture_personal_stage_id",
        string="Personal Feedback From Stage")
    nurture_protected_terms = fields.Text(
        related="company_id.nurture_protected_terms", string="Protected Wording")
    nurture_allowed_phrases = fields.Text(
        related="company_id.nurture_allowed_phrases", string="Allowed Job Phrases")
    nurture_refuse_signer = fields.Selection(
        related="company_id.nurture_refuse_signer", string="Refusal Emails Signed By")
    nurture_feedback_link_days = fields.Integer(
        related="company_id.nurture_feedback_link_days", string="Feedback Link Valid For (days)")

    # talent pool
    nurture_silver_stage_id = fields.Many2one(
        related="company_id.nurture_silver_stage_id", string="Silver Medalist From Stage")
    nurture_silver_min_priority = fields.Selection(
        related="company_id.nurture_silver_min_priority", string="Silver Medalist From Rating")
    nurture_silver_use_reason = fields.Boolean(
        related="company_id.nurture_silver_use_reason",
        string="Silver Medalist When Reason Is Pool-Eligible")

    # consent, follow-ups and retention
    nurture_consent_months = fields.Integer(related="company_id.nurture_consent_months")
    nurture_consent_renewal_days = fields.Integer(
        related="company_id.nurture_consent_renewal_days")
    nurture_opening_digest_days = fields.Integer(
        related="company_id.nurture_opening_digest_days")
    nurture_retention_days = fields.Integer(related="company_id.nurture_retention_days")
    nurture_followup_max_attempts = fields.Integer(
        related="company_id.nurture_followup_max_attempts")

    # reports: weekly summary, open tracking
    nurture_summary_active = fields.Boolean(related="company_id.nurture_summary_active")
    nurture_summary_user_ids = fields.Many2many(related="company_id.nurture_summary_user_ids")
    nurture_open_tracking = fields.Boolean(related="company_id.nurture_open_tracking")

    # background runs
    nurture_background_threshold = fields.Integer(
        related="company_id.nurture_background_threshold")
    nurture_background_batch_size = fields.Integer(
        related="company_id.nurture_background_batch_size")
    # what candidates see
    nurture_brand_color = fields.Char(related="company_id.nurture_brand_color")

    @api.multi
    def action_nurture_send_summary(self):
        """Send the weekly re-engagement summary of the company now (managers)."""
        if not self.env.user.has_group("hr_recruitment.group_hr_recruitment_manager"):
            raise AccessError(_("Only recruitment managers may send the weekly summary."))
        self.ensure_one()
        self.env["hr.talent.funnel"].sudo()._nurture_send_summary(self.company_id)
        return True
