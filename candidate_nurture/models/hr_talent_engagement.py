# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import api, fields, models

from .hr_talent_funnel import ENGAGEMENT_KINDS

ENGAGEMENT_LOG_KINDS = ENGAGEMENT_KINDS + [
    ("opened", "Opened an email (tracking pixel)"),
]
# an engagement without a known email is credited to the follow-up step
# done for the talent in the days before it
ATTRIBUTION_DAYS = 30


class HrTalentEngagement(models.Model):
    """Something a talent did in answer to us: the evidence behind "engaged".

    No personal data: who (the talent), what, when, and which email or
    follow-up step it answered. Never an IP address, a device or a place.
    """

    _name = "hr.talent.engagement"
    _description = "Talent Engagement"
    _order = "date desc, id desc"
    _rec_name = "kind"

    talent_id = fields.Many2one("hr.talent", "Talent", required=True, index=True,
                                ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", "Company", index=True, readonly=True)
    date = fields.Datetime(required=True, index=True, readonly=True)
    kind = fields.Selection(ENGAGEMENT_LOG_KINDS, "What", required=True, index=True,
                            readonly=True)
    mail_id = fields.Many2one("mail.mail", "Email", index=True, ondelete="set null",
                              readonly=True)
    link_id = fields.Many2one("link.tracker", "Link", ondelete="set null", readonly=True)
    enrollment_id = fields.Many2one("hr.talent.enrollment", "Follow-up", index=True,
                                    ondelete="set null", readonly=True)
    sequence_id = fields.Many2one("hr.talent.sequence", "Follow-up Sequence", index=True,
                                  ondelete="set null", readonly=True)
    step_id = fields.Many2one("hr.talent.sequence.step", "Follow-up Step", index=True,
                              ondelete="set null", readonly=True,
                              help="The step whose email was clicked, else the step done for "
                                   "the talent in the %d days before." % ATTRIBUTION_DAYS)

    @api.model
    def _nurture_log(self, talents, kind, mail=None, link=None, date=None):
        """Record that these talents did kind (now), credited to a follow-up step."""
        talents = talents.filtered("id")
        if not talents:
            return self.browse()
        now = date or fields.Datetime.now()
        steps = {}
        if mail and mail.nurture_enrollment_id:
            enrollment = mail.nurture_enrollment_id
            steps[enrollment.talent_id.id] = (enrollment.id, enrollment.sequence_id.id,
                                              mail.nurture_step_id.id)
        else:
            since = fields.Datetime.to_string(
                fields.Datetime.from_string(now) - datetime.timedelta(days=ATTRIBUTION_DAYS))
            self.env.cr.execute("""
                SELECT DISTINCT ON (talent_id) talent_id, id, sequence_id, last_step_id
                  FROM hr_talent_enrollment
                 WHERE talent_id IN %s AND last_step_id IS NOT NULL
                   AND last_step_date >= %s AND last_step_date <= %s
                 ORDER BY talent_id, last_step_date DESC, id DESC""",
                                (tuple(talents.ids), since, now))
            for talent_id, enrollment_id, sequence_id, step_id in self.env.cr.fetchall():
                steps[talent_id] = (enrollment_id, sequence_id, step_id)
        records = self.browse()
        for talent in talents:
            enrollment_id, sequence_id, step_id = steps.get(talent.id, (False, False, False))
            records |= self.create({
                "talent_id": talent.id, "company_id": talent.company_id.id, "date": now,
                "kind": kind, "mail_id": mail.id if mail else False,
                "link_id": link.id if link else False, "enrollment_id": enrollment_id,
                "sequence_id": sequence_id, "step_id": step_id,
            })
        return records
