# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools

from .hr_talent_funnel import FUNNEL_STEPS


class HrTalentFunnelStepReport(models.Model):
    """Re-engagement funnel, one line per refusal and step reached: the bars of
    the funnel graph (group by Step), sliced by any dimension of the refusal."""

    _name = "hr.talent.funnel.step.report"
    _description = "Re-engagement Funnel Steps"
    _auto = False
    _rec_name = "step"
    _order = "step, refuse_date desc"

    funnel_id = fields.Many2one("hr.talent.funnel", "Funnel Row", readonly=True)
    step = fields.Selection(FUNNEL_STEPS, readonly=True)
    step_date = fields.Datetime("Step Reached On", readonly=True)
    talent_id = fields.Many2one("hr.talent", "Talent", readonly=True)
    applicant_id = fields.Many2one("hr.applicant", "Refused Application", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    refuse_date = fields.Datetime("Refused On", readonly=True)
    reason_id = fields.Many2one("hr.applicant.refuse.reason", "Refuse Reason", readonly=True)
    job_id = fields.Many2one("hr.job", "Job", readonly=True)
    department_id = fields.Many2one("hr.department", "Department", readonly=True)
    user_id = fields.Many2one("res.users", "Recruiter", readonly=True)
    pool_id = fields.Many2one("hr.talent.pool", "Talent Pool", readonly=True)
    sequence_id = fields.Many2one("hr.talent.sequence", "Follow-up Sequence", readonly=True)
    silver_medalist = fields.Boolean(readonly=True)
    is_anonymized = fields.Boolean("Anonymised", readonly=True)
    nbr = fields.Integer("Refusals Reaching the Step", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW hr_talent_funnel_step_report AS (
                SELECT f.id * 10 + s.rank AS id, f.id AS funnel_id, s.step, s.step_date,
                       f.talent_id, f.applicant_id, f.company_id, f.refuse_date, f.reason_id,
                       f.job_id, f.department_id, f.user_id, f.pool_id, f.sequence_id,
                       f.silver_medalist, (t.anonymized_date IS NOT NULL) AS is_anonymized,
                       1 AS nbr
                  FROM hr_talent_funnel f
                  LEFT JOIN hr_talent t ON t.id = f.talent_id
                 CROSS JOIN LATERAL (VALUES
                       (1, '1_refused', f.refuse_date), (2, '2_consent', f.consent_date),
                       (3, '3_contacted', f.contacted_date), (4, '4_engaged', f.engaged_date),
                       (5, '5_event', f.event_date), (6, '6_applied', f.applied_date),
                       (7, '7_hired', f.hired_date)) AS s(rank, step, step_date)
                 WHERE s.step_date IS NOT NULL
            )""")
