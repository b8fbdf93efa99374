# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import ids as id_lib


class HrTalentPoolAddWizard(models.TransientModel):
    """Add applicants (through their talents) or talents to a pool, in bulk.

    Opened from the applicant and talent lists (Action menu), and by the
    refusal wizard with ``default_pool_id`` and ``default_applicant_ids``.
    """

    _name = "hr.talent.pool.add.wizard"
    _description = "Add to Talent Pool"

    pool_id = fields.Many2one("hr.talent.pool", "Pool", required=True)
    applicant_ids = fields.Many2many(
        "hr.applicant", "hr_talent_pool_add_wizard_applicant_rel", "wizard_id", "applicant_id",
        "Applicants")
    talent_ids = fields.Many2many(
        "hr.talent", "hr_talent_pool_add_wizard_talent_rel", "wizard_id", "talent_id", "Talents")

    @api.model
    def default_get(self, fields_list):
        res = super(HrTalentPoolAddWizard, self).default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "hr.applicant" and ids and "applicant_ids" in fields_list \
                and not res.get("applicant_ids"):
            res["applicant_ids"] = [(6, 0, ids)]
        if model == "hr.talent" and ids and "talent_ids" in fields_list \
                and not res.get("talent_ids"):
            res["talent_ids"] = [(6, 0, ids)]
        return res

    @api.multi
    def action_add(self):
        self = self.browse(id_lib.unique(self.ids))  # named twice (RPC): acts once
        self.ensure_one()
        if not self.talent_ids and not self.applicant_ids:
            raise UserError(_("Select at least one applicant or talent to add to the pool."))
        self.talent_ids.write({"pool_ids": [(4, self.pool_id.id)]})
        if self.applicant_ids:
            self.applicant_ids._nurture_add_to_pool(self.pool_id.id)
        return {"type": "ir.actions.act_window_close"}
