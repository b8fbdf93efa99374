# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


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
