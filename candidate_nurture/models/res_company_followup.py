# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


# Kept apart from the other extensions of this model on purpose (parallel features merge cleanly).
class ResCompany(models.Model):
    """Consent, follow-up and retention settings of the company."""

    _inherit = "res.company"

    nurture_consent_months = fields.Integer(
        "Consent Valid For (months)", default=24,
        help="Consent to be contacted about future opportunities expires after this many "
             "months. 0: it never expires.")
    nurture_consent_renewal_days = fields.Integer(
        "Ask to Renew (days before expiry)", default=30)
    nurture_opening_digest_days = fields.Integer(
        "New Openings: At Most One Email Every (days)", default=14,
        help="Talents get one \"new opening\" email per period; openings of the period "
             "are grouped in it.")
    nurture_retention_days = fields.Integer(
        "Anonymise Without Consent After (days)", default=365,
        help="Talents without valid consent for longer than this, and without an open "
             "application, are anonymised. 0: never.")
    nurture_followup_max_attempts = fields.Integer(
        "Follow-up Step Attempts", default=3,
        help="A step that fails (e.g. its template does not render) is retried this many "
             "times before the enrolment stops.")
