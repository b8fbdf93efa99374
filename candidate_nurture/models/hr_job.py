# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.tools import html_escape

from ..lib import talent as talent_lib

# talents scored in Python per job: the best ones by a SQL pre-score
MATCH_CANDIDATES = 500
# matches kept per job (ir.config_parameter candidate_nurture.talent_match_limit)
MATCH_LIMIT = 20
ACTIVITY_TOP = 5


class HrJob(models.Model):
    _name = "hr.job"
    _inherit = ["hr.job", "mail.activity.mixin"]

    talent_category_ids = fields.Many2many(
        "hr.applicant.category", "hr_job_talent_category_rel", "job_id", "category_id",
        "Skills Sought",
        help="Tags rediscovery looks for in the talent pool. Empty: the tags of the "
             "job's applications.")
    talent_match_ids = fields.One2many("hr.talent.match", "job_id", "Matching Talents")
    talent_match_count = fields.Integer(
        "Matching Talents", compute="_compute_talent_match_count")

    @api.multi
    def _compute_talent_match_count(self):
        data = self.env["hr.talent.match"].read_group(
            [("job_id", "in", self.ids)], ["job_id"], ["job_id"])
        counts = dict((row["job_id"][0], row["job_id_count"]) for row in data)
        for job in self:
            job.talent_match_count = counts.get(job.id, 0)

    @api.multi
    def write(self, vals):
        starting = self.browse()
        if vals.get("state") == "recruit":
            starting = self.filtered(lambda job: job.state != "recruit")
        res = super(HrJob, self).write(vals)
        if starting:
            starting._nurture_start_recruiting()
        return res

    @api.multi
    def _nurture_start_recruiting(self):
        """These jobs just started recruiting: put matching talents in front of
        their recruiters, and queue the opening for the interested talents'
        next new-openings email."""
        if not self.env.context.get("nurture_no_rediscovery"):
            self._nurture_rediscover_talents()
        self._nurture_queue_opening()
        return True

    @api.multi
    def action_open_talent_matches(self):
        """Rank the talent pool for this job now and show the ranked list."""
        self.ensure_one()
        self._nurture_compute_talent_matches()
        action = self.env.ref("candidate_nurture.hr_talent_match_action").read()[0]
        action["domain"] = [("job_id", "=", self.id)]
        action["context"] = {"default_job_id": self.id}
        action["display_name"] = _("Matching Talents: %s") % self.name
        return action

    # ------------------------------------------------------------------
    # Rediscovery
    # ------------------------------------------------------------------
    def _nurture_match_limit(self):
        param = self.env["ir.config_parameter"].sudo().get_param(
            "candidate_nurture.talent_match_limit")
        try:
            return max(int(param), 1) if param else MATCH_LIMIT
        except ValueError:
            return MATCH_LIMIT

    @api.multi
    def _nurture_sought_categories(self):
        """Tag ids the job looks for: its Skills Sought, else its applications' tags."""
        self.ensure_one()
        if self.talent_category_ids:
            return set(self.talent_category_ids.ids)
        self.env.cr.execute("""
            SELECT DISTINCT rel.hr_applicant_category_id
              FROM hr_applicant_hr_applicant_category_rel rel
              JOIN hr_applicant a ON a.id = rel.hr_applicant_id
             WHERE a.job_id = %s""", (self.id,))
        return set(row[0] for row in self.env.cr.fetchall())

    @api.multi
    def _nurture_match_candidates(self, category_ids, today, limit=MATCH_CANDIDATES):
        """Talent ids worth scoring for this job, pre-filtered and pre-ranked in SQL.

        Only active, contactable talents past their cool-off, of the job's company
        (or of none), sharing a tag or the department, without an open application
        to this job; at most ``limit`` of them, by a rough pre-score.
        """
        self.ensure_one()
        self.env.cr.execute("""
            WITH tags AS (
                SELECT talent_id, count(*) AS n FROM hr_talent_category_rel
                 WHERE category_id = ANY(%(tags)s) GROUP BY talent_id
            ), deps AS (
                SELECT talent_id FROM hr_talent_department_rel WHERE department_id = %(dep)s
            ), candidates AS (
                SELECT talent_id FROM tags UNION SELECT talent_id FROM deps
            )
            SELECT t.id
              FROM candidates c
              JOIN hr_talent t ON t.id = c.talent_id
              LEFT JOIN tags ON tags.talent_id = t.id
              LEFT JOIN deps ON deps.talent_id = t.id
             WHERE t.active AND t.is_contactable
               AND (t.cooloff_end_date IS NULL OR t.cooloff_end_date <= %(today)s)
               AND (t.company_id IS NULL OR %(company)s IS NULL OR t.company_id = %(company)s)
               AND NOT EXISTS (SELECT 1 FROM hr_applicant a
                                WHERE a.talent_id = t.id AND a.job_id = %(job)s AND a.active)
             ORDER BY LEAST(COALESCE(tags.n, 0), 3) * 10
                      + CASE WHEN deps.talent_id IS NULL THEN 0 ELSE 20 END
                      + COALESCE(NULLIF(t.best_priority, ''), '0')::int * 5
                      + CASE WHEN t.furthest_job_id = %(job)s THEN 20 ELSE 0 END DESC,
                      t.id
             LIMIT %(limit)s""", {
            "tags": sorted(category_ids), "dep": self.department_id.id or None,
            "today": fields.Date.to_string(today), "company": self.company_id.id or None,
            "job": self.id, "limit": limit})
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    def _nurture_rank_talents(self, limit=None):
        """[(talent_id, score result)] best first, for this job (no writes)."""
        self.ensure_one()
        Talent = self.env["hr.talent"]
        today = Talent._nurture_today()
        categories = self._nurture_sought_categories()
        candidate_ids = self._nurture_match_candidates(categories, today)
        facts = Talent.browse(candidate_ids)._nurture_candidate_score_facts()
        job_facts = {"id": self.id, "department_id": self.department_id.id,
                     "category_ids": categories}
        scored = [(tid, talent_lib.match_score(job_facts, facts[tid], today))
                  for tid in candidate_ids]
        return talent_lib.rank(scored, limit or self._nurture_match_limit())

    @api.multi
    def _nurture_compute_talent_matches(self):
        """Rebuild the hr.talent.match rows of these jobs; returns them."""
        Match = self.env["hr.talent.match"]
        Match.search([("job_id", "in", self.ids)]).unlink()
        matches = Match.browse()
        for job in self:
            for position, (tid, result) in enumerate(job._nurture_rank_talents(), 1):
                parts = result["parts"]
                matches |= Match.create({
                    "job_id": job.id, "talent_id": tid, "rank": position,
                    "score": result["total"],
                    "score_tags": parts["tags"], "score_department": parts["department"],
                    "score_stage": parts["stage"], "score_rating": parts["rating"],
                    "score_reason": parts["reason"], "score_recency": parts["recency"],
                    "explanation": talent_lib.explain(result),
                })
        return matches

    @api.multi
    def _nurture_rediscover_talents(self):
        """The job starts recruiting: rank the pool and tell the recruiter."""
        matches = self._nurture_compute_talent_matches()
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model = self.env["ir.model"]._get("hr.job")
        for job in self:
            top = matches.filtered(lambda m, job=job: m.job_id == job).sorted("rank")[:ACTIVITY_TOP]
            if not top:
                continue
            items = "".join("<li>%s (%s: %g)</li>" % (
                html_escape(match.talent_id.name), html_escape(_("score")), match.score)
                for match in top)
            self.env["mail.activity"].create({
                "res_model_id": model.id,
                "res_id": job.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "user_id": job.user_id.id or self.env.uid,
                "summary": _("Talents to contact for %s") % job.name,
                "note": "<p>%s</p><ol>%s</ol>" % (
                    html_escape(_("Best matches from the talent pool (see Matching Talents "
                                  "on the job):")), items),
                "date_deadline": fields.Date.context_today(self),
            })
        return matches

    # ------------------------------------------------------------------
    # New openings
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_queue_opening(self):
        """Add each job to the next "new opening" email of the talents interested in
        its department; the digest cron sends at most one per talent and period."""
        Talent = self.env["hr.talent"].sudo()
        for job in self.filtered("department_id"):
            talents = Talent.search([
                ("is_contactable", "=", True), ("email", "!=", False),
                "|", ("department_ids", "in", job.department_id.ids),
                ("interest_department_ids", "in", job.department_id.ids),
                "|", ("company_id", "=", False), ("company_id", "=", job.company_id.id)])
            talents._nurture_announce_openings(job)
