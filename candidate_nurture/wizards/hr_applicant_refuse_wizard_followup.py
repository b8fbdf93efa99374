# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import models

CONSENT_LINK = "/candidate/me/"


# Kept apart from the refusal wizard's own file on purpose: parallel features merge cleanly.
class HrApplicantRefuseWizard(models.TransientModel):
    """After a refusal: consent asked (the refusal email carries the link) and
    refused talents enrolled in the follow-ups of the reason and of their pools."""

    _inherit = "hr.applicant.refuse.wizard"

    def _render_emails(self, lines):
        # the refusal email links to each talent's candidate page: sign them all
        # in one query rather than one per email
        lines.mapped("applicant_id.talent_id").sudo()._nurture_ensure_nonce()
        return super(HrApplicantRefuseWizard, self)._render_emails(lines)

    def _after_refuse_talents(self, applicants, talents, notes):
        res = super(HrApplicantRefuseWizard, self)._after_refuse_talents(
            applicants, talents, notes)
        asked = self.env["hr.talent"]
        for applicant in applicants.sudo().with_prefetch():
            talent = applicant.talent_id
            if not talent:
                continue
            mail = applicant.refuse_mail_id
            if (mail and CONSENT_LINK in (mail.body_html or "")
                    and talent.consent_state in ("not_asked", "asked", "expired")):
                asked |= talent
        if asked:
            # logged in the refusal's one note per talent
            asked._nurture_set_consent("asked", "refusal", log=False)
            line = asked[:1]._nurture_consent_note("asked", "refusal")
            for talent in asked:
                notes.setdefault(talent.id, []).append(line)
        talents._nurture_enroll_after_refusal(self.refuse_reason_id)
        return res
