# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.tools import html_escape

TALENT_MODEL = "hr.talent"
UNSUBSCRIBE_PLACEHOLDER = "/unsubscribe_from_list"


class MailComposeMessage(models.TransientModel):
    """Mass mailings to talents: only contactable talents, each email with the
    talent's stop link (in the body and as List-Unsubscribe header)."""

    _inherit = "mail.compose.message"

    @api.multi
    def get_mail_values(self, res_ids):
        res = super(MailComposeMessage, self).get_mail_values(res_ids)
        if self.composition_mode != "mass_mail" or self.model != TALENT_MODEL:
            return res
        # stop links are signed below (sudo): only for who may read these talents
        self.env[TALENT_MODEL].browse(res_ids).check_access_rights("read")
        self.env[TALENT_MODEL].browse(res_ids).check_access_rule("read")
        Talent = self.env[TALENT_MODEL].sudo()
        talents = Talent.browse(res_ids)
        talents._nurture_ensure_nonce()
        allowed = set(Talent._nurture_contactable_ids(res_ids))
        for talent in talents:
            values = res[talent.id]
            if talent.id not in allowed:
                # e.g. consent withdrawn since the mailing was queued: never sent
                values["state"] = "cancel"
                for command in values.get("statistics_ids") or []:
                    command[2]["exception"] = fields.Datetime.now()
                continue
            stop = talent._nurture_stop_url()
            values["headers"] = repr({"List-Unsubscribe": "<%s>" % stop,
                                      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
            body = values.get("body_html") or ""
            if stop not in body and UNSUBSCRIBE_PLACEHOLDER not in body:
                values["body_html"] = body + (
                    '<p style="font-size: 12px; color: #666;">%s <a href="%s">%s</a></p>' % (
                        html_escape(_("You receive this email because you agreed that we "
                                      "keep in touch.")),
                        html_escape(stop), html_escape(_("Stop all emails"))))
                values["body"] = values["body_html"]
        return res
