# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from ..lib import ids as id_lib


class HrTalentApplyWizard(models.TransientModel):
    """Apply a talent to an open job: a new applicant linked to the talent."""

    _name = "hr.talent.apply.wizard"
    _description = "Apply Talent to Job"

    talent_id = fields.Many2one("hr.talent", "Talent", required=True, ondelete="cascade")
    job_id = fields.Many2one(
        "hr.job", required=True, domain=[("state", "=", "recruit")],
        help="Only jobs that are recruiting can be chosen.")
    copy_attachments = fields.Boolean(
        default=True,
        help="Copy the resumes and letters of the talent's previous applications.")

    @api.multi
    def _applicant_values(self):
        self.ensure_one()
        talent, job = self.talent_id, self.job_id
        return {
            "name": job.name,
            "partner_name": talent.name,
            "email_from": talent.email,
            "partner_phone": talent.phone,
            "partner_id": talent.partner_id.id,
            "job_id": job.id,
            "department_id": job.department_id.id,
            "company_id": job.company_id.id or talent.company_id.id,
            "categ_ids": [(6, 0, talent.category_ids.ids)],
            "availability": talent.availability,
            "talent_id": talent.id,
        }

    @api.multi
    def action_apply(self):
        self = self.browse(id_lib.unique(self.ids))  # named twice (RPC): acts once
        self.ensure_one()
        if self.job_id.state != "recruit":
            raise UserError(_(
                "The job \"%s\" is not recruiting: start its recruitment before "
                "applying talents to it.") % self.job_id.name)
        applicant = self.env["hr.applicant"].create(self._applicant_values())
        if self.copy_attachments:
            self._copy_attachments(applicant)
        self.talent_id.message_post(body=_("Applied to %s.") % html_escape(self.job_id.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.applicant",
            "view_mode": "form",
            "res_id": applicant.id,
        }

    @api.multi
    def _copy_attachments(self, applicant):
        previous = self.talent_id.with_context(active_test=False).applicant_ids - applicant
        Attachment = self.env["ir.attachment"]
        attachments = Attachment.search([
            "|",
            "&", ("res_model", "=", "hr.applicant"), ("res_id", "in", previous.ids),
            "&", ("res_model", "=", "hr.talent"), ("res_id", "=", self.talent_id.id),
        ])
        for attachment in attachments:
            attachment.copy({"res_model": "hr.applicant", "res_id": applicant.id})
