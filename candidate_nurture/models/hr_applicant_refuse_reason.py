# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class HrApplicantRefuseReason(models.Model):
    """Why an applicant was refused; decides the email, the pool and the cool-off.

    Same model name as Odoo 14+ so a later port keeps its data.
    """

    _name = "hr.applicant.refuse.reason"
    _description = "Refuse Reason of Applicant"
    _order = "sequence, id"

    name = fields.Char("Description", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    template_id = fields.Many2one(
        "mail.template", string="Email Template",
        domain="[('model', '=', 'hr.applicant')]",
        help="Email sent to candidates refused for this reason. Leave empty to "
             "use the standard refusal template.")
    send_email = fields.Boolean(
        "Email the Candidate", default=True,
        help="Untick for reasons where writing to the candidate makes no sense "
             "(duplicate application, spam).")
    is_pool_eligible = fields.Boolean(
        "Talent Pool Eligible",
        help="Candidates refused for this reason may join the talent pool "
             "(e.g. the position was filled by another strong candidate).")
    cooloff_days = fields.Integer(
        "Cool-off (days)", default=90,
        help="Days after the refusal before the candidate may be contacted "
             "about other openings.")
    description = fields.Text(
        translate=True,
        help="Internal guidance for recruiters choosing this reason.")

    _sql_constraints = [
        ("cooloff_days_positive", "CHECK(cooloff_days >= 0)",
         "The cool-off period cannot be negative."),
    ]
