# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class HrRecruitmentBackgroundRunFailure(models.Model):
    """A record a background run could not handle, with the error it met."""

    _name = "hr.recruitment.background.run.failure"
    _description = "Background Run Failure"
    _order = "id"

    run_id = fields.Many2one(
        "hr.recruitment.background.run", "Run", required=True, index=True,
        ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, readonly=True)
    res_model = fields.Char(related="run_id.res_model", readonly=True)
    res_id = fields.Integer("Record ID", required=True, readonly=True)
    record_name = fields.Char("Record", compute="_compute_record_name")
    error = fields.Text(readonly=True)

    @api.depends("res_id", "run_id.res_model")
    def _compute_record_name(self):
        for failure in self:
            record = self.env[failure.run_id.res_model].with_context(
                active_test=False).browse(failure.res_id).exists()
            try:
                failure.record_name = record.display_name if record else "#%d" % failure.res_id
            except AccessError:
                failure.record_name = "#%d" % failure.res_id
