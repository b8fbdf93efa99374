# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import followup as fu

RECORDABLE_STATES = [
    ("given", "Given"),
    ("withdrawn", "Withdrawn"),
    ("declined", "Declined"),
]


class HrTalentConsentWizard(models.TransientModel):
    """Record a consent the person gave, refused or withdrew outside our emails
    (on the phone, in person, by letter), with a note of how.

    The only way out of a withdrawal or a decline: nothing automated ever asks
    again, only a recruiter documenting the person's new consent changes it.
    """

    _name = "hr.talent.consent.wizard"
    _description = "Record a Talent's Consent"

    talent_ids = fields.Many2many("hr.talent", string="Talents", required=True)
    state = fields.Selection(RECORDABLE_STATES, "Consent", required=True, default="given",
                             help="What the person said about being contacted about future "
                                  "opportunities.")
    date = fields.Datetime("On", required=True, default=fields.Datetime.now,
                           help="When the person said it. A consent given expires counting "
                                "from this date (Recruitment > Configuration > Settings).")
    note = fields.Text("How", required=True,
                       help="How the person said it, so that anyone can check it later: "
                            "e.g. \"On the phone on 3 March, after the open house: agrees to "
                            "hear about backend roles.\"")
    final_names = fields.Char(
        "Earlier Refusal", compute="_compute_final_names",
        help="These people withdrew or declined before: record a new consent only if they "
             "gave it again.")

    @api.model
    def default_get(self, fields_list):
        res = super(HrTalentConsentWizard, self).default_get(fields_list)
        if (not res.get("talent_ids") and self.env.context.get("active_model") == "hr.talent"
                and self.env.context.get("active_ids")):
            res["talent_ids"] = [(6, 0, self.env.context["active_ids"])]
        return res

    @api.depends("talent_ids")
    def _compute_final_names(self):
        for wizard in self:
            # False, not "", when nobody did: the form hides the warning on False
            wizard.final_names = ", ".join(wizard.talent_ids.filtered(
                lambda t: t.consent_state in fu.CONSENT_FINAL_STATES).mapped("name")) or False

    @api.multi
    def action_record(self):
        self.ensure_one()
        talents = self.talent_ids
        # the wizard is open to every user: the right to edit these talents is
        # what records their consent
        talents.check_access_rights("write")
        talents.check_access_rule("write")
        note = (self.note or "").strip()
        if not note:
            raise UserError(_("Say how the person gave, refused or withdrew their consent: "
                              "the note is required. Nothing was recorded."))
        if self.date > fields.Datetime.now():
            raise UserError(_("The date is in the future. Nothing was recorded."))
        anonymised = talents.filtered("anonymized_date")
        if anonymised:
            raise UserError(_("These talents are anonymised: %s. Nothing was recorded.")
                            % ", ".join(anonymised.mapped("name")))
        if self.state == "given":
            given_on = fields.Datetime.from_string(self.date).date()
            today = talents._nurture_today()
            expired = talents.filtered(lambda t: not fu.consent_valid("given", fu.consent_expiry(
                given_on, (t.company_id or self.env.user.company_id).nurture_consent_months),
                today))
            if expired:
                raise UserError(_(
                    "A consent given on %(date)s has already expired for %(names)s. "
                    "Nothing was recorded.") % {
                        "date": fields.Date.to_string(given_on),
                        "names": ", ".join(expired.mapped("name"))})
        talents._nurture_set_consent(self.state, "recruiter", note=note, date=self.date,
                                     documented=True)
        return {"type": "ir.actions.act_window_close"}
