# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.tools import html_escape
from odoo.exceptions import UserError
from odoo.addons.hr_recruitment.models.hr_recruitment import AVAILABLE_PRIORITIES

from ..lib import talent as talent_lib

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
    is_contactable = fields.Boolean(
        "Contactable", default=True, index=True,
        help="Whether the talent may be contacted about openings and events.")

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
        duplicate.sudo().unlink()
        return True

    @api.model
    def _nurture_today(self):
        return fields.Date.from_string(fields.Date.context_today(self)) or datetime.date.today()
