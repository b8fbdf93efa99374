# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import logging

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from odoo.addons.hr_recruitment.models.hr_recruitment import AVAILABLE_PRIORITIES

from ..lib import followup as fu
from ..lib import talent as talent_lib
from ..lib import tokens

SILVER_MANUAL = [
    ("flagged", "Flagged by hand"),
    ("unflagged", "Unflagged by hand"),
]
SILVER_CRITERIA_LABELS = {
    "stage": "Stage reached",
    "rating": "Rating",
    "reason": "Pool-eligible refusal reason",
}

SILVER_EVIDENCE_FIELDS = ("silver_auto", "silver_date", "silver_applicant_id", "silver_job_id",
                          "silver_stage_id", "silver_priority", "silver_reason_id",
                          "silver_criteria")
MERGE_FILL_FIELDS = ("email", "phone", "linkedin_url", "partner_id", "availability",
                     "next_followup_date")

_logger = logging.getLogger(__name__)

CONSENT_STATES = [
    ("not_asked", "Not Asked"),
    ("asked", "Asked"),
    ("given", "Given"),
    ("declined", "Declined"),
    ("expired", "Expired"),
    ("withdrawn", "Withdrawn"),
]
CONSENT_SOURCES = [
    ("refusal", "Refusal Email"),
    ("event", "Event"),
    ("recruiter", "Recruiter"),
    ("candidate_page", "Candidate Page"),
    ("system", "Scheduler"),
]
CONSENT_PURPOSE = "Contact me about future opportunities"
TALENT_TOKEN_PURPOSE = "candidate_nurture.talent_page"
MANAGER = "hr_recruitment.group_hr_recruitment_manager"

ENGAGEMENT_DAYS = 365
PREVIEW_URL = "#preview"


class HrTalent(models.Model):
    """One person across all their applications: the talent pool's record.

    Matched by normalised email (and partner) within a company; applicants
    without an email are matched by partner or kept alone, never by a guess.
    """

    _name = "hr.talent"
    _description = "Talent"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "silver_medalist desc, best_priority desc, id desc"
    # many2many fields the list, kanban and pivot views may group by (Odoo 11
    # cannot group by a many2many natively: see read_group below)
    _nurture_m2m_groupby = ("pool_ids", "category_ids", "department_ids", "job_ids")

    name = fields.Char(required=True, index=True, track_visibility="onchange")
    email = fields.Char(track_visibility="onchange")
    email_normalized = fields.Char(
        "Normalized Email", compute="_compute_email_normalized", store=True, index=True,
        help="Lower-case address without spaces or display name: what talents are matched on.")
    phone = fields.Char()
    linkedin_url = fields.Char("LinkedIn Profile")
    partner_id = fields.Many2one("res.partner", "Contact", index=True, ondelete="set null")
    company_id = fields.Many2one(
        "res.company", "Company", index=True,
        default=lambda self: self.env["res.company"]._company_default_get("hr.talent"))
    user_id = fields.Many2one(
        "res.users", "Talent Owner", default=lambda self: self.env.user,
        track_visibility="onchange")
    active = fields.Boolean(default=True)
    color = fields.Integer("Color Index")
    applicant_ids = fields.One2many(
        "hr.applicant", "talent_id", "Applications", context={"active_test": False})
    application_count = fields.Integer(
        compute="_compute_from_applications", store=True, compute_sudo=True)
    pool_ids = fields.Many2many(
        "hr.talent.pool", "hr_talent_pool_rel", "talent_id", "pool_id", "Pools")

    # what the applications tell (stored: searched, filtered and grouped on)
    category_ids = fields.Many2many(
        "hr.applicant.category", "hr_talent_category_rel", "talent_id", "category_id",
        "Tags", compute="_compute_from_applications", store=True, compute_sudo=True)
    department_ids = fields.Many2many(
        "hr.department", "hr_talent_department_rel", "talent_id", "department_id",
        "Departments of Interest", compute="_compute_from_applications", store=True,
        compute_sudo=True)
    job_ids = fields.Many2many(
        "hr.job", "hr_talent_job_rel", "talent_id", "job_id", "Jobs of Interest",
        compute="_compute_from_applications", store=True, compute_sudo=True)
    furthest_stage_id = fields.Many2one(
        "hr.recruitment.stage", "Furthest Stage", index=True,
        compute="_compute_from_applications", store=True, compute_sudo=True,
        help="The furthest stage of the pipeline reached in any application.")
    furthest_job_id = fields.Many2one(
        "hr.job", "Furthest Stage On", index=True,
        compute="_compute_from_applications", store=True, compute_sudo=True)
    best_priority = fields.Selection(
        AVAILABLE_PRIORITIES, "Best Rating", index=True,
        compute="_compute_from_applications", store=True, compute_sudo=True)
    refuse_reason_ids = fields.Many2many(
        "hr.applicant.refuse.reason", "hr_talent_refuse_reason_rel", "talent_id", "reason_id",
        "Refusal Reasons", compute="_compute_from_applications", store=True, compute_sudo=True)
    last_refuse_reason_id = fields.Many2one(
        "hr.applicant.refuse.reason", "Last Refusal Reason", index=True,
        compute="_compute_from_applications", store=True, compute_sudo=True)
    last_refuse_date = fields.Datetime(
        "Last Refused On", compute="_compute_from_applications", store=True, compute_sudo=True)
    cooloff_end_date = fields.Date(
        "Contactable From", index=True,
        compute="_compute_from_applications", store=True, compute_sudo=True,
        help="End of the cool-off of the refusals (refusal date + the reason's cool-off "
             "days): rediscovery does not propose the talent before.")
    last_application_date = fields.Datetime(
        compute="_compute_from_applications", store=True, compute_sudo=True)

    # kept by people (and by the follow-up and consent features)
    availability = fields.Date(
        "Available From", index=True,
        help="Date at which the talent can start a new job.")
    last_contact_date = fields.Date("Last Contact", index=True)
    next_followup_date = fields.Date("Next Follow-up", index=True)

    # silver medalist: the rule's verdict, a recruiter's override, the evidence
    silver_auto = fields.Boolean("Flagged by Rule", readonly=True, copy=False)
    silver_manual = fields.Selection(
        SILVER_MANUAL, "Manual Override", copy=False, track_visibility="onchange",
        help="Empty: the silver-medalist rule decides.")
    silver_medalist = fields.Boolean(
        compute="_compute_silver_medalist", store=True, index=True,
        help="A strong runner-up worth a second chance.")
    silver_date = fields.Datetime("Flagged On", readonly=True, copy=False)
    silver_applicant_id = fields.Many2one(
        "hr.applicant", "Evidence: Application", readonly=True, copy=False, ondelete="set null")
    silver_job_id = fields.Many2one("hr.job", "Evidence: Job", readonly=True, copy=False)
    silver_stage_id = fields.Many2one(
        "hr.recruitment.stage", "Evidence: Stage", readonly=True, copy=False)
    silver_priority = fields.Selection(
        AVAILABLE_PRIORITIES, "Evidence: Rating", readonly=True, copy=False)
    silver_reason_id = fields.Many2one(
        "hr.applicant.refuse.reason", "Evidence: Refusal Reason", readonly=True, copy=False)
    silver_criteria = fields.Char("Evidence: Criteria Met", readonly=True, copy=False)

    # consent ("contact me about future opportunities"): one purpose, so it
    # lives on the talent; every change is logged on the chatter
    consent_state = fields.Selection(
        CONSENT_STATES, "Consent Status", default="not_asked", required=True, index=True,
        readonly=True, copy=False,
        help="Consent to be contacted about future opportunities.")
    consent_date = fields.Datetime("Consent Changed On", readonly=True, copy=False)
    consent_source = fields.Selection(CONSENT_SOURCES, "Source of Consent", readonly=True,
                                      copy=False)
    consent_expiry_date = fields.Date("Consent Expires On", readonly=True, copy=False,
                                      index=True)
    consent_request_date = fields.Datetime("Consent Last Requested On", readonly=True,
                                           copy=False)
    is_contactable = fields.Boolean(
        "Contactable", compute="_compute_is_contactable", inverse="_inverse_is_contactable",
        store=True, index=True, default=False, track_visibility=False,
        help="Consent given and not expired. Ticking it records consent given to a "
             "recruiter; unticking it records a withdrawal.")
    interest_department_ids = fields.Many2many(
        "hr.department", "hr_talent_interest_department_rel", "talent_id", "department_id",
        "Departments Chosen by the Candidate",
        help="Departments the candidate chose on their page: new openings there are sent "
             "to them.")
    nurture_token_nonce = fields.Char(copy=False, groups="base.group_system")
    enrollment_ids = fields.One2many("hr.talent.enrollment", "talent_id", "Follow-ups")
    enrollment_running_count = fields.Integer(
        "Running Follow-ups", compute="_compute_enrollment_running_count")
    opening_pending_job_ids = fields.Many2many(
        "hr.job", "hr_talent_opening_pending_rel", "talent_id", "job_id",
        "Openings to Announce", copy=False,
        help="New openings waiting for the next \"new opening\" email of this talent.")
    opening_last_sent_date = fields.Datetime("Last New-Opening Email", readonly=True,
                                             copy=False)
    anonymized_date = fields.Datetime("Anonymised On", readonly=True, copy=False, index=True)

    # open-house invitations and engagement
    invitation_ids = fields.One2many("hr.talent.invitation", "talent_id", "Event Invitations")
    invitation_count = fields.Integer(compute="_compute_invitation_count")
    engagement_score = fields.Integer(
        "Engagement", compute="_compute_engagement_score", store=True, index=True,
        compute_sudo=True,
        help="Answers to event invitations plus events attended in the last 12 months "
             "(recomputed daily).")
    # re-engagement funnel (one row per refusal, see hr.talent.funnel)
    funnel_ids = fields.One2many("hr.talent.funnel", "talent_id", "Re-engagement Funnel",
                                 readonly=True)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("email")
    def _compute_email_normalized(self):
        for talent in self:
            talent.email_normalized = talent_lib.normalize_email(talent.email) or False

    @api.depends("applicant_ids", "applicant_ids.active", "applicant_ids.stage_id",
                 "applicant_ids.job_id", "applicant_ids.department_id",
                 "applicant_ids.priority", "applicant_ids.categ_ids",
                 "applicant_ids.refuse_reason_id", "applicant_ids.refuse_date",
                 "applicant_ids.refuse_reason_id.cooloff_days")
    def _compute_from_applications(self):
        for talent in self:
            applicants = talent.with_context(active_test=False).applicant_ids
            talent.application_count = len(applicants)
            talent.category_ids = applicants.mapped("categ_ids")
            talent.department_ids = applicants.mapped("department_id") | applicants.mapped(
                "job_id.department_id")
            talent.job_ids = applicants.mapped("job_id")
            staged = applicants.filtered("stage_id").sorted(
                lambda a: (a.stage_id.sequence, a.stage_id.id, a.id))
            furthest = staged[-1:] if staged else applicants[:0]
            talent.furthest_stage_id = furthest.stage_id
            talent.furthest_job_id = furthest.job_id
            talent.best_priority = max(applicants.mapped("priority") or ["0"])
            refused = applicants.filtered("refuse_date").sorted(lambda a: (a.refuse_date, a.id))
            talent.refuse_reason_ids = refused.mapped("refuse_reason_id")
            talent.last_refuse_reason_id = refused[-1:].refuse_reason_id
            talent.last_refuse_date = refused[-1:].refuse_date or False
            ends = [talent_lib.cooloff_end(a.refuse_date, a.refuse_reason_id.cooloff_days)
                    for a in refused]
            talent.cooloff_end_date = fields.Date.to_string(max(ends)) if ends else False
            dates = applicants.mapped("create_date")
            talent.last_application_date = max(dates) if dates else False

    @api.depends("silver_auto", "silver_manual")
    def _compute_silver_medalist(self):
        for talent in self:
            if talent.silver_manual:
                talent.silver_medalist = talent.silver_manual == "flagged"
            else:
                talent.silver_medalist = talent.silver_auto

    # ------------------------------------------------------------------
    # Grouping by many2many (pools, tags, departments, jobs)
    # ------------------------------------------------------------------
    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        """Group by a many2many too: one group per related record, plus "None".

        Odoo 11 groups by columns only. A talent in two pools is counted in both
        groups, as later Odoo versions do. The many2many must be the first
        group-by; the next ones are grouped by Odoo's own read_group.
        """
        groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
        if not groupby or groupby[0] not in self._nurture_m2m_groupby:
            return super(HrTalent, self).read_group(
                domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        return self._read_group_m2m(domain or [], fields, groupby, offset, limit, lazy)

    @api.model
    def _read_group_m2m(self, domain, fields_list, groupby, offset, limit, lazy):
        fname, rest = groupby[0], groupby[1:]
        field = self._fields[fname]
        self.check_access_rights("read")
        query = self._where_calc(domain)
        self._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        where = sql.SQL(where_clause or "TRUE")
        talents = sql.SQL("SELECT {table}.id FROM {from_} WHERE {where}").format(
            table=sql.Identifier(self._table), from_=sql.SQL(from_clause), where=where)
        self.env.cr.execute(sql.SQL(
            "SELECT rel.{col2}, count(*) FROM {rel} rel WHERE rel.{col1} IN ({talents}) "
            "GROUP BY rel.{col2}").format(
                col1=sql.Identifier(field.column1), col2=sql.Identifier(field.column2),
                rel=sql.Identifier(field.relation), talents=talents), params)
        counts = dict(self.env.cr.fetchall())
        self.env.cr.execute(sql.SQL(
            "SELECT count(*) FROM ({talents}) t WHERE NOT EXISTS "
            "(SELECT 1 FROM {rel} rel WHERE rel.{col1} = t.id)").format(
                col1=sql.Identifier(field.column1), rel=sql.Identifier(field.relation),
                talents=talents), params)
        none_count = self.env.cr.fetchone()[0]
        comodel = self.env[field.comodel_name].with_context(active_test=False)
        values = comodel.browse(list(counts)).name_get()
        values.sort(key=lambda item: ((item[1] or "").lower(), item[0]))
        groups = [(value, [(fname, "=", value[0])], counts[value[0]]) for value in values]
        if none_count:
            groups.append((False, [(fname, "=", False)], none_count))
        groups = groups[offset:(offset + limit) if limit else None]
        result = []
        aggregates = [f for f in (fields_list or []) if f in self._fields and f != fname
                      and self._fields[f].type in ("integer", "float", "monetary")
                      and self._fields[f].store and self._fields[f].group_operator]
        for value, group_domain, count in groups:
            full_domain = list(domain) + group_domain
            if rest and not lazy:
                sub_fields = list((set(fields_list or []) | set(g.split(":")[0] for g in rest))
                                  - {fname})
                for row in self.read_group(full_domain, sub_fields, rest, lazy=False):
                    row[fname] = value
                    result.append(row)
                continue
            row = {fname: value, "__domain": full_domain}
            row[("%s_count" % fname) if lazy else "__count"] = count
            if rest:
                row["__context"] = {"group_by": rest}
            if aggregates:
                totals = super(HrTalent, self).read_group(full_domain, aggregates, [], lazy=lazy)
                for agg in aggregates:
                    row[agg] = totals[0].get(agg) if totals else 0
            result.append(row)
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.multi
    def action_flag_silver(self):
        self.write({"silver_manual": "flagged"})
        return True

    @api.multi
    def action_unflag_silver(self):
        self.write({"silver_manual": "unflagged"})
        return True

    @api.multi
    def action_reset_silver(self):
        """Let the silver-medalist rule decide again."""
        self.write({"silver_manual": False})
        return True

    @api.multi
    def action_open_applications(self):
        self.ensure_one()
        action = self.env.ref("hr_recruitment.crm_case_categ0_act_job").read()[0]
        action["domain"] = [("talent_id", "=", self.id)]
        action["context"] = {"active_test": False, "default_talent_id": self.id}
        return action

    @api.multi
    def action_apply_to_job(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Apply to Job"),
            "res_model": "hr.talent.apply.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_talent_id": self.id},
        }

    @api.multi
    def action_add_to_pool(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Add to Pool"),
            "res_model": "hr.talent.pool.add.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_talent_ids": [(6, 0, self.ids)]},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _nurture_values_from_applicant(self, applicant):
        """Values of a new talent made from an applicant."""
        return {
            "name": (applicant.partner_name or applicant.partner_id.name
                     or applicant.email_from or applicant.name),
            "email": applicant.email_from or applicant.partner_id.email or False,
            "phone": (applicant.partner_phone or applicant.partner_mobile
                      or applicant.partner_id.phone or False),
            "partner_id": applicant.partner_id.id,
            "company_id": applicant.company_id.id,
            "availability": applicant.availability,
            "last_contact_date": (applicant.create_date or fields.Datetime.now())[:10],
        }

    @api.multi
    def _nurture_complete_from_applicant(self, applicant):
        """Fill what the talent misses from a (new) application of theirs."""
        self.ensure_one()
        new = self._nurture_values_from_applicant(applicant)
        vals = {}
        for fname in ("email", "phone", "partner_id"):
            if new.get(fname) and not self[fname]:
                vals[fname] = new[fname]
        if new["availability"] and (not self.availability or new["availability"] > self.availability):
            vals["availability"] = new["availability"]
        if not self.last_contact_date or new["last_contact_date"] > self.last_contact_date:
            vals["last_contact_date"] = new["last_contact_date"]
        if vals:
            self.write(vals)

    @api.multi
    def _nurture_set_silver_evidence(self, applicant, criteria, log=True):
        """The rule flagged this talent through applicant: keep the evidence.

        With log=False the caller writes the chatter note itself (the refusal
        wizard logs one note per talent for everything a refusal changed)."""
        labels = [_(SILVER_CRITERIA_LABELS[key]) for key in criteria]
        for talent in self:
            # the note below (or the caller's) tells the story: no field tracking
            talent.with_context(tracking_disable=True).write({
                "silver_auto": True,
                "silver_date": fields.Datetime.now(),
                "silver_applicant_id": applicant.id,
                "silver_job_id": applicant.job_id.id,
                "silver_stage_id": applicant.stage_id.id,
                "silver_priority": applicant.priority,
                "silver_reason_id": applicant.sudo().refuse_reason_id.id,
                "silver_criteria": ", ".join(labels),
            })
            if log:
                talent.message_post(body=talent._nurture_silver_note(), subtype="mail.mt_note")

    @api.multi
    def _nurture_silver_note(self):
        """'Silver medalist for <job> (<criteria>).' from the stored evidence."""
        self.ensure_one()
        return _("Silver medalist for %(job)s (%(criteria)s).") % {
            "job": html_escape(self.silver_job_id.name or self.silver_applicant_id.name or ""),
            "criteria": html_escape(self.silver_criteria or "")}

    @api.multi
    def _nurture_candidate_score_facts(self):
        """Facts of these talents for lib.talent.match_score, read in a few queries."""
        if not self.ids:
            return {}
        cr = self.env.cr
        cr.execute("""
            SELECT t.id, t.furthest_stage_id, t.furthest_job_id, j.department_id,
                   t.best_priority, COALESCE(r.is_pool_eligible, FALSE),
                   GREATEST(t.last_application_date, t.last_refuse_date)
              FROM hr_talent t
              LEFT JOIN hr_job j ON j.id = t.furthest_job_id
              LEFT JOIN hr_applicant_refuse_reason r ON r.id = t.last_refuse_reason_id
             WHERE t.id IN %s""", (tuple(self.ids),))
        rows = cr.fetchall()
        cr.execute("SELECT id, sequence FROM hr_recruitment_stage ORDER BY sequence, id")
        stages = cr.fetchall()
        stage_ratio = {}
        for index, (stage_id, _sequence) in enumerate(stages):
            stage_ratio[stage_id] = float(index) / max(len(stages) - 1, 1)
        facts = {}
        for tid, stage_id, job_id, job_dep, prio, eligible, last in rows:
            facts[tid] = {
                "category_ids": set(), "department_ids": set(),
                "furthest_job_id": job_id, "furthest_job_department_id": job_dep,
                "stage_ratio": stage_ratio.get(stage_id, 0.0),
                "rating": int(prio or 0), "reason_pool_eligible": eligible,
                "last_date": fields.Date.from_string(str(last)[:10]) if last else None,
            }
        cr.execute("SELECT talent_id, category_id FROM hr_talent_category_rel "
                   "WHERE talent_id IN %s", (tuple(self.ids),))
        for tid, cid in cr.fetchall():
            facts[tid]["category_ids"].add(cid)
        cr.execute("SELECT talent_id, department_id FROM hr_talent_department_rel "
                   "WHERE talent_id IN %s", (tuple(self.ids),))
        for tid, did in cr.fetchall():
            facts[tid]["department_ids"].add(did)
        return facts

    @api.multi
    def _nurture_merge(self, duplicate):
        """Move everything of duplicate onto this talent, then delete duplicate.

        Applications, messages, followers, activities, attachments and pools
        move; empty fields are filled from the duplicate; the silver-medalist
        evidence is kept when only the duplicate has it.
        """
        self.ensure_one()
        duplicate.ensure_one()
        if duplicate == self:
            raise UserError(_("A talent cannot be merged into itself: choose two different talents."))
        if duplicate.company_id != self.company_id:
            raise UserError(_("Talents of different companies cannot be merged."))
        both = self | duplicate
        both.check_access_rights("write")
        both.check_access_rule("write")
        vals = {"pool_ids": [(4, pool.id) for pool in duplicate.pool_ids]}
        for fname in MERGE_FILL_FIELDS:
            if duplicate[fname] and not self[fname]:
                vals[fname] = duplicate[fname].id if isinstance(
                    duplicate[fname], models.BaseModel) else duplicate[fname]
        if not duplicate.is_contactable:
            vals["is_contactable"] = False
        if (duplicate.last_contact_date or "") > (self.last_contact_date or ""):
            vals["last_contact_date"] = duplicate.last_contact_date
        if duplicate.silver_auto and not self.silver_auto:
            for fname in SILVER_EVIDENCE_FIELDS:
                value = duplicate[fname]
                vals[fname] = value.id if isinstance(value, models.BaseModel) else value
        if duplicate.silver_manual and not self.silver_manual:
            vals["silver_manual"] = duplicate.silver_manual
        duplicate.with_context(active_test=False).applicant_ids.with_context(
            nurture_no_talent_sync=True).write({"talent_id": self.id})
        self.write(vals)
        # chatter, followers, activities, attachments of the duplicate: the
        # user may write both talents (checked above), not always these rows
        where = [("res_id", "=", duplicate.id)]
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name)] + where).write({"res_id": self.id})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name)] + where).write({"res_id": self.id})
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", self._name)] + where).write({"res_id": self.id})
        followers = self.env["mail.followers"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", both.ids)])
        kept = followers.filtered(lambda f: f.res_id == self.id)
        known = set(kept.mapped("partner_id").ids), set(kept.mapped("channel_id").ids)
        for follower in followers - kept:
            if follower.partner_id.id in known[0] or follower.channel_id.id in known[1]:
                follower.unlink()
            else:
                follower.write({"res_id": self.id})
        self.message_post(body=_("Merged with the duplicate talent %(name)s (#%(id)d).") % {
            "name": duplicate.name, "id": duplicate.id})
        self.env["hr.talent.funnel"].sudo()._nurture_move_talent(duplicate, self)
        duplicate.sudo().unlink()
        return True

    @api.model
    def _nurture_today(self):
        return fields.Date.from_string(fields.Date.context_today(self)) or datetime.date.today()


    # ------------------------------------------------------------------
    # Consent: state and contactability
    # ------------------------------------------------------------------
    @api.depends("consent_state", "consent_expiry_date")
    def _compute_is_contactable(self):
        today = self._nurture_today()
        for talent in self:
            expiry = fields.Date.from_string(talent.consent_expiry_date)
            talent.is_contactable = fu.consent_valid(talent.consent_state, expiry, today)

    def _inverse_is_contactable(self):
        for talent in self:
            valid = talent.consent_state == "given"
            if talent.is_contactable and not valid:
                talent._nurture_set_consent("given", "recruiter")
            elif not talent.is_contactable and valid:
                talent._nurture_set_consent("withdrawn", "recruiter")

    def _compute_enrollment_running_count(self):
        data = self.env["hr.talent.enrollment"].read_group(
            [("talent_id", "in", self.ids), ("state", "=", "running")],
            ["talent_id"], ["talent_id"])
        counts = dict((row["talent_id"][0], row["talent_id_count"]) for row in data)
        for talent in self:
            talent.enrollment_running_count = counts.get(talent.id, 0)

    # ------------------------------------------------------------------
    # Consent, follow-ups and retention: actions
    # ------------------------------------------------------------------
    @api.multi
    def action_request_consent(self):
        """Recruiter button: email the consent request (not to talents without email)."""
        no_email = self.filtered(lambda t: not t.email)
        if no_email:
            raise UserError(_("These talents have no email address: %s") % ", ".join(
                no_email.mapped("name")))
        self._nurture_request_consent("recruiter")
        return True

    @api.multi
    def action_consent_given(self):
        """Recruiter button: the talent told us they agree (e.g. on the phone)."""
        self._nurture_set_consent("given", "recruiter")
        return True

    @api.multi
    def action_consent_withdrawn(self):
        self._nurture_set_consent("withdrawn", "recruiter")
        return True

    @api.multi
    def action_anonymize(self):
        """Manager button: anonymise on the person's request."""
        if not self.env.user.has_group(MANAGER):
            raise UserError(_("Only recruitment managers may anonymise talents."))
        self.sudo()._nurture_anonymize(_("on the person's request, by %s") % self.env.user.name)
        return True

    @api.multi
    def action_open_enrollments(self):
        self.ensure_one()
        action = self.env.ref("candidate_nurture.hr_talent_enrollment_action").read()[0]
        action["domain"] = [("talent_id", "=", self.id)]
        action["context"] = {"default_talent_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Consent: changes and requests
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_set_consent(self, state, source, note=None, log=True):
        """Record a consent change, log it, and apply it (stop follow-ups, cancel mail).

        With log=False the caller writes the chatter note (see _nurture_consent_note)."""
        now = fields.Datetime.now()
        # read the batch once; write once per distinct change; then log one note
        # per talent, each with its own prefetch (a note invalidates the cache,
        # and a shared prefetch would re-read the whole batch every time)
        plan = [(talent.id, talent.consent_state,
                 (talent.company_id or self.env.user.company_id).nurture_consent_months)
                for talent in self]
        writes = {}
        for talent_id, current_state, consent_months in plan:
            vals = {"consent_state": state, "consent_date": now, "consent_source": source}
            if state == "given":
                expiry = fu.consent_expiry(self._nurture_today(), consent_months)
                vals["consent_expiry_date"] = fields.Date.to_string(expiry) if expiry else False
            elif state == "asked":
                vals["consent_request_date"] = now
                if current_state == "given":
                    # a renewal request: the current consent holds until it expires
                    vals = {"consent_request_date": now}
            writes.setdefault(tuple(sorted(vals.items())), []).append(talent_id)
        # one write per distinct change (usually one for the whole batch)
        for vals, talent_ids in writes.items():
            self.browse(talent_ids).sudo().write(dict(vals))
        for vals, talent_ids in writes.items():
            renewal = "consent_state" not in dict(vals)
            for talent_id in (talent_ids if log else []):
                self.browse(talent_id).message_post(
                    body=self._nurture_consent_note(state, source, renewal, note),
                    subtype="mail.mt_note")
        if state == "given":
            self._nurture_funnel_reach("consent")
        if state in fu.CONSENT_STOP_STATES:
            reason = "consent_expired" if state == "expired" else "consent_withdrawn"
            self._nurture_stop_contact(reason)
        return True

    def _nurture_consent_note(self, state, source, renewal=False, note=None):
        """The chatter note of a consent change."""
        body = _("Consent \"%(purpose)s\": <b>%(state)s</b> (source: %(source)s).") % {
            "purpose": _(CONSENT_PURPOSE),
            "state": _("renewal requested") if renewal else dict(CONSENT_STATES)[state],
            "source": dict(CONSENT_SOURCES)[source]}
        if note:
            body += "<br/>%s" % html_escape(note)
        return body

    @api.multi
    def _nurture_stop_contact(self, reason):
        """Nothing queued for these talents is sent, their follow-ups end."""
        if not self:
            return
        self.env["hr.talent.enrollment"].sudo().search([
            ("talent_id", "in", self.ids), ("state", "=", "running")])._nurture_stop(reason)
        mails = self.env["mail.mail"].sudo().search([
            ("state", "=", "outgoing"), ("model", "=", self._name), ("res_id", "in", self.ids)])
        if mails:
            mails.cancel()
        self.sudo().write({"opening_pending_job_ids": [(5, 0, 0)]})

    @api.multi
    def _nurture_request_consent(self, source, renewal=False):
        """Email the consent request (or its renewal) to talents with an email."""
        talents = self.filtered("email")
        if not talents:
            return self.env["mail.mail"]
        xmlid = ("candidate_nurture.mail_template_consent_renewal" if renewal
                 else "candidate_nurture.mail_template_consent_request")
        mails = talents._nurture_queue_template(self.env.ref(xmlid))
        talents._nurture_set_consent("asked", source)
        return mails

    # ------------------------------------------------------------------
    # Candidate page and stop link (signed)
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_ensure_nonce(self):
        """Give a token nonce to the talents without one (one query)."""
        if self.ids:
            self.env.cr.execute(
                "UPDATE hr_talent SET nurture_token_nonce = md5(random()::text || id::text) "
                "WHERE id IN %s AND nurture_token_nonce IS NULL", (tuple(self.ids),))
            self.invalidate_cache(["nurture_token_nonce"], self.ids)

    def _nurture_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.multi
    def _nurture_token(self):
        self.ensure_one()
        nonce = self.sudo().nurture_token_nonce
        if not nonce:
            self._nurture_ensure_nonce()
            nonce = self.sudo().nurture_token_nonce
        return tokens.make_token(self._nurture_secret(), TALENT_TOKEN_PURPOSE, self.id, nonce)

    @api.multi
    def get_candidate_page_url(self):
        """Public page where the person sees and decides what we keep: in every email."""
        self.ensure_one()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return tokens.public_url(base, "me", self._nurture_token())

    @api.multi
    def get_stop_url(self):
        self.ensure_one()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return tokens.public_url(base, "stop", self._nurture_token())

    @api.model
    def _from_candidate_token(self, token):
        """The talent a token was made for (sudo), or an empty recordset."""
        record_id = tokens.parse_token(token)
        if record_id is None:
            return self.browse()
        talent = self.sudo().with_context(active_test=False).browse(record_id).exists()
        if not talent or talent.anonymized_date:
            return self.browse()
        if not tokens.verify_token(self._nurture_secret(), TALENT_TOKEN_PURPOSE, token,
                                   talent.nurture_token_nonce):
            return self.browse()
        return talent

    # ------------------------------------------------------------------
    # Automated email to the talent
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_mail_values(self, template):
        """Rendered email values per talent id, ready for mail.mail (batch render).

        Raises when the template does not render for one of them.
        """
        self._nurture_ensure_nonce()
        rendered = template.generate_email(
            self.ids, fields=["subject", "body_html", "email_from", "email_to", "partner_to",
                              "email_cc", "reply_to"])
        result = {}
        for talent in self:
            values = rendered[talent.id]
            values.pop("attachment_ids", None)
            values.pop("attachments", None)
            values["recipient_ids"] = [(4, pid) for pid in values.pop("partner_ids", [])]
            if not values.get("email_from"):
                values.pop("email_from", None)
            if not values.get("reply_to"):
                values.pop("reply_to", None)
            stop = talent.get_stop_url()
            values.update({
                "auto_delete": False, "message_type": "email", "model": self._name,
                "res_id": talent.id,
                # known here: spares mail.message one read of the talent per mail
                "record_name": talent.display_name,
                "headers": repr({"List-Unsubscribe": "<%s>" % stop,
                                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}),
            })
            result[talent.id] = values
        return result

    @api.multi
    def _nurture_queue_template(self, template, extra=None):
        """Queue template for each talent with an email; returns the mail.mail records."""
        talents = self.filtered("email")
        if not talents:
            return self.env["mail.mail"]
        Mail = self.env["mail.mail"].sudo()
        mails = Mail.browse()
        for values in talents._nurture_mail_values(template).values():
            values.update(extra or {})
            mails |= Mail.create(values)
        return mails

    # ------------------------------------------------------------------
    # Inbound mail: a reply or a bounce stops the follow-ups
    # ------------------------------------------------------------------
    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        res = super(HrTalent, self).message_update(msg_dict, update_vals=update_vals)
        self._nurture_engaged("replied")
        self.env["hr.talent.enrollment"].sudo().search([
            ("talent_id", "in", self.ids), ("state", "=", "running")])._nurture_stop("replied")
        return res

    @api.multi
    def message_receive_bounce(self, email, partner, mail_id=None):
        res = super(HrTalent, self).message_receive_bounce(email, partner, mail_id=mail_id)
        self.env["hr.talent.enrollment"].sudo().search([
            ("talent_id", "in", self.ids), ("state", "=", "running")])._nurture_stop("bounced")
        return res

    # ------------------------------------------------------------------
    # Follow-ups: enrolment
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_enroll(self, sequences):
        """Enrol each talent in each active sequence it is not running yet."""
        Enrollment = self.env["hr.talent.enrollment"].sudo()
        created = Enrollment.browse()
        sequences = sequences.filtered(lambda s: s.active and s.step_ids)
        if not sequences or not self:
            return created
        running = set(Enrollment.search([
            ("talent_id", "in", self.ids), ("sequence_id", "in", sequences.ids),
            ("state", "=", "running")]).mapped(lambda e: (e.talent_id.id, e.sequence_id.id)))
        for talent in self.filtered(lambda t: not t.anonymized_date):
            for sequence in sequences:
                if (talent.id, sequence.id) not in running:
                    created |= Enrollment.create({"talent_id": talent.id,
                                                  "sequence_id": sequence.id})
        return created

    @api.multi
    def _nurture_sequences_for(self, reason=None):
        """Sequences attached to the refusal reason or to this talent's pools,
        for its audience (silver medalist or not)."""
        self.ensure_one()
        Sequence = self.env["hr.talent.sequence"].sudo()
        domain = [("pool_ids", "in", self.pool_ids.ids)]
        if reason:
            domain = ["|", ("refuse_reason_ids", "in", reason.ids)] + domain
        excluded = "other" if self.silver_medalist else "silver"
        return Sequence.search(domain + [("audience", "!=", excluded)])

    @api.multi
    def _nurture_enroll_after_refusal(self, reason):
        for talent in self:
            talent._nurture_enroll(talent._nurture_sequences_for(reason))

    # ------------------------------------------------------------------
    # Retention: anonymisation
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_anonymize(self, why):
        """Remove personal data, keep the statistics (stages, ratings, reasons, dates)."""
        now = fields.Datetime.now()
        for talent in self.filtered(lambda t: not t.anonymized_date):
            talent._nurture_stop_contact("anonymized")
            applicants = talent.with_context(active_test=False).applicant_ids
            applicants.with_context(nurture_no_talent_sync=True).write({
                "partner_name": False, "email_from": False, "partner_phone": False,
                "partner_mobile": False, "description": False, "partner_id": False,
                "name": _("Anonymised application"),
            })
            self.env["ir.attachment"].search([
                "|", "&", ("res_model", "=", "hr.applicant"), ("res_id", "in", applicants.ids),
                "&", ("res_model", "=", self._name), ("res_id", "=", talent.id)]).unlink()
            self.env["mail.message"].search([
                ("model", "=", self._name), ("res_id", "=", talent.id),
                ("message_type", "in", ("email", "comment"))]).unlink()
            talent.write({
                "name": _("Anonymised talent #%d") % talent.id, "email": False, "phone": False,
                "linkedin_url": False, "partner_id": False, "availability": False,
                "interest_department_ids": [(5, 0, 0)], "anonymized_date": now,
                "nurture_token_nonce": False, "consent_state": "not_asked",
                "consent_source": False, "consent_expiry_date": False,
            })
            talent.message_post(body=_("Personal data anonymised on %(date)s (UTC): %(why)s.") % {
                "date": now, "why": html_escape(why)}, subtype="mail.mt_note")
        return True

    @api.model
    def _get_retention_domain(self, today):
        company = self.env.user.company_id
        grace = company.nurture_retention_days
        limit = fields.Datetime.to_string(datetime.datetime.combine(
            today, datetime.time()) - datetime.timedelta(days=grace))
        return [("anonymized_date", "=", False), ("is_contactable", "=", False),
                "|", "&", ("consent_date", "!=", False), ("consent_date", "<", limit),
                "&", ("consent_date", "=", False), ("create_date", "<", limit)]

    # ------------------------------------------------------------------
    # Consent, new openings and retention: cron entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_consent_expiry(self):
        """Expire consents past their date; ask to renew those about to expire."""
        today = self._nurture_today()
        expired = self.search([("consent_state", "=", "given"),
                               ("consent_expiry_date", "<", fields.Date.to_string(today))])
        expired._nurture_set_consent("expired", "system")
        to_renew = self.browse()
        for talent in self.search([("consent_state", "=", "given"),
                                   ("consent_expiry_date", "!=", False), ("email", "!=", False)]):
            company = talent.company_id or self.env.user.company_id
            last = fields.Datetime.from_string(talent.consent_request_date)
            if fu.renewal_due("given", fields.Date.from_string(talent.consent_expiry_date),
                              today, company.nurture_consent_renewal_days,
                              last.date() if last else None):
                to_renew |= talent
        if to_renew:
            to_renew._nurture_request_consent("system", renewal=True)
        return True

    @api.model
    def _cron_anonymize(self):
        company = self.env.user.company_id
        if not company.nurture_retention_days:
            return True
        talents = self.with_context(active_test=False).search(
            self._get_retention_domain(self._nurture_today()))
        # people with an application in progress are not anonymised
        talents = talents.filtered(lambda t: not t.applicant_ids.filtered("active"))
        talents._nurture_anonymize(_("no valid consent for more than %d days") %
                                   company.nurture_retention_days)
        return True

    @api.model
    def _cron_opening_digest(self):
        """One "new opening" email per talent and period, listing its pending openings."""
        now = fields.Datetime.from_string(fields.Datetime.now())
        template = self.env.ref("candidate_nurture.mail_template_new_openings")
        talents = self.search([("opening_pending_job_ids", "!=", False),
                               ("is_contactable", "=", True)])
        due = talents.filtered(lambda t: fu.digest_allowed(
            fields.Datetime.from_string(t.opening_last_sent_date),
            (t.company_id or self.env.user.company_id).nurture_opening_digest_days, now))
        due = due.filtered("email")
        if due:
            due._nurture_queue_template(template)
            due.write({"opening_last_sent_date": fields.Datetime.to_string(now),
                       "opening_pending_job_ids": [(5, 0, 0)]})
        return True

    @api.multi
    def _nurture_announce_openings(self, jobs):
        """Jobs started recruiting: queue them for the interested, contactable talents."""
        if jobs:
            self.filtered(lambda t: t.is_contactable and t.email).sudo().write(
                {"opening_pending_job_ids": [(4, job.id) for job in jobs]})


    # ------------------------------------------------------------------
    # Events: invitations and engagement
    # ------------------------------------------------------------------
    @api.multi
    def _compute_invitation_count(self):
        counts = {}
        if self.ids:
            rows = self.env["hr.talent.invitation"].read_group(
                [("talent_id", "in", self.ids)], ["talent_id"], ["talent_id"])
            counts = dict((row["talent_id"][0], row["talent_id_count"]) for row in rows)
        for talent in self:
            talent.invitation_count = counts.get(talent.id, 0)

    @api.model
    def _engagement_cutoff(self):
        now = fields.Datetime.from_string(fields.Datetime.now())
        return fields.Datetime.to_string(now - datetime.timedelta(days=ENGAGEMENT_DAYS))

    @api.depends("invitation_ids.state", "invitation_ids.answer_date",
                 "invitation_ids.attended_date")
    def _compute_engagement_score(self):
        scores = {}
        ids = [tid for tid in self.ids if tid]
        if ids:
            self.env.cr.execute("""
                SELECT talent_id,
                       count(*) FILTER (WHERE answer_date >= %(cutoff)s)
                       + count(*) FILTER (WHERE attended_date >= %(cutoff)s)
                  FROM hr_talent_invitation
                 WHERE talent_id IN %(ids)s
                 GROUP BY talent_id""", {"cutoff": self._engagement_cutoff(), "ids": tuple(ids)})
            scores = dict(self.env.cr.fetchall())
        for talent in self:
            talent.engagement_score = scores.get(talent.id, 0)

    @api.multi
    def action_invite_to_event(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Invite to Event"),
            "res_model": "hr.talent.invite.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_talent_ids": [(6, 0, self.ids)]},
        }

    @api.multi
    def action_open_invitations(self):
        self.ensure_one()
        action = self.env.ref("candidate_nurture.hr_talent_invitation_action").read()[0]
        action["domain"] = [("talent_id", "=", self.id)]
        action["context"] = {"default_talent_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Events: helpers of the invitation email template (rendered on hr.talent)
    # ------------------------------------------------------------------
    @api.multi
    def nurture_invite_event(self):
        """The event the invitation wizard is sending for (from the context)."""
        return self.env["event.event"].browse(self.env.context.get("nurture_invite_event_id"))

    @api.multi
    def nurture_invite_url(self, answer):
        """Signed Accept/Decline link of this talent's invitation being sent.

        The wizard passes the tokens of the invitations it created in the
        context; a preview (nothing created yet) shows a placeholder link.
        """
        self.ensure_one()
        token = (self.env.context.get("nurture_invite_tokens") or {}).get(self.id)
        if not token:
            return PREVIEW_URL
        return self.env["hr.talent.invitation"]._answer_url_from_token(token, answer)

    # ------------------------------------------------------------------
    # Events: cron
    # ------------------------------------------------------------------
    @api.model
    def _get_engagement_recompute_domain(self):
        """Talents whose engagement may change with time alone: answers and
        attendance leave the 12-month window (new ones recompute at once)."""
        return [("engagement_score", ">", 0)]

    @api.model
    def _cron_recompute_engagement(self):
        talents = self.with_context(active_test=False).search(
            self._get_engagement_recompute_domain())
        if talents:
            self.env.add_todo(self._fields["engagement_score"], talents)
            self.recompute()


    # ------------------------------------------------------------------
    # Newsletters (mass mailing recipient)
    # ------------------------------------------------------------------
    @api.multi
    def message_get_default_recipients(self, res_model=None, res_ids=None):
        """A talent is written to at its own email address, not its contact's."""
        if res_model and res_ids:
            return super(HrTalent, self).message_get_default_recipients(
                res_model=res_model, res_ids=res_ids)
        return dict((talent.id, {"partner_ids": [], "email_to": talent.email or False,
                                 "email_cc": False}) for talent in self.sudo())

    @api.model
    def _nurture_contactable_ids(self, res_ids):
        """The ids among res_ids a newsletter may go to, in their order."""
        return self.env["mail.mass_mailing"]._nurture_contactable_talent_ids(res_ids)


    # ------------------------------------------------------------------
    # Re-engagement funnel: each step is reached where it happens
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_funnel_reach(self, step, date=None, kind=None):
        """These talents reached a funnel step after their latest refusal
        (consent, contacted, engaged, event, applied, hired): the first date
        is kept, later ones change nothing. Batch-safe, two queries at most."""
        self.env["hr.talent.funnel"].sudo()._nurture_reach(self.ids, step, date=date, kind=kind)

    @api.multi
    def _nurture_engaged(self, kind, mail=None, link=None):
        """The candidate did something (replied, clicked, answered): logged with
        the follow-up step it answers; "opened" is logged but is no engagement."""
        self.env["hr.talent.engagement"].sudo()._nurture_log(self.sudo(), kind, mail=mail,
                                                              link=link)
        if kind != "opened":
            self._nurture_funnel_reach("engaged", kind=kind)
