# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models, tools

from .hr_applicant import REFUSE_EMAIL_STATES


class HrApplicantExperienceReport(models.Model):
    """Candidate experience: one line per closed application (refused or archived).

    Rates hold 100 or 0 on the lines they are about and nothing elsewhere, so
    the pivot's average is exactly the share: personal feedback among the
    interviewed, "ghosted" among closures meant to be emailed, "helpful" among
    the answers.
    """

    _name = "hr.applicant.experience.report"
    _description = "Candidate Experience Analysis"
    _auto = False
    _rec_name = "applicant_id"
    _order = "close_date desc"

    applicant_id = fields.Many2one("hr.applicant", "Application", readonly=True)
    talent_id = fields.Many2one("hr.talent", "Talent", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    job_id = fields.Many2one("hr.job", "Job", readonly=True)
    department_id = fields.Many2one("hr.department", "Department", readonly=True)
    user_id = fields.Many2one("res.users", "Recruiter", readonly=True)
    reason_id = fields.Many2one("hr.applicant.refuse.reason", "Refuse Reason", readonly=True)
    stage_id = fields.Many2one("hr.recruitment.stage", "Stage Reached", readonly=True)
    close_date = fields.Datetime("Closed On", readonly=True,
                                 help="The refusal date, else the last change of the "
                                      "archived application.")
    is_refused = fields.Boolean("Refused with a Reason", readonly=True)
    is_interviewed = fields.Boolean("Interviewed", readonly=True,
                                    help="Reached the stage from which personal feedback is "
                                         "required (Recruitment > Configuration > Settings).")
    is_ghosted = fields.Boolean("Ghosted", readonly=True,
                                help="Closed without any email or message to the candidate.")
    is_anonymized = fields.Boolean("Anonymised", readonly=True)
    refuse_email_state = fields.Selection(REFUSE_EMAIL_STATES, "Refusal Email", readonly=True)
    feedback_helpful = fields.Selection([("yes", "Yes"), ("no", "No")], "Feedback Helpful?",
                                        readonly=True)
    feedback_comment = fields.Text("Candidate's Comment", readonly=True)
    feedback_date = fields.Datetime("Answered On", readonly=True)

    closed_count = fields.Integer("Closed Applications", readonly=True)
    interviewed_count = fields.Integer("Interviewed", readonly=True)
    personal_count = fields.Integer("Interviewed with Personal Feedback", readonly=True)
    personal_rate = fields.Float(
        "Personal Feedback (% of interviewed)", group_operator="avg", readonly=True,
        help="Interviewed candidates whose refusal email (queued or sent) carries a "
             "personal message.")
    email_days = fields.Float(
        "Days from Last Stage Change to Refusal Email", group_operator="avg", readonly=True)
    ghosted_count = fields.Integer("Ghosted", readonly=True)
    ghosted_rate = fields.Float(
        "Ghosted (%)", group_operator="avg", readonly=True,
        help="Share of closed applications without any email or message to the candidate "
             "(reasons that are never emailed, such as spam, are left out).")
    answered_count = fields.Integer("Feedback Answers", readonly=True)
    helpful_count = fields.Integer("Helpful", readonly=True)
    not_helpful_count = fields.Integer("Not Helpful", readonly=True)
    helpful_rate = fields.Float("Helpful (% of answers)", group_operator="avg", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW hr_applicant_experience_report AS (
                WITH note AS (
                    SELECT res_id AS id FROM ir_model_data
                     WHERE module = 'mail' AND name = 'mt_note' AND model = 'mail.message.subtype'
                ), second_stage AS (
                    SELECT sequence FROM hr_recruitment_stage WHERE job_id IS NULL
                     ORDER BY sequence, id OFFSET 1 LIMIT 1
                ), base AS (
                    SELECT a.id, a.talent_id, a.company_id, a.job_id, a.user_id, a.stage_id,
                           a.refuse_reason_id, a.refuse_date, a.write_date, a.refuse_email_state,
                           a.refuse_feedback_helpful, a.refuse_feedback_comment,
                           a.refuse_feedback_date, a.refuse_message, a.refuse_scheduled_date,
                           a.date_last_stage_update,
                           COALESCE(a.department_id, j.department_id) AS dep_id,
                           (st.sequence >= COALESCE(ps.sequence,
                                                    (SELECT sequence FROM second_stage)))
                               AS interviewed,
                           COALESCE(a.refuse_email_state, 'none') IN ('queued', 'scheduled', 'sent')
                               AS emailed,
                           (r.send_email IS FALSE) AS never_emailed,
                           EXISTS (
                               SELECT 1 FROM mail_message m
                                WHERE m.model = 'hr.applicant' AND m.res_id = a.id
                                  AND m.message_type IN ('email', 'comment')
                                  AND m.subtype_id IS DISTINCT FROM (SELECT id FROM note)
                                  AND m.author_id IS NOT NULL
                                  AND m.author_id IS DISTINCT FROM a.partner_id
                           ) AS messaged,
                           t.anonymized_date IS NOT NULL AS anonymized
                      FROM hr_applicant a
                      LEFT JOIN hr_job j ON j.id = a.job_id
                      LEFT JOIN hr_talent t ON t.id = a.talent_id
                      LEFT JOIN hr_recruitment_stage st ON st.id = a.stage_id
                      LEFT JOIN hr_applicant_refuse_reason r ON r.id = a.refuse_reason_id
                      LEFT JOIN res_company c ON c.id = a.company_id
                      LEFT JOIN hr_recruitment_stage ps ON ps.id = c.nurture_personal_stage_id
                     WHERE (a.active IS NOT TRUE OR a.refuse_date IS NOT NULL)
                       AND a.emp_id IS NULL
                )
                SELECT b.id, b.id AS applicant_id, b.talent_id, b.company_id, b.job_id,
                       b.dep_id AS department_id, b.user_id, b.refuse_reason_id AS reason_id,
                       b.stage_id, COALESCE(b.refuse_date, b.write_date) AS close_date,
                       (b.refuse_date IS NOT NULL) AS is_refused,
                       COALESCE(b.interviewed, FALSE) AS is_interviewed,
                       (NOT b.never_emailed AND NOT b.emailed AND NOT b.messaged) AS is_ghosted,
                       b.anonymized AS is_anonymized,
                       b.refuse_email_state,
                       b.refuse_feedback_helpful AS feedback_helpful,
                       CASE WHEN b.anonymized THEN NULL ELSE b.refuse_feedback_comment END
                           AS feedback_comment,
                       b.refuse_feedback_date AS feedback_date,
                       1 AS closed_count,
                       COALESCE(b.interviewed, FALSE)::int AS interviewed_count,
                       (COALESCE(b.interviewed, FALSE) AND b.emailed
                        AND COALESCE(b.refuse_message, '') != '')::int AS personal_count,
                       CASE WHEN b.interviewed THEN
                           CASE WHEN b.emailed AND COALESCE(b.refuse_message, '') != ''
                                THEN 100.0 ELSE 0.0 END END AS personal_rate,
                       CASE WHEN b.emailed AND b.date_last_stage_update IS NOT NULL THEN
                           GREATEST(EXTRACT(EPOCH FROM
                               COALESCE(b.refuse_scheduled_date, b.refuse_date)
                               - b.date_last_stage_update) / 86400.0, 0.0) END AS email_days,
                       (NOT b.never_emailed AND NOT b.emailed AND NOT b.messaged)::int
                           AS ghosted_count,
                       CASE WHEN NOT b.never_emailed THEN
                           CASE WHEN NOT b.emailed AND NOT b.messaged THEN 100.0 ELSE 0.0 END
                       END AS ghosted_rate,
                       (b.refuse_feedback_helpful IS NOT NULL)::int AS answered_count,
                       (b.refuse_feedback_helpful = 'yes')::int AS helpful_count,
                       (b.refuse_feedback_helpful = 'no')::int AS not_helpful_count,
                       CASE b.refuse_feedback_helpful WHEN 'yes' THEN 100.0 WHEN 'no' THEN 0.0
                       END AS helpful_rate
                  FROM base b
            )""")

    @api.multi
    def action_open_applicant(self):
        """The application behind a line (read with the user's own rights)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "hr.applicant", "view_mode": "form",
            "res_id": self.applicant_id.id, "context": {"active_test": False},
        }
