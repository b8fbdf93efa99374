# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    nurture_public = fields.Boolean(
        "Shown to Candidates", default=False, index=True,
        help="Candidates can choose this department on their page as a field they are "
             "interested in, and follow-up emails may name it. Leave it off for internal "
             "departments candidates do not apply to (Management, Administration...).")
