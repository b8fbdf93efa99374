# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models


class EventEvent(models.Model):
    _inherit = "event.event"

    nurture_invitation_ids = fields.One2many(
        "hr.talent.invitation", "event_id", "Talent Invitations")
    nurture_invited_count = fields.Integer(
        "Invited From Pool", compute="_compute_nurture_invitation_counts")
    nurture_accepted_count = fields.Integer(
        "Accepted", compute="_compute_nurture_invitation_counts",
        help="Invited talents who accepted (and attended, or not yet).")
    nurture_attended_count = fields.Integer(
        "Attended", compute="_compute_nurture_invitation_counts")

    @api.multi
    def _compute_nurture_invitation_counts(self):
        counts = {}
        if self.ids:
            # event users see the counts, not the invitations themselves
            self.env.cr.execute("""
                SELECT event_id, state, count(*) FROM hr_talent_invitation
                 WHERE event_id IN %s GROUP BY event_id, state""", (tuple(self.ids),))
            for event_id, state, count in self.env.cr.fetchall():
                counts.setdefault(event_id, {})[state] = count
        for event in self:
            by_state = counts.get(event.id, {})
            event.nurture_invited_count = sum(by_state.values())
            event.nurture_attended_count = by_state.get("attended", 0)
            event.nurture_accepted_count = (by_state.get("accepted", 0)
                                            + by_state.get("attended", 0)
                                            + by_state.get("no_show", 0))

    @api.multi
    def button_done(self):
        res = super(EventEvent, self).button_done()
        self.env["hr.talent.invitation"].sudo().search(
            [("event_id", "in", self.ids), ("followup_done", "=", False)])._nurture_after_event()
        return res

    @api.multi
    def action_nurture_invite_talents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Invite Talents"),
            "res_model": "hr.talent.invite.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_event_id": self.id},
        }

    @api.multi
    def action_nurture_open_invitations(self):
        self.ensure_one()
        action = self.env.ref("candidate_nurture.hr_talent_invitation_action").read()[0]
        action["domain"] = [("event_id", "=", self.id)]
        context = {"search_default_groupby_state": 1}
        for key in ("search_default_accepted", "search_default_attended"):
            if self.env.context.get(key):
                context = {key: 1}
        action["context"] = context
        return action
