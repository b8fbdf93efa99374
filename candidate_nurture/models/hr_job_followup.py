# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models


# Kept apart from hr_job.py (rediscovery) on purpose: parallel features merge cleanly.
class HrJob(models.Model):
    """A job that starts recruiting is announced to interested, contactable talents."""

    _inherit = "hr.job"

    @api.multi
    def _nurture_start_recruiting(self):
        res = super(HrJob, self)._nurture_start_recruiting()
        self._nurture_queue_opening()
        return res

    @api.multi
    def _nurture_queue_opening(self):
        """Add each job to the next "new opening" email of the talents interested in
        its department; the digest cron sends at most one per talent and period."""
        Talent = self.env["hr.talent"].sudo()
        for job in self.filtered("department_id"):
            talents = Talent.search([
                ("is_contactable", "=", True), ("email", "!=", False),
                "|", ("department_ids", "in", job.department_id.ids),
                ("interest_department_ids", "in", job.department_id.ids),
                "|", ("company_id", "=", False), ("company_id", "=", job.company_id.id)])
            talents._nurture_announce_openings(job)
