# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The addon's translations of its mail templates load only where they still fit.

Odoo 11 loads a translation of a ``translate=True`` field (a template's
subject, its body) whatever the text in the database: a company that rewrote
its refusal email in English would otherwise send French candidates the
addon's French of the addon's English. A translation of the addon's .po whose
source is not the template's current text is left out of the import
(language installed, module updated); the company's own translations, and
those of templates nobody changed, load as Odoo loads them.
"""
from odoo import api, models

from odoo.addons.base.ir.ir_translation import IrTranslationImport

MODULE = "candidate_nurture"
TEMPLATE_FIELDS = ("mail.template,subject", "mail.template,body_html")


class NurtureTranslationImport(IrTranslationImport):
    """Odoo's translation import, without the addon's template translations
    of a text the template no longer has."""

    def finish(self):
        self._cr.execute("""
            DELETE FROM tmp_ir_translation_import ti
             USING ir_model_data d, mail_template t
             WHERE ti.type = 'model' AND ti.name IN %s AND ti.module = %s
               AND ti.imd_model = 'mail.template'
               AND d.module = ti.module AND d.name = ti.imd_name AND d.model = 'mail.template'
               AND t.id = d.res_id
               AND ti.src IS DISTINCT FROM
                   CASE ti.name WHEN 'mail.template,subject' THEN t.subject ELSE t.body_html END
        """, (TEMPLATE_FIELDS, MODULE))
        return super(NurtureTranslationImport, self).finish()


class IrTranslation(models.Model):
    _inherit = "ir.translation"

    @api.model
    def _get_import_cursor(self):
        return NurtureTranslationImport(self)
