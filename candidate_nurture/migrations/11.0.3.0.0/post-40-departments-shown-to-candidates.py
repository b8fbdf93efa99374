# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Departments shown to candidates (hr.department.nurture_public), new in 11.0.3.0.0.

Until this version the candidate page offered every department. A department
stays offered when candidates meet it: one of its jobs, or a talent chose it
on their page; the others (Management, Administration...) become internal.
A recruiter changes it on the department's form.
"""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE hr_department d SET nurture_public = TRUE
         WHERE d.nurture_public IS NOT TRUE
           AND (EXISTS (SELECT 1 FROM hr_job j WHERE j.department_id = d.id)
                OR EXISTS (SELECT 1 FROM hr_talent_interest_department_rel r
                            WHERE r.department_id = d.id))
     RETURNING d.id""")
    shown = [row[0] for row in cr.fetchall()]
    _logger.info("candidate_nurture: %d department(s) shown to candidates (they have a job "
                 "or a talent chose them): %s", len(shown), shown)
