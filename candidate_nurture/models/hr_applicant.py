# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import tokens

REFUSE_EMAIL_STATES = [
    ("none", "Not emailed"),
    ("scheduled", "Scheduled"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
    ("impossible", "Not possible (no valid email)"),
]
FEEDBACK_TOKEN_PURPOSE = "candidate_nurture.refuse_feedback"
RECRUITER = "hr_recruitment.group_hr_recruitment_user"


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
        index=True, groups=RECRUITER)
    refuse_mail_id = fields.Many2one(
        "mail.mail", "Refusal Email Message", readonly=True, copy=False,
        ondelete="set null", index=True, groups=RECRUITER)
    refuse_scheduled_date = fields.Datetime(
        "Email Scheduled For", readonly=True, copy=False, groups=RECRUITER)
    refuse_token_nonce = fields.Char(copy=False, groups="base.group_system")
    refuse_feedback_helpful = fields.Selection(
        [("yes", "Yes"), ("no", "No")], "Feedback Helpful?", readonly=True,
        copy=False, groups=RECRUITER,
        help="The candidate's answer to \"Was this feedback helpful?\".")
    refuse_feedback_comment = fields.Text(
        "Candidate's Comment", readonly=True, copy=False, groups=RECRUITER)
    refuse_feedback_date = fields.Datetime(
        "Answered On", readonly=True, copy=False, groups=RECRUITER)

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
                        "active_model": self._name, "active_ids": self.ids},
        }

    @api.multi
    def action_cancel_refuse_email(self):
        """Cancel a refusal email that is still waiting in the mail queue."""
        for applicant in self:
            mail = applicant.refuse_mail_id
            if applicant.refuse_email_state != "scheduled" or not mail or mail.state != "outgoing":
                raise UserError(_(
                    "The refusal email of %s is not waiting in the queue any more "
                    "and cannot be cancelled.") % applicant.display_name)
            mail.sudo().cancel()
            applicant.message_post(body=_("Scheduled refusal email cancelled."))
        return True

    @api.multi
    def reset_applicant(self):
        """Restoring a refused applicant clears the refusal so it can be redone."""
        self.write({
            "refuse_reason_id": False, "refuse_date": False, "refuse_user_id": False,
            "refuse_email_state": False, "refuse_scheduled_date": False,
        })
        return super(HrApplicant, self).reset_applicant()

    # ------------------------------------------------------------------
    # Tokens for the public feedback page
    # ------------------------------------------------------------------
    def _feedback_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.multi
    def get_refuse_feedback_url(self, answer=None):
        """Public link to "Was this feedback helpful?", signed for this applicant.

        Called from the refusal template. During the refusal wizard the nonce
        that is about to be stored comes from the context, so the preview shows
        the very links the candidate will get.
        """
        self.ensure_one()
        nonce = self.env.context.get("nurture_refuse_nonce") or self.sudo().refuse_token_nonce
        if not nonce:
            return ""
        token = tokens.make_token(self._feedback_secret(), FEEDBACK_TOKEN_PURPOSE, self.id, nonce)
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return tokens.public_url(base, "feedback", token, answer)

    @api.model
    def _from_feedback_token(self, token):
        """The applicant a token was made for, or an empty recordset.

        Valid only while the refusal is unanswered: once the candidate answered,
        the same link is no longer valid.
        """
        record_id = tokens.parse_token(token)
        if record_id is None:
            return self.browse()
        applicant = self.sudo().with_context(active_test=False).browse(record_id).exists()
        if not applicant or not applicant.refuse_date or applicant.refuse_feedback_date:
            return self.browse()
        if not tokens.verify_token(self._feedback_secret(), FEEDBACK_TOKEN_PURPOSE, token,
                                   applicant.refuse_token_nonce):
            return self.browse()
        return applicant
