# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models


class HrTalentPool(models.Model):
    """A named group of talents ("Engineering silver medalists 2026")."""

    _name = "hr.talent.pool"
    _description = "Talent Pool"
    _order = "name, id"

    name = fields.Char(required=True)
    user_id = fields.Many2one(
        "res.users", "Owner", default=lambda self: self.env.user, index=True)
    department_id = fields.Many2one("hr.department", "Department", index=True)
    description = fields.Text()
    color = fields.Integer("Color Index")
    active = fields.Boolean(default=True)
    talent_ids = fields.Many2many(
        "hr.talent", "hr_talent_pool_rel", "pool_id", "talent_id", "Talents")
    talent_count = fields.Integer("Number of Talents", compute="_compute_talent_count")

    @api.multi
    def _compute_talent_count(self):
        Talent = self.env["hr.talent"]
        for pool in self:
            pool.talent_count = Talent.search_count([("pool_ids", "=", pool.id)]) if pool.id else 0

    @api.multi
    def action_open_talents(self):
        self.ensure_one()
        action = self.env.ref("candidate_nurture.hr_talent_action").read()[0]
        action["domain"] = [("pool_ids", "=", self.id)]
        action["context"] = {"default_pool_ids": [(6, 0, [self.id])]}
        action["display_name"] = self.name
        return action

    @api.multi
    def action_send_newsletter(self):
        """A new mass mailing to this pool's contactable talents (Odoo's editor and stats)."""
        self.ensure_one()
        domain = [("pool_ids", "in", [self.id]), ("is_contactable", "=", True)]
        return {
            "type": "ir.actions.act_window",
            "name": _("Newsletter"),
            "res_model": "mail.mass_mailing",
            "view_mode": "form",
            "views": [(self.env.ref("mass_mailing.view_mail_mass_mailing_form").id, "form")],
            "target": "current",
            "context": {
                "default_mailing_model_id": self.env["ir.model"]._get("hr.talent").id,
                "default_mailing_domain": repr(domain),
                "default_reply_to_mode": "thread",
            },
        }
