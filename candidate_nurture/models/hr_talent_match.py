# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError


class HrTalentMatch(models.Model):
    """A talent ranked for a job by rediscovery, with the parts of the score.

    Rebuilt on demand (hr.job._nurture_compute_talent_matches), so the list
    can be sorted and filtered on each part.
    """

    _name = "hr.talent.match"
    _description = "Talent Matching a Job"
    _order = "job_id, rank, id"

    job_id = fields.Many2one("hr.job", "Job", required=True, index=True, ondelete="cascade")
    talent_id = fields.Many2one("hr.talent", "Talent", required=True, index=True,
                                ondelete="cascade")
    rank = fields.Integer(index=True)
    score = fields.Float(digits=(16, 2))
    score_tags = fields.Float("Shared Tags", digits=(16, 2))
    score_department = fields.Float("Department", digits=(16, 2))
    score_stage = fields.Float("Furthest Stage", digits=(16, 2))
    score_rating = fields.Float("Rating", digits=(16, 2))
    score_reason = fields.Float("Refusal Reason", digits=(16, 2))
    score_recency = fields.Float("Recency", digits=(16, 2))
    explanation = fields.Text("Why")
    company_id = fields.Many2one(related="talent_id.company_id", store=True, readonly=True)
    email = fields.Char(related="talent_id.email", readonly=True)
    furthest_stage_id = fields.Many2one(related="talent_id.furthest_stage_id", readonly=True)
    furthest_job_id = fields.Many2one(related="talent_id.furthest_job_id", readonly=True)
    silver_medalist = fields.Boolean(related="talent_id.silver_medalist", readonly=True)

    _sql_constraints = [
        ("job_talent_uniq", "unique(job_id, talent_id)", "A talent is ranked once per job."),
    ]

    # company_id is the talent's (the multi-company record rule reads it): a
    # value passed by the caller is ignored, and a match stays with its talent
    @api.model
    def create(self, vals):
        vals = dict((key, value) for key, value in vals.items() if key != "company_id")
        return super(HrTalentMatch, self).create(vals)

    @api.multi
    def write(self, vals):
        if "talent_id" in vals and self.env.uid != SUPERUSER_ID and any(
                match.talent_id.id != vals["talent_id"] for match in self):
            raise UserError(_("A job match cannot be moved to another talent."))
        vals = dict((key, value) for key, value in vals.items() if key != "company_id")
        return super(HrTalentMatch, self).write(vals)
