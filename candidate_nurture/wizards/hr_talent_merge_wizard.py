# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import ids as id_lib


class HrTalentMergeWizard(models.TransientModel):
    """Merge a duplicate talent into another one without losing anything.

    Everything of the duplicate moves to the kept talent (see
    hr.talent._nurture_merge), which keeps the most protective consent; the
    duplicate is deleted, so only users allowed to delete talents may merge.
    """

    _name = "hr.talent.merge.wizard"
    _description = "Merge Talents"

    talent_id = fields.Many2one("hr.talent", "Duplicate (merged, then deleted)", required=True,
                                ondelete="cascade")
    dest_talent_id = fields.Many2one("hr.talent", "Talent to Keep", required=True,
                                     ondelete="cascade")

    @api.model
    def default_get(self, fields_list):
        res = super(HrTalentMergeWizard, self).default_get(fields_list)
        ids = id_lib.unique(self.env.context.get("active_ids"))
        if self.env.context.get("active_model") == "hr.talent" and ids:
            if len(ids) > 2:
                raise UserError(_("Select two talents to merge."))
            ordered = sorted(ids)
            res.setdefault("dest_talent_id", ordered[0])
            if len(ordered) == 2:
                res.setdefault("talent_id", ordered[1])
        return res

    @api.multi
    def action_merge(self):
        self = self.browse(id_lib.unique(self.ids))  # named twice (RPC): acts once
        self.ensure_one()
        dest = self.dest_talent_id
        # as the user: _nurture_merge checks the right to delete talents first;
        # deleting the duplicate deletes this wizard too (ondelete cascade)
        dest._nurture_merge(self.talent_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.talent",
            "view_mode": "form",
            "res_id": dest.id,
        }
