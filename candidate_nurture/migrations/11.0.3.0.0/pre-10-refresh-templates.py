# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""11.0.3.0.0 changes mail templates again (noupdate data): mark the templates
the company did not change since the addon wrote them, so post-10 refreshes
them from this version's data; the changed ones are kept and named in a warning."""
from odoo.addons.candidate_nurture.migrations import template_refresh


def migrate(cr, version):
    if version:
        template_refresh.mark_unchanged_templates(cr)
