# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import uuid

import babel
from babel import dates as babel_dates

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_split, html_escape
from odoo.tools.mail import single_email_re

from ..lib import feedback as fb
from ..lib import followup as fu
from ..lib import ids as id_lib
from ..lib import talent as talent_lib

# consent states in which the refusal email asks to keep in touch (never after
# a withdrawal or a decline: lib.followup)
CONSENT_ASKABLE = fu.CONSENT_ASKABLE_STATES


def _valid_email(address):
    """The one well-formed address in ``address``, or False."""
    emails = email_split(address or "")
    if len(emails) != 1 or not single_email_re.match(emails[0]):
        return False
    return emails[0]


def _recipient_address(applicant):
    """Where the refusal email goes: the contact's email, else the applicant's."""
    return applicant.partner_id.email if applicant.partner_id else applicant.email_from


def _asks_consent(applicant):
    """The refusal email asks this candidate's consent to keep in touch: only
    when it was never given, is still unanswered or expired (a withdrawal or a
    refusal is final)."""
    talent = applicant.sudo().talent_id
    return bool(talent) and talent.consent_state in CONSENT_ASKABLE


def _person(applicant):
    """The candidate's name, as recruiters tell people apart (the applicant's
    own name is often the job title)."""
    return applicant.partner_name or applicant.partner_id.name or applicant.name or ""


def _needs_personal(applicant, threshold):
    """Reached the stage from which personal feedback is required."""
    stage = applicant.stage_id
    return bool(threshold and stage and stage.sequence >= threshold.sequence)


class HrApplicantRefuseWizard(models.TransientModel):
    """Refuse one or many applicants with a reason, feedback and a kind email."""

    _name = "hr.applicant.refuse.wizard"
    _description = "Refuse Applicants with Feedback"

    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    applicant_ids = fields.Many2many(
        "hr.applicant", string="Applicants", required=True)
    applicant_count = fields.Integer(compute="_compute_applicant_count")
    line_ids = fields.One2many(
        "hr.applicant.refuse.wizard.line", "wizard_id", string="Candidates")
    refuse_reason_id = fields.Many2one(
        "hr.applicant.refuse.reason", "Refuse Reason", required=True, ondelete="cascade")
    send_email = fields.Boolean(related="refuse_reason_id.send_email", readonly=True)
    template_id = fields.Many2one(
        "mail.template", "Email Template", domain="[('model', '=', 'hr.applicant')]",
        help="Taken from the reason; you may pick another one for this refusal.")
    strengths = fields.Text(
        help="What the candidate did well. One point per line. In a bulk refusal, "
             "used for every candidate without their own.")
    improvements = fields.Text(
        "Areas to Improve",
        help="What would make the candidate stronger next time. One point per line.")
    personal_message = fields.Text(
        help="A few sentences written for this candidate. Required for candidates "
             "who reached interview rounds.")
    resource_ids = fields.Many2many(
        "hr.recruitment.resource", string="Preparation Resources",
        help="Books, courses, workshops or articles linked in the email.")
    send_mode = fields.Selection(
        [("now", "Send now"), ("later", "Send later")], default="now", required=True)
    scheduled_date = fields.Datetime(
        "Send On", help="The email waits in the mail queue until then and can be "
                        "cancelled from the applicant until it is sent.")
    confirm_protected = fields.Boolean(
        "I confirm this wording is job-related and fair",
        help="Required when the feedback mentions a protected characteristic.")
    protected_terms = fields.Char(compute="_compute_checks")
    warning_html = fields.Html(compute="_compute_checks", sanitize=False)
    department_ids = fields.Many2many(
        "hr.department", compute="_compute_department_ids",
        help="Departments of the candidates' jobs: their resources are proposed first.")
    preview_applicant_id = fields.Many2one(
        "hr.applicant", "Preview For", domain="[('id', 'in', applicant_ids)]",
        help="Whose email the preview shows: any candidate of this refusal.")
    preview_subject = fields.Char(compute="_compute_preview")
    preview_body = fields.Html(compute="_compute_preview", sanitize=False)
    silver_count = fields.Integer(
        "Silver Medalists", compute="_compute_silver",
        help="Candidates who meet the silver-medalist rule with this reason "
             "(Recruitment > Configuration > Settings).")
    silver_names = fields.Char(compute="_compute_silver")
    pool_id = fields.Many2one(
        "hr.talent.pool", "Add Silver Medalists To",
        help="Silver medalists of this refusal join this talent pool. Leave empty "
             "to flag them without adding them to a pool.")
    token_nonce = fields.Char(default=lambda self: uuid.uuid4().hex, readonly=True)
    result_html = fields.Html(readonly=True, sanitize=False)

    @api.model
    def default_get(self, field_names):
        res = super(HrApplicantRefuseWizard, self).default_get(field_names)
        ids = []
        if res.get("applicant_ids"):
            for command in res["applicant_ids"]:
                if command[0] == 6:
                    ids = id_lib.unique(command[2])
        elif self.env.context.get("active_model") == "hr.applicant":
            ids = id_lib.unique(self.env.context.get("active_ids"))
            res["applicant_ids"] = [(6, 0, ids)]
        if "line_ids" in field_names and ids:
            res["line_ids"] = self.env["hr.applicant.refuse.wizard.line"]._nurture_line_values(ids)
        if "preview_applicant_id" in field_names and ids and not res.get("preview_applicant_id"):
            res["preview_applicant_id"] = ids[0]
        return res

    # ------------------------------------------------------------------
    # Computes and onchanges
    # ------------------------------------------------------------------
    @api.depends("applicant_ids")
    def _compute_applicant_count(self):
        for wizard in self:
            wizard.applicant_count = len(wizard.applicant_ids)

    @api.depends("applicant_ids")
    def _compute_department_ids(self):
        for wizard in self:
            departments = wizard.env["hr.department"]
            for applicant in wizard.applicant_ids:
                # the job's department, else the applicant's own
                departments |= applicant.job_id.department_id or applicant.department_id
            wizard.department_ids = departments

    @api.depends("refuse_reason_id", "strengths", "improvements", "personal_message",
                 "line_ids.strengths", "line_ids.improvements", "line_ids.personal_message",
                 "line_ids.applicant_id")
    def _compute_checks(self):
        for wizard in self:
            terms = wizard._find_protected_terms()
            # False, not "", when there is nothing to confirm: the view hides
            # the confirmation box on False only
            wizard.protected_terms = ", ".join(terms) or False
            notes = []
            no_email = wizard.line_ids.filtered(
                lambda line: not _valid_email(_recipient_address(line.applicant_id)))
            if no_email and wizard.send_email:
                notes.append(_("No valid email address, they will be refused without an "
                               "email: %s") % ", ".join(
                                   _person(line.applicant_id) for line in no_email))
            notes += [_("%s.") % gap for gap in wizard._personal_feedback_gaps()]
            if terms:
                notes.append(_("The feedback mentions %s: make sure it is about the job, "
                               "then tick the confirmation box.") % ", ".join(terms))
            wizard.warning_html = notes and "<ul>%s</ul>" % "".join(
                "<li>%s</li>" % html_escape(note) for note in notes) or False

    @api.depends("refuse_reason_id", "line_ids.applicant_id")
    def _compute_silver(self):
        for wizard in self:
            silver = wizard._silver_lines()
            wizard.silver_count = len(silver)
            wizard.silver_names = ", ".join(_person(line.applicant_id) for line in silver)

    @api.onchange("refuse_reason_id")
    def _onchange_refuse_reason_id(self):
        self.template_id = self.refuse_reason_id.template_id or self.env.ref(
            "candidate_nurture.mail_template_refuse_feedback", raise_if_not_found=False)
        if not self.pool_id and self._silver_lines():
            self.pool_id = self._default_pool()

    def _silver_lines(self):
        """Lines whose candidate meets the silver-medalist rule with the chosen reason."""
        reason = self.refuse_reason_id
        silver = self.line_ids.browse()
        for line in self.line_ids:
            applicant = line.applicant_id
            company = applicant.company_id or self.env.user.company_id
            rule = company.sudo()._nurture_silver_rule()
            if talent_lib.silver_medalist_criteria(
                    stage_sequence=applicant.stage_id.sequence if applicant.stage_id else None,
                    min_stage_sequence=rule["stage_sequence"], rating=applicant.priority,
                    min_rating=rule["min_rating"],
                    reason_pool_eligible=reason.is_pool_eligible, use_reason=rule["use_reason"]):
                silver |= line
        return silver

    def _default_pool(self):
        """The pool proposed for silver medalists: one of the candidates' department
        (the recruiter's own first), else the recruiter's most recent pool."""
        Pool = self.env["hr.talent.pool"]
        departments = self.line_ids.mapped("applicant_id.department_id")
        if departments:
            pools = Pool.search([("department_id", "in", departments.ids)])
            mine = pools.filtered(lambda p: p.user_id == self.env.user)
            if mine or pools:
                return (mine or pools)[0]
        return Pool.search([("user_id", "=", self.env.uid)], order="id desc", limit=1)

    @api.onchange("line_ids")
    def _onchange_line_ids(self):
        applicants = self.line_ids.mapped("applicant_id")
        if applicants and self.preview_applicant_id not in applicants:
            self.preview_applicant_id = applicants[0]

    def _preview_line(self):
        """The line whose email the preview shows."""
        lines = self.line_ids.filtered(
            lambda line: line.applicant_id == self.preview_applicant_id)
        return lines[:1] or self.line_ids[:1]

    @api.depends("template_id", "preview_applicant_id", "strengths", "improvements",
                 "personal_message", "resource_ids", "refuse_reason_id",
                 "line_ids.strengths", "line_ids.improvements", "line_ids.personal_message")
    def _compute_preview(self):
        for wizard in self:
            line = wizard._preview_line()
            applicant = line.applicant_id
            if not (wizard.template_id and applicant and wizard.send_email):
                wizard.preview_subject = False
                wizard.preview_body = False
                continue
            values = wizard._render_emails(line)[applicant.id]
            talent = applicant.sudo().talent_id
            if talent and not talent.anonymized_date:
                # as it will be sent: with the stop link (a footer if the template lacks it)
                talent._nurture_unsubscribe_values(values)
            wizard.preview_subject = values.get("subject")
            wizard.preview_body = values.get("body_html")

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _bulk(self):
        return len(self.line_ids) > 1

    def _effective(self, line):
        """The feedback a line's candidate gets: their own, else the shared one."""
        return {
            "strengths": line.strengths or self.strengths or "",
            "improvements": line.improvements or self.improvements or "",
            "message": line.personal_message or self.personal_message or "",
        }

    def _line_problems(self, line):
        if not self._line_needs_personal(line) or not self.send_email:
            return []
        values = self._effective(line)
        message = line.personal_message if self._bulk() else values["message"]
        return fb.check_feedback(values["strengths"], values["improvements"], message, True)

    def _personal_feedback_gaps(self):
        """'<candidate> reached interview rounds and needs <what>', per line short of it."""
        gaps = []
        for line in self.line_ids:
            problems = self._line_problems(line)
            if problems:
                gaps.append(_("%(name)s reached interview rounds and needs %(what)s") % {
                    "name": _person(line.applicant_id),
                    "what": self._problem_text(problems)})
        return gaps

    def _line_needs_personal(self, line):
        threshold = self.env.user.company_id._nurture_personal_stage()
        return _needs_personal(line.applicant_id, threshold)

    def _problem_text(self, problems):
        """What a candidate's feedback still needs, in the user's language."""
        texts = {
            "missing_message": _("a personal message (a few specific sentences, not a stock phrase)"),
            "missing_point": _("at least one specific strength or area to improve"),
        }
        return _(" and ").join(texts[p] for p in problems)

    def _find_protected_terms(self):
        texts = [self.strengths, self.improvements, self.personal_message]
        for line in self.line_ids:
            texts += [line.strengths, line.improvements, line.personal_message]
        company = self.env.user.company_id
        return fb.find_protected_terms(texts, company._nurture_protected_terms(),
                                       allowed=company._nurture_allowed_phrases())

    def _check_before_refuse(self):
        applicants = self.line_ids.mapped("applicant_id")
        refused = applicants.filtered(lambda a: a.refuse_date)
        if refused:
            raise UserError(_(
                "Already refused, nothing was sent again: %s. Restore an applicant "
                "(\"Reopen Application\") before refusing it again.")
                % ", ".join(_person(a) for a in refused))
        if self.send_mode == "later":
            if not self.scheduled_date:
                raise UserError(_("Choose when the email should be sent."))
            if self.scheduled_date <= fields.Datetime.now():
                raise UserError(_("The scheduled sending time must be in the future."))
        missing = self._personal_feedback_gaps()
        if missing:
            raise UserError(_(
                "Candidates who reached interview rounds deserve personal, specific "
                "feedback. Nothing was refused yet:\n- %s") % "\n- ".join(missing))
        terms = self._find_protected_terms()
        if terms and not self.confirm_protected:
            raise UserError(_(
                "The feedback mentions %s, which may touch protected characteristics. "
                "Rephrase it, or tick \"I confirm this wording is job-related and fair\" "
                "to send it as it is. Nothing was refused yet.") % ", ".join(terms))

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------
    def _signer(self, applicant):
        """Who signs the refusal email: the user refusing, or the job's recruiter
        (company setting, Recruitment > Configuration > Settings)."""
        company = applicant.company_id or self.env.user.company_id
        if company.sudo().nurture_refuse_signer == "recruiter":
            recruiter = applicant.job_id.user_id or applicant.user_id
            if recruiter:
                return recruiter
        return self.env.user

    def _refusal_context(self, line):
        values = self._effective(line)
        signer = self._signer(line.applicant_id).sudo()
        # the reason and the resources (titles, types) in the candidate's language,
        # as the email is
        candidate_env = self.with_context(
            lang=line.applicant_id._nurture_lang() or "en_US").env
        return {
            "signer_name": signer.name,
            "signer_email": signer.email and signer.email_formatted or "",
            "message": values["message"].strip(),
            "strengths": fb.split_points(values["strengths"]),
            "improvements": fb.split_points(values["improvements"]),
            "interviewed": self._line_needs_personal(line),
            "ask_consent": _asks_consent(line.applicant_id),
            "reason": self.refuse_reason_id.with_env(candidate_env).name,
            "resources": [{
                "name": res.name, "url": res.url, "description": res.description or "",
                "type": dict(res._fields["resource_type"]._description_selection(
                    candidate_env)).get(res.resource_type),
            } for res in self.resource_ids.with_env(candidate_env) if res.url],
        }

    def _render_emails(self, lines):
        """Email values per applicant id, rendered exactly as they will be sent.

        Lines sharing the same feedback are rendered in one batch (the template is
        parsed once per batch and language).
        """
        # the email links to each talent's candidate page: sign them all in one
        # query rather than one per email, and read what signing needs for the
        # batch (the template reaches each talent on its own: one read each)
        talents = lines.mapped("applicant_id.talent_id").sudo()
        talents._nurture_ensure_nonce()
        talents.read(["nurture_token_nonce", "anonymized_date"])
        groups = {}
        for line in lines:
            ctx = self._refusal_context(line)
            key = repr(sorted(ctx.items()))
            groups.setdefault(key, (ctx, []))[1].append(line.applicant_id.id)
        result = {}
        for ctx, applicant_ids in groups.values():
            template = self.template_id.with_context(
                refusal=ctx, nurture_refuse_nonce=self.token_nonce)
            result.update(template.generate_email(
                applicant_ids, fields=["subject", "body_html", "email_from", "email_to",
                                       "partner_to", "email_cc", "reply_to"]))
        return result

    # ------------------------------------------------------------------
    # Action
    # ------------------------------------------------------------------
    def _drop_duplicate_lines(self):
        """One line per applicant: the first with feedback of its own, else the first."""
        kept = {}
        for line in self.line_ids:
            current = kept.get(line.applicant_id.id)
            own = line.personal_message or line.strengths or line.improvements
            if current is None or (own and not (current.personal_message or current.strengths
                                                or current.improvements)):
                kept[line.applicant_id.id] = line
        duplicates = self.line_ids - self.line_ids.browse([line.id for line in kept.values()])
        if duplicates:
            duplicates.unlink()

    @api.multi
    def action_refuse(self):
        # the same wizard (or applicant) named twice refuses and emails once
        self = self.browse(id_lib.unique(self.ids))
        self.ensure_one()
        self._drop_duplicate_lines()
        self._check_before_refuse()
        Run = self.env["hr.recruitment.background.run"]
        if Run._nurture_goes_background(len(self.line_ids)):
            return self._nurture_refuse_in_background()
        summary = self._refuse_lines(self.line_ids)
        # what happened, said plainly
        self.write({"state": "done", "result_html": self._result_html(*summary)})
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "target": "new", "name": _("Refusal done"),
        }

    def _refuse_lines(self, lines):
        """Refuse the candidates of these lines (all of the wizard's, or a part of
        them), checks done: archive, email, chatter note, talent pool.

        Returns (refused count, emails queued, lines that could not be emailed,
        scheduled date or False, talents flagged silver medalist), the arguments
        of _result_html.
        """
        now = fields.Datetime.now()
        scheduled = self.send_mode == "later" and self.scheduled_date or False
        emailing = bool(self.send_email and self.template_id)
        # Read everything once. The loops below create mails and messages, which
        # invalidate the cache: they must not re-read the whole batch each time.
        plan = [(line, line.applicant_id.id, self._effective(line),
                 emailing and bool(_valid_email(_recipient_address(line.applicant_id))))
                for line in lines]
        # decided here, before rendering: the email asks these candidates' consent
        asking = set(aid for line, aid, _v, can in plan
                     if can and _asks_consent(line.applicant_id))
        Applicant = self.env["hr.applicant"].with_context(tracking_disable=True)
        applicants = Applicant.browse([aid for _line, aid, _v, _e in plan])
        impossible = [line for line, _aid, _v, can in plan if emailing and not can]

        # 1. refuse: archive with the reason, as Odoo 11 does; one write per
        #    distinct feedback (one for the whole batch when it is shared)
        common = {
            "active": False,
            "refuse_reason_id": self.refuse_reason_id.id,
            "refuse_date": now,
            "refuse_user_id": self.env.uid,
            "refuse_resource_ids": [(6, 0, self.resource_ids.ids)],
            "refuse_scheduled_date": scheduled,
        }
        # the nonce behind the feedback links is readable by administrators only
        applicants.sudo().write({"refuse_token_nonce": self.token_nonce})
        by_values = {}
        for _line, aid, values, can_email in plan:
            state = ("scheduled" if scheduled else "queued") if can_email else (
                "impossible" if emailing else "none")
            key = (values["strengths"], values["improvements"], values["message"], state,
                   aid in asking)
            by_values.setdefault(key, []).append(aid)
        for (strengths, improvements, message, state, ask), ids in by_values.items():
            Applicant.browse(ids).write(dict(
                common, refuse_strengths=strengths, refuse_improvements=improvements,
                refuse_message=message, refuse_email_state=state,
                refuse_consent_requested=ask))

        # 2. emails, through Odoo's mail queue (scheduled ones wait for their time)
        mails_by_applicant = {}
        to_email = lines.browse([line.id for line, _aid, _v, can in plan if can])
        if to_email:
            # every email carries the person's stop link: each needs its talent
            emailed = applicants.browse([aid for _line, aid, _v, can in plan if can])
            emailed.filtered(lambda a: not a.talent_id)._nurture_sync_talent()
            talent_of = dict((row["id"], row["talent_id"] and row["talent_id"][0])
                             for row in emailed.read(["talent_id"]))
            Talent = self.env["hr.talent"].sudo()
            stop_urls = Talent.browse([t for t in talent_of.values() if t])._nurture_stop_urls()
            rendered = self._render_emails(to_email)
            Mail = self.env["mail.mail"]
            for _line, aid, _values, can_email in plan:
                if not can_email:
                    continue
                values = rendered[aid]
                values.pop("attachment_ids", None)
                values.pop("attachments", None)
                values["recipient_ids"] = [(4, pid) for pid in values.pop("partner_ids", [])]
                if not values.get("email_from"):
                    values.pop("email_from", None)
                values.update({"auto_delete": False, "scheduled_date": scheduled,
                               "message_type": "email", "model": "hr.applicant", "res_id": aid})
                if stop_urls.get(talent_of.get(aid)):
                    # the system builds the email: the stop link and its headers
                    Talent.browse(talent_of[aid])._nurture_unsubscribe_values(
                        values, stop_urls[talent_of[aid]])
                mails_by_applicant[aid] = Mail.create(values).id
            # link every applicant to its email in one statement (values as
            # parameters) rather than one ORM write each; the state and date
            # were set by the grouped writes above
            self.env.cr.execute(
                "UPDATE hr_applicant AS a SET refuse_mail_id = v.mail_id "
                "FROM unnest(%s::int[], %s::int[]) AS v(applicant_id, mail_id) "
                "WHERE a.id = v.applicant_id",
                (list(mails_by_applicant), list(mails_by_applicant.values())))
            Applicant.invalidate_cache(["refuse_mail_id"], list(mails_by_applicant))

        # 3. one chatter note per applicant, written for the batch
        reason_name = self.refuse_reason_id.name
        applicants._nurture_log_notes(dict(
            (aid, self._note_body(values, aid in mails_by_applicant, emailing, can_email,
                                  scheduled, reason_name))
            for _line, aid, values, can_email in plan))
        flagged = self._after_refuse(applicants)
        return len(plan), len(mails_by_applicant), impossible, scheduled, flagged

    def _nurture_refuse_in_background(self):
        """Validated above: the refusal goes on in background batches (queue_job),
        each applying this wizard's choices to its applicants."""
        fields_kept = ["strengths", "improvements", "personal_message", "send_mode",
                       "scheduled_date", "token_nonce", "confirm_protected"]
        wizard = dict((name, self[name]) for name in fields_kept)
        wizard.update({
            "refuse_reason_id": self.refuse_reason_id.id, "template_id": self.template_id.id,
            "pool_id": self.pool_id.id, "resource_ids": self.resource_ids.ids,
        })
        lines = {}
        for line in self.line_ids:
            own = dict((name, line[name]) for name in (
                "strengths", "improvements", "personal_message") if line[name])
            if own:
                lines[str(line.applicant_id.id)] = own
        applicant_ids = self.line_ids.mapped("applicant_id").ids
        run = self.env["hr.recruitment.background.run"]._nurture_start(
            "refusal", "hr.applicant", applicant_ids, {"wizard": wizard, "lines": lines},
            _("Refusal of %(count)d candidates (%(reason)s)") % {
                "count": len(applicant_ids), "reason": self.refuse_reason_id.name})
        self.write({"state": "done", "result_html": "<p>%s</p><p>%s</p>" % (
            html_escape(_("%d candidates are being refused in the background. You will be "
                          "notified when it is done; follow it here:") % len(applicant_ids)),
            run._nurture_result_link())})
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "target": "new", "name": _("Refusal in progress"),
        }

    def _after_refuse(self, applicants):
        """Talent pool and follow-ups: the talents record the refusal, silver
        medalists are flagged with their evidence and join the chosen pool, the
        talents whose email asked for consent are marked "asked", all are
        enrolled in the follow-ups of the reason and of their pools; each talent
        gets one chatter note with everything the refusal changed on it."""
        # applicants get their talent when created or when their email changes:
        # only those from before the addon may still miss one
        applicants.filtered(lambda a: not a.talent_id)._nurture_sync_talent()
        talents = applicants.mapped("talent_id")
        emailed = applicants.filtered("refuse_mail_id").mapped("talent_id")
        if emailed:
            # the refusal email is the latest contact with these people
            emailed.sudo().with_context(tracking_disable=True).write(
                {"last_contact_date": fields.Date.context_today(self)})
        flagged = applicants._nurture_flag_silver_medalist(log=False)
        if flagged and self.pool_id:
            flagged.sudo().write({"pool_ids": [(4, self.pool_id.id)]})
        notes = dict((talent.id, [talent._nurture_silver_note()]) for talent in flagged)
        # consent: asked of those whose queued email carries the request
        asked = applicants.filtered(
            lambda a: a.refuse_consent_requested and a.refuse_mail_id).mapped("talent_id")
        if asked:
            # logged in the refusal's one note per talent
            # as the recruiter: the consent history says who refused and asked
            asked._nurture_set_consent("asked", "refusal", log=False)
            line = asked[:1]._nurture_consent_note("asked", "refusal")
            for talent in asked:
                notes.setdefault(talent.id, []).append(line)
        talents.sudo()._nurture_enroll_after_refusal(self.refuse_reason_id)
        # the re-engagement funnel starts here (after pools and follow-ups are known)
        self.env["hr.talent.funnel"].sudo()._nurture_open(applicants, self.pool_id)
        self.env["hr.talent"].browse(sorted(notes))._nurture_log_notes(dict(
            (talent_id, "<br/>".join(lines)) for talent_id, lines in notes.items() if lines))
        return flagged

    def _note_body(self, values, mailed, emailing, can_email, scheduled, reason_name=None):
        parts = [_("Refused: %s") % html_escape(reason_name or self.refuse_reason_id.name)]
        if mailed and scheduled:
            parts.append(_("Feedback email scheduled for %s (UTC).") % scheduled)
        elif mailed:
            parts.append(_("Feedback email queued."))
        elif emailing and not can_email:
            parts.append(_("No email sent: the applicant has no valid email address."))
        else:
            parts.append(_("No email sent for this reason."))
        for label, text in ((_("Strengths"), values["strengths"]),
                            (_("Areas to improve"), values["improvements"])):
            points = fb.split_points(text)
            if points:
                parts.append("%s:<ul>%s</ul>" % (label, "".join(
                    "<li>%s</li>" % html_escape(p) for p in points)))
        return "<br/>".join(parts)

    def _user_datetime(self, value):
        """A UTC datetime string in the user's time zone and language, in words:
        "March 4, 2026 9:00 AM (Europe/Brussels)"."""
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        stamp = fields.Datetime.context_timestamp(
            self.with_context(tz=tz), fields.Datetime.from_string(value))
        locale = self.env.context.get("lang") or self.env.user.lang or "en_US"
        try:
            text = "%s %s" % (babel_dates.format_date(stamp, format="long", locale=locale),
                              babel_dates.format_time(stamp, format="short", locale=locale))
        except (ValueError, babel.UnknownLocaleError):
            text = stamp.strftime("%Y-%m-%d %H:%M")
        return "%s (%s)" % (text, tz)

    def _result_html(self, count, emailed, impossible, scheduled, flagged=None):
        """What the refusal did, in plain words and proper plurals."""
        rows = [_("1 candidate refused.") if count == 1 else
                _("%d candidates refused.") % count]
        if flagged:
            many = len(flagged) != 1
            if self.pool_id:
                rows.append((_("%(count)d silver medalists added to the pool %(pool)s.") if many
                             else _("1 silver medalist added to the pool %(pool)s.")) % {
                    "count": len(flagged), "pool": self.pool_id.name})
            else:
                rows.append(_("%d silver medalists flagged in the talent pool.") % len(flagged)
                            if many else _("1 silver medalist flagged in the talent pool."))
        if emailed and scheduled:
            date = self._user_datetime(scheduled)
            rows.append((_("%(count)d emails scheduled for %(date)s.") if emailed != 1 else
                         _("1 email scheduled for %(date)s.")) % {"count": emailed, "date": date})
        elif emailed:
            rows.append(_("%d emails queued: Odoo's mail queue sends them in the next minutes.")
                        % emailed if emailed != 1 else
                        _("1 email queued: Odoo's mail queue sends it in the next minutes."))
        if impossible:
            rows.append(_("Not emailed (no valid email address): %s")
                        % ", ".join(_person(line.applicant_id) for line in impossible))
        return "<ul>%s</ul>" % "".join("<li>%s</li>" % html_escape(r) for r in rows)


# fields of a line shown from its applicant (default values, never stored)
DISPLAY_FIELDS = ("name", "job_id", "stage_id", "email", "email_ok", "needs_personal")


class HrApplicantRefuseWizardLine(models.TransientModel):
    """One candidate of a refusal: who they are and the feedback of their own."""

    _name = "hr.applicant.refuse.wizard.line"
    _description = "Refusal of one Applicant"

    wizard_id = fields.Many2one("hr.applicant.refuse.wizard", required=True, ondelete="cascade")
    applicant_id = fields.Many2one("hr.applicant", required=True, ondelete="cascade")
    name = fields.Char("Candidate", compute="_compute_name",
                       help="The candidate's name (the applicant's is often the job title).")
    job_id = fields.Many2one(related="applicant_id.job_id", readonly=True)
    stage_id = fields.Many2one(related="applicant_id.stage_id", readonly=True)
    email = fields.Char(compute="_compute_email")
    email_ok = fields.Boolean("Can Be Emailed", compute="_compute_email")
    needs_personal = fields.Boolean(
        "Interviewed", compute="_compute_needs_personal",
        help="Reached the stage from which a personal message and specific feedback "
             "are required (Recruitment > Configuration > Settings).")
    strengths = fields.Text(
        help="What this candidate did well, one point per line. Empty: the shared "
             "strengths of the refusal.")
    improvements = fields.Text(
        "Areas to Improve",
        help="What would make this candidate stronger next time, one point per line. "
             "Empty: the shared areas of the refusal.")
    personal_message = fields.Text(
        help="A few sentences written for this candidate. Empty: the shared message "
             "(not enough for candidates marked Interviewed).")

    @api.model
    def _nurture_line_values(self, applicant_ids):
        """Create commands of the lines of these applicants, with what the list
        shows (name, email, stage, interviewed): the web client displays default
        values as they are, before any onchange."""
        threshold = self.env.user.company_id._nurture_personal_stage()
        commands = []
        for applicant in self.env["hr.applicant"].browse(applicant_ids):
            address = _recipient_address(applicant)
            commands.append((0, 0, {
                "applicant_id": applicant.id,
                "name": _person(applicant),
                "stage_id": applicant.stage_id.id,
                "email": address or False,
                "email_ok": bool(_valid_email(address)),
                "needs_personal": _needs_personal(applicant, threshold),
            }))
        return commands

    @api.model
    def create(self, vals):
        # what the list shows comes from the applicant: never written through
        # the line (job and stage are related fields, writable in Odoo 11)
        vals = dict((key, value) for key, value in vals.items() if key not in DISPLAY_FIELDS)
        return super(HrApplicantRefuseWizardLine, self).create(vals)

    @api.multi
    def write(self, vals):
        vals = dict((key, value) for key, value in vals.items() if key not in DISPLAY_FIELDS)
        return super(HrApplicantRefuseWizardLine, self).write(vals)

    def name_get(self):
        return [(line.id, _person(line.applicant_id)) for line in self]

    @api.depends("applicant_id")
    def _compute_name(self):
        for line in self:
            line.name = _person(line.applicant_id)

    @api.depends("applicant_id")
    def _compute_email(self):
        for line in self:
            address = _recipient_address(line.applicant_id)
            line.email = address
            line.email_ok = bool(_valid_email(address))

    @api.depends("applicant_id")
    def _compute_needs_personal(self):
        company = self.env.user.company_id
        threshold = company._nurture_personal_stage()
        for line in self:
            line.needs_personal = _needs_personal(line.applicant_id, threshold)
