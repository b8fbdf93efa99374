# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools

from .hr_talent_funnel import ENGAGEMENT_KINDS


class HrTalentFunnelReport(models.Model):
    """Re-engagement funnel, one line per refusal: counts and conversion rates.

    A rate is the share of refusals (in the group) that reached the step: each
    line holds 100 or 0 and the pivot averages them. Steps are not nested (a
    candidate may answer the feedback question, i.e. engage, without being
    contacted again), so each rate is of the refusals, not of the step before.
    """

    _name = "hr.talent.funnel.report"
    _description = "Re-engagement Funnel Analysis"
    _auto = False
    _rec_name = "refuse_date"
    _order = "refuse_date desc"

    funnel_id = fields.Many2one("hr.talent.funnel", "Funnel Row", readonly=True)
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
    engaged_kind = fields.Selection(ENGAGEMENT_KINDS, "First Engagement", readonly=True)
    consent_date = fields.Datetime("Consent Given On", readonly=True)
    contacted_date = fields.Datetime("Contacted On", readonly=True)
    engaged_date = fields.Datetime("Engaged On", readonly=True)
    event_date = fields.Datetime("Attended an Event On", readonly=True)
    applied_date = fields.Datetime("Applied Again On", readonly=True)
    hired_date = fields.Datetime("Hired On", readonly=True)

    refused_count = fields.Integer("Refusals", readonly=True)
    consent_count = fields.Integer("Consent Given", readonly=True)
    contacted_count = fields.Integer("Contacted", readonly=True)
    engaged_count = fields.Integer("Engaged", readonly=True)
    event_count = fields.Integer("Attended an Event", readonly=True)
    applied_count = fields.Integer("Applied Again", readonly=True)
    hired_count = fields.Integer("Hired", readonly=True)
    consent_rate = fields.Float("Consent Given (%)", group_operator="avg", readonly=True)
    contacted_rate = fields.Float("Contacted (%)", group_operator="avg", readonly=True)
    engaged_rate = fields.Float("Engaged (%)", group_operator="avg", readonly=True)
    event_rate = fields.Float("Attended an Event (%)", group_operator="avg", readonly=True)
    applied_rate = fields.Float("Applied Again (%)", group_operator="avg", readonly=True)
    hired_rate = fields.Float("Hired (%)", group_operator="avg", readonly=True)
    engaged_days = fields.Float("Days to Engage", group_operator="avg", readonly=True,
                                help="Average days from the refusal to the first engagement.")
    hired_days = fields.Float("Days to Hire", group_operator="avg", readonly=True,
                              help="Average days from the refusal to the hire (hired only).")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW hr_talent_funnel_report AS (
                SELECT f.id, f.id AS funnel_id, f.talent_id, f.applicant_id, f.company_id,
                       f.refuse_date, f.reason_id, f.job_id, f.department_id, f.user_id,
                       f.pool_id, f.sequence_id, f.silver_medalist,
                       (t.anonymized_date IS NOT NULL) AS is_anonymized,
                       f.engaged_kind, f.consent_date, f.contacted_date, f.engaged_date,
                       f.event_date, f.applied_date, f.hired_date,
                       1 AS refused_count,
                       (f.consent_date IS NOT NULL)::int AS consent_count,
                       (f.contacted_date IS NOT NULL)::int AS contacted_count,
                       (f.engaged_date IS NOT NULL)::int AS engaged_count,
                       (f.event_date IS NOT NULL)::int AS event_count,
                       (f.applied_date IS NOT NULL)::int AS applied_count,
                       (f.hired_date IS NOT NULL)::int AS hired_count,
                       CASE WHEN f.consent_date IS NULL THEN 0.0 ELSE 100.0 END AS consent_rate,
                       CASE WHEN f.contacted_date IS NULL THEN 0.0 ELSE 100.0 END
                           AS contacted_rate,
                       CASE WHEN f.engaged_date IS NULL THEN 0.0 ELSE 100.0 END AS engaged_rate,
                       CASE WHEN f.event_date IS NULL THEN 0.0 ELSE 100.0 END AS event_rate,
                       CASE WHEN f.applied_date IS NULL THEN 0.0 ELSE 100.0 END AS applied_rate,
                       CASE WHEN f.hired_date IS NULL THEN 0.0 ELSE 100.0 END AS hired_rate,
                       EXTRACT(EPOCH FROM f.engaged_date - f.refuse_date) / 86400.0
                           AS engaged_days,
                       EXTRACT(EPOCH FROM f.hired_date - f.refuse_date) / 86400.0 AS hired_days
                  FROM hr_talent_funnel f
                  LEFT JOIN hr_talent t ON t.id = f.talent_id
            )""")
