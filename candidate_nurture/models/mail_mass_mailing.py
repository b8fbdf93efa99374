# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.addons.mass_mailing.models.mass_mailing import MASS_MAILING_BUSINESS_MODELS
from odoo.exceptions import AccessError
from odoo.osv import expression

TALENT_MODEL = "hr.talent"


class MailMassMailing(models.Model):
    """Talents are a recipient model of Mass Mailing; only contactable ones receive it.

    Odoo 11 lists the recipient models in MASS_MAILING_BUSINESS_MODELS, the
    domain of mailing_model_id: the field is redefined with hr.talent added.
    """

    _inherit = "mail.mass_mailing"

    mailing_model_id = fields.Many2one(
        domain=[("model", "in", MASS_MAILING_BUSINESS_MODELS + [TALENT_MODEL])])

    @api.model
    def _nurture_talent_recipient_domain(self):
        """What every talent mailing adds to its domain, whatever the domain says."""
        return [("is_contactable", "=", True), ("anonymized_date", "=", False),
                ("email", "!=", False)]

    def get_recipients(self):
        res_ids = super(MailMassMailing, self).get_recipients()
        if self.mailing_model_real != TALENT_MODEL or not res_ids:
            return res_ids
        return self._nurture_contactable_talent_ids(res_ids)

    def _nurture_contactable_talent_ids(self, res_ids):
        """The contactable subset of res_ids, in their order (one query)."""
        allowed = set(self.env[TALENT_MODEL].search(expression.AND([
            [("id", "in", list(res_ids))], self._nurture_talent_recipient_domain()])).ids)
        return [res_id for res_id in res_ids if res_id in allowed]

    def update_opt_out(self, email, res_ids, value):
        """Odoo's own unsubscribe route, should a talent reach it: a withdrawal.

        The route calls it as the superuser; over RPC, a marketing user who knows
        a talent's id and email would otherwise withdraw their consent."""
        if self.mailing_model_real != TALENT_MODEL:
            return super(MailMassMailing, self).update_opt_out(email, res_ids, value)
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Only the person, through the unsubscribe link of their "
                                "email, may stop a talent's emails."))
        if value:
            talents = self.env[TALENT_MODEL].sudo().browse(res_ids).exists().filtered(
                lambda t: (t.email or "").strip().lower() == (email or "").strip().lower()
                and t.consent_state not in ("withdrawn", "declined"))
            talents._nurture_set_consent("withdrawn", "candidate_page")
        return True
