# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""11.0.3.0.0 tells a refusal email waiting to be sent now ("queued") from one
waiting for a later date ("scheduled"); before, both were "scheduled".

Applicants whose refusal email is still outgoing without a sending date in
the future become "queued"; those truly scheduled stay "scheduled".
"""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE hr_applicant AS a SET refuse_email_state = 'queued' "
        "FROM mail_mail AS m "
        "WHERE a.refuse_mail_id = m.id AND a.refuse_email_state = 'scheduled' "
        "AND m.state = 'outgoing' "
        # mail.mail's scheduled_date is a Char in Odoo 11 ('YYYY-MM-DD HH:MM:SS', UTC)
        "AND (COALESCE(m.scheduled_date, '') = '' "
        "     OR m.scheduled_date <= to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))")
    _logger.info("candidate_nurture: %d refusal emails waiting to be sent now marked queued",
                 cr.rowcount)
