# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

STEP_ACTIONS = [
    ("mail", "Send an Email"),
    ("activity", "Activity for the Recruiter"),
]


class HrTalentSequenceStep(models.Model):
    """One step of a follow-up sequence: an email or an activity, N days after the previous."""

    _name = "hr.talent.sequence.step"
    _description = "Talent Follow-up Step"
    _order = "sequence_id, sequence, id"

    sequence_id = fields.Many2one("hr.talent.sequence", "Follow-up Sequence", required=True,
                                  ondelete="cascade", index=True)
    sequence = fields.Integer("Order", default=10)
    name = fields.Char(required=True, translate=True)
    delay_days = fields.Integer(
        "After (days)", default=30, required=True,
        help="Days after the previous step (after the enrolment for the first one).")
    action = fields.Selection(STEP_ACTIONS, required=True, default="mail")
    template_id = fields.Many2one(
        "mail.template", "Email Template", domain=[("model", "=", "hr.talent")],
        ondelete="set null")
    activity_type_id = fields.Many2one("mail.activity.type", "Activity Type")
    activity_summary = fields.Char(translate=True)
    activity_note = fields.Html(translate=True)

    _sql_constraints = [
        ("delay_positive", "CHECK(delay_days >= 0)", "A step cannot run before the previous one."),
    ]

    @api.constrains("action", "template_id")
    def _check_template(self):
        for step in self:
            if step.action == "mail" and not step.template_id:
                raise ValidationError(_("An email step needs an email template: %s") % step.name)

    @api.multi
    def _next_step(self):
        """The step after this one in its sequence, or an empty recordset."""
        self.ensure_one()
        steps = self.sequence_id.step_ids.sorted(lambda s: (s.sequence, s.id))
        ids = steps.ids
        index = ids.index(self.id)
        return steps[index + 1:index + 2]
