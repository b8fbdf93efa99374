# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class HrTalentSequence(models.Model):
    """A follow-up rhythm: steps run one after the other, N days apart."""

    _name = "hr.talent.sequence"
    _description = "Talent Follow-up Sequence"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", "Company",
        default=lambda self: self.env["res.company"]._company_default_get("hr.talent.sequence"))
    step_ids = fields.One2many("hr.talent.sequence.step", "sequence_id", "Steps", copy=True)
    pool_ids = fields.Many2many(
        "hr.talent.pool", "hr_talent_sequence_pool_rel", "sequence_id", "pool_id", "Pools",
        help="Talents refused into one of these pools are enrolled.")
    refuse_reason_ids = fields.Many2many(
        "hr.applicant.refuse.reason", "hr_talent_sequence_reason_rel", "sequence_id",
        "reason_id", "Refusal Reasons",
        help="Talents refused for one of these reasons are enrolled.")
    audience = fields.Selection(
        [("all", "Everyone"), ("silver", "Silver Medalists Only"),
         ("other", "All But Silver Medalists")], default="all", required=True,
        help="Silver medalists may get a warmer, more personal rhythm than others.")
    user_id = fields.Many2one(
        "res.users", "Recruiter for Activities",
        help="Who gets the activities of the steps when the talent has no owner.")
    enrollment_ids = fields.One2many("hr.talent.enrollment", "sequence_id", "Enrolments")
    running_count = fields.Integer("Running", compute="_compute_counts")

    def _compute_counts(self):
        data = self.env["hr.talent.enrollment"].read_group(
            [("sequence_id", "in", self.ids), ("state", "=", "running")],
            ["sequence_id"], ["sequence_id"])
        counts = dict((row["sequence_id"][0], row["sequence_id_count"]) for row in data)
        for sequence in self:
            sequence.running_count = counts.get(sequence.id, 0)

    @api.multi
    def action_open_enrollments(self):
        self.ensure_one()
        action = self.env.ref("candidate_nurture.hr_talent_enrollment_action").read()[0]
        action["domain"] = [("sequence_id", "=", self.id)]
        action["context"] = {"default_sequence_id": self.id, "search_default_running": 1}
        return action
