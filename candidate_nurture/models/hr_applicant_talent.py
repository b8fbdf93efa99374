# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from ..lib import talent as talent_lib


# Kept apart from the main extension of this model on purpose: the talent pool
# is developed in parallel with the refusal wizard, and separate files merge cleanly.
class HrApplicant(models.Model):
    """Talent pool side of applicants: the link to the talent, the silver-medalist rule."""

    _inherit = "hr.applicant"

    talent_id = fields.Many2one(
        "hr.talent", "Talent", index=True, ondelete="set null", copy=False,
        groups="hr_recruitment.group_hr_recruitment_user")

    @api.model
    def create(self, vals):
        applicant = super(HrApplicant, self).create(vals)
        if not self.env.context.get("nurture_no_talent_sync"):
            applicant._nurture_sync_talent()
        return applicant

    @api.multi
    def write(self, vals):
        res = super(HrApplicant, self).write(vals)
        if ("email_from" in vals or "partner_id" in vals) and \
                not self.env.context.get("nurture_no_talent_sync"):
            self._nurture_sync_talent()
        return res

    # ------------------------------------------------------------------
    # Talent pool
    # ------------------------------------------------------------------
    def _nurture_find_talent(self, email, partner, company):
        """The talent of this person in this company: same email, else same partner."""
        Talent = self.env["hr.talent"].sudo().with_context(active_test=False)
        company_domain = [("company_id", "=", company.id or False)]
        if email:
            talent = Talent.search([("email_normalized", "=", email)] + company_domain,
                                   order="active desc, id", limit=1)
            if talent:
                return talent
        if partner:
            talent = Talent.search([("partner_id", "=", partner.id)] + company_domain,
                                   order="active desc, id", limit=1)
            if talent and (not email or not talent.email_normalized
                           or talent.email_normalized == email):
                return talent
        return Talent.browse()

    @api.multi
    def _nurture_sync_talent(self):
        """Link each applicant to the talent of its person, creating it when needed.

        Called on create, when the email or the contact changes, and by the
        refusal wizard. Matching is by normalised email, then by partner, within
        the applicant's company; an applicant with neither keeps a talent of its own.
        Returns the talents (as the current user).
        """
        Talent = self.env["hr.talent"].sudo()
        Applicant = self.sudo().with_context(active_test=False)
        # one record at a time with its own prefetch: the writes below invalidate
        # the cache, and a shared prefetch would re-read the whole batch each time
        for applicant in (Applicant.browse(applicant_id) for applicant_id in self.ids):
            email = talent_lib.normalize_email(applicant.email_from)
            current = applicant.talent_id
            if current and (current.email_normalized or "") == email:
                current._nurture_complete_from_applicant(applicant)
                continue
            talent = applicant._nurture_find_talent(email, applicant.partner_id,
                                                    applicant.company_id)
            if not talent and current and not current.email_normalized \
                    and current.applicant_ids == applicant:
                # a talent of its own that now gets an email: keep it
                talent = current
            if talent:
                talent._nurture_complete_from_applicant(applicant)
                if talent != current:
                    applicant.with_context(nurture_no_talent_sync=True).talent_id = talent
            else:
                talent = Talent.create(Talent._nurture_values_from_applicant(applicant))
                applicant.with_context(nurture_no_talent_sync=True).talent_id = talent
            if current and current != talent and not current.applicant_ids:
                current.active = False
        return self.env["hr.talent"].browse(self.sudo().mapped("talent_id").ids)

    @api.model
    def _nurture_sync_missing_talents(self):
        """Give a talent to every applicant that has none (install, data fixes)."""
        applicants = self.sudo().with_context(active_test=False).search(
            [("talent_id", "=", False)], order="id")
        applicants._nurture_sync_talent()
        return True

    @api.multi
    def _nurture_silver_rule(self):
        """The rule's thresholds for this applicant's company (see res.company)."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        return company.sudo()._nurture_silver_rule()

    @api.multi
    def _nurture_silver_criteria(self):
        """Criteria of the silver-medalist rule this applicant meets (list of keys)."""
        self.ensure_one()
        rule = self._nurture_silver_rule()
        return talent_lib.silver_medalist_criteria(
            stage_sequence=self.stage_id.sequence if self.stage_id else None,
            min_stage_sequence=rule["stage_sequence"],
            rating=self.priority,
            min_rating=rule["min_rating"],
            reason_pool_eligible=self.sudo().refuse_reason_id.is_pool_eligible,
            use_reason=rule["use_reason"],
        )

    @api.multi
    def _nurture_is_silver_medalist(self):
        """True when the applicant meets any one criterion of the company's rule:
        reached the configured stage or later, rated at least the configured
        stars, or refused for a pool-eligible reason (each criterion can be off).
        """
        self.ensure_one()
        return bool(self._nurture_silver_criteria())

    @api.multi
    def _nurture_flag_silver_medalist(self, log=True):
        """Flag the talents of the applicants that meet the rule, with the evidence.

        A recruiter's manual override on the talent is kept (the evidence is
        still recorded). Returns the talents flagged.
        """
        flagged = self.env["hr.talent"]
        # decide for the whole batch first (batched reads), then write one by one
        plan = [(applicant.id, applicant._nurture_silver_criteria()) for applicant in self]
        for applicant_id, criteria in plan:
            if not criteria:
                continue
            applicant = self.browse(applicant_id)
            talent = applicant.talent_id or applicant._nurture_sync_talent()
            talent._nurture_set_silver_evidence(applicant, criteria, log=log)
            flagged |= talent
        return flagged

    @api.multi
    def _nurture_add_to_pool(self, pool_id):
        """Put the talents of these applicants in a pool (refusal wizard, demo data)."""
        talents = self._nurture_sync_talent()
        talents.write({"pool_ids": [(4, pool_id)]})
        return talents

    @api.multi
    def action_open_talent(self):
        self.ensure_one()
        talent = self.talent_id or self._nurture_sync_talent()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.talent",
            "view_mode": "form",
            "res_id": talent.id,
        }
