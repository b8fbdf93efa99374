# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import ast
import datetime
import logging
import re
from collections import OrderedDict

import psycopg2
from psycopg2 import sql

from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import html2plaintext, html_escape

from odoo.addons.hr_recruitment.models.hr_recruitment import AVAILABLE_PRIORITIES

from ..lib import feedback as fb
from ..lib import followup as fu
from ..lib import openings as openings_lib
from ..lib import public
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
# two invitations of one person to one event, merged: the one that says more stays
INVITATION_RANK = {"invited": 0, "declined": 1, "accepted": 2, "no_show": 3, "attended": 4}

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
    ("merge", "Merge of Duplicates"),
]
# written by the system only (_nurture_set_consent and the Record Consent
# wizard): a user's create or write with one of them is refused
CONSENT_FIELDS = ("consent_state", "consent_date", "consent_source", "consent_expiry_date",
                  "consent_request_date")
# ... and what is computed from them (the scheduler and the mailings read it)
CONSENT_GUARDED_FIELDS = CONSENT_FIELDS + ("is_contactable",)
# one talent per person: unique (company, normalised email) among talents with an email
EMAIL_UNIQUE_INDEX = "hr_talent_company_email_uniq"
EMAIL_UNIQUE_MESSAGE = ("Another talent of this company already has this email address: "
                        "one person has one talent. Open it, or merge the two talents.")
# the purpose as shown: _("...") with this literal where it is translated (Odoo 11
# exports only literal _() arguments)
CONSENT_PURPOSE = "Contact me about future opportunities"
TALENT_TOKEN_PURPOSE = "candidate_nurture.talent_page"
STOP_TOKEN_PURPOSE = "candidate_nurture.talent_stop"
# the talent's links to the careers page: they only link an application to the
# talent, and never open the candidate page (an email may be passed on)
JOB_TOKEN_PURPOSE = "candidate_nurture.talent_job"
MANAGER = "hr_recruitment.group_hr_recruitment_manager"

ENGAGEMENT_DAYS = 365
# field types people write personal data into: anonymisation clears them
ERASE_FIELD_TYPES = ("char", "text", "html")
PREVIEW_URL = "#preview"

# where a talent comes from when they follow a job link: utm source and medium
# (xml ids) per channel; the campaign is Odoo's own "Job Campaign"
NURTURE_CHANNELS = {
    "talent_pool": ("candidate_nurture.utm_source_talent_pool", "utm.utm_medium_email"),
    "candidate_page": ("candidate_nurture.utm_source_talent_pool", "utm.utm_medium_website"),
    "followup": ("candidate_nurture.utm_source_talent_followup", "utm.utm_medium_email"),
    "event": ("candidate_nurture.utm_source_talent_event", "utm.utm_medium_email"),
    "newsletter": ("candidate_nurture.utm_source_talent_newsletter", "utm.utm_medium_email"),
    "referral": ("candidate_nurture.utm_source_talent_referral", "utm.utm_medium_email"),
    "linkedin": ("candidate_nurture.utm_source_linkedin", "candidate_nurture.utm_medium_social"),
    "x": ("candidate_nurture.utm_source_x", "candidate_nurture.utm_medium_social"),
    "facebook": ("utm.utm_source_facebook", "candidate_nurture.utm_medium_social"),
    "email": ("candidate_nurture.utm_source_shared_email", "utm.utm_medium_email"),
}
NURTURE_UTM_CAMPAIGN = "hr_recruitment.utm_campaign_job"
PUBLIC_OPENINGS_LIMIT = 20


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
    # text fields that are statistics, not personal data: anonymisation clears
    # every other stored char, text and html field (models linked to the talent
    # may declare theirs the same way)
    _nurture_anonymize_keep = ("silver_criteria",)

    name = fields.Char(required=True, index=True, track_visibility="onchange")
    # not copied: one talent per person (unique index, see init)
    email = fields.Char(track_visibility="onchange", copy=False)
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

    # consent ("contact me about future opportunities"): one purpose, so the
    # current state lives on the talent (searched, filtered, read by the
    # crons); every change is a row of hr.talent.consent and a chatter note
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
        "Contactable", compute="_compute_is_contactable",
        store=True, index=True, default=False, track_visibility=False,
        help="Consent given and not expired. Use Record Consent to record how the person "
             "gave, refused or withdrew it.")
    consent_ids = fields.One2many(
        "hr.talent.consent", "talent_id", "Consent History", readonly=True,
        help="Every change of this talent's consent: state, when, source, how, by whom.")
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
    # CRUD: one talent per person; consent is written by the system only
    # ------------------------------------------------------------------
    @api.model_cr
    def init(self):
        """One talent per person and company, guaranteed by the database.

        A unique index on (company, normalised email) over the talents with an
        email: archived talents count (a person keeps one record, active or
        not), anonymised ones do not (anonymisation clears the email). The
        duplicates of earlier versions are merged first, on upgrade
        (migrations/11.0.2.0.0/pre-20-merge-duplicate-talents.py).
        """
        self.env.cr.execute("SELECT 1 FROM pg_class WHERE relname = %s", (EMAIL_UNIQUE_INDEX,))
        if not self.env.cr.fetchone():
            self.env.cr.execute(sql.SQL(
                "CREATE UNIQUE INDEX {index} ON hr_talent "
                "((COALESCE(company_id, 0)), email_normalized) "
                "WHERE email_normalized IS NOT NULL").format(
                    index=sql.Identifier(EMAIL_UNIQUE_INDEX)))

    def _register_hook(self):
        # the message Odoo's RPC layer shows when the index refuses a write
        self.pool._sql_error[EMAIL_UNIQUE_INDEX] = EMAIL_UNIQUE_MESSAGE
        return super(HrTalent, self)._register_hook()

    @api.model
    def create(self, vals):
        self._nurture_check_consent_write(vals)
        talent = super(HrTalent, self).create(vals)
        if vals.get("consent_state", "not_asked") != "not_asked":
            talent._nurture_log_consent_write()
        return talent

    @api.multi
    def write(self, vals):
        self._nurture_check_consent_write(vals)
        res = super(HrTalent, self).write(vals)
        if vals.get("anonymized_date"):
            # the notes of the consent history may name the person
            self.env["hr.talent.consent"].sudo()._nurture_blank_notes(self.ids)
        if "consent_state" in vals:
            self._nurture_log_consent_write(
                _("Personal data anonymised.") if vals.get("anonymized_date") else None)
        return res

    @api.model
    def _nurture_check_consent_write(self, vals):
        """Consent changes only through _nurture_set_consent (Record Consent,
        the candidate page, the crons), never by a user's create or write."""
        if self.env.uid != SUPERUSER_ID and any(
                fname in vals for fname in CONSENT_GUARDED_FIELDS):
            raise AccessError(_(
                "A talent's consent cannot be written directly. Use Record Consent and "
                "say how the person gave, refused or withdrew it."))

    @api.multi
    def _nurture_log_consent_write(self, note=None):
        """One consent history row per talent for the consent just written."""
        log = self.env.context.get("nurture_consent_log") or {}
        self.env["hr.talent.consent"].sudo()._nurture_log(
            self.ids, log.get("source") or "system", note=log.get("note") or note,
            date=log.get("date"), user_id=log.get("user_id"))

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

    @api.model
    def _nurture_create_unique(self, vals):
        """Create the talent of a person, or return the one they already have.

        The unique index on (company, normalised email) is the guarantee; this
        makes concurrent creators of one person meet it cleanly:

        1. a transaction-level advisory lock on (company, email) makes them
           take turns;
        2. the key is claimed with INSERT ... ON CONFLICT DO NOTHING. Free: the
           claim row is deleted and the ORM creates the talent in its place
           (still ours: others wait for our transaction to end). Held by a talent
           we can see: that talent is returned. Held by a talent a concurrent
           transaction committed after ours began (Odoo's REPEATABLE READ
           snapshot cannot see it): PostgreSQL raises a serialization failure,
           which Odoo's RPC layer retries; the retry finds that talent.
        """
        email = talent_lib.normalize_email(vals.get("email"))
        if not email:
            return self.create(vals)
        company_id = vals.get("company_id") or None
        cr = self.env.cr
        cr.execute("SELECT pg_advisory_xact_lock(hashtext('hr_talent'), hashtext(%s))",
                   ("%s/%s" % (company_id or 0, email),))
        # a serialization failure here is expected (and retried): not an error to log
        cr.execute("""INSERT INTO hr_talent (name, consent_state, active, company_id,
                                             email_normalized)
                      VALUES ('-', 'not_asked', FALSE, %s, %s)
                      ON CONFLICT DO NOTHING RETURNING id""", (company_id, email),
                   log_exceptions=False)
        claim = cr.fetchone()
        if claim:
            cr.execute("DELETE FROM hr_talent WHERE id = %s", claim)
        else:
            talent = self.with_context(active_test=False).search(
                [("email_normalized", "=", email), ("company_id", "=", company_id or False)],
                limit=1)
            if talent:
                return talent
        return self.create(vals)

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
        """The rule flagged these talents through applicant: keep the evidence.

        With log=False the caller writes the chatter note itself (the refusal
        wizard logs one note per talent for everything a refusal changed)."""
        return self._nurture_set_silver_evidence_batch(
            [(talent, applicant, criteria) for talent in self], log=log)

    @api.model
    def _nurture_set_silver_evidence_batch(self, evidence, log=True):
        """The evidence of a batch, ``evidence`` being [(talent, applicant,
        criteria)] (a talent named twice keeps its last applicant): one write
        per distinct job, stage, rating, reason and criteria, every talent's
        applicant in one statement (one write per talent otherwise). With
        log=False the caller writes the chatter notes. Returns the talents."""
        last = OrderedDict()
        for talent, applicant, criteria in evidence:
            last[talent.id] = (applicant, criteria)
        groups = OrderedDict()
        for talent_id, (applicant, criteria) in last.items():
            key = (applicant.job_id.id, applicant.stage_id.id, applicant.priority,
                   applicant.sudo().refuse_reason_id.id, tuple(criteria))
            groups.setdefault(key, []).append(talent_id)
        now = fields.Datetime.now()
        for (job_id, stage_id, priority, reason_id, criteria), talent_ids in groups.items():
            # the note below (or the caller's) tells the story: no field tracking
            self.browse(talent_ids).with_context(tracking_disable=True).write({
                "silver_auto": True,
                "silver_date": now,
                "silver_job_id": job_id,
                "silver_stage_id": stage_id,
                "silver_priority": priority,
                "silver_reason_id": reason_id,
                "silver_criteria": ", ".join(_(SILVER_CRITERIA_LABELS[key]) for key in criteria),
            })
        if last:
            # the write above checked the access; nothing is computed from it
            self.env.cr.execute(
                "UPDATE hr_talent AS t SET silver_applicant_id = v.applicant_id "
                "FROM unnest(%s::int[], %s::int[]) AS v(talent_id, applicant_id) "
                "WHERE t.id = v.talent_id",
                (list(last), [applicant.id for applicant, _criteria in last.values()]))
            self.invalidate_cache(["silver_applicant_id"], list(last))
        talents = self.browse(list(last))
        for talent in (talents if log else []):
            talent.message_post(body=talent._nurture_silver_note(), subtype="mail.mt_note")
        return talents

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

        Applications, event invitations, follow-up enrolments, the consent
        history, pools, job matches, messages (and queued mail), followers,
        activities and attachments move; empty fields are filled from the
        duplicate; the silver-medalist evidence is kept when only the duplicate
        has it. The consent kept is the most protective one
        (lib.followup.merged_consent: a withdrawal or a decline on either side
        wins, else the latest answer). Two invitations to one event become one
        (the one that says more); two running enrolments in one sequence become
        one (the one further on; the other stops as "merged").

        Merging deletes a talent: only users allowed to delete talents may
        merge (checked, like everything else, before anything is changed).
        """
        self.ensure_one()
        duplicate.ensure_one()
        if duplicate == self:
            raise UserError(_("A talent cannot be merged into itself: choose two different talents."))
        if not self.check_access_rights("unlink", raise_exception=False):
            raise AccessError(_(
                "Merging deletes the duplicate talent: only users allowed to delete talents "
                "(Recruitment managers) may merge them."))
        duplicate.check_access_rule("unlink")
        self.check_access_rights("write")
        self.check_access_rule("write")
        if duplicate.company_id != self.company_id:
            raise UserError(_("Talents of different companies cannot be merged."))
        vals = {"pool_ids": [(4, pool.id) for pool in duplicate.pool_ids],
                "interest_department_ids": [
                    (4, dep.id) for dep in duplicate.interest_department_ids],
                "opening_pending_job_ids": [
                    (4, job.id) for job in duplicate.opening_pending_job_ids]}
        for fname in MERGE_FILL_FIELDS:
            if duplicate[fname] and not self[fname]:
                vals[fname] = duplicate[fname].id if isinstance(
                    duplicate[fname], models.BaseModel) else duplicate[fname]
        for fname in ("last_contact_date", "opening_last_sent_date"):
            if (duplicate[fname] or "") > (self[fname] or ""):
                vals[fname] = duplicate[fname]
        if duplicate.silver_auto and not self.silver_auto:
            for fname in SILVER_EVIDENCE_FIELDS:
                value = duplicate[fname]
                vals[fname] = value.id if isinstance(value, models.BaseModel) else value
        if duplicate.silver_manual and not self.silver_manual:
            vals["silver_manual"] = duplicate.silver_manual
        mine = (self.consent_state, self.consent_date or None)
        theirs = (duplicate.consent_state, duplicate.consent_date or None)
        kept = duplicate if fu.merged_consent(mine, theirs) is theirs else self
        consent = dict((fname, kept[fname]) for fname in CONSENT_FIELDS)
        consent["consent_request_date"] = max(
            self.consent_request_date or "", duplicate.consent_request_date or "") or False
        duplicate_label = "%s (#%d)" % (duplicate.name, duplicate.id)
        if vals.get("email"):
            # the duplicate's email moves here: free it first (unique index)
            duplicate.sudo().with_context(tracking_disable=True).write({"email": False})

        duplicate.with_context(active_test=False).applicant_ids.with_context(
            nurture_no_talent_sync=True).write({"talent_id": self.id})
        self.write(vals)
        self._nurture_merge_records(duplicate)
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
            [("res_model", "=", self._name), ("res_id", "in", (self | duplicate).ids)])
        kept_followers = followers.filtered(lambda f: f.res_id == self.id)
        known = (set(kept_followers.mapped("partner_id").ids),
                 set(kept_followers.mapped("channel_id").ids))
        for follower in followers - kept_followers:
            if follower.partner_id.id in known[0] or follower.channel_id.id in known[1]:
                follower.unlink()
            else:
                follower.write({"res_id": self.id})
        # the consent kept, as one history row (the duplicate's rows moved here)
        note = _("Merged with the duplicate talent %(name)s: the consent kept is that of "
                 "%(kept)s.") % {"name": duplicate_label,
                                 "kept": _("the duplicate") if kept == duplicate
                                 else _("this talent")}
        self.sudo().with_context(nurture_consent_log={
            "source": "merge", "note": note, "user_id": self.env.uid}).write(consent)
        if consent["consent_state"] in fu.CONSENT_STOP_STATES:
            # what the duplicate had queued or running stops too
            self._nurture_stop_contact(
                "consent_expired" if consent["consent_state"] == "expired"
                else "consent_withdrawn")
        self.message_post(body=_("Merged with the duplicate talent %s.") % html_escape(
            duplicate_label), subtype="mail.mt_note")
        self.env["hr.talent.funnel"].sudo()._nurture_move_talent(duplicate, self)
        duplicate.unlink()
        return True

    @api.multi
    def _nurture_merge_records(self, duplicate):
        """Move the invitations, enrolments, consent history and job matches of
        duplicate here, one per event, running sequence and job."""
        self.ensure_one()
        Invitation = self.env["hr.talent.invitation"].sudo()
        ours = dict((inv.event_id.id, inv) for inv in Invitation.search(
            [("talent_id", "=", self.id)]))
        moving, dropped = Invitation.browse(), Invitation.browse()
        for invitation in Invitation.search([("talent_id", "=", duplicate.id)]):
            other = ours.get(invitation.event_id.id)
            if not other:
                moving |= invitation
            elif INVITATION_RANK.get(invitation.state, 0) > INVITATION_RANK.get(other.state, 0):
                dropped |= other
                moving |= invitation
            else:
                dropped |= invitation
        dropped.unlink()
        if moving:
            moving.write({"talent_id": self.id})

        Enrollment = self.env["hr.talent.enrollment"].sudo()
        running = dict((enr.sequence_id.id, enr) for enr in Enrollment.search(
            [("talent_id", "=", self.id), ("state", "=", "running")]))
        theirs = Enrollment.search([("talent_id", "=", duplicate.id)])
        superseded = Enrollment.browse()
        for enrollment in theirs.filtered(lambda e: e.state == "running"):
            other = running.get(enrollment.sequence_id.id)
            if other:
                # keep the one further on: its steps were sent already
                superseded |= other if enrollment.steps_done > other.steps_done else enrollment
        if theirs:
            theirs.write({"talent_id": self.id})
        superseded._nurture_stop("merged")

        self.env.cr.execute("UPDATE hr_talent_consent SET talent_id = %s WHERE talent_id = %s",
                            (self.id, duplicate.id))
        self.env["hr.talent.consent"].invalidate_cache(["talent_id"])
        (self | duplicate).invalidate_cache(["consent_ids"])

        Match = self.env["hr.talent.match"].sudo()
        jobs = set(Match.search([("talent_id", "=", self.id)]).mapped("job_id").ids)
        matches = Match.search([("talent_id", "=", duplicate.id)])
        matches.filtered(lambda m: m.job_id.id in jobs).unlink()
        matches.exists().write({"talent_id": self.id})

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
        """Recruiter button: email the consent request.

        Never to talents without an email, and never again to people who
        withdrew or declined (final: only Record Consent changes it)."""
        no_email = self.filtered(lambda t: not t.email)
        if no_email:
            raise UserError(_("These talents have no email address: %s") % ", ".join(
                no_email.mapped("name")))
        final = self.filtered(lambda t: t.consent_state in fu.CONSENT_FINAL_STATES)
        if final:
            raise UserError(_(
                "These people withdrew or declined their consent and are not asked again: "
                "%s. If one of them gave a new consent, record it with Record Consent.")
                % ", ".join(final.mapped("name")))
        given = self.filtered(lambda t: not fu.consent_askable(t.consent_state))
        if given:
            raise UserError(_("These talents already gave their consent: %s") % ", ".join(
                given.mapped("name")))
        self._nurture_request_consent("recruiter")
        return True

    @api.multi
    def action_record_consent(self):
        """Record Consent: a recruiter records how the person gave, refused or
        withdrew their consent (a note is required); the only way out of a
        withdrawal or a decline."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Consent"),
            "res_model": "hr.talent.consent.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_talent_ids": [(6, 0, self.ids)]},
        }

    @api.multi
    def action_anonymize(self):
        """Anonymise on the person's request: recruitment managers, on talents
        of their company (Action > Anonymise asks for confirmation first)."""
        self.check_access_rights("write")
        if not self.env.user.has_group(MANAGER):
            raise UserError(_("Only recruitment managers may anonymise talents."))
        self.check_access_rule("write")
        why = _("on the person's request, by %s") % self.env.user.name
        Run = self.env["hr.recruitment.background.run"]
        if Run._nurture_goes_background(len(self)):
            # many at once: in background batches (queue_job), progress on the run
            run = Run._nurture_start(
                "anonymisation", self._name, self.ids, {"why": why},
                _("Anonymisation of %d talents") % len(self))
            return run._nurture_open_action()
        self.sudo()._nurture_anonymize(why)
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
    def _nurture_set_consent(self, state, source, note=None, log=True, date=None,
                             documented=False):
        """Record a consent change, log it, and apply it (stop follow-ups, cancel mail).

        A withdrawal or a decline is final: a talent in one of them only moves
        to another final state, unless the change is documented
        (documented=True: a recruiter's Record Consent, with a note of how the
        person gave it); the others are left as they are. ``date``: when the
        person gave it (default now; a given consent expires counting from
        it). Each change is one hr.talent.consent row (one statement per
        batch). With log=False the caller writes the chatter note (see
        _nurture_consent_note). Returns the talents changed.
        """
        now = fields.Datetime.now()
        date = date or now
        given_on = (fields.Datetime.from_string(date).date() if date != now
                    else self._nurture_today())
        # who records it (None under sudo: the candidate page, the crons)
        user_id = self.env.uid if self.env.uid != SUPERUSER_ID else None
        # read the batch once; write once per distinct change; then log one note
        # per talent, each with its own prefetch (a note invalidates the cache,
        # and a shared prefetch would re-read the whole batch every time)
        plan = [(talent.id, talent.consent_state,
                 (talent.company_id or self.env.user.company_id).nurture_consent_months)
                for talent in self]
        writes = {}
        for talent_id, current_state, consent_months in plan:
            if not fu.consent_change_allowed(current_state, state, documented):
                continue
            vals = {"consent_state": state, "consent_date": date, "consent_source": source}
            if state == "given":
                expiry = fu.consent_expiry(given_on, consent_months)
                vals["consent_expiry_date"] = fields.Date.to_string(expiry) if expiry else False
            elif state == "asked":
                vals["consent_request_date"] = now
                if current_state == "given":
                    # a renewal request: the current consent holds until it expires
                    vals = {"consent_request_date": now}
            writes.setdefault(tuple(sorted(vals.items())), []).append(talent_id)
        # one write per distinct change (usually one for the whole batch), which
        # writes the history rows of the batch in one statement
        history = {"source": source, "note": note, "date": date, "user_id": user_id}
        for vals, talent_ids in writes.items():
            self.browse(talent_ids).sudo().with_context(nurture_consent_log=history).write(
                dict(vals))
        changed = self.browse([tid for talent_ids in writes.values() for tid in talent_ids])
        for vals, talent_ids in writes.items():
            renewal = "consent_state" not in dict(vals)
            for talent_id in (talent_ids if log else []):
                self.browse(talent_id).message_post(
                    body=self._nurture_consent_note(state, source, renewal, note),
                    subtype="mail.mt_note")
        if state == "given" and changed:
            changed._nurture_funnel_reach("consent")
        if state in fu.CONSENT_STOP_STATES and changed:
            reason = "consent_expired" if state == "expired" else "consent_withdrawn"
            changed._nurture_stop_contact(reason)
        return changed

    def _nurture_consent_note(self, state, source, renewal=False, note=None):
        """The chatter note of a consent change."""
        body = _("Consent \"%(purpose)s\": <b>%(state)s</b> (source: %(source)s).") % {
            "purpose": _("Contact me about future opportunities"),
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
        """Email the consent request (or its renewal) to talents with an email.

        Never to people who withdrew or declined: a request only goes to
        talents never asked, still unanswered or expired, a renewal only to
        consents given."""
        talents = self.filtered(lambda t: t.email and (
            t.consent_state == "given" if renewal else fu.consent_askable(t.consent_state)))
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
    # Each page has its own token purpose (the page, the stop link); both are
    # signed with the talent's nonce, which anonymisation clears. Links are
    # handed out only to who may read the talent (or by the system rendering
    # an email): see _nurture_check_link_access.
    @api.multi
    def _nurture_ensure_nonce(self):
        """Give a token nonce to the talents without one (one query)."""
        if self.ids:
            self.env.cr.execute(
                "UPDATE hr_talent SET nurture_token_nonce = md5(random()::text || id::text) "
                "WHERE id IN %s AND nurture_token_nonce IS NULL AND anonymized_date IS NULL",
                (tuple(self.ids),))
            self.invalidate_cache(["nurture_token_nonce"], self.ids)

    def _nurture_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    def _nurture_base_url(self):
        return self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")

    @api.multi
    def _nurture_check_link_access(self):
        """Signed links go only to who may read these records: AccessError otherwise.

        Portal users, employees outside recruitment and officers of another
        company get an error; the system rendering an email (cron, superuser)
        and recruiters who may read the record get the link.
        """
        self.check_access_rights("read")
        self.check_access_rule("read")

    @api.multi
    def _nurture_token(self, purpose=TALENT_TOKEN_PURPOSE):
        """The signed token of this talent for purpose (no access check: private)."""
        self.ensure_one()
        talent = self.sudo()
        if talent.anonymized_date:
            raise UserError(_("An anonymised talent has no links any more."))
        nonce = talent.nurture_token_nonce
        if not nonce:
            self._nurture_ensure_nonce()
            nonce = talent.nurture_token_nonce
        return tokens.make_token(self._nurture_secret(), purpose, self.id, nonce)

    @api.multi
    def _nurture_candidate_page_url(self):
        self.ensure_one()
        return tokens.public_url(self._nurture_base_url(), "me",
                                 self._nurture_token(TALENT_TOKEN_PURPOSE))

    @api.multi
    def _nurture_stop_url(self):
        """The one-click stop address (page and List-Unsubscribe): its own purpose,
        so it never opens the candidate page."""
        self.ensure_one()
        return tokens.public_url(self._nurture_base_url(), "stop",
                                 self._nurture_token(STOP_TOKEN_PURPOSE))

    @api.multi
    def get_candidate_page_url(self):
        """Public page where the person sees and decides what we keep: in every email.

        Only for who may read the talent (raises AccessError otherwise).
        """
        self.ensure_one()
        self._nurture_check_link_access()
        return self._nurture_candidate_page_url()

    @api.multi
    def get_stop_url(self):
        """The talent's stop link; only for who may read the talent."""
        self.ensure_one()
        self._nurture_check_link_access()
        return self._nurture_stop_url()

    @api.model
    def _nurture_from_token(self, token, purpose):
        """The talent a token of purpose was made for (sudo), or an empty recordset."""
        record_id = tokens.parse_token(token)
        if record_id is None:
            return self.browse()
        talent = self.sudo().with_context(active_test=False).browse(record_id).exists()
        if not talent or talent.anonymized_date:
            return self.browse()
        if not tokens.verify_token(self._nurture_secret(), purpose, token,
                                   talent.nurture_token_nonce):
            return self.browse()
        return talent

    @api.model
    def _from_candidate_token(self, token):
        """The talent of a candidate-page token (sudo), or an empty recordset."""
        return self._nurture_from_token(token, TALENT_TOKEN_PURPOSE)

    @api.model
    def _from_stop_token(self, token):
        """The talent of a stop-link token (sudo), or an empty recordset."""
        return self._nurture_from_token(token, STOP_TOKEN_PURPOSE)

    @api.model
    def _from_job_token(self, token):
        """The talent of a careers-page link's token (sudo), or an empty recordset."""
        return self._nurture_from_token(token, JOB_TOKEN_PURPOSE)

    @api.multi
    def _nurture_as_candidate(self):
        """These records, acting as the candidate: the notes they post are the
        candidate's (their contact as author, else their email)."""
        self.ensure_one()
        author = public.CandidateAuthor(self.partner_id.id, self.partner_id.email or self.email)
        return self.with_context(**{public.CANDIDATE_AUTHOR: author})

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, *args, **kwargs):
        """Notes written while the candidate acts on a public page are theirs."""
        kwargs = public.with_candidate_author(self.env.context, kwargs)
        return super(HrTalent, self).message_post(*args, **kwargs)

    @api.multi
    def _nurture_offered_departments(self):
        """Departments the candidate page offers: those shown to candidates
        (hr.department.nurture_public), of the talent's company (and shared ones)."""
        self.ensure_one()
        return self.env["hr.department"].sudo().search(
            [("nurture_public", "=", True),
             "|", ("company_id", "=", False), ("company_id", "=", self.company_id.id)])

    @api.multi
    def _nurture_set_interest_departments(self, department_ids):
        """The candidate chose these departments on their page.

        Returns False and changes nothing when one of them is not offered to them.
        """
        self.ensure_one()
        if not set(department_ids) <= set(self._nurture_offered_departments().ids):
            return False
        self.sudo().write({"interest_department_ids": [(6, 0, sorted(department_ids))]})
        self._nurture_engaged("candidate_page")
        self.message_post(body=_("The candidate updated their departments of interest."),
                          subtype="mail.mt_note")
        return True

    @api.multi
    def _nurture_queued_mails(self):
        """Every email still waiting in the queue for this person: to the talent
        (follow-ups, consent, invitations, openings, newsletters), refusal and
        other emails on their applications, event emails on their registrations."""
        self.ensure_one()
        applicants = self.env["hr.applicant"].sudo().with_context(active_test=False).search(
            [("talent_id", "=", self.id)])
        registrations = self.env["hr.talent.invitation"].sudo().search(
            [("talent_id", "=", self.id)]).mapped("registration_id")
        domains = [["&", ("model", "=", self._name), ("res_id", "=", self.id)]]
        if applicants:
            domains += [["&", ("model", "=", "hr.applicant"), ("res_id", "in", applicants.ids)],
                        [("id", "in", applicants.mapped("refuse_mail_id").ids)]]
        if registrations:
            domains.append(["&", ("model", "=", "event.registration"),
                            ("res_id", "in", registrations.ids)])
        domain = expression.OR(domains)
        return self.env["mail.mail"].sudo().search(
            expression.AND([[("state", "=", "outgoing")], domain]))

    @api.multi
    def _nurture_stop_all(self, note):
        """The candidate asked to stop all contact (stop link or their page).

        Consent is withdrawn, follow-ups stop, and every email still queued for
        them is cancelled, scheduled refusal emails and invitations included.
        Returns the number of emails cancelled.
        """
        self.ensure_one()
        queued = self._nurture_queued_mails()
        refusals = self.env["hr.applicant"].sudo().with_context(active_test=False).search(
            [("refuse_mail_id", "in", queued.ids)])
        if self.consent_state != "withdrawn":
            self._nurture_set_consent("withdrawn", "candidate_page", note=note)
        else:
            self._nurture_stop_contact("consent_withdrawn")
        left = queued.filtered(lambda mail: mail.state == "outgoing")
        if left:
            left.cancel()
        for applicant in refusals:
            applicant.message_post(
                body=_("Refusal email cancelled before it was sent: the candidate asked "
                       "to stop all contact."), subtype="mail.mt_note")
        return len(queued)

    # ------------------------------------------------------------------
    # Language of the candidate's emails and pages
    # ------------------------------------------------------------------
    # One rule for both (lib/public.candidate_lang): the person's own language
    # (their contact's) when it is installed, else the default language of the
    # company's website, else the company's language, else en_US.
    @api.model
    def _nurture_default_langs(self, company=None):
        """The fallbacks of candidate_lang for company: its website's default
        language, then its own (its contact's)."""
        company = (company or self.env.user.company_id).sudo()
        website = self.env["website"].sudo().search(
            [("company_id", "=", company.id)], order="id", limit=1) \
            or self.env["website"].sudo().search([], order="id", limit=1)
        return (website.default_lang_code, company.partner_id.lang)

    @api.model
    def _nurture_lang_of(self, wanted, company=None):
        # get_installed is cached by Odoo; the fallbacks cost queries: only when needed
        installed = [code for code, _name in self.env["res.lang"].sudo().get_installed()]
        return public.candidate_lang(wanted, installed) or public.candidate_lang(
            (), installed, self._nurture_default_langs(company))

    @api.multi
    def _nurture_lang(self):
        """The language of this person's emails and pages (no access check: private)."""
        self.ensure_one()
        talent = self.sudo()
        return self._nurture_lang_of([talent.partner_id.lang], talent.company_id)

    @api.multi
    def nurture_lang(self):
        """The ``lang`` of the addon's email templates rendered on a talent
        (empty for Odoo's en_US); only for who may read the talent."""
        self.ensure_one()
        self._nurture_check_link_access()
        return self._nurture_lang() or ""

    # ------------------------------------------------------------------
    # Candidate page: everything kept about the person, as they see it
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_personal_data(self):
        """Everything kept about this person, for their page and *Download my data*.

        Plain values in the reader's language (context lang): contact data,
        applications with stages, dates, refusal reasons and the feedback they
        were given, documents by name, events, consent and its history, pools,
        departments, follow-ups, emails. No internal ids, no recruiters' notes,
        nothing of another person.
        """
        self.ensure_one()
        talent = self.sudo()
        env = talent.env

        def label(record, fname):
            if not record[fname]:
                return ""
            return dict(record._fields[fname]._description_selection(env)).get(
                record[fname], record[fname])

        applicants = env["hr.applicant"].with_context(active_test=False).search(
            [("talent_id", "=", talent.id)], order="create_date, id")
        attachments = env["ir.attachment"].search([
            "|", "&", ("res_model", "=", "hr.applicant"), ("res_id", "in", applicants.ids),
            "&", ("res_model", "=", self._name), ("res_id", "=", talent.id)],
            order="create_date, id")
        documents = {}
        for attachment in attachments:
            key = attachment.res_id if attachment.res_model == "hr.applicant" else None
            documents.setdefault(key, []).append(OrderedDict([
                ("name", attachment.datas_fname or attachment.name or ""),
                ("added_on", attachment.create_date or "")]))
        partner = talent.partner_id
        data = OrderedDict()
        data["company"] = talent.company_id.name or ""
        data["generated_on"] = fields.Datetime.now()
        data["contact"] = OrderedDict([
            ("name", talent.name or ""), ("email", talent.email or ""),
            ("phone", talent.phone or ""), ("linkedin", talent.linkedin_url or ""),
            ("available_from", talent.availability or ""),
        ])
        if partner:
            address = ", ".join(part for part in (
                partner.street, partner.street2, " ".join(p for p in (partner.zip, partner.city)
                                                          if p),
                partner.country_id.name) if part)
            data["contact_record"] = OrderedDict([
                ("name", partner.name or ""), ("email", partner.email or ""),
                ("phone", partner.phone or ""), ("mobile", partner.mobile or ""),
                ("address", address)])
        data["applications"] = []
        for applicant in applicants:
            if applicant.emp_id:
                status = _("Hired")
            elif applicant.refuse_date:
                status = _("Not selected")
            elif applicant.active:
                status = _("In progress")
            else:
                status = _("Closed")
            application = OrderedDict([
                ("job", applicant.job_id.name or applicant.name or ""),
                ("department", applicant.department_id.name or ""),
                ("applied_on", applicant.create_date or ""),
                ("stage", applicant.stage_id.name or ""),
                ("stage_since", applicant.date_last_stage_update or ""),
                ("status", status),
                ("name_given", applicant.partner_name or ""),
                ("email_given", applicant.email_from or ""),
                ("phone_given", applicant.partner_phone or applicant.partner_mobile or ""),
                ("expected_salary", applicant.salary_expected or ""),
                ("available_from", applicant.availability or ""),
                ("documents", documents.get(applicant.id, [])),
            ])
            if applicant.refuse_date:
                application["refusal"] = OrderedDict([
                    ("refused_on", applicant.refuse_date),
                    ("reason", applicant.refuse_reason_id.name or ""),
                    ("message", applicant.refuse_message or ""),
                    ("strengths", fb.split_points(applicant.refuse_strengths)),
                    ("areas_to_improve", fb.split_points(applicant.refuse_improvements)),
                    ("resources", [OrderedDict([("name", res.name), ("url", res.url or "")])
                                   for res in applicant.refuse_resource_ids]),
                    ("email", label(applicant, "refuse_email_state")),
                    ("your_answer", OrderedDict([
                        ("helpful", label(applicant, "refuse_feedback_helpful")),
                        ("comment", applicant.refuse_feedback_comment or ""),
                        ("answered_on", applicant.refuse_feedback_date or "")])),
                ])
            data["applications"].append(application)
        data["documents"] = documents.get(None, [])
        data["events"] = [OrderedDict([
            ("event", invitation.event_id.name or ""),
            ("begins", invitation.event_id.date_begin or ""),
            ("status", label(invitation, "state")),
            ("invited_on", invitation.sent_date or ""),
            ("answered_on", invitation.answer_date or ""),
            ("attended_on", invitation.attended_date or ""),
        ]) for invitation in env["hr.talent.invitation"].search(
            [("talent_id", "=", talent.id)], order="sent_date, id")]
        data["consent"] = OrderedDict([
            ("purpose", _("Contact me about future opportunities")),
            ("status", label(talent, "consent_state")),
            ("changed_on", talent.consent_date or ""),
            ("source", label(talent, "consent_source")),
            ("expires_on", talent.consent_expiry_date or ""),
            ("last_requested_on", talent.consent_request_date or ""),
            ("history", talent._nurture_consent_history()),
        ])
        data["talent_pools"] = talent.pool_ids.mapped("name")
        data["departments_you_chose"] = talent.interest_department_ids.mapped("name")
        data["last_contact"] = talent.last_contact_date or ""
        data["follow_ups"] = [OrderedDict([
            ("status", label(enrollment, "state")),
            ("started_on", enrollment.create_date or ""),
            ("next_step_on", enrollment.next_date or ""),
            ("stopped_on", enrollment.stop_date or ""),
            ("stop_reason", label(enrollment, "stop_reason")),
        ]) for enrollment in talent.enrollment_ids.sorted(lambda e: (e.create_date, e.id))]
        messages = env["mail.message"].search([
            ("message_type", "=", "email"),
            "|", "&", ("model", "=", "hr.applicant"), ("res_id", "in", applicants.ids),
            "&", ("model", "=", self._name), ("res_id", "=", talent.id)], order="date, id")
        data["emails"] = [OrderedDict([("date", message.date or ""),
                                       ("subject", message.subject or "")])
                          for message in messages]
        return data

    @api.multi
    def _nurture_consent_history(self):
        """The consent changes of this person, oldest first (list of dicts):
        the rows of hr.talent.consent, as the candidate page and the data
        download show them (who recorded a change is not shown)."""
        self.ensure_one()
        History = self.env["hr.talent.consent"].sudo()
        states = dict(History._fields["state"]._description_selection(self.env))
        sources = dict(History._fields["source"]._description_selection(self.env))
        return [OrderedDict([
            ("date", entry.date or ""),
            ("state", states.get(entry.state, "")),
            ("source", sources.get(entry.source, "") if entry.source else ""),
            ("note", entry.note or ""),
        ]) for entry in History.search([("talent_id", "=", self.id)], order="date, id")]

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
            values.update({
                "auto_delete": False, "message_type": "email", "model": self._name,
                "res_id": talent.id,
                # known here: spares mail.message one read of the talent per mail
                "record_name": talent.display_name,
            })
            result[talent.id] = talent._nurture_unsubscribe_values(values)
        return result

    @api.multi
    def _nurture_stop_urls(self):
        """{talent id: stop link} for a batch (read once, before creating mails)."""
        self._nurture_ensure_nonce()
        return dict((talent.id, talent._nurture_stop_url())
                    for talent in self.filtered(lambda t: not t.anonymized_date))

    @api.multi
    def _nurture_unsubscribe_values(self, values, stop_url=None):
        """Mail values of an email to this person, with their stop link.

        Adds the List-Unsubscribe and List-Unsubscribe-Post headers (RFC 8058
        one-click) pointing at the stop link, and a visible footer with it when
        the body (e.g. a customised template) does not carry it already.
        Returns values (changed in place).
        """
        self.ensure_one()
        stop = stop_url or self._nurture_stop_url()
        headers = {}
        if values.get("headers"):
            try:
                headers = dict(ast.literal_eval(values["headers"]))
            except (ValueError, SyntaxError, TypeError):
                headers = {}
        headers.update({"List-Unsubscribe": "<%s>" % stop,
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
        values["headers"] = repr(headers)
        body = values.get("body_html") or ""
        if stop not in body:
            values["body_html"] = body + (
                '<p style="font-size: 12px; color: #666;">%s <a href="%s">%s</a></p>' % (
                    html_escape(_("You can stop all emails from us at any time:")),
                    html_escape(stop), html_escape(_("Stop all emails"))))
            if "body" in values:
                values["body"] = values["body_html"]
        return values

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
    # message_update and message_receive_bounce are public: anyone logged in
    # can call them over RPC. They stop follow-ups only while Odoo's mail
    # gateway processes a real incoming email (mail.thread.message_process run
    # by the fetchmail scheduler or the mailgate script as an administrator,
    # see models/mail_thread.py); otherwise they do what Odoo's do.
    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        res = super(HrTalent, self).message_update(msg_dict, update_vals=update_vals)
        if self._nurture_in_mail_gateway():
            self._nurture_engaged("replied")
            self._nurture_stop_followups("replied")
        return res

    @api.multi
    def message_receive_bounce(self, email, partner, mail_id=None):
        res = super(HrTalent, self).message_receive_bounce(email, partner, mail_id=mail_id)
        if self._nurture_in_mail_gateway():
            self._nurture_stop_followups("bounced")
        return res

    @api.multi
    def _nurture_stop_followups(self, reason):
        self.env["hr.talent.enrollment"].sudo().search([
            ("talent_id", "in", self.ids), ("state", "=", "running")])._nurture_stop(reason)

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
        # talents in the same pools with the same audience get the same
        # sequences: one search for each such group, not one per talent
        groups = OrderedDict()
        for talent in self:
            key = (tuple(sorted(talent.pool_ids.ids)), bool(talent.silver_medalist))
            groups.setdefault(key, []).append(talent.id)
        for talent_ids in groups.values():
            talents = self.browse(talent_ids)
            talents._nurture_enroll(talents[0]._nurture_sequences_for(reason))

    # ------------------------------------------------------------------
    # Retention: anonymisation
    # ------------------------------------------------------------------
    @api.model
    def _nurture_erase_values(self, records, extra=None):
        """Values clearing every stored text field (char, text, html) of records'
        model that people or emails fill in: all but the computed and related ones,
        translatable labels and the model's ``_nurture_anonymize_keep``; required
        ones get a placeholder. ``extra`` values win."""
        keep = set(getattr(records, "_nurture_anonymize_keep", ()))
        vals = {}
        for name, field in records._fields.items():
            if (field.type not in ERASE_FIELD_TYPES or not field.store or field.compute
                    or field.related or field.translate or name in keep
                    or name in models.MAGIC_COLUMNS):
                continue
            vals[name] = _("Anonymised") if field.required else False
        vals.update(extra or {})
        return vals

    @api.model
    def _nurture_erase_records(self, records, partners, extra=None):
        """Clear records' text fields and their links to the person's contacts."""
        if not records:
            return
        records.write(self._nurture_erase_values(records, extra))
        for name, field in records._fields.items():
            if (field.type == "many2one" and field.comodel_name == "res.partner"
                    and field.store and not field.compute and not field.required):
                linked = records.filtered(lambda rec, name=name: rec[name] & partners)
                if linked:
                    linked.write({name: False})

    @api.model
    @tools.ormcache()
    def _nurture_linked_fields(self):
        """(model, many2one field) of every stored model pointing at hr.talent:
        applications, invitations, follow-ups, and whatever other modules add."""
        linked = []
        for model_name in sorted(self.env.registry.models):
            model = self.env[model_name]
            if model._transient or model._abstract or not model._auto:
                continue
            for name, field in sorted(model._fields.items()):
                if (field.type == "many2one" and field.comodel_name == self._name
                        and field.store and not field.compute):
                    linked.append((model_name, name))
        return tuple(linked)

    @api.model
    def _nurture_tracking_is_personal(self, model_name, value):
        """Whether a tracking value may show the person: texts, and the names of
        contacts, talents and applications."""
        if value.field_type in ERASE_FIELD_TYPES:
            return True
        if value.field_type in ("many2one", "many2many", "one2many"):
            model = self.env.get(model_name) if model_name else None
            field = model._fields.get(value.field) if model is not None else None
            return field is None or field.comodel_name in (
                "res.partner", "res.users", self._name, "hr.applicant")
        return False

    @api.model
    def _nurture_erase_threads(self, threads, partners):
        """Messages, emails, attachments, activities and followers of these
        records that are about the person, removed.

        threads is a list of (model, ids). A message that only tracks
        non-personal fields (a stage change, a rating) is kept as a statistic,
        without its personal tracking values, record name and the person as
        author; every other message goes, and its mail.mail with it.
        """
        threads = [(model, ids) for model, ids in threads if ids]
        if not threads:
            return
        Message = self.env["mail.message"]
        messages = Message.search(expression.OR(
            [["&", ("model", "=", model), ("res_id", "in", ids)] for model, ids in threads]))
        kept = Message.browse()
        for message in messages:
            if (message.message_type != "notification" or message.subject
                    or message.attachment_ids or not message.tracking_value_ids
                    or html2plaintext(message.body or "").strip()):
                continue
            personal = message.tracking_value_ids.filtered(
                lambda value, model=message.model: self._nurture_tracking_is_personal(
                    model, value))
            personal.unlink()
            if message.tracking_value_ids:
                kept |= message
        dropped = messages - kept
        attachments = dropped.mapped("attachment_ids")
        dropped.unlink()
        if kept:
            kept.write({"record_name": False, "reply_to": False})
            kept.filtered(lambda m: m.author_id & partners).write(
                {"author_id": False, "email_from": False})
        on_threads = expression.OR(
            [["&", ("res_model", "=", model), ("res_id", "in", ids)] for model, ids in threads])
        # binary fields' attachments (a contact's image) included
        attachments |= self.env["ir.attachment"].search(
            on_threads + ["|", ("res_field", "=", False), ("res_field", "!=", False)])
        attachments.exists().unlink()
        self.env["mail.activity"].search(on_threads).unlink()
        if partners:
            self.env["mail.followers"].search(
                on_threads + [("partner_id", "in", partners.ids)]).unlink()

    @api.model
    @tools.ormcache()
    def _nurture_transient_refs(self):
        """(wizard model, ((field, comodel), ...), its document model field or
        None) for every wizard that may hold a record: what an erasure empties."""
        refs = []
        for model_name in sorted(self.env.registry.models):
            model = self.env[model_name]
            if not model._transient:
                continue
            relational = tuple((name, field.comodel_name)
                               for name, field in sorted(model._fields.items())
                               if field.type in ("many2one", "many2many") and field.store)
            res_model = next((f for f in ("model", "res_model")
                              if getattr(model._fields.get(f), "type", None) == "char"), None)
            if getattr(model._fields.get("res_id"), "type", None) != "integer":
                res_model = None
            if relational or res_model:
                refs.append((model_name, relational, res_model))
        return tuple(refs)

    @api.model
    def _nurture_erase_transients(self, records_by_model, threads):
        """Wizards and composers still holding these records (refusal, invitation,
        merge, email composer, ...) are removed: they are scratch records."""
        threads = [(model, ids) for model, ids in threads if ids]
        for model_name, relational, res_model in self._nurture_transient_refs():
            domains = [[(name, "in", records_by_model[comodel])]
                       for name, comodel in relational if records_by_model.get(comodel)]
            if res_model:
                domains += [["&", (res_model, "=", thread), ("res_id", "in", ids)]
                            for thread, ids in threads]
            if domains:
                self.env[model_name].search(expression.OR(domains)).unlink()

    @api.model
    def _nurture_erase_leftovers(self, identities):
        """What no record points at any more but may still name the person:
        attachments of emails Odoo deleted once sent (a meeting invitation's
        .ics), and live notifications waiting on the bus (Odoo drops them after
        a minute or two)."""
        patterns = ["%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
                    for text in identities if text and len(text) > 2]
        if not patterns:
            return
        self.env.cr.execute("DELETE FROM bus_bus WHERE message ILIKE ANY(%s)", (patterns,))
        self.env.cr.execute("""
            SELECT a.id FROM ir_attachment a
             WHERE a.res_model IS NULL
               AND NOT EXISTS (SELECT 1 FROM message_attachment_rel rel
                                WHERE rel.attachment_id = a.id)
               AND (a.index_content ILIKE ANY(%(p)s) OR a.name ILIKE ANY(%(p)s)
                    OR a.datas_fname ILIKE ANY(%(p)s))""", {"p": patterns})
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.env["ir.attachment"].browse(ids).unlink()

    @api.model
    @tools.ormcache()
    def _nurture_partner_references(self):
        """(table, column) of every foreign key to res_partner that says a contact
        is used: all but its own tags, followers and wizards."""
        own = set((field.relation, field.column1)
                  for field in self.env["res.partner"]._fields.values()
                  if field.type == "many2many" and field.comodel_name == "res.partner.category")
        transient = set(self.env[name]._table for name in self.env.registry.models
                        if self.env[name]._transient)
        self.env.cr.execute("""
            SELECT cl.relname, att.attname
              FROM pg_constraint con
              JOIN pg_class cl ON cl.oid = con.conrelid
              JOIN pg_attribute att ON att.attrelid = con.conrelid
                                   AND att.attnum = con.conkey[1]
             WHERE con.contype = 'f' AND con.confrelid = 'res_partner'::regclass
               AND array_length(con.conkey, 1) = 1
             ORDER BY 1, 2""")
        return tuple((table, column) for table, column in self.env.cr.fetchall()
                     if table not in transient and table != "mail_followers"
                     and (table, column) not in own)

    @api.model
    def _nurture_partner_in_use(self, partner):
        """Whether anything but the candidacy still refers to this contact: a user,
        an employee, a customer, another company's talent, a message elsewhere...

        Every foreign key to res_partner is checked (the contact's own tags,
        followers and wizards aside), so a contact another record needs is
        never deleted.
        """
        tests = []
        for table, column in self._nurture_partner_references():
            test = sql.SQL("SELECT 1 FROM {} WHERE {} = %(partner)s").format(
                sql.Identifier(table), sql.Identifier(column))
            if table == "res_partner":  # its own row (commercial_partner_id)
                test = sql.SQL("{} AND id != %(partner)s").format(test)
            tests.append(sql.SQL("EXISTS ({})").format(test))
        if not tests:
            return False
        # one query for all of them
        self.env.cr.execute(sql.SQL("SELECT {}").format(sql.SQL(" OR ").join(tests)),
                            {"partner": partner.id})
        return bool(self.env.cr.fetchone()[0])

    @api.model
    def _nurture_erase_partners(self, partners):
        """The person's contacts nobody else uses are deleted (or, if a module
        refuses, emptied and archived); the others are left as they are."""
        for partner in partners.exists():
            if self._nurture_partner_in_use(partner):
                continue
            self._nurture_erase_threads([("res.partner", partner.ids)], partner)
            try:
                with self.env.cr.savepoint():
                    partner.unlink()
            except (psycopg2.Error, UserError, ValidationError):
                _logger.info("Contact %s could not be deleted: anonymised instead", partner.id)
                partner.write(self._nurture_erase_values(
                    partner, {"name": _("Anonymised contact"), "active": False}))

    @api.multi
    def _nurture_erase_person(self):
        """Remove what names the person everywhere Odoo keeps it for their
        candidacy; returns their contacts (res.partner), dealt with once the
        talent no longer points at them (_nurture_erase_partners)."""
        self.ensure_one()
        env = self.env
        applicants = self.with_context(active_test=False).applicant_ids
        registrations = self.invitation_ids.mapped("registration_id")
        partners = self.partner_id | applicants.mapped("partner_id")
        meetings = env["calendar.event"].with_context(virtual_id=False).search(
            [("applicant_id", "in", applicants.ids)]) if applicants else env["calendar.event"]
        # the invitations to an interview (to every attendee) name the candidate
        attendees = meetings.mapped("attendee_ids")
        names = set([self.name] + applicants.mapped("partner_name") + partners.mapped("name"))
        emails = set(talent_lib.normalize_email(email) for email in (
            [self.email] + applicants.mapped("email_from") + partners.mapped("email")))
        threads = [(self._name, self.ids), ("hr.applicant", applicants.ids),
                   ("event.registration", registrations.ids),
                   ("calendar.event", meetings.ids), ("calendar.attendee", attendees.ids)]
        self._nurture_erase_transients({self._name: self.ids, "hr.applicant": applicants.ids,
                                        "event.registration": registrations.ids}, threads)
        self._nurture_erase_threads(threads, partners)
        self._nurture_erase_leftovers(names | emails)
        env["hr.talent.match"].search([("talent_id", "=", self.id)]).unlink()
        # interviews: the person leaves the meeting, its subject and notes go
        if meetings:
            meetings.write({"partner_ids": [(3, partner.id) for partner in partners],
                            "name": _("Anonymised meeting"), "description": False})
        # everything linked to the talent (applications, invitations, follow-ups,
        # consent history, what other modules add) loses its free text
        for model_name, field_name in self._nurture_linked_fields():
            extra = {"name": _("Anonymised application")} if model_name == "hr.applicant" else None
            self._nurture_erase_records(
                env[model_name].with_context(active_test=False).search(
                    [(field_name, "=", self.id)]), partners, extra)
        self._nurture_erase_records(registrations, partners,
                                    {"name": _("Anonymised attendee")})
        # rediscovery's to-do on a job lists the best talents by name
        new_name = html_escape(_("Anonymised talent #%d") % self.id)
        for name in filter(None, names):
            listed = "<li>%s (" % html_escape(name)
            for activity in env["mail.activity"].search(
                    [("res_model", "=", "hr.job"), ("note", "ilike", listed)]):
                activity.note = activity.note.replace(listed, "<li>%s (" % new_name)
            for message in env["mail.message"].search(
                    [("model", "=", "hr.job"), ("body", "ilike", listed)]):
                message.body = message.body.replace(listed, "<li>%s (" % new_name)
        return partners

    @api.multi
    def _nurture_anonymize(self, why):
        """Erase the person, keep the statistics (stages, ratings, reasons, dates, counts).

        Afterwards no text column of the database holds their name, email or
        phone (tests/test_erasure.py scans them all); their links stop working.
        Runs as superuser without field tracking: the erasure keeps no old values.
        Models that refuse changes to their history may let this one through:
        the context holds ``nurture_anonymizing``.
        """
        now = fields.Datetime.now()
        quiet = self.sudo().with_context(
            tracking_disable=True, mail_notrack=True, mail_create_nolog=True,
            nurture_no_talent_sync=True, no_mail_to_attendees=True, nurture_anonymizing=True)
        for talent in quiet.filtered(lambda t: not t.anonymized_date):
            talent._nurture_stop_contact("anonymized")
            partners = talent._nurture_erase_person()
            talent.write(talent._nurture_erase_values(talent))
            talent.write({
                "name": _("Anonymised talent #%d") % talent.id, "email": False, "phone": False,
                "linkedin_url": False, "partner_id": False, "availability": False,
                "interest_department_ids": [(5, 0, 0)], "anonymized_date": now,
                "nurture_token_nonce": False, "consent_state": "not_asked",
                "consent_source": False, "consent_expiry_date": False,
            })
            talent._nurture_erase_partners(partners)
            talent.message_post(body=_("Personal data anonymised on %(date)s (UTC): %(why)s.") % {
                "date": now, "why": html_escape(why)}, subtype="mail.mt_note")
        return True

    @api.model
    def _get_retention_domain(self, today, company):
        """The talents of company the retention cron anonymises today: no valid
        consent for longer than company's own grace period. Talents without a
        company follow the company of the user running the cron."""
        grace = company.nurture_retention_days
        limit = fields.Datetime.to_string(datetime.datetime.combine(
            today, datetime.time()) - datetime.timedelta(days=grace))
        company_domain = [("company_id", "=", company.id)]
        if company == self.env.user.company_id:
            company_domain = ["|"] + company_domain + [("company_id", "=", False)]
        return company_domain + [
            ("anonymized_date", "=", False), ("is_contactable", "=", False),
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
        """Anonymise, company by company, with each company's own retention period."""
        today = self._nurture_today()
        Talent = self.sudo().with_context(active_test=False)
        for company in self.env["res.company"].sudo().search([]):
            days = company.nurture_retention_days
            if not days:
                continue
            talents = Talent.search(self._get_retention_domain(today, company))
            # people with an application in progress are not anonymised
            talents = talents.filtered(lambda t: not t.applicant_ids.filtered("active"))
            talents._nurture_anonymize(_("no valid consent for more than %d days") % days)
        return True

    @api.model
    def _cron_opening_digest(self):
        """One "new opening" email per talent and period, listing its pending openings
        that are still open (a job closed meanwhile is dropped, never announced)."""
        now = fields.Datetime.from_string(fields.Datetime.now())
        template = self.env.ref("candidate_nurture.mail_template_new_openings")
        talents = self.search([("opening_pending_job_ids", "!=", False),
                               ("is_contactable", "=", True)])
        due = talents.filtered(lambda t: fu.digest_allowed(
            fields.Datetime.from_string(t.opening_last_sent_date),
            (t.company_id or self.env.user.company_id).nurture_opening_digest_days, now))
        due = due.filtered("email")
        closed = due.filtered(lambda t: not t.nurture_pending_openings())
        if closed:
            closed.write({"opening_pending_job_ids": [(5, 0, 0)]})
        due -= closed
        if due:
            due._nurture_queue_template(template)
            due.write({"opening_last_sent_date": fields.Datetime.to_string(now),
                       "opening_pending_job_ids": [(5, 0, 0)]})
        return True

    # ------------------------------------------------------------------
    # New openings and the careers page: links in emails and on the
    # candidate page (website_hr_recruitment), marked with Odoo's utm
    # ------------------------------------------------------------------
    @api.model
    def _nurture_utm_records(self, channel):
        """(source, medium, campaign) utm records of a channel (see NURTURE_CHANNELS)."""
        source_xmlid, medium_xmlid = NURTURE_CHANNELS.get(channel) or NURTURE_CHANNELS[
            "talent_pool"]
        ref = self.env.ref
        return (ref(source_xmlid, raise_if_not_found=False),
                ref(medium_xmlid, raise_if_not_found=False),
                ref(NURTURE_UTM_CAMPAIGN, raise_if_not_found=False))

    @api.model
    def _nurture_utm_params(self, channel):
        """utm_source/medium/campaign query parameters of a channel (by name, as
        Odoo's utm cookies carry them)."""
        records = self.sudo()._nurture_utm_records(channel)
        return openings_lib.utm_params(*[record.name if record else None
                                         for record in records])

    @api.model
    def _nurture_utm_values(self, channel):
        """source_id/medium_id/campaign_id values of a channel, for an applicant."""
        source, medium, campaign = self.sudo()._nurture_utm_records(channel)
        return {"source_id": source.id if source else False,
                "medium_id": medium.id if medium else False,
                "campaign_id": campaign.id if campaign else False}

    @api.multi
    def nurture_job_url(self, job, page="apply", channel="talent_pool"):
        """This talent's link to a job's public page (``page='detail'``) or apply
        form (``'apply'``): signed for the talent, so that the application made
        through it is linked to them and marked with ``channel``'s utm.

        Rendered in emails and on the candidate page; signing needs read access
        to the talent.
        """
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        url = "%s/candidate/job/%s/%d" % (base.rstrip("/"), self._nurture_token(JOB_TOKEN_PURPOSE),
                                          job.id)
        return openings_lib.with_query(url, [
            ("page", "detail" if page == "detail" else "apply"),
            ("channel", channel if channel in NURTURE_CHANNELS else "talent_pool")])

    @api.multi
    def nurture_pending_openings(self):
        """The pending openings of this talent that are still open, for the
        new-openings email."""
        self.ensure_one()
        return self.opening_pending_job_ids.filtered(lambda job: openings_lib.is_opening(
            job.state, job.no_of_recruitment, job.website_published))

    @api.multi
    def nurture_invite_job(self):
        """The job an "Invite to apply" email is sent for (from the context)."""
        return self.env["hr.job"].browse(self.env.context.get("nurture_invite_job_id"))

    @api.multi
    def _nurture_public_openings(self):
        """Jobs on the careers page this talent may like, for the candidate page:
        published, recruiting, of the talent's company; in their departments of
        interest first, else all of them."""
        self.ensure_one()
        Job = self.env["hr.job"].sudo()
        domain = [("website_published", "=", True), ("state", "=", "recruit"),
                  "|", ("company_id", "=", False), ("company_id", "=", self.company_id.id)]
        departments = self.department_ids | self.interest_department_ids
        jobs = Job.browse()
        if departments:
            jobs = Job.search(domain + [("department_id", "in", departments.ids)],
                              order="name", limit=PUBLIC_OPENINGS_LIMIT)
        return jobs or Job.search(domain, order="name", limit=PUBLIC_OPENINGS_LIMIT)

    @api.multi
    def action_message_linkedin(self):
        """Open the talent's LinkedIn profile to write to them there (a link:
        no scraping, no API)."""
        self.ensure_one()
        url = openings_lib.linkedin_profile_url(self.linkedin_url)
        if not url:
            raise UserError(_("%s has no LinkedIn profile URL (https://www.linkedin.com/in/...)"
                              " on their talent record.") % self.name)
        return {"type": "ir.actions.act_url", "url": url, "target": "new"}


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
        # a public method: who may not read these talents learns nothing
        self.check_access_rights("read")
        self.check_access_rule("read")
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
