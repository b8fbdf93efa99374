# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class LinkTrackerClick(models.Model):
    _inherit = "link.tracker.click"

    nurture_mail_id = fields.Many2one(
        "mail.mail", "Email to a Talent", index=True, ondelete="set null", readonly=True,
        help="The email to a talent the link was clicked in (candidate_nurture): counted "
             "once per email, without IP address or country.")

    _sql_constraints = [
        ("nurture_once_per_mail", "UNIQUE(link_id, nurture_mail_id)",
         "A link is counted once per email."),
    ]

    @api.model
    def _nurture_click(self, code, token, count=True):
        """A talent clicked a tracked link of one of our emails: the target URL,
        or None for an unknown code. A valid token (signed for the email) counts
        the click once and makes the talent engaged; any other token only
        redirects."""
        code_rec = self.env["link.tracker.code"].sudo().search([("code", "=", code)], limit=1)
        if not code_rec:
            return None
        link = code_rec.link_id
        mail = self.env["mail.mail"]._nurture_from_click_token(token)
        if mail and count:
            self.env.cr.execute("""
                INSERT INTO link_tracker_click (link_id, nurture_mail_id, click_date,
                                                create_uid, create_date, write_uid, write_date)
                VALUES (%(link)s, %(mail)s, %(today)s, %(uid)s, now() AT TIME ZONE 'UTC',
                        %(uid)s, now() AT TIME ZONE 'UTC')
                ON CONFLICT (link_id, nurture_mail_id) DO NOTHING""", {
                "link": link.id, "mail": mail.id, "today": fields.Date.context_today(self),
                "uid": self.env.uid})
            if self.env.cr.rowcount:
                self.env.add_todo(link._fields["count"], link)
                link.recompute()
                if mail.model == "hr.talent" and mail.res_id:
                    talent = self.env["hr.talent"].sudo().browse(mail.res_id).exists()
                    talent._nurture_engaged("clicked", mail=mail, link=link)
        return link.redirected_url

    def _get_click_values_from_route(self, route_values):
        """Newsletter clicks of talents: no IP address, no country."""
        values = super(LinkTrackerClick, self)._get_click_values_from_route(route_values)
        stat_id = route_values.get("stat_id")
        if stat_id:
            stat = self.env["mail.mail.statistics"].sudo().browse(stat_id).exists()
            if stat and stat.model == "hr.talent":
                values.update(ip=False, country_id=False)
        return values
