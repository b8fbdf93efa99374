# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, api, fields, models

from .hr_talent import CONSENT_SOURCES, CONSENT_STATES

# who is recorded as the author of a change: the person or the scheduler act
# through sudo(), so the running user says nothing about them
_SOURCES_WITHOUT_USER = ("candidate_page", "system")


class HrTalentConsent(models.Model):
    """One change of a talent's consent: the readable history behind its state.

    Rows are written by the system only (hr.talent._nurture_set_consent, the
    Record Consent wizard, merges, anonymisation), in one statement per batch;
    nobody edits or deletes them, recruiters and managers read them.
    """

    _name = "hr.talent.consent"
    _description = "Talent Consent Change"
    _order = "date desc, id desc"
    _rec_name = "state"

    talent_id = fields.Many2one("hr.talent", "Talent", required=True, index=True,
                                ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="talent_id.company_id", store=True, readonly=True,
                                 index=True)
    state = fields.Selection(CONSENT_STATES, "Consent Status", required=True, readonly=True,
                             help="The talent's consent after this change.")
    date = fields.Datetime("Changed On", required=True, readonly=True, index=True,
                           help="When the person gave, refused or withdrew it (as recorded), "
                                "or when the system changed it.")
    expiry_date = fields.Date("Valid Until", readonly=True,
                              help="Last day a consent given here is valid.")
    source = fields.Selection(CONSENT_SOURCES, readonly=True)
    note = fields.Text("How / Why", readonly=True,
                       help="How the person gave the consent (recorded by the recruiter), "
                            "or why the system changed it.")
    user_id = fields.Many2one("res.users", "Recorded By", readonly=True, ondelete="set null",
                              help="The user who recorded it; empty when the candidate or "
                                   "the scheduler did.")

    @api.multi
    def name_get(self):
        states = dict(CONSENT_STATES)
        return [(row.id, "%s (%s)" % (states.get(row.state, row.state), row.date))
                for row in self]

    @api.model
    def _nurture_log(self, talent_ids, source, note=None, date=None, user_id=None):
        """One history row per talent, with the talent's consent as now stored.

        One INSERT ... SELECT for the whole batch (the refusal wizard records
        hundreds at once): no ORM create per row, nothing re-read.
        """
        if not talent_ids:
            return
        if source in _SOURCES_WITHOUT_USER:
            user_id = None
        elif user_id is None and self.env.uid != SUPERUSER_ID:
            user_id = self.env.uid
        now = fields.Datetime.now()
        self.env.cr.execute("""
            INSERT INTO hr_talent_consent
                   (talent_id, company_id, state, date, expiry_date, source, note, user_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT t.id, t.company_id, t.consent_state, %(date)s, t.consent_expiry_date,
                   %(source)s, %(note)s, %(user)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM hr_talent t
             WHERE t.id IN %(ids)s
             ORDER BY t.id""", {
            "date": date or now, "source": source or None, "note": note or None,
            "user": user_id or None, "uid": self.env.uid, "now": now,
            "ids": tuple(talent_ids)})
        self.env["hr.talent"].invalidate_cache(["consent_ids"], list(talent_ids))

    @api.model
    def _nurture_blank_notes(self, talent_ids):
        """Anonymisation: the notes may name the person; states and dates stay."""
        if talent_ids:
            self.env.cr.execute(
                "UPDATE hr_talent_consent SET note = NULL "
                "WHERE talent_id IN %s AND note IS NOT NULL", (tuple(talent_ids),))
            self.invalidate_cache(["note"])
