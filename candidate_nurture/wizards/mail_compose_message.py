# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.tools import html_escape

TALENT_MODEL = "hr.talent"
UNSUBSCRIBE_PLACEHOLDER = "/unsubscribe_from_list"


class MailComposeMessage(models.TransientModel):
    """Mass mailings to talents: only contactable talents, each email with the
    talent's stop link (in the body and as List-Unsubscribe header).

    A personal invitation to apply (opened from a talent match with
    ``nurture_invite_match_id`` in the context) is sent by the match: to the
    talent's own address, with their stop link, logged in their chatter."""

    _inherit = "mail.compose.message"

    nurture_email_to = fields.Char(
        "To", compute="_compute_nurture_email_to",
        help="The talent's own address: the email goes there only.")

    @api.depends("model", "res_id")
    def _compute_nurture_email_to(self):
        for composer in self:
            talent = (self.env[TALENT_MODEL].browse(composer.res_id)
                      if composer.model == TALENT_MODEL and composer.res_id else None)
            composer.nurture_email_to = talent.email if talent else False

    @api.multi
    def send_mail(self, auto_commit=False):
        match_id = self.env.context.get("nurture_invite_match_id")
        if not match_id:
            return super(MailComposeMessage, self).send_mail(auto_commit=auto_commit)
        # the match checks the caller's rights, the job and the talent's consent
        match = self.env["hr.talent.match"].browse(int(match_id))
        for composer in self:
            match._nurture_send_invitation(composer)
        return {"type": "ir.actions.act_window_close"}

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
