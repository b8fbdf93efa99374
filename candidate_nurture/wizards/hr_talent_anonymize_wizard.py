# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import ids as id_lib


class HrTalentAnonymizeWizard(models.TransientModel):
    """The confirmation of *Action > Anonymise* on talents: it says what is
    erased and what is kept before hr.talent.action_anonymize runs."""

    _name = "hr.talent.anonymize.wizard"
    _description = "Anonymise Talents"

    talent_ids = fields.Many2many(
        "hr.talent", "hr_talent_anonymize_wizard_talent_rel", "wizard_id", "talent_id",
        "Talents", readonly=True)

    @api.model
    def default_get(self, fields_list):
        res = super(HrTalentAnonymizeWizard, self).default_get(fields_list)
        ids = id_lib.unique(self.env.context.get("active_ids"))
        if self.env.context.get("active_model") == "hr.talent" and ids \
                and "talent_ids" in fields_list and not res.get("talent_ids"):
            res["talent_ids"] = [(6, 0, ids)]
        return res

    @api.multi
    def action_anonymize(self):
        self = self.browse(id_lib.unique(self.ids))  # named twice (RPC): acts once
        self.ensure_one()
        self.check_access_rule("write")  # one's own confirmation only
        # every talent named, as the caller sees them or not: reading the field
        # would silently drop those of another company
        talents = self.env["hr.talent"].browse(self.sudo().talent_ids.ids)
        talents.check_access_rights("write")
        talents.check_access_rule("write")
        talents = talents.filtered(lambda talent: not talent.anonymized_date)
        if not talents:
            raise UserError(_("These talents are anonymised already."))
        # as the user: managers only; the erasure removes the wizards that hold
        # these talents, this one included
        result = talents.action_anonymize()
        if isinstance(result, dict):
            return result  # many talents: the background run that anonymises them
        return {"type": "ir.actions.act_window_close"}
