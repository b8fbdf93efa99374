# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..lib import public
from ..lib import talent as talent_lib
from ..lib import tokens

REFUSE_EMAIL_STATES = [
    ("none", "Not emailed"),
    ("queued", "Queued"),
    ("scheduled", "Scheduled"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
    ("impossible", "Not possible (no valid email)"),
]
FEEDBACK_TOKEN_PURPOSE = "candidate_nurture.refuse_feedback"
RECRUITER = "hr_recruitment.group_hr_recruitment_user"
# context key: applicants are named by the candidate's name (refusal wizard)
PERSON_NAME = "nurture_person_name"
# session key of the talent job link a visitor followed (controllers/careers.py)
TALENT_LINK_SESSION_KEY = "candidate_nurture_talent_link"


class HrApplicant(models.Model):
    _inherit = "hr.applicant"

    refuse_reason_id = fields.Many2one(
        "hr.applicant.refuse.reason", string="Refuse Reason", readonly=True,
        index=True, copy=False, groups=RECRUITER, track_visibility="onchange")
    refuse_date = fields.Datetime(
        "Refused On", readonly=True, index=True, copy=False, groups=RECRUITER)
    refuse_user_id = fields.Many2one(
        "res.users", "Refused By", readonly=True, copy=False, groups=RECRUITER)
    refuse_strengths = fields.Text(
        "Strengths", copy=False, groups=RECRUITER,
        help="What the candidate did well, one point per line.")
    refuse_improvements = fields.Text(
        "Areas to Improve", copy=False, groups=RECRUITER,
        help="What would make the candidate stronger next time, one point per line.")
    refuse_message = fields.Text(
        "Personal Message", copy=False, groups=RECRUITER)
    refuse_resource_ids = fields.Many2many(
        "hr.recruitment.resource", "hr_applicant_refuse_resource_rel",
        "applicant_id", "resource_id", string="Preparation Resources",
        copy=False, groups=RECRUITER)
    refuse_email_state = fields.Selection(
        REFUSE_EMAIL_STATES, "Refusal Email", readonly=True, copy=False,
        index=True, groups=RECRUITER,
        help="Queued: waiting in Odoo's mail queue to be sent now. Scheduled: waits "
             "until its sending date. Sent, Failed (the mail server refused it), "
             "Cancelled (Send Again puts it back in the queue), Not emailed (the reason "
             "sends no email), Not possible (no valid email address).")
    refuse_mail_id = fields.Many2one(
        "mail.mail", "Refusal Email Message", readonly=True, copy=False,
        ondelete="set null", index=True, groups=RECRUITER)
    refuse_scheduled_date = fields.Datetime(
        "Email Scheduled For", readonly=True, copy=False, groups=RECRUITER)
    refuse_consent_requested = fields.Boolean(
        "Consent Asked in Refusal Email", readonly=True, copy=False, groups=RECRUITER,
        help="The refusal email asked the candidate whether we may keep in touch.")
    refuse_token_nonce = fields.Char(copy=False, groups="base.group_system")
    refuse_feedback_helpful = fields.Selection(
        [("yes", "Yes"), ("no", "No")], "Feedback Helpful?", readonly=True,
        copy=False, groups=RECRUITER,
        help="The candidate's answer to \"Was this feedback helpful?\".")
    refuse_feedback_comment = fields.Text(
        "Candidate's Comment", readonly=True, copy=False, groups=RECRUITER)
    refuse_feedback_date = fields.Datetime(
        "Answered On", readonly=True, copy=False, groups=RECRUITER)

    # talent pool
    talent_id = fields.Many2one(
        "hr.talent", "Talent", index=True, ondelete="set null", copy=False,
        groups=RECRUITER)
    # rediscovery leaves out the talents with an open application to the job
    job_id = fields.Many2one(index=True)

    # ------------------------------------------------------------------
    # CRUD: every applicant belongs to a talent; a new application or a
    # hire ends the talent's follow-ups
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        applicant = super(HrApplicant, self).create(vals)
        if not self.env.context.get("nurture_no_talent_sync"):
            applicant._nurture_sync_talent()
        talent = applicant.sudo().talent_id
        if talent and applicant.active:
            talent._nurture_funnel_reach("applied")
            self.env["hr.talent.enrollment"].sudo().search([
                ("talent_id", "=", talent.id), ("state", "=", "running")])._nurture_stop("applied")
        return applicant

    @api.multi
    def write(self, vals):
        res = super(HrApplicant, self).write(vals)
        if ("email_from" in vals or "partner_id" in vals) and \
                not self.env.context.get("nurture_no_talent_sync"):
            self._nurture_sync_talent()
        if vals.get("emp_id"):
            talents = self.sudo().mapped("talent_id")
            if talents:
                talents._nurture_funnel_reach("hired")
                self.env["hr.talent.enrollment"].sudo().search([
                    ("talent_id", "in", talents.ids),
                    ("state", "=", "running")])._nurture_stop("hired")
        return res

    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        """A reply to the refusal email: the candidate engaged (funnel), but only
        when Odoo's mail gateway processes a real incoming email (any user may
        call this method over RPC)."""
        res = super(HrApplicant, self).message_update(msg_dict, update_vals=update_vals)
        if self._nurture_in_mail_gateway():
            self.sudo().filtered("refuse_date").mapped("talent_id")._nurture_engaged("replied")
        return res

    # ------------------------------------------------------------------
    # Names: the refusal wizard names people, not jobs
    # ------------------------------------------------------------------
    # An applicant's own name is often the job title ("Backend Developer
    # (Python)"): with the context key PERSON_NAME (the refusal wizard), an
    # applicant is named and found by the candidate's name.
    @api.multi
    def name_get(self):
        if not self.env.context.get(PERSON_NAME):
            return super(HrApplicant, self).name_get()
        return [(applicant.id, applicant.partner_name or applicant.partner_id.name
                 or applicant.name) for applicant in self]

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        if not self.env.context.get(PERSON_NAME) or not name:
            return super(HrApplicant, self).name_search(
                name=name, args=args, operator=operator, limit=limit)
        domain = list(args or []) + ["|", "|", ("partner_name", operator, name),
                                     ("partner_id.name", operator, name), ("name", operator, name)]
        return self.search(domain, limit=limit).name_get()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.multi
    def action_open_refuse_wizard(self):
        """Open the refusal wizard for these applicants (form button and list action)."""
        refused = self.filtered("refuse_date")
        if refused:
            raise UserError(_(
                "These applicants are already refused: %s. Restore them first if "
                "you want to refuse them again.") % ", ".join(refused.mapped("display_name")))
        return {
            "type": "ir.actions.act_window",
            "name": _("Refuse"),
            "res_model": "hr.applicant.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_applicant_ids": [(6, 0, self.ids)],
                        "active_model": self._name, "active_ids": self.ids,
                        PERSON_NAME: True},
        }

    def _nurture_check_refusal_access(self):
        """Only who may edit these applicants handles their refusal emails."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        if not self.env.user.has_group(RECRUITER):
            raise AccessError(_("Only recruitment officers handle refusal emails."))

    @api.multi
    def action_cancel_refuse_email(self):
        """Cancel a refusal email that is still waiting in the mail queue."""
        self._nurture_check_refusal_access()
        for applicant in self:
            mail = applicant.refuse_mail_id
            if applicant.refuse_email_state not in ("queued", "scheduled") or not mail \
                    or mail.sudo().state != "outgoing":
                raise UserError(_(
                    "The refusal email of %s is not waiting in the queue any more "
                    "and cannot be cancelled.") % applicant.display_name)
            mail.sudo().cancel()
            applicant.message_post(body=_("Refusal email cancelled before it was sent."),
                                   subtype="mail.mt_note")
        return True

    @api.multi
    def action_resend_refuse_email(self):
        """Put a cancelled (or failed) refusal email back in the mail queue, to be
        sent now; never to a candidate who asked to stop all contact."""
        self._nurture_check_refusal_access()
        for applicant in self:
            mail = applicant.refuse_mail_id.sudo()
            talent = applicant.sudo().talent_id
            if applicant.refuse_email_state not in ("cancelled", "failed") or not mail.exists():
                raise UserError(_(
                    "The refusal email of %s was not cancelled and cannot be sent "
                    "again.") % applicant.display_name)
            if talent and (talent.anonymized_date or talent.consent_state == "withdrawn"):
                raise UserError(_(
                    "%s asked to stop all contact: the refusal email is not sent again.")
                    % applicant.display_name)
            mail.write({"state": "outgoing", "scheduled_date": False,
                        "failure_reason": False})
            applicant.sudo().write({"refuse_scheduled_date": False})
            applicant.message_post(body=_("Refusal email queued to be sent again."),
                                   subtype="mail.mt_note")
        return True

    @api.multi
    def reset_applicant(self):
        """Restoring a refused applicant clears the refusal so it can be redone."""
        self.env["hr.talent.funnel"].sudo()._nurture_undo(self)
        self.write({
            "refuse_reason_id": False, "refuse_date": False, "refuse_user_id": False,
            "refuse_email_state": False, "refuse_scheduled_date": False,
            "refuse_consent_requested": False,
        })
        return super(HrApplicant, self).reset_applicant()

    # ------------------------------------------------------------------
    # Refusal: tokens for the public feedback page
    # ------------------------------------------------------------------
    # The feedback link has its own purpose, is signed with the applicant's
    # refusal nonce (new at each refusal), works once, for the company's
    # "feedback link validity" days after the refusal (410 afterwards), and
    # dies with the person's anonymisation.
    def _feedback_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.multi
    def get_refuse_feedback_url(self, answer=None):
        """Public link to "Was this feedback helpful?", signed for this applicant.

        Called from the refusal template, as the user refusing (or the system);
        only for who may read the applicant (AccessError otherwise). During the
        refusal wizard the nonce that is about to be stored comes from the
        context, so the preview shows the very links the candidate will get.
        """
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        nonce = self.env.context.get("nurture_refuse_nonce") or self.sudo().refuse_token_nonce
        if not nonce:
            return ""
        token = tokens.make_token(self._feedback_secret(), FEEDBACK_TOKEN_PURPOSE, self.id, nonce)
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return tokens.public_url(base, "feedback", token, answer)

    @api.model
    def _from_feedback_token(self, token, allow_expired=False, allow_answered=False):
        """The applicant a token was made for (sudo), or an empty recordset.

        Valid only while the refusal is unanswered (once the candidate answered,
        the same link is no longer valid; unless allow_answered, for the page
        that says "you already answered"), the person not anonymised and, unless
        allow_expired, the link not expired (see _nurture_feedback_link_expired).
        """
        record_id = tokens.parse_token(token)
        if record_id is None:
            return self.browse()
        applicant = self.sudo().with_context(active_test=False).browse(record_id).exists()
        if not applicant or not applicant.refuse_date or (
                applicant.refuse_feedback_date and not allow_answered):
            return self.browse()
        if applicant.talent_id.anonymized_date:
            return self.browse()
        if not tokens.verify_token(self._feedback_secret(), FEEDBACK_TOKEN_PURPOSE, token,
                                   applicant.refuse_token_nonce):
            return self.browse()
        if not allow_expired and applicant._nurture_feedback_link_expired():
            return self.browse()
        return applicant

    @api.multi
    def _nurture_feedback_link_expired(self):
        """The feedback link works for the company's validity days (default 90)
        after the refusal, or after its email when that was scheduled later."""
        self.ensure_one()
        applicant = self.sudo()
        company = applicant.company_id or self.env.user.company_id
        start = max(applicant.refuse_date or "", applicant.refuse_scheduled_date or "")
        return tokens.link_expired(fields.Datetime.from_string(start or False),
                                   company.nurture_feedback_link_days,
                                   fields.Datetime.from_string(fields.Datetime.now()))

    @api.multi
    def _nurture_as_candidate(self):
        """This applicant, acting as the candidate: notes it posts are theirs."""
        self.ensure_one()
        applicant = self.sudo()
        partner = applicant.partner_id or applicant.talent_id.partner_id
        author = public.CandidateAuthor(
            partner.id, partner.email or applicant.email_from or applicant.talent_id.email)
        return self.with_context(**{public.CANDIDATE_AUTHOR: author})

    @api.multi
    def _nurture_record_feedback(self, answer, comment):
        """The candidate's answer to "Was this feedback helpful?" (public page)."""
        self.ensure_one()
        if answer not in ("yes", "no"):
            raise ValueError(answer)
        self.write({
            "refuse_feedback_helpful": answer,
            "refuse_feedback_comment": comment or False,
            "refuse_feedback_date": fields.Datetime.now(),
        })
        body = _("The candidate found the refusal feedback helpful: <b>%s</b>") % (
            _("Yes") if answer == "yes" else _("No"))
        if comment:
            body += "<br/>%s" % html_escape(comment)
        self.message_post(body=body, subtype="mail.mt_note")
        return True

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, *args, **kwargs):
        """Notes written while the candidate acts on a public page are theirs."""
        kwargs = public.with_candidate_author(self.env.context, kwargs)
        return super(HrApplicant, self).message_post(*args, **kwargs)


    # ------------------------------------------------------------------
    # Talent pool
    # ------------------------------------------------------------------
    def _nurture_find_talent(self, email, partner, company):
        """The talent of this person in this company: same email, else same partner."""
        Talent = self.env["hr.talent"].sudo().with_context(active_test=False)
        company_domain = [("company_id", "=", company.id or False)]
        if email:
            talent = Talent.search([("email_normalized", "=", email)] + company_domain,
                                   order="active desc, id", limit=1)
            if talent:
                return talent
        if partner:
            talent = Talent.search([("partner_id", "=", partner.id)] + company_domain,
                                   order="active desc, id", limit=1)
            if talent and (not email or not talent.email_normalized
                           or talent.email_normalized == email):
                return talent
        return Talent.browse()

    @api.multi
    def _nurture_sync_talent(self):
        """Link each applicant to the talent of its person, creating it when needed.

        Called on create, when the email or the contact changes, and by the
        refusal wizard. Matching is by normalised email, then by partner, within
        the applicant's company; an applicant with neither keeps a talent of its own.
        Returns the talents (as the current user).
        """
        Talent = self.env["hr.talent"].sudo()
        Applicant = self.sudo().with_context(active_test=False)
        # one record at a time with its own prefetch: the writes below invalidate
        # the cache, and a shared prefetch would re-read the whole batch each time
        for applicant in (Applicant.browse(applicant_id) for applicant_id in self.ids):
            email = talent_lib.normalize_email(applicant.email_from)
            current = applicant.talent_id
            if current and (current.email_normalized or "") == email:
                current._nurture_complete_from_applicant(applicant)
                continue
            talent = applicant._nurture_find_talent(email, applicant.partner_id,
                                                    applicant.company_id)
            if not talent and current and not current.email_normalized \
                    and current.applicant_ids == applicant:
                # a talent of its own that now gets an email: keep it
                talent = current
            if talent:
                talent._nurture_complete_from_applicant(applicant)
                if talent != current:
                    applicant.with_context(nurture_no_talent_sync=True).talent_id = talent
            else:
                # one talent per person, even when two applications of theirs
                # arrive at the same moment (see hr.talent._nurture_create_unique)
                talent = Talent._nurture_create_unique(
                    Talent._nurture_values_from_applicant(applicant))
                applicant.with_context(nurture_no_talent_sync=True).talent_id = talent
            if current and current != talent and not current.applicant_ids:
                current.active = False
        return self.env["hr.talent"].browse(self.sudo().mapped("talent_id").ids)

    @api.model
    def _nurture_sync_missing_talents(self):
        """Give a talent to every applicant that has none (install, data fixes)."""
        applicants = self.sudo().with_context(active_test=False).search(
            [("talent_id", "=", False)], order="id")
        applicants._nurture_sync_talent()
        return True

    @api.multi
    def _nurture_silver_rule(self):
        """The rule's thresholds for this applicant's company (see res.company)."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        return company.sudo()._nurture_silver_rule()

    @api.multi
    def _nurture_silver_criteria(self):
        """Criteria of the silver-medalist rule this applicant meets (list of keys)."""
        self.ensure_one()
        rule = self._nurture_silver_rule()
        return talent_lib.silver_medalist_criteria(
            stage_sequence=self.stage_id.sequence if self.stage_id else None,
            min_stage_sequence=rule["stage_sequence"],
            rating=self.priority,
            min_rating=rule["min_rating"],
            reason_pool_eligible=self.sudo().refuse_reason_id.is_pool_eligible,
            use_reason=rule["use_reason"],
        )

    @api.multi
    def _nurture_is_silver_medalist(self):
        """True when the applicant meets any one criterion of the company's rule:
        reached the configured stage or later, rated at least the configured
        stars, or refused for a pool-eligible reason (each criterion can be off).
        """
        self.ensure_one()
        return bool(self._nurture_silver_criteria())

    @api.multi
    def _nurture_flag_silver_medalist(self, log=True):
        """Flag the talents of the applicants that meet the rule, with the evidence.

        A recruiter's manual override on the talent is kept (the evidence is
        still recorded). Returns the talents flagged.
        """
        flagged = self.env["hr.talent"]
        # decide for the whole batch first (batched reads), then write one by one
        plan = [(applicant.id, applicant._nurture_silver_criteria()) for applicant in self]
        for applicant_id, criteria in plan:
            if not criteria:
                continue
            applicant = self.browse(applicant_id)
            talent = applicant.talent_id or applicant._nurture_sync_talent()
            talent._nurture_set_silver_evidence(applicant, criteria, log=log)
            flagged |= talent
        return flagged

    @api.multi
    def _nurture_add_to_pool(self, pool_id):
        """Put the talents of these applicants in a pool (refusal wizard, demo data)."""
        talents = self._nurture_sync_talent()
        talents.write({"pool_ids": [(4, pool_id)]})
        return talents

    @api.multi
    def action_open_talent(self):
        self.ensure_one()
        talent = self.talent_id or self._nurture_sync_talent()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.talent",
            "view_mode": "form",
            "res_id": talent.id,
        }


    # ------------------------------------------------------------------
    # Follow-ups
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_talent_set_consent(self, state, source):
        """Record a consent change on the talents of these applicants."""
        self.sudo().with_context(active_test=False).mapped("talent_id")._nurture_set_consent(
            state, source)
        return True

    @api.multi
    def _nurture_talent_same_person(self):
        """The talents of these applicants are one person (e.g. Odoo's demo
        applications of one name without an email): merged into the first one."""
        talents = self.sudo().with_context(active_test=False).mapped("talent_id")
        for duplicate in talents[1:]:
            talents[0]._nurture_merge(duplicate)
        return True

    @api.multi
    def _nurture_talent_enroll(self, reason_id):
        """Enrol the talents of these applicants as a refusal for reason_id would."""
        reason = self.env["hr.applicant.refuse.reason"].browse(reason_id)
        self.sudo().with_context(active_test=False).mapped("talent_id")._nurture_enroll_after_refusal(
            reason)
        return True

    # ------------------------------------------------------------------
    # Careers page: an application made through a talent's job link
    # ------------------------------------------------------------------
    def website_form_input_filter(self, request, values):
        """website_form's hook (website_hr_recruitment's apply form): when the
        visitor came through a talent's signed job link (controllers/careers.py
        keeps it in their session), link the application to the talent and mark
        it with the link's utm (source, medium, campaign)."""
        values = super(HrApplicant, self).website_form_input_filter(request, values)
        link = request.session.get(TALENT_LINK_SESSION_KEY) if request else None
        if link:
            values = self._nurture_values_from_talent_link(link, values)
            request.session.pop(TALENT_LINK_SESSION_KEY, None)
        return values

    @api.model
    def _nurture_values_from_talent_link(self, link, values):
        """Applicant values completed from a talent link kept in the session.

        The utm says where the visitor came from, whoever they are. The talent is
        linked only when the email typed in the form is the talent's: a link
        passed on to someone else (or an email forwarded) must not tie that
        person's application to the talent.
        """
        values = dict(values)
        Talent = self.env["hr.talent"].sudo().with_context(active_test=False)
        channel = link.get("channel") or "talent_pool"
        for fname, value in Talent._nurture_utm_values(channel).items():
            if value:
                values[fname] = value
        talent = Talent.browse(int(link.get("talent_id") or 0)).exists()
        if talent and not talent.anonymized_date and talent.email_normalized and \
                talent_lib.normalize_email(values.get("email_from")) == talent.email_normalized:
            values["talent_id"] = talent.id
        return values
