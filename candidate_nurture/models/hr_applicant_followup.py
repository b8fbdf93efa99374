# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models


# Kept apart from the other extensions of this model on purpose (parallel features merge cleanly).
class HrApplicant(models.Model):
    """A new application or a hire ends the talent's follow-ups."""

    _inherit = "hr.applicant"

    @api.model
    def create(self, vals):
        applicant = super(HrApplicant, self).create(vals)
        talent = applicant.sudo().talent_id
        if talent and applicant.active:
            self.env["hr.talent.enrollment"].sudo().search([
                ("talent_id", "=", talent.id), ("state", "=", "running")])._nurture_stop("applied")
        return applicant

    @api.multi
    def write(self, vals):
        res = super(HrApplicant, self).write(vals)
        if vals.get("emp_id"):
            talents = self.sudo().mapped("talent_id")
            if talents:
                self.env["hr.talent.enrollment"].sudo().search([
                    ("talent_id", "in", talents.ids),
                    ("state", "=", "running")])._nurture_stop("hired")
        return res

    @api.multi
    def _nurture_talent_set_consent(self, state, source):
        """Record a consent change on the talents of these applicants."""
        self.sudo().with_context(active_test=False).mapped("talent_id")._nurture_set_consent(
            state, source)
        return True

    @api.multi
    def _nurture_talent_enroll(self, reason_id):
        """Enrol the talents of these applicants as a refusal for reason_id would."""
        reason = self.env["hr.applicant.refuse.reason"].browse(reason_id)
        self.sudo().with_context(active_test=False).mapped("talent_id")._nurture_enroll_after_refusal(
            reason)
        return True
