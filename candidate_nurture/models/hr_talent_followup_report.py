# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools

from .hr_talent_enrollment import ENROLLMENT_STATES, STOP_REASONS
from .hr_talent_sequence_step import STEP_ACTIONS


class HrTalentFollowupReport(models.Model):
    """Follow-up effectiveness: one line per enrolment and step done, plus one
    per enrolment stopped before its first step.

    Sent: the step's email went out. Engaged: the talent clicked a link of that
    email, or replied, answered or used the candidate page within 30 days
    after the step. Stopped: the enrolment ended right after this step, for
    the reason shown. Steps are matched to the enrolment's count of steps done
    in their current order.
    """

    _name = "hr.talent.followup.report"
    _description = "Follow-up Effectiveness Analysis"
    _auto = False
    _rec_name = "step_id"
    _order = "sequence_id, step_rank"

    enrollment_id = fields.Many2one("hr.talent.enrollment", "Follow-up", readonly=True)
    talent_id = fields.Many2one("hr.talent", "Talent", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    sequence_id = fields.Many2one("hr.talent.sequence", "Follow-up Sequence", readonly=True)
    step_id = fields.Many2one("hr.talent.sequence.step", "Step", readonly=True,
                              help="Empty: stopped before the first step.")
    step_rank = fields.Integer("Step Number", group_operator="min", readonly=True)
    step_action = fields.Selection(STEP_ACTIONS, readonly=True)
    state = fields.Selection(ENROLLMENT_STATES, "Follow-up Status", readonly=True)
    stop_reason = fields.Selection(STOP_REASONS, "Stopped Because", readonly=True,
                                   help="Set on the step after which the follow-up stopped.")
    step_date = fields.Datetime("Step Done On", readonly=True)
    done_count = fields.Integer("Steps Done", readonly=True)
    sent_count = fields.Integer("Emails Sent", readonly=True)
    failed_count = fields.Integer("Emails Failed or Cancelled", readonly=True)
    opened_count = fields.Integer("Opened", readonly=True,
                                  help="Only when the company tracks email opens (settings).")
    engaged_count = fields.Integer("Engaged", readonly=True)
    clicked_count = fields.Integer("Clicked", readonly=True)
    stopped_count = fields.Integer("Stopped", readonly=True)
    engaged_rate = fields.Float("Engaged (% of steps done)", group_operator="avg",
                                readonly=True)
    stopped_rate = fields.Float("Stopped (% of steps done)", group_operator="avg",
                                readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW hr_talent_followup_report AS (
                WITH steps AS (
                    SELECT s.id, s.sequence_id, s.action,
                           row_number() OVER (PARTITION BY s.sequence_id
                                              ORDER BY s.sequence, s.id) AS rank
                      FROM hr_talent_sequence_step s
                ), done AS (
                    SELECT e.id::bigint * 1000 + st.rank AS id, e.id AS enrollment_id,
                           e.talent_id, e.company_id, e.sequence_id, st.id AS step_id,
                           st.rank AS step_rank, st.action AS step_action, e.state,
                           (e.state = 'stopped' AND e.last_step_id = st.id) AS stopped_here,
                           e.stop_reason,
                           CASE WHEN e.last_step_id = st.id THEN e.last_step_date END
                               AS last_date,
                           1 AS done
                      FROM hr_talent_enrollment e
                      JOIN steps st ON st.sequence_id = e.sequence_id
                                   AND st.rank <= COALESCE(e.steps_done, 0)
                    UNION ALL
                    SELECT e.id::bigint * 1000, e.id, e.talent_id, e.company_id, e.sequence_id,
                           NULL, 0, NULL, e.state, TRUE, e.stop_reason, e.stop_date, 0
                      FROM hr_talent_enrollment e
                     WHERE e.state = 'stopped' AND COALESCE(e.steps_done, 0) = 0
                )
                SELECT d.id, d.enrollment_id, d.talent_id, d.company_id, d.sequence_id,
                       d.step_id, d.step_rank, d.step_action, d.state,
                       CASE WHEN d.stopped_here THEN d.stop_reason END AS stop_reason,
                       COALESCE(m.date, d.last_date) AS step_date,
                       d.done AS done_count,
                       COALESCE(m.sent, 0) AS sent_count,
                       COALESCE(m.failed, 0) AS failed_count,
                       COALESCE(g.opened, 0) AS opened_count,
                       COALESCE(g.engaged, 0) AS engaged_count,
                       COALESCE(g.clicked, 0) AS clicked_count,
                       d.stopped_here::int AS stopped_count,
                       CASE WHEN d.done = 1 THEN
                           CASE WHEN COALESCE(g.engaged, 0) = 1 THEN 100.0 ELSE 0.0 END
                       END AS engaged_rate,
                       CASE WHEN d.done = 1 THEN
                           CASE WHEN d.stopped_here THEN 100.0 ELSE 0.0 END
                       END AS stopped_rate
                  FROM done d
                  LEFT JOIN LATERAL (
                      SELECT max(msg.date) AS date,
                             max(CASE WHEN mm.state = 'sent' THEN 1 ELSE 0 END) AS sent,
                             max(CASE WHEN mm.state IN ('exception', 'cancel') THEN 1 ELSE 0 END)
                                 AS failed
                        FROM mail_mail mm
                        JOIN mail_message msg ON msg.id = mm.mail_message_id
                       WHERE mm.nurture_enrollment_id = d.enrollment_id
                         AND mm.nurture_step_id = d.step_id
                  ) m ON TRUE
                  LEFT JOIN LATERAL (
                      SELECT max(CASE WHEN eg.kind = 'opened' THEN 1 ELSE 0 END) AS opened,
                             max(CASE WHEN eg.kind != 'opened' THEN 1 ELSE 0 END) AS engaged,
                             max(CASE WHEN eg.kind = 'clicked' THEN 1 ELSE 0 END) AS clicked
                        FROM hr_talent_engagement eg
                       WHERE eg.enrollment_id = d.enrollment_id AND eg.step_id = d.step_id
                  ) g ON TRUE
            )""")
