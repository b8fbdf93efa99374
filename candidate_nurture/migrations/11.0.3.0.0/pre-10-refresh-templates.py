# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""11.0.3.0.0 changes the addon's mail templates (the refusal email is signed
by ``refusal.get('signer_name')``, the person who refused or the job's
recruiter): mark the templates the company did not change, so post-10
refreshes them."""
from odoo.addons.candidate_nurture.migrations import template_refresh


def migrate(cr, version):
    if version:
        template_refresh.mark_unchanged_templates(cr)
