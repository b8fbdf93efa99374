# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Load the templates pre-10 marked from 11.0.3.0.0's data and make them noupdate again."""
from odoo.addons.candidate_nurture.migrations import template_refresh


def migrate(cr, version):
    if version:
        template_refresh.refresh_marked_templates(cr)
