# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Consent history and the talents merged on upgrade to 11.0.2.0.0.

- The consent history (hr.talent.consent) is new: every talent whose consent
  was ever asked or changed gets a first row with its current consent.
- The talents pre-20-merge-duplicate-talents.py kept get their computed
  fields recomputed from the applications and invitations they received, and
  a chatter note saying which duplicates were merged into them and whose
  consent was kept. The list of merges is then dropped.
"""
import logging

from odoo import SUPERUSER_ID, api, fields

_logger = logging.getLogger(__name__)

RECOMPUTED = ("application_count", "category_ids", "department_ids", "job_ids",
              "furthest_stage_id", "furthest_job_id", "best_priority", "refuse_reason_ids",
              "last_refuse_reason_id", "last_refuse_date", "cooloff_end_date",
              "last_application_date", "silver_medalist", "is_contactable", "engagement_score")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False, "tracking_disable": True})
    merges = {}
    cr.execute("SELECT 1 FROM pg_class WHERE relname = 'candidate_nurture_talent_merge'")
    if cr.fetchone():
        cr.execute("SELECT keeper_id, duplicate_id, consent_from "
                   "FROM candidate_nurture_talent_merge ORDER BY keeper_id, duplicate_id")
        for keeper, duplicate, consent_from in cr.fetchall():
            merges.setdefault(keeper, []).append((duplicate, consent_from))

    now = fields.Datetime.now()
    cr.execute("""
        INSERT INTO hr_talent_consent (talent_id, company_id, state, date, expiry_date, source,
                                       note, create_uid, create_date, write_uid, write_date)
        SELECT t.id, t.company_id, t.consent_state, COALESCE(t.consent_date, t.create_date, %(now)s),
               t.consent_expiry_date, t.consent_source, %(note)s, %(uid)s, %(now)s, %(uid)s,
               %(now)s
          FROM hr_talent t
         WHERE t.consent_state != 'not_asked'
           AND NOT EXISTS (SELECT 1 FROM hr_talent_consent c WHERE c.talent_id = t.id)""", {
        "now": now, "uid": SUPERUSER_ID,
        "note": "Consent as recorded on the talent before version 11.0.2.0.0 (upgrade)."})
    _logger.info("candidate_nurture: consent history started for %d talent(s)", cr.rowcount)

    if merges:
        Talent = env["hr.talent"]
        keepers = Talent.browse(list(merges)).exists()
        for fname in RECOMPUTED:
            env.add_todo(Talent._fields[fname], keepers)
        keepers.recompute()
        for talent in keepers:
            lines = []
            for duplicate, consent_from in merges[talent.id]:
                lines.append("#%d%s" % (duplicate, " (its consent was kept)"
                                        if consent_from == duplicate else ""))
            talent.message_post(
                body="Merged on upgrade with the duplicate talent(s) of the same email "
                     "address: %s. Their applications, invitations, follow-ups, messages "
                     "and pools are here; the consent kept is the most protective."
                     % ", ".join(lines), subtype="mail.mt_note")
        _logger.info("candidate_nurture: %d talent(s) kept from merges on upgrade",
                     len(keepers))
    cr.execute("DROP TABLE IF EXISTS candidate_nurture_talent_merge")
