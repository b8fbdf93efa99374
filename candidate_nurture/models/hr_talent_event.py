# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import _, api, fields, models

ENGAGEMENT_DAYS = 365
PREVIEW_URL = "#preview"


class HrTalent(models.Model):
    """Open-house invitations of a talent, and how engaged they are."""

    _inherit = "hr.talent"

    invitation_ids = fields.One2many("hr.talent.invitation", "talent_id", "Event Invitations")
    invitation_count = fields.Integer(compute="_compute_invitation_count")
    engagement_score = fields.Integer(
        "Engagement", compute="_compute_engagement_score", store=True, index=True,
        compute_sudo=True,
        help="Answers to event invitations plus events attended in the last 12 months "
             "(recomputed daily).")

    @api.multi
    def _compute_invitation_count(self):
        counts = {}
        if self.ids:
            rows = self.env["hr.talent.invitation"].read_group(
                [("talent_id", "in", self.ids)], ["talent_id"], ["talent_id"])
            counts = dict((row["talent_id"][0], row["talent_id_count"]) for row in rows)
        for talent in self:
            talent.invitation_count = counts.get(talent.id, 0)

    @api.model
    def _engagement_cutoff(self):
        now = fields.Datetime.from_string(fields.Datetime.now())
        return fields.Datetime.to_string(now - datetime.timedelta(days=ENGAGEMENT_DAYS))

    @api.depends("invitation_ids.state", "invitation_ids.answer_date",
                 "invitation_ids.attended_date")
    def _compute_engagement_score(self):
        scores = {}
        ids = [tid for tid in self.ids if tid]
        if ids:
            self.env.cr.execute("""
                SELECT talent_id,
                       count(*) FILTER (WHERE answer_date >= %(cutoff)s)
                       + count(*) FILTER (WHERE attended_date >= %(cutoff)s)
                  FROM hr_talent_invitation
                 WHERE talent_id IN %(ids)s
                 GROUP BY talent_id""", {"cutoff": self._engagement_cutoff(), "ids": tuple(ids)})
            scores = dict(self.env.cr.fetchall())
        for talent in self:
            talent.engagement_score = scores.get(talent.id, 0)

    @api.multi
    def action_invite_to_event(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Invite to Event"),
            "res_model": "hr.talent.invite.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_talent_ids": [(6, 0, self.ids)]},
        }

    @api.multi
    def action_open_invitations(self):
        self.ensure_one()
        action = self.env.ref("candidate_nurture.hr_talent_invitation_action").read()[0]
        action["domain"] = [("talent_id", "=", self.id)]
        action["context"] = {"default_talent_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Helpers of the invitation email template (rendered on hr.talent)
    # ------------------------------------------------------------------
    @api.multi
    def nurture_invite_event(self):
        """The event the invitation wizard is sending for (from the context)."""
        return self.env["event.event"].browse(self.env.context.get("nurture_invite_event_id"))

    @api.multi
    def nurture_invite_url(self, answer):
        """Signed Accept/Decline link of this talent's invitation being sent.

        The wizard passes the tokens of the invitations it created in the
        context; a preview (nothing created yet) shows a placeholder link.
        """
        self.ensure_one()
        token = (self.env.context.get("nurture_invite_tokens") or {}).get(self.id)
        if not token:
            return PREVIEW_URL
        return self.env["hr.talent.invitation"]._answer_url_from_token(token, answer)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _get_engagement_recompute_domain(self):
        """Talents whose engagement may change with time alone: answers and
        attendance leave the 12-month window (new ones recompute at once)."""
        return [("engagement_score", ">", 0)]

    @api.model
    def _cron_recompute_engagement(self):
        talents = self.with_context(active_test=False).search(
            self._get_engagement_recompute_domain())
        if talents:
            self.env.add_todo(self._fields["engagement_score"], talents)
            self.recompute()
