# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The re-engagement funnel, stored: one row per refusal, a date per step.

refused -> consent given -> contacted -> engaged -> attended an event ->
applied again -> hired. A row is written when a refusal is made; each later
step sets its date once, on the talent's latest refusal, where the event
happens (see the calls to hr.talent._nurture_funnel_reach). Nothing changes
by itself when nothing happened, so the reports (SQL views over this table)
read fast and stay put.
"""
import datetime
import logging

from psycopg2 import sql

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# step key -> column of hr_talent_funnel (the refusal itself is refuse_date)
STEP_COLUMNS = {
    "consent": "consent_date",
    "contacted": "contacted_date",
    "engaged": "engaged_date",
    "event": "event_date",
    "applied": "applied_date",
    "hired": "hired_date",
}
FUNNEL_STEPS = [
    ("1_refused", "Refused"),
    ("2_consent", "Consent Given"),
    ("3_contacted", "Contacted"),
    ("4_engaged", "Engaged"),
    ("5_event", "Attended an Event"),
    ("6_applied", "Applied Again"),
    ("7_hired", "Hired"),
]
ENGAGEMENT_KINDS = [
    ("replied", "Replied by email"),
    ("clicked", "Clicked a link in our email"),
    ("feedback", "Answered the feedback question"),
    ("invitation", "Answered an event invitation"),
    ("candidate_page", "Used the candidate page"),
]
SUMMARY_TOP = 10
MANAGER = "hr_recruitment.group_hr_recruitment_manager"


class HrTalentFunnel(models.Model):
    """One refusal and how far the person came back afterwards."""

    _name = "hr.talent.funnel"
    _description = "Re-engagement Funnel of a Refusal"
    _order = "refuse_date desc, id desc"
    _rec_name = "applicant_id"

    talent_id = fields.Many2one("hr.talent", "Talent", index=True, ondelete="set null",
                                readonly=True)
    applicant_id = fields.Many2one("hr.applicant", "Refused Application", index=True,
                                   ondelete="set null", readonly=True)
    company_id = fields.Many2one("res.company", "Company", index=True, readonly=True)
    refuse_date = fields.Datetime("Refused On", required=True, index=True, readonly=True)
    reason_id = fields.Many2one("hr.applicant.refuse.reason", "Refuse Reason", index=True,
                                ondelete="set null", readonly=True)
    job_id = fields.Many2one("hr.job", "Job", index=True, ondelete="set null", readonly=True)
    department_id = fields.Many2one("hr.department", "Department", index=True,
                                    ondelete="set null", readonly=True)
    user_id = fields.Many2one("res.users", "Recruiter", index=True, ondelete="set null",
                              readonly=True,
                              help="The application's recruiter, else who refused it.")
    pool_id = fields.Many2one("hr.talent.pool", "Talent Pool", index=True, ondelete="set null",
                              readonly=True,
                              help="The pool the refusal put the talent in (silver "
                                   "medalists), else the talent's latest pool then.")
    sequence_id = fields.Many2one("hr.talent.sequence", "Follow-up Sequence", index=True,
                                  ondelete="set null", readonly=True,
                                  help="The follow-up sequence the refusal enrolled the talent in.")
    silver_medalist = fields.Boolean(readonly=True, index=True)
    consent_date = fields.Datetime("Consent Given On", readonly=True)
    contacted_date = fields.Datetime("Contacted On", readonly=True,
                                     help="First email sent to the talent after the refusal "
                                          "(follow-up, new openings, invitation, newsletter).")
    engaged_date = fields.Datetime("Engaged On", readonly=True,
                                   help="First thing the candidate did: replied, clicked a link "
                                        "of ours, answered the feedback question or an "
                                        "invitation, used the candidate page.")
    engaged_kind = fields.Selection(ENGAGEMENT_KINDS, "First Engagement", readonly=True)
    event_date = fields.Datetime("Attended an Event On", readonly=True)
    applied_date = fields.Datetime("Applied Again On", readonly=True)
    hired_date = fields.Datetime("Hired On", readonly=True)

    _sql_constraints = [
        ("refusal_uniq", "UNIQUE(applicant_id, refuse_date)", "A refusal has one funnel row."),
    ]

    # ------------------------------------------------------------------
    # Steps (called by hr.talent._nurture_funnel_reach and the refusal wizard)
    # ------------------------------------------------------------------
    def _nurture_invalidate(self):
        """Forget this model's cached rows after SQL writes, and only them: the
        whole cache would make the caller (the refusal wizard) re-read its batch."""
        self.invalidate_cache(fnames=list(self._fields))

    @api.model
    def _nurture_open(self, applicants, pool=None):
        """A row per refusal of these (just refused) applicants, in one statement.

        Consent counts as reached at the refusal when the talent may be
        contacted then. Idempotent (one row per applicant and refusal date).
        """
        ids = [aid for aid in applicants.ids if aid]
        if not ids:
            return
        self.env.cr.execute("""
            INSERT INTO hr_talent_funnel (
                applicant_id, talent_id, company_id, refuse_date, reason_id, job_id,
                department_id, user_id, pool_id, sequence_id, silver_medalist, consent_date,
                create_uid, create_date, write_uid, write_date)
            SELECT a.id, a.talent_id, COALESCE(a.company_id, t.company_id), a.refuse_date,
                   a.refuse_reason_id, a.job_id, COALESCE(a.department_id, j.department_id),
                   COALESCE(a.user_id, a.refuse_user_id),
                   CASE WHEN %(pool)s::int IS NOT NULL AND EXISTS (
                            SELECT 1 FROM hr_talent_pool_rel p
                             WHERE p.talent_id = a.talent_id AND p.pool_id = %(pool)s::int)
                        THEN %(pool)s::int
                        ELSE (SELECT max(p.pool_id) FROM hr_talent_pool_rel p
                               WHERE p.talent_id = a.talent_id) END,
                   (SELECT e.sequence_id FROM hr_talent_enrollment e
                     WHERE e.talent_id = a.talent_id AND e.state = 'running'
                     ORDER BY e.id DESC LIMIT 1),
                   COALESCE(t.silver_medalist, FALSE),
                   CASE WHEN t.is_contactable THEN a.refuse_date END,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM hr_applicant a
              LEFT JOIN hr_talent t ON t.id = a.talent_id
              LEFT JOIN hr_job j ON j.id = a.job_id
             WHERE a.id IN %(ids)s AND a.refuse_date IS NOT NULL
            ON CONFLICT (applicant_id, refuse_date) DO NOTHING""",
                            {"ids": tuple(ids), "pool": pool.id if pool else None,
                             "uid": self.env.uid})
        self._nurture_invalidate()

    @api.model
    def _nurture_undo(self, applicants):
        """The refusals of these applicants are undone (restored): their rows go."""
        ids = [aid for aid in applicants.ids if aid]
        if ids:
            self.env.cr.execute("""
                DELETE FROM hr_talent_funnel f USING hr_applicant a
                 WHERE f.applicant_id = a.id AND f.refuse_date = a.refuse_date
                   AND a.id IN %s""", (tuple(ids),))
            self._nurture_invalidate()

    @api.model
    def _nurture_reach(self, talent_ids, step, date=None, kind=None):
        """Step reached by these talents at date (now): set on the latest refusal
        of each, only where still empty and not before that refusal."""
        column = STEP_COLUMNS[step]
        talent_ids = [tid for tid in talent_ids if tid]
        if not talent_ids:
            return
        sets = [sql.SQL("{col} = %(date)s").format(col=sql.Identifier(column))]
        if step == "engaged":
            sets.append(sql.SQL("engaged_kind = %(kind)s"))
        self.env.cr.execute(sql.SQL("""
            UPDATE hr_talent_funnel f SET {sets}
              FROM (SELECT DISTINCT ON (talent_id) id FROM hr_talent_funnel
                     WHERE talent_id IN %(ids)s
                     ORDER BY talent_id, refuse_date DESC, id DESC) latest
             WHERE f.id = latest.id AND f.{col} IS NULL AND f.refuse_date <= %(date)s
        """).format(sets=sql.SQL(", ").join(sets), col=sql.Identifier(column)), {
            "ids": tuple(set(talent_ids)), "date": date or fields.Datetime.now(),
            "kind": kind})
        self.invalidate_cache([column, "engaged_kind"])

    @api.model
    def _nurture_move_talent(self, duplicate, talent):
        """Merge: the duplicate's refusals and engagements become the kept talent's."""
        for table in ("hr_talent_funnel", "hr_talent_engagement"):
            self.env.cr.execute(
                sql.SQL("UPDATE {table} SET talent_id = %s WHERE talent_id = %s").format(
                    table=sql.Identifier(table)), (talent.id, duplicate.id))
        self._nurture_invalidate()
        Engagement = self.env["hr.talent.engagement"]
        Engagement.invalidate_cache(fnames=list(Engagement._fields))

    # ------------------------------------------------------------------
    # Refusals made before the funnel existed (install, upgrade, demo)
    # ------------------------------------------------------------------
    @api.model
    def _nurture_backfill(self):
        """A row for every refusal without one, its steps read from what happened.

        Each step is the first fact between the refusal and the talent's next
        refusal (the latest refusal gets everything after it), as the live
        hooks would have recorded it: consent given and still valid, an email
        to the talent sent, a reply that stopped a follow-up or an answer to
        the feedback question or an invitation, an event attended, a new
        application, a hire. Runs at every install and upgrade; cheap when
        every refusal already has its row. Returns the number of rows added.
        """
        cr = self.env.cr
        cr.execute("""
            WITH r AS (
                SELECT a.id AS applicant_id, a.talent_id, a.refuse_date,
                       COALESCE(a.company_id, t.company_id) AS company_id,
                       a.refuse_reason_id, a.job_id,
                       COALESCE(a.department_id, j.department_id) AS department_id,
                       COALESCE(a.user_id, a.refuse_user_id) AS user_id,
                       a.refuse_feedback_date,
                       COALESCE(t.silver_medalist, FALSE) AS silver_medalist,
                       t.consent_state, t.consent_date AS talent_consent_date,
                       LEAD(a.refuse_date) OVER (PARTITION BY a.talent_id
                                                 ORDER BY a.refuse_date, a.id) AS next_date
                  FROM hr_applicant a
                  LEFT JOIN hr_talent t ON t.id = a.talent_id
                  LEFT JOIN hr_job j ON j.id = a.job_id
                 WHERE a.refuse_date IS NOT NULL
            ), w AS (
                SELECT r.*, COALESCE(r.next_date, 'infinity'::timestamp) AS until
                  FROM r
                 WHERE NOT EXISTS (SELECT 1 FROM hr_talent_funnel f
                                    WHERE f.applicant_id = r.applicant_id
                                      AND f.refuse_date = r.refuse_date)
            ), facts AS (
                SELECT w.*,
                       CASE WHEN w.consent_state = 'given'
                             AND GREATEST(w.talent_consent_date, w.refuse_date) < w.until
                            THEN GREATEST(w.talent_consent_date, w.refuse_date) END
                           AS consent_date,
                       (SELECT min(msg.date) FROM mail_mail m
                          JOIN mail_message msg ON msg.id = m.mail_message_id
                         WHERE msg.model = 'hr.talent' AND msg.res_id = w.talent_id
                           AND m.state = 'sent'
                           AND msg.date >= w.refuse_date AND msg.date < w.until)
                           AS contacted_date,
                       (SELECT min(i.answer_date) FROM hr_talent_invitation i
                         WHERE i.talent_id = w.talent_id
                           AND i.answer_date >= w.refuse_date AND i.answer_date < w.until)
                           AS invitation_date,
                       (SELECT min(e.stop_date) FROM hr_talent_enrollment e
                         WHERE e.talent_id = w.talent_id AND e.stop_reason = 'replied'
                           AND e.stop_date >= w.refuse_date AND e.stop_date < w.until)
                           AS replied_date,
                       (SELECT min(i.attended_date) FROM hr_talent_invitation i
                         WHERE i.talent_id = w.talent_id
                           AND i.attended_date >= w.refuse_date AND i.attended_date < w.until)
                           AS event_date,
                       (SELECT min(a2.create_date) FROM hr_applicant a2
                         WHERE a2.talent_id = w.talent_id AND a2.id != w.applicant_id
                           AND a2.create_date > w.refuse_date AND a2.create_date < w.until)
                           AS applied_date,
                       (SELECT min(COALESCE(a2.date_closed, a2.write_date)) FROM hr_applicant a2
                         WHERE a2.talent_id = w.talent_id AND a2.emp_id IS NOT NULL
                           AND a2.create_date > w.refuse_date AND a2.create_date < w.until)
                           AS hired_date
                  FROM w
            ), engaged AS (
                SELECT facts.*,
                       LEAST(facts.refuse_feedback_date, facts.invitation_date,
                             facts.replied_date) AS engaged_date
                  FROM facts
            )
            INSERT INTO hr_talent_funnel (
                applicant_id, talent_id, company_id, refuse_date, reason_id, job_id,
                department_id, user_id, pool_id, sequence_id, silver_medalist,
                consent_date, contacted_date, engaged_date, engaged_kind, event_date,
                applied_date, hired_date, create_uid, create_date, write_uid, write_date)
            SELECT e.applicant_id, e.talent_id, e.company_id, e.refuse_date, e.refuse_reason_id,
                   e.job_id, e.department_id, e.user_id,
                   (SELECT max(p.pool_id) FROM hr_talent_pool_rel p
                     WHERE p.talent_id = e.talent_id),
                   (SELECT en.sequence_id FROM hr_talent_enrollment en
                     WHERE en.talent_id = e.talent_id AND en.create_date >= e.refuse_date
                       AND en.create_date < e.until ORDER BY en.id LIMIT 1),
                   e.silver_medalist, e.consent_date, e.contacted_date, e.engaged_date,
                   CASE e.engaged_date WHEN e.refuse_feedback_date THEN 'feedback'
                        WHEN e.invitation_date THEN 'invitation'
                        WHEN e.replied_date THEN 'replied' END,
                   e.event_date, e.applied_date, e.hired_date,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM engaged e
            ON CONFLICT (applicant_id, refuse_date) DO NOTHING""", {"uid": self.env.uid})
        added = cr.rowcount
        if added:
            _logger.info("Re-engagement funnel: %d refusal(s) recorded from history", added)
        self._nurture_invalidate()
        return added

    # ------------------------------------------------------------------
    # Weekly summary to recruitment managers
    # ------------------------------------------------------------------
    @api.model
    def _nurture_summary_recipients(self, company):
        """Who gets the company's summary: the chosen users, else its recruitment managers."""
        users = company.nurture_summary_user_ids
        if not users:
            group = self.env.ref(MANAGER)
            users = group.users.filtered(
                lambda u: u.active and (u.company_id == company or company in u.company_ids))
        return users.filtered(lambda u: u.active and u.email and u.has_group(MANAGER))

    @api.model
    def _nurture_summary_values(self, company, now=None):
        """The figures of a company's weekly summary (plain values for the template)."""
        cr = self.env.cr
        now = fields.Datetime.from_string(now or fields.Datetime.now())
        start = now - datetime.timedelta(days=7)
        year_start = now - datetime.timedelta(days=365)
        params = {"company": company.id, "start": fields.Datetime.to_string(start),
                  "end": fields.Datetime.to_string(now),
                  "year": fields.Datetime.to_string(year_start)}
        cr.execute("""
            SELECT count(*) FILTER (WHERE refuse_date >= %(start)s AND refuse_date < %(end)s),
                   count(*) FILTER (WHERE consent_date >= %(start)s AND consent_date < %(end)s),
                   count(*) FILTER (WHERE contacted_date >= %(start)s AND contacted_date < %(end)s),
                   count(*) FILTER (WHERE engaged_date >= %(start)s AND engaged_date < %(end)s),
                   count(*) FILTER (WHERE event_date >= %(start)s AND event_date < %(end)s),
                   count(*) FILTER (WHERE applied_date >= %(start)s AND applied_date < %(end)s),
                   count(*) FILTER (WHERE hired_date >= %(start)s AND hired_date < %(end)s),
                   count(*) FILTER (WHERE refuse_date >= %(year)s),
                   count(consent_date) FILTER (WHERE refuse_date >= %(year)s),
                   count(contacted_date) FILTER (WHERE refuse_date >= %(year)s),
                   count(engaged_date) FILTER (WHERE refuse_date >= %(year)s),
                   count(event_date) FILTER (WHERE refuse_date >= %(year)s),
                   count(applied_date) FILTER (WHERE refuse_date >= %(year)s),
                   count(hired_date) FILTER (WHERE refuse_date >= %(year)s)
              FROM hr_talent_funnel
             WHERE company_id = %(company)s AND refuse_date < %(end)s""", params)
        row = cr.fetchone()
        labels = dict(FUNNEL_STEPS)
        keys = [key for key, _label in FUNNEL_STEPS]
        year_total = row[7]
        steps = []
        for index, key in enumerate(keys):
            year = row[7 + index]
            steps.append({
                "label": labels[key], "week": row[index], "year": year,
                "rate": round(100.0 * year / year_total, 1) if year_total else 0.0})

        # consents expiring soon (the renewal window of the company)
        today = now.date()
        horizon = today + datetime.timedelta(days=company.nurture_consent_renewal_days or 30)
        Talent = self.env["hr.talent"].sudo().with_context(active_test=False)
        expiring_domain = [("company_id", "=", company.id), ("consent_state", "=", "given"),
                           ("anonymized_date", "=", False),
                           ("consent_expiry_date", ">=", fields.Date.to_string(today)),
                           ("consent_expiry_date", "<=", fields.Date.to_string(horizon))]
        expiring = Talent.search(expiring_domain, order="consent_expiry_date, id",
                                 limit=SUMMARY_TOP)
        expiring_count = Talent.search_count(expiring_domain)

        # overdue follow-up activities on talents, per assignee
        cr.execute("""
            SELECT u.id, count(*) FROM mail_activity act
              JOIN hr_talent t ON t.id = act.res_id
              LEFT JOIN res_users u ON u.id = act.user_id
             WHERE act.res_model = 'hr.talent' AND t.company_id = %(company)s
               AND act.date_deadline < %(today)s
             GROUP BY u.id ORDER BY count(*) DESC, u.id""",
                   {"company": company.id, "today": fields.Date.to_string(today)})
        overdue_rows = cr.fetchall()
        users = self.env["res.users"].sudo().browse([uid for uid, _n in overdue_rows if uid])
        names = dict((user.id, user.name) for user in users)
        overdue = [{"user": names.get(uid) or "-", "count": count} for uid, count in overdue_rows]

        # feedback marked not helpful this week
        Applicant = self.env["hr.applicant"].sudo().with_context(active_test=False)
        not_helpful_domain = [("company_id", "=", company.id),
                              ("refuse_feedback_helpful", "=", "no"),
                              ("refuse_feedback_date", ">=", params["start"]),
                              ("refuse_feedback_date", "<", params["end"])]
        not_helpful = Applicant.search(not_helpful_domain, order="refuse_feedback_date desc, id",
                                       limit=SUMMARY_TOP)
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        action = self.env.ref("candidate_nurture.hr_talent_funnel_step_report_action")
        return {
            "company": company.name,
            "start": fields.Date.to_string(start.date()),
            "end": fields.Date.to_string((now - datetime.timedelta(days=1)).date()),
            "steps": steps,
            "year_total": year_total,
            "expiring_count": expiring_count,
            "expiring": [{
                "name": talent.name, "date": talent.consent_expiry_date,
                "url": "%s/web#id=%d&model=hr.talent&view_type=form" % (base, talent.id),
            } for talent in expiring],
            "overdue_count": sum(item["count"] for item in overdue),
            "overdue": overdue,
            "not_helpful_count": Applicant.search_count(not_helpful_domain),
            "not_helpful": [{
                "job": applicant.job_id.name or applicant.name,
                "reason": applicant.refuse_reason_id.name or "",
                "recruiter": applicant.user_id.name or applicant.refuse_user_id.name or "",
                # an anonymised person's words are not repeated
                "comment": "" if applicant.talent_id.anonymized_date else (
                    applicant.refuse_feedback_comment or ""),
                "url": "%s/web#id=%d&model=hr.applicant&view_type=form" % (base, applicant.id),
            } for applicant in not_helpful],
            "report_url": "%s/web#action=%d" % (base, action.id),
        }

    @api.model
    def _nurture_send_summary(self, company, now=None):
        """Queue the weekly summary of company to its recipients, one email each
        (in their language). Returns the mail.mail records."""
        Mail = self.env["mail.mail"].sudo()
        mails = Mail.browse()
        recipients = self._nurture_summary_recipients(company)
        if not recipients:
            return mails
        template = self.env.ref("candidate_nurture.mail_template_funnel_summary")
        values = self._nurture_summary_values(company, now=now)
        for user in recipients:
            rendered = template.with_context(lang=user.lang, summary=values).generate_email(
                company.id, fields=["subject", "body_html", "email_from"])
            mails |= Mail.create({
                "subject": rendered.get("subject"),
                "body_html": rendered.get("body_html"),
                "email_from": rendered.get("email_from") or company.email or False,
                "recipient_ids": [(4, user.partner_id.id)],
                "auto_delete": True,
                "message_type": "email",
            })
        return mails

    @api.model
    def _get_summary_company_domain(self):
        """Companies whose managers get the weekly summary (the cron's domain)."""
        return [("nurture_summary_active", "=", True)]

    @api.model
    def _cron_weekly_summary(self):
        for company in self.env["res.company"].sudo().search(self._get_summary_company_domain()):
            self._nurture_send_summary(company)
        return True
