# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.hr_recruitment.models.hr_recruitment import AVAILABLE_PRIORITIES

from ..lib import public, tokens
from ..lib.feedback import DEFAULT_ALLOWED_PHRASES, DEFAULT_PROTECTED_TERMS, parse_terms

# the signed company-logo link of candidate emails (a constant nonce: emails
# already sent keep their logo when the company changes)
LOGO_TOKEN_PURPOSE = "company_logo"
LOGO_TOKEN_NONCE = "1"


class ResCompany(models.Model):
    """Per-company settings of candidate_nurture (Recruitment > Configuration > Settings)."""

    _inherit = "res.company"

    # refusal feedback rules
    nurture_personal_stage_id = fields.Many2one(
        "hr.recruitment.stage", "Personal Feedback From Stage",
        help="Candidates refused at this stage or later must get a personal message "
             "and at least one specific feedback point. Empty: any stage after the "
             "first one of the pipeline (i.e. from the first interview on).")
    nurture_protected_terms = fields.Text(
        "Protected Wording",
        default=lambda self: ", ".join(DEFAULT_PROTECTED_TERMS),
        help="Words touching protected characteristics, separated by commas. Feedback "
             "using them must be confirmed explicitly before it is sent.")
    nurture_allowed_phrases = fields.Text(
        "Allowed Job Phrases",
        default=lambda self: ", ".join(DEFAULT_ALLOWED_PHRASES),
        help="Phrases of the job that contain a protected word without being about the "
             "person (\"race condition\", \"older Python versions\"), separated by "
             "commas. Feedback using them needs no confirmation; plurals match too.")
    nurture_refuse_signer = fields.Selection(
        [("refuser", "The person who refuses"), ("recruiter", "The job's recruiter")],
        "Refusal Emails Signed By", default="refuser", required=True,
        help="Whose name and address sign the refusal email: the user who refuses in the "
             "wizard, or the recruiter of the candidate's job (the person who refuses "
             "when the job has none).")
    nurture_feedback_link_days = fields.Integer(
        "Feedback Link Valid For (days)", default=90,
        help="The \"Was this feedback helpful?\" link of a refusal email works for this "
             "many days after the refusal (or after the email, when it was scheduled "
             "later); then it says the link has expired.")

    # talent pool: the silver-medalist rule
    nurture_silver_stage_id = fields.Many2one(
        "hr.recruitment.stage", "Silver Medalist From Stage",
        help="Refused candidates who reached this stage or a later one are silver "
             "medalists. Empty: the stage is not a criterion.")
    nurture_silver_min_priority = fields.Selection(
        AVAILABLE_PRIORITIES[1:], "Silver Medalist From Rating", default="2",
        help="Refused candidates rated at least this are silver medalists. Empty: the "
             "rating is not a criterion.")
    nurture_silver_use_reason = fields.Boolean(
        "Silver Medalist When Reason Is Pool-Eligible", default=True,
        help="Candidates refused for a reason marked \"Talent Pool Eligible\" are "
             "silver medalists.")

    # consent, follow-ups and retention
    nurture_consent_months = fields.Integer(
        "Consent Valid For (months)", default=24,
        help="Consent to be contacted about future opportunities expires after this many "
             "months. 0: it never expires.")
    nurture_consent_renewal_days = fields.Integer(
        "Ask to Renew (days before expiry)", default=30)
    nurture_opening_digest_days = fields.Integer(
        "New Openings: At Most One Email Every (days)", default=14,
        help="Talents get one \"new opening\" email per period; openings of the period "
             "are grouped in it.")
    nurture_retention_days = fields.Integer(
        "Anonymise Without Consent After (days)", default=365,
        help="Talents without valid consent for longer than this, and without an open "
             "application, are anonymised. 0: never.")
    nurture_followup_max_attempts = fields.Integer(
        "Follow-up Step Attempts", default=3,
        help="A step that fails (e.g. its template does not render) is retried this many "
             "times before the enrolment stops.")

    # reports: weekly summary, open tracking
    nurture_summary_active = fields.Boolean(
        "Weekly Re-engagement Summary", default=True,
        help="Every week, recruitment managers get the week's funnel figures, consents "
             "expiring soon, overdue follow-up activities and feedback marked not helpful.")
    nurture_summary_user_ids = fields.Many2many(
        "res.users", "res_company_nurture_summary_user_rel", "company_id", "user_id",
        "Summary Recipients",
        help="Recruitment managers who get the weekly summary. Empty: all recruitment "
             "managers of the company.")
    nurture_open_tracking = fields.Boolean(
        "Track Email Opens", default=False,
        help="Adds an invisible image to emails to talents, newsletters included, to know "
             "who opened them. Off (default): no tracking image at all; clicks on our job "
             "and event links are counted either way, without IP address or place.")

    # background runs (queue_job)
    nurture_background_threshold = fields.Integer(
        "Background Above (records)", default=200,
        help="Refusals, event invitations and anonymisations of more records than this "
             "run in the background, in batches, with their progress under Recruitment > "
             "Configuration > Background Runs. 0: always at once, in the request.")
    nurture_background_batch_size = fields.Integer(
        "Background Batch Size", default=200,
        help="Records per background job: each batch is one transaction, retried on "
             "its own.")

    # what candidates see: the company's logo (res.company.logo) and colour
    # on every public page and email
    nurture_brand_color = fields.Char(
        "Colour of Candidate Pages and Emails", default=public.DEFAULT_BRAND_COLOR,
        help="A hex colour such as #00a09d: buttons and the top line of the emails and "
             "public pages candidates see. The company's logo is shown above them.")
    nurture_logo_url = fields.Char(
        "Logo Address for Emails", compute="_compute_nurture_logo_url",
        help="Absolute address of the company's logo, as candidate emails show it: a "
             "public page that serves this logo only. Empty when the company has no logo.")
    nurture_careers_url = fields.Char(
        "Careers Page Address", compute="_compute_nurture_logo_url",
        help="Absolute address of the careers page (open positions), for candidate emails.")

    # ------------------------------------------------------------------
    # What candidates see: logo and colour
    # ------------------------------------------------------------------
    @api.depends("logo")
    def _compute_nurture_logo_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for company in self:
            company.nurture_logo_url = ("%s/candidate/logo/%s" % (
                base.rstrip("/"), company._nurture_logo_token())) if company.logo else False
            company.nurture_careers_url = "%s/jobs" % base.rstrip("/")

    @api.constrains("nurture_brand_color")
    def _check_nurture_brand_color(self):
        for company in self:
            if company.nurture_brand_color and not public.is_hex_color(
                    company.nurture_brand_color):
                raise ValidationError(_(
                    "The colour of candidate pages and emails must be a hex colour such as "
                    "#00a09d (found: %s).") % company.nurture_brand_color)

    @api.multi
    def _nurture_logo_token(self):
        self.ensure_one()
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return tokens.make_token(secret, LOGO_TOKEN_PURPOSE, self.id, LOGO_TOKEN_NONCE)

    @api.model
    def _nurture_from_logo_token(self, token):
        """The company a logo link was signed for (sudo), or an empty recordset."""
        company_id = tokens.parse_token(token)
        if company_id is None:
            return self.browse()
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        if not tokens.verify_token(secret, LOGO_TOKEN_PURPOSE, token, LOGO_TOKEN_NONCE):
            return self.browse()
        return self.sudo().browse(company_id).exists()

    @api.model
    def nurture_date_in_words(self, value):
        """A date as candidate emails write it ('1 December 2026'), in the
        language of the rendering (the email's): no data is read."""
        return public.date_in_words(value, self.env.context.get("lang"), empty="")

    @api.multi
    def _nurture_brand(self, relative=False):
        """What a candidate page or email shows of the company: name, colour, logo
        (relative: the logo's path on this server, for our own pages)."""
        company = self.sudo()[:1]
        logo_url = company.nurture_logo_url or ""
        if logo_url and relative:
            logo_url = "/candidate/logo/%s" % company._nurture_logo_token()
        return {
            "name": company.name or "",
            "color": public.brand_color(company.nurture_brand_color),
            "logo_url": logo_url,
        }

    # ------------------------------------------------------------------
    # Refusal feedback rules
    # ------------------------------------------------------------------
    @api.constrains("nurture_background_threshold", "nurture_background_batch_size")
    def _check_nurture_background(self):
        for company in self:
            if company.nurture_background_threshold < 0:
                raise ValidationError(_("The background threshold cannot be negative."))
            if company.nurture_background_batch_size < 1:
                raise ValidationError(_("A background batch holds at least one record."))

    @api.constrains("nurture_feedback_link_days")
    def _check_nurture_feedback_link_days(self):
        for company in self:
            if company.nurture_feedback_link_days < 1:
                raise ValidationError(_(
                    "Feedback links must stay valid for at least one day after the refusal."))

    def _nurture_protected_terms(self):
        self.ensure_one()
        return parse_terms(self.nurture_protected_terms)

    def _nurture_allowed_phrases(self):
        self.ensure_one()
        return parse_terms(self.nurture_allowed_phrases)

    def _nurture_personal_stage(self):
        """The threshold stage: the configured one, else the second stage by sequence."""
        self.ensure_one()
        if self.nurture_personal_stage_id:
            return self.nurture_personal_stage_id
        stages = self.env["hr.recruitment.stage"].sudo().search(
            [("job_id", "=", False)], order="sequence, id", limit=2)
        return stages[1:2] or stages[:1]

    # ------------------------------------------------------------------
    # Talent pool: the silver-medalist rule
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_silver_rule(self):
        """Thresholds of lib.talent.silver_medalist_criteria: any one criterion suffices."""
        self.ensure_one()
        return {
            "stage_sequence": (self.nurture_silver_stage_id.sequence
                               if self.nurture_silver_stage_id else None),
            "min_rating": int(self.nurture_silver_min_priority)
            if self.nurture_silver_min_priority else None,
            "use_reason": self.nurture_silver_use_reason,
        }
