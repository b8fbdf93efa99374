# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
import datetime
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from ..lib import followup as fu
from ..lib import tokens

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


# Kept apart from the talent pool's hr_talent.py on purpose: the follow-up and the
# events features extend hr.talent in parallel, and separate files merge cleanly.
class HrTalent(models.Model):
    """Consent ("contact me about future opportunities"), the candidate page,
    follow-up enrolments, new-opening digests and retention of a talent.

    Consent has one purpose, so it lives on the talent itself: its state,
    date, source and expiry, every change logged on the chatter.
    """

    _inherit = "hr.talent"

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
        compute="_compute_is_contactable", inverse="_inverse_is_contactable", store=True,
        default=False, track_visibility=False,
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

    # ------------------------------------------------------------------
    # Computes
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
    # Actions
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
    # Consent
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
    # Signed links (candidate page, stop link)
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
    # Automated email
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
    # Inbound mail: a reply stops the follow-ups
    # ------------------------------------------------------------------
    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        res = super(HrTalent, self).message_update(msg_dict, update_vals=update_vals)
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
    # Enrolment
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
    # Retention
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
    # Cron entry points
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
