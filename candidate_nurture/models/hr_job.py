# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.tools import html_escape
from odoo.tools.sql import column_exists

from odoo.addons.http_routing.models.ir_http import slug

from ..lib import openings as openings_lib
from ..lib import talent as talent_lib

# talents scored in Python per job: the best ones by a SQL pre-score
MATCH_CANDIDATES = 500
# matches kept per job (ir.config_parameter candidate_nurture.talent_match_limit)
MATCH_LIMIT = 20
ACTIVITY_TOP = 5
# a change of one of these fields may open a job (lib.openings.is_opening)
OPENING_FIELDS = ("state", "no_of_recruitment", "website_published")
RECRUITER = "hr_recruitment.group_hr_recruitment_user"
RECRUITMENT_MANAGER = "hr_recruitment.group_hr_recruitment_manager"
# hr.talent.match columns written by _nurture_compute_talent_matches (one INSERT)
MATCH_SCORE_PARTS = ("tags", "department", "stage", "rating", "reason", "recency")
# the talents rediscovery scores for a job (parameters: _nurture_match_params):
# active, past their cool-off, of the job's company (or of none), sharing a tag
# or the department, without an open application to the job, and neither
# declined nor withdrawn consent. Ranked (_nurture_match_candidates) or counted
# (_nurture_match_candidate_count: the Matching Talents button).
MATCH_CANDIDATES_SQL = """
            WITH tags AS (
                SELECT talent_id, count(*) AS n FROM hr_talent_category_rel
                 WHERE category_id = ANY(%(tags)s) GROUP BY talent_id
            ), deps AS (
                SELECT talent_id FROM hr_talent_department_rel WHERE department_id = %(dep)s
            ), candidates AS (
                SELECT COALESCE(tags.talent_id, deps.talent_id) AS talent_id,
                       COALESCE(tags.n, 0) AS n, deps.talent_id IS NOT NULL AS dep
                  FROM tags FULL JOIN deps ON deps.talent_id = tags.talent_id
            )
            SELECT t.id
              FROM candidates c
              JOIN hr_talent t ON t.id = c.talent_id
             WHERE t.active AND t.anonymized_date IS NULL
               AND COALESCE(t.consent_state, 'not_asked') NOT IN ('declined', 'withdrawn')
               AND (t.cooloff_end_date IS NULL OR t.cooloff_end_date <= %(today)s)
               AND (t.company_id IS NULL OR %(company)s IS NULL OR t.company_id = %(company)s)
               AND NOT EXISTS (SELECT 1 FROM hr_applicant a
                                WHERE a.talent_id = t.id AND a.job_id = %(job)s AND a.active)"""


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
        "Matching Talents", compute="_compute_talent_match_count",
        groups="hr_recruitment.group_hr_recruitment_user",
        help="How many talents rediscovery ranks for this job now: what Matching "
             "Talents shows once opened.")
    # what was announced (rediscovery + new-openings notice), so that an opening
    # is announced once whoever opens it and however (see _nurture_check_openings)
    nurture_opening_running = fields.Boolean(
        "Opening Announced", readonly=True, copy=False,
        help="The talent pool was told about the current opening of this job (matching "
             "talents for the recruiter, new-openings email to interested talents). Cleared "
             "when the job stops recruiting and is not published.")
    nurture_opening_date = fields.Date(
        "Opening Announced On", readonly=True, copy=False,
        help="Closing the job and opening it again the same day is not a new opening.")
    nurture_opening_count = fields.Integer(
        "Openings Announced", readonly=True, copy=False,
        help="How many openings of this job were announced to the talent pool.")
    # share links for recruiters (the job's public page, marked with Odoo's utm)
    nurture_share_linkedin_url = fields.Char(
        "Share on LinkedIn", compute="_compute_nurture_share_urls")
    nurture_share_x_url = fields.Char("Share on X", compute="_compute_nurture_share_urls")
    nurture_share_facebook_url = fields.Char(
        "Share on Facebook", compute="_compute_nurture_share_urls")
    nurture_share_email_url = fields.Char(
        "Share by Email", compute="_compute_nurture_share_urls")

    @api.multi
    def _compute_talent_match_count(self):
        """What the Matching Talents button will show once clicked: the button
        ranks the pool anew, so the count is the pool's, not the rows a
        previous ranking left (none for a job never ranked). Every candidate
        the ranking's query returns is kept, up to the limit: one COUNT."""
        limit = min(self._nurture_match_limit(), MATCH_CANDIDATES)
        today = self.env["hr.talent"]._nurture_today()
        for job in self:
            if not job.id:
                job.talent_match_count = 0
                continue
            job.talent_match_count = min(limit, job._nurture_match_candidate_count(
                job._nurture_sought_categories(), today, limit))

    @api.multi
    def _compute_nurture_share_urls(self):
        for job in self:
            for network in openings_lib.SHARE_NETWORKS:
                job["nurture_share_%s_url" % network] = openings_lib.share_url(
                    network, job.nurture_public_url(network), job.name) \
                    if job.website_published else False

    def _auto_init(self):
        """At install (or when these columns appear), the jobs already open count
        as announced: installing the module never emails the talent pool."""
        new = not column_exists(self.env.cr, self._table, "nurture_opening_running")
        res = super(HrJob, self)._auto_init()
        if new:
            self.env.cr.execute("""
                UPDATE hr_job SET nurture_opening_running = TRUE
                 WHERE (state = 'recruit' AND no_of_recruitment > 0) OR website_published""")
        return res

    @api.model
    def create(self, vals):
        job = super(HrJob, self).create(vals)
        job._nurture_check_openings()
        return job

    @api.multi
    def write(self, vals):
        res = super(HrJob, self).write(vals)
        if any(fname in vals for fname in OPENING_FIELDS):
            self._nurture_check_openings()
        return res

    @api.multi
    def action_open_talent_matches(self):
        """Rank the talent pool for this job now and show the ranked list."""
        self.ensure_one()
        Match = self.env["hr.talent.match"]
        # the matches are written in SQL: check what the ORM would have checked
        for operation in ("create", "unlink"):
            Match.check_access_rights(operation)
        self.check_access_rule("read")
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

        Only active talents past their cool-off, of the job's company (or of
        none), sharing a tag or the department, without an open application to
        this job; at most ``limit`` of them, by a rough pre-score. Talents who
        have not given consent (yet) are ranked for the recruiter, who may ask for
        it, but never emailed; those who declined or withdrew it are left out.
        """
        self.ensure_one()
        self.env.cr.execute(MATCH_CANDIDATES_SQL + """
             ORDER BY LEAST(c.n, 3) * 10 + CASE WHEN c.dep THEN 20 ELSE 0 END
                      + COALESCE(NULLIF(t.best_priority, ''), '0')::int * 5
                      + CASE WHEN t.furthest_job_id = %(job)s THEN 20 ELSE 0 END DESC,
                      t.id
             LIMIT %(limit)s""", self._nurture_match_params(category_ids, today, limit))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    def _nurture_match_candidate_count(self, category_ids, today, limit=MATCH_CANDIDATES):
        """How many talents _nurture_match_candidates returns (at most limit)."""
        self.ensure_one()
        query = sql.SQL("SELECT count(*) FROM ({} LIMIT %(limit)s) AS candidates").format(
            sql.SQL(MATCH_CANDIDATES_SQL))
        self.env.cr.execute(query, self._nurture_match_params(category_ids, today, limit))
        return self.env.cr.fetchone()[0]

    @api.multi
    def _nurture_match_params(self, category_ids, today, limit):
        self.ensure_one()
        return {
            "tags": sorted(category_ids), "dep": self.department_id.id or None,
            "today": fields.Date.to_string(today), "company": self.company_id.id or None,
            "job": self.id, "limit": limit}

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
        """Rebuild the hr.talent.match rows of these jobs; returns them.

        Private: callers check access (action_open_talent_matches) or run as the
        system (announcements). The rows are plain data (no chatter, no
        computed fields but the stored company), so they are replaced with one
        DELETE and one INSERT per job instead of an ORM create per row.
        """
        Match = self.env["hr.talent.match"]
        cr = self.env.cr
        if not self.ids:
            return Match
        # when a talent was invited to apply survives the rebuild
        cr.execute("DELETE FROM hr_talent_match WHERE job_id IN %s "
                   "RETURNING job_id, talent_id, invited_date", (tuple(self.ids),))
        invited = dict(((job_id, tid), date) for job_id, tid, date in cr.fetchall() if date)
        match_ids = []
        for job in self:
            ranked = job._nurture_rank_talents()
            if not ranked:
                continue
            columns = dict((key, []) for key in ("talent", "rank", "score", "explanation",
                                                 "invited"))
            for part in MATCH_SCORE_PARTS:
                columns[part] = []
            for position, (tid, result) in enumerate(ranked, 1):
                columns["talent"].append(tid)
                columns["rank"].append(position)
                columns["score"].append(result["total"])
                columns["explanation"].append(talent_lib.explain(result))
                columns["invited"].append(invited.get((job.id, tid)))
                for part in MATCH_SCORE_PARTS:
                    columns[part].append(result["parts"][part])
            params = dict(columns, job=job.id, uid=self.env.uid)
            cr.execute("""
                INSERT INTO hr_talent_match (
                    job_id, talent_id, rank, score, score_tags, score_department,
                    score_stage, score_rating, score_reason, score_recency, explanation,
                    invited_date, company_id, create_uid, write_uid, create_date, write_date)
                SELECT %(job)s, u.talent_id, u.rank, u.score, u.tags, u.department,
                       u.stage, u.rating, u.reason, u.recency, u.explanation, u.invited,
                       t.company_id, %(uid)s, %(uid)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM unnest(%(talent)s::int[], %(rank)s::int[], %(score)s::float8[],
                              %(tags)s::float8[], %(department)s::float8[],
                              %(stage)s::float8[], %(rating)s::float8[],
                              %(reason)s::float8[], %(recency)s::float8[],
                              %(explanation)s::text[], %(invited)s::timestamp[])
                       AS u(talent_id, rank, score, tags, department, stage, rating,
                            reason, recency, explanation, invited)
                  JOIN hr_talent t ON t.id = u.talent_id
              ORDER BY u.rank
             RETURNING id""", params)
            match_ids.extend(row[0] for row in cr.fetchall())
        Match.invalidate_cache(ids=None)
        self.invalidate_cache(["talent_match_ids", "talent_match_count"], self.ids)
        return Match.browse(match_ids)

    @api.multi
    def _nurture_rediscover_talents(self, acting_user=None):
        """A new opening: rank the pool and tell the recruiter, in one activity
        per job that lists the best matches (with their LinkedIn profile when
        known) or says plainly that there are none.

        ``acting_user``: who opened the job (the activity falls back to them
        when the job has no recruiter and they may see talents).
        """
        matches = self._nurture_compute_talent_matches()
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model = self.env["ir.model"]._get("hr.job")
        acting_user = acting_user or self.env.user
        for job in self:
            user = job._nurture_activity_user(acting_user)
            if not user:
                continue
            top = matches.filtered(lambda m, job=job: m.job_id == job).sorted("rank")[:ACTIVITY_TOP]
            if top:
                summary = _("Talents to contact for %s") % job.name
                note = job._nurture_matches_note(top)
            else:
                summary = _("No matching talents for %s") % job.name
                note = job._nurture_no_match_note()
            self.env["mail.activity"].create({
                "res_model_id": model.id,
                "res_id": job.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "user_id": user.id,
                "summary": summary,
                "note": note,
                "date_deadline": fields.Date.context_today(self),
            })
        return matches

    @api.multi
    def _nurture_activity_user(self, acting_user):
        """Who gets the rediscovery activity: the job's recruiter, else the user who
        opened the job if they work in recruitment, else a recruitment manager of
        the job's company; nobody else may read talents."""
        self.ensure_one()
        if self.user_id:
            return self.user_id
        if acting_user and acting_user.has_group(RECRUITER):
            return acting_user
        company = self.company_id or acting_user.company_id
        managers = self.env.ref(RECRUITMENT_MANAGER).users.filtered(
            lambda user: user.active and company in user.company_ids)
        return managers.sorted("id")[:1]

    @api.multi
    def _nurture_matches_note(self, matches):
        """HTML list of the matches (all values escaped), best first."""
        items = []
        for match in matches:
            talent = match.talent_id
            line = "%s (%s: %g)" % (html_escape(talent.name), html_escape(_("score")), match.score)
            linkedin = openings_lib.linkedin_profile_url(talent.linkedin_url)
            if linkedin:
                line += ' &middot; <a href="%s" target="_blank" rel="noopener noreferrer">%s</a>' % (
                    html_escape(linkedin), html_escape(_("LinkedIn profile")))
            if not talent.is_contactable:
                line += " &middot; <i>%s</i>" % html_escape(
                    _("no consent to be contacted yet: ask for it first (Ask for Consent on "
                      "the talent)"))
            items.append("<li>%s</li>" % line)
        return "<p>%s</p><ol>%s</ol>" % (
            html_escape(_("Best matches from the talent pool (see Matching Talents on the "
                          "job):")), "".join(items))

    @api.multi
    def _nurture_no_match_note(self):
        """The plain "nobody matches" note, with what would help."""
        self.ensure_one()
        text = [_("No talent in the pool matches this job yet: nobody shares its Skills "
                  "Sought or its department, or they are still in their cool-off period.")]
        if not self.department_id and not self.talent_category_ids:
            text.append(_("This job has no department and no Skills Sought: set them and "
                          "click Matching Talents on the job to rank the pool again."))
        return "".join("<p>%s</p>" % html_escape(line) for line in text)

    # ------------------------------------------------------------------
    # New openings: announced once per opening
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_check_openings(self):
        """Announce the jobs that just became a new opening, exactly once.

        Called after every create and every write of OPENING_FIELDS, whoever
        makes it (recruiter, HR officer, import, automated action): the caller
        could write these jobs. What was announced is stored on the job and
        claimed with one conditional UPDATE, so two transactions opening the
        same job never both announce it (the second one waits for the row lock
        and then fails to serialize: Odoo retries it, and it finds the opening
        announced). See lib.openings.opening_decision.
        """
        if not self.ids:
            return self.browse()
        cr = self.env.cr
        today_str = fields.Date.context_today(self)
        today = fields.Date.from_string(today_str)
        cr.execute("""
            SELECT id, state, no_of_recruitment, website_published,
                   COALESCE(nurture_opening_running, FALSE), nurture_opening_date
              FROM hr_job WHERE id IN %s""", (tuple(self.ids),))
        decisions = {}
        for job_id, state, positions, published, running, announced_on in cr.fetchall():
            decision = openings_lib.opening_decision(
                openings_lib.is_opening(state, positions, published), running,
                fields.Date.from_string(announced_on) if announced_on else None, today)
            if decision:
                decisions.setdefault(decision, []).append(job_id)
        claimed = []
        if decisions.get(openings_lib.ANNOUNCE):
            cr.execute("""
                UPDATE hr_job
                   SET nurture_opening_running = TRUE, nurture_opening_date = %s,
                       nurture_opening_count = COALESCE(nurture_opening_count, 0) + 1
                 WHERE id IN %s AND NOT COALESCE(nurture_opening_running, FALSE)
                   AND nurture_opening_date IS DISTINCT FROM %s
             RETURNING id""", (today_str, tuple(decisions[openings_lib.ANNOUNCE]), today_str))
            claimed = [row[0] for row in cr.fetchall()]
        for decision, running in ((openings_lib.RESUME, True), (openings_lib.CLOSE, False)):
            if decisions.get(decision):
                cr.execute("UPDATE hr_job SET nurture_opening_running = %s WHERE id IN %s",
                           (running, tuple(decisions[decision])))
        if decisions:
            self.invalidate_cache(["nurture_opening_running", "nurture_opening_date",
                                   "nurture_opening_count"], self.ids)
        if not claimed:
            return self.browse()
        # The change was the user's to make; what it sets off (ranking talents,
        # an activity for the recruiter, queued emails) is the system's: the
        # user may not read talents (e.g. an HR officer without recruitment rights).
        jobs = self.browse(claimed)
        jobs.sudo()._nurture_announce_opening(acting_user=self.env.user)
        return jobs

    @api.multi
    def _nurture_announce_opening(self, acting_user=None):
        """These jobs are new openings: put matching talents in front of their
        recruiters and queue the opening for the interested talents' next
        new-openings email. Runs as the system (see _nurture_check_openings)."""
        if not self.env.context.get("nurture_no_rediscovery"):
            self._nurture_rediscover_talents(acting_user=acting_user)
        self._nurture_queue_opening()
        for job in self:
            job.message_post(body=_("New opening announced to the talent pool."),
                             subtype="mail.mt_note")
        return True

    @api.multi
    def _nurture_queue_opening(self):
        """Add each job to the next "new opening" email of the talents it suits:
        contactable talents with an email, of the job's company, interested in
        its department (applied there or chose it on their page) or ranked for
        it. One SQL statement per job; a job already queued for a talent stays
        queued once. The digest cron sends at most one email per talent and period.
        """
        cr = self.env.cr
        for job in self:
            cr.execute("""
                INSERT INTO hr_talent_opening_pending_rel (talent_id, job_id)
                SELECT t.id, %(job)s FROM hr_talent t
                 WHERE t.active AND t.is_contactable AND t.anonymized_date IS NULL
                   AND COALESCE(t.email, '') != ''
                   AND (t.company_id IS NULL OR %(company)s IS NULL OR t.company_id = %(company)s)
                   AND (EXISTS (SELECT 1 FROM hr_talent_department_rel d
                                 WHERE d.talent_id = t.id AND d.department_id = %(dep)s)
                        OR EXISTS (SELECT 1 FROM hr_talent_interest_department_rel i
                                    WHERE i.talent_id = t.id AND i.department_id = %(dep)s)
                        OR EXISTS (SELECT 1 FROM hr_talent_match m
                                    WHERE m.talent_id = t.id AND m.job_id = %(job)s))
                ON CONFLICT DO NOTHING""", {
                "job": job.id, "company": job.company_id.id or None,
                "dep": job.department_id.id or None})
        self.env["hr.talent"].invalidate_cache(["opening_pending_job_ids"])
        return True

    # ------------------------------------------------------------------
    # Careers page (website_hr_recruitment): public links
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_public_path(self, page="detail"):
        """/jobs/detail/<slug> or /jobs/apply/<slug>, as Odoo's website redirects to."""
        self.ensure_one()
        return "/jobs/%s/%s" % ("apply" if page == "apply" else "detail", slug(self))

    @api.multi
    def nurture_public_url(self, channel=None, page="detail"):
        """Absolute link to the job's public page (``page='detail'``) or apply form
        (``'apply'``), marked with Odoo's utm for ``channel`` (a key of
        hr.talent's NURTURE_CHANNELS, or a share network). No personal token: it
        may be passed on."""
        self.ensure_one()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        url = "%s%s" % (base.rstrip("/"), self._nurture_public_path(page))
        if channel:
            url = openings_lib.with_query(
                url, self.env["hr.talent"]._nurture_utm_params(channel))
        return url
