# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib.feedback import is_safe_url
from ..lib.ids import from_x2many


class HrRecruitmentResource(models.Model):
    """A book, course, workshop or article that helps a candidate prepare."""

    _name = "hr.recruitment.resource"
    _description = "Preparation Resource"
    _order = "sequence, name"

    name = fields.Char("Title", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    resource_type = fields.Selection([
        ("book", "Book"),
        ("course", "Online course"),
        ("workshop", "Workshop"),
        ("article", "Article"),
        ("other", "Other"),
    ], string="Type", required=True, default="article")
    url = fields.Char(
        "URL", help="Link shown to the candidate. Must start with https:// or http://.")
    description = fields.Text(
        translate=True, help="One or two sentences telling the candidate why it helps.")
    department_ids = fields.Many2many(
        "hr.department", string="Departments",
        help="Departments this resource suits; empty means any department.")
    category_ids = fields.Many2many(
        "hr.applicant.category", string="Tags",
        help="Applicant tags (skills) this resource suits.")

    # ------------------------------------------------------------------
    # Proposed in the refusal wizard: the job's department first
    # ------------------------------------------------------------------
    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """With ``nurture_department_ids`` in the context (the refusal wizard:
        departments of the candidates' jobs), resources of those departments come
        first, then those for any department, then the others."""
        departments = from_x2many(self.env.context.get("nurture_department_ids"))
        if not departments:
            return super(HrRecruitmentResource, self).name_search(
                name=name, args=args, operator=operator, limit=limit)
        result = []
        for tier in ([("department_ids", "in", departments)],
                     [("department_ids", "=", False)],
                     [("department_ids", "not in", departments)]):
            if limit and len(result) >= limit:
                break
            taken = [row[0] for row in result]
            found = super(HrRecruitmentResource, self).name_search(
                name=name, args=list(args or []) + tier + [("id", "not in", taken)],
                operator=operator, limit=limit and limit - len(result))
            result += found
        return result

    @api.constrains("url")
    def _check_url(self):
        for resource in self:
            if resource.url and not is_safe_url(resource.url):
                raise ValidationError(_(
                    "The link of resource \"%s\" must be a web address starting "
                    "with https:// or http://.") % resource.name)
