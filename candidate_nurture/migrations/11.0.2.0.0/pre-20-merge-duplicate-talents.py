# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Merge the duplicate talents of earlier versions, before the unique index.

11.0.2.0.0 guarantees one talent per person and company: a unique index on
(company, normalised email) over the talents with an email (hr.talent.init,
run after this script). Earlier versions could give one person two talents
(two applications created at the same moment). Each group of duplicates is
merged here into one talent, in SQL (the new version's models are not loaded
yet), keeping everything of both:

- applications; event invitations (one per event: the one that says more);
  follow-up enrolments (one running per sequence: the one further on, the
  other stopped as "merged" and its queued mail cancelled); job matches (one
  per job); pools, departments of interest, openings to announce, tags, jobs,
  departments and refusal reasons; messages and the mail they queued,
  followers, activities, attachments, mass-mailing statistics;
- the most protective consent: a withdrawal on either side wins, then a
  decline, otherwise the latest answer (as hr.talent._nurture_merge);
- empty fields filled from the duplicate, the latest contact dates.

The talent kept is the one the applicant sync would have found: active first,
then the oldest. The merges are listed in candidate_nurture_talent_merge, which
post-20-merge-duplicate-talents.py reads (recompute, consent history, chatter
note) and then drops.
"""
import logging

from psycopg2 import sql

_logger = logging.getLogger(__name__)

# many2many tables of hr.talent: (table, column of the talent)
TALENT_RELATIONS = (
    "hr_talent_pool_rel", "hr_talent_interest_department_rel",
    "hr_talent_opening_pending_rel", "hr_talent_category_rel", "hr_talent_department_rel",
    "hr_talent_job_rel", "hr_talent_refuse_reason_rel",
)
FINAL_RANK = {"withdrawn": 2, "declined": 1}
INVITATION_RANK = {"attended": 4, "no_show": 3, "accepted": 2, "declined": 1}


def _table_exists(cr, table):
    cr.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'r'", (table,))
    return bool(cr.fetchone())


def _kept_consent(keeper, duplicate):
    """keeper or duplicate: (id, state, changed on) rows; see lib.followup.merged_consent."""
    ranks = FINAL_RANK.get(keeper[1], 0), FINAL_RANK.get(duplicate[1], 0)
    if ranks[0] != ranks[1]:
        return keeper if ranks[0] > ranks[1] else duplicate
    if ranks[0]:
        if keeper[2] and duplicate[2] and duplicate[2] < keeper[2]:
            return duplicate
        return keeper
    if duplicate[2] and (not keeper[2] or duplicate[2] > keeper[2]):
        return duplicate
    return keeper


def _merge(cr, keeper, duplicate):
    ids = {"keeper": keeper, "dup": duplicate}
    cr.execute("SELECT id, consent_state, consent_date FROM hr_talent WHERE id IN %s",
               ((keeper, duplicate),))
    rows = dict((row[0], row) for row in cr.fetchall())
    kept = _kept_consent(rows[keeper], rows[duplicate])[0]

    # fields: empty ones filled, latest dates, silver evidence, the consent kept
    cr.execute("""
        UPDATE hr_talent k SET
               phone = COALESCE(k.phone, d.phone),
               linkedin_url = COALESCE(k.linkedin_url, d.linkedin_url),
               partner_id = COALESCE(k.partner_id, d.partner_id),
               availability = COALESCE(k.availability, d.availability),
               next_followup_date = COALESCE(k.next_followup_date, d.next_followup_date),
               user_id = COALESCE(k.user_id, d.user_id),
               silver_manual = COALESCE(k.silver_manual, d.silver_manual),
               last_contact_date = GREATEST(k.last_contact_date, d.last_contact_date),
               opening_last_sent_date = GREATEST(k.opening_last_sent_date,
                                                 d.opening_last_sent_date),
               consent_request_date = GREATEST(k.consent_request_date, d.consent_request_date),
               active = COALESCE(k.active, FALSE) OR COALESCE(d.active, FALSE)
          FROM hr_talent d
         WHERE k.id = %(keeper)s AND d.id = %(dup)s""", ids)
    cr.execute("""
        UPDATE hr_talent k SET
               silver_auto = d.silver_auto, silver_date = d.silver_date,
               silver_applicant_id = d.silver_applicant_id, silver_job_id = d.silver_job_id,
               silver_stage_id = d.silver_stage_id, silver_priority = d.silver_priority,
               silver_reason_id = d.silver_reason_id, silver_criteria = d.silver_criteria
          FROM hr_talent d
         WHERE k.id = %(keeper)s AND d.id = %(dup)s
           AND NOT COALESCE(k.silver_auto, FALSE) AND COALESCE(d.silver_auto, FALSE)""", ids)
    if kept == duplicate:
        cr.execute("""
            UPDATE hr_talent k SET
                   consent_state = d.consent_state, consent_date = d.consent_date,
                   consent_source = d.consent_source,
                   consent_expiry_date = d.consent_expiry_date,
                   is_contactable = d.is_contactable
              FROM hr_talent d
             WHERE k.id = %(keeper)s AND d.id = %(dup)s""", ids)

    cr.execute("UPDATE hr_applicant SET talent_id = %(keeper)s WHERE talent_id = %(dup)s", ids)

    # one invitation per event: the one that says more (the keeper's on a tie)
    cr.execute("""
        SELECT k.id, k.state, d.id, d.state FROM hr_talent_invitation k
          JOIN hr_talent_invitation d ON d.event_id = k.event_id
         WHERE k.talent_id = %(keeper)s AND d.talent_id = %(dup)s""", ids)
    dropped = [
        (kid if INVITATION_RANK.get(dstate, 0) > INVITATION_RANK.get(kstate, 0) else did)
        for kid, kstate, did, dstate in cr.fetchall()]
    if dropped:
        cr.execute("DELETE FROM hr_talent_invitation WHERE id IN %s", (tuple(dropped),))
    cr.execute("UPDATE hr_talent_invitation SET talent_id = %(keeper)s "
               "WHERE talent_id = %(dup)s", ids)

    # one running enrolment per sequence: the one further on (the keeper's on a tie)
    cr.execute("""
        UPDATE hr_talent_enrollment e
           SET state = 'stopped', stop_reason = 'merged', next_date = NULL,
               stop_date = now() AT TIME ZONE 'UTC'
          FROM hr_talent_enrollment o
         WHERE e.state = 'running' AND o.state = 'running' AND e.sequence_id = o.sequence_id
           AND ((e.talent_id = %(dup)s AND o.talent_id = %(keeper)s
                 AND COALESCE(e.steps_done, 0) <= COALESCE(o.steps_done, 0))
             OR (e.talent_id = %(keeper)s AND o.talent_id = %(dup)s
                 AND COALESCE(e.steps_done, 0) < COALESCE(o.steps_done, 0)))
        RETURNING e.id""", ids)
    stopped = [row[0] for row in cr.fetchall()]
    if stopped:
        cr.execute("UPDATE mail_mail SET state = 'cancel' "
                   "WHERE nurture_enrollment_id IN %s AND state = 'outgoing'", (tuple(stopped),))
    cr.execute("UPDATE hr_talent_enrollment SET talent_id = %(keeper)s "
               "WHERE talent_id = %(dup)s", ids)
    if kept == duplicate:
        cr.execute("SELECT consent_state FROM hr_talent WHERE id = %(keeper)s", ids)
        if cr.fetchone()[0] in ("withdrawn", "declined", "expired"):
            # the person said no on the duplicate: nothing of theirs runs or leaves
            cr.execute("""
                UPDATE hr_talent_enrollment
                   SET state = 'stopped', next_date = NULL, stop_date = now() AT TIME ZONE 'UTC',
                       stop_reason = CASE WHEN %(expired)s THEN 'consent_expired'
                                          ELSE 'consent_withdrawn' END
                 WHERE talent_id = %(keeper)s AND state = 'running'""",
                       dict(ids, expired=rows[duplicate][1] == "expired"))
            cr.execute("""
                UPDATE mail_mail mm SET state = 'cancel'
                  FROM mail_message m
                 WHERE mm.mail_message_id = m.id AND mm.state = 'outgoing'
                   AND m.model = 'hr.talent' AND m.res_id IN %s""", ((keeper, duplicate),))

    # one match per job
    cr.execute("""
        DELETE FROM hr_talent_match m USING hr_talent_match o
         WHERE m.talent_id = %(dup)s AND o.talent_id = %(keeper)s AND m.job_id = o.job_id""",
               ids)
    cr.execute("UPDATE hr_talent_match SET talent_id = %(keeper)s WHERE talent_id = %(dup)s",
               ids)

    for table in TALENT_RELATIONS:
        if not _table_exists(cr, table):
            continue
        cr.execute("""SELECT a.attname FROM pg_attribute a
                       WHERE a.attrelid = %s::regclass AND a.attnum > 0
                         AND a.attname != 'talent_id' AND NOT a.attisdropped""", (table,))
        other = cr.fetchone()[0]
        cr.execute(sql.SQL(
            "INSERT INTO {table} (talent_id, {other}) "
            "SELECT %(keeper)s, {other} FROM {table} WHERE talent_id = %(dup)s "
            "ON CONFLICT DO NOTHING").format(
                table=sql.Identifier(table), other=sql.Identifier(other)), ids)

    # chatter, queued mail (mail.mail lives on its mail.message), followers,
    # activities, attachments, mass-mailing statistics
    cr.execute("UPDATE mail_message SET res_id = %(keeper)s "
               "WHERE model = 'hr.talent' AND res_id = %(dup)s", ids)
    cr.execute("""
        DELETE FROM mail_followers f USING mail_followers o
         WHERE f.res_model = 'hr.talent' AND o.res_model = 'hr.talent'
           AND f.res_id = %(dup)s AND o.res_id = %(keeper)s
           AND (f.partner_id = o.partner_id OR f.channel_id = o.channel_id)""", ids)
    cr.execute("UPDATE mail_followers SET res_id = %(keeper)s "
               "WHERE res_model = 'hr.talent' AND res_id = %(dup)s", ids)
    cr.execute("UPDATE mail_activity SET res_id = %(keeper)s "
               "WHERE res_model = 'hr.talent' AND res_id = %(dup)s", ids)
    cr.execute("UPDATE ir_attachment SET res_id = %(keeper)s "
               "WHERE res_model = 'hr.talent' AND res_id = %(dup)s", ids)
    if _table_exists(cr, "mail_mail_statistics"):
        cr.execute("UPDATE mail_mail_statistics SET res_id = %(keeper)s "
                   "WHERE model = 'hr.talent' AND res_id = %(dup)s", ids)

    cr.execute("INSERT INTO candidate_nurture_talent_merge (keeper_id, duplicate_id, consent_from) "
               "VALUES (%s, %s, %s)", (keeper, duplicate, kept))
    cr.execute("DELETE FROM hr_talent WHERE id = %(dup)s", ids)


def migrate(cr, version):
    if not version or not _table_exists(cr, "hr_talent"):
        return
    cr.execute("""
        SELECT array_agg(id ORDER BY COALESCE(active, FALSE) DESC, id)
          FROM hr_talent
         WHERE email_normalized IS NOT NULL
         GROUP BY COALESCE(company_id, 0), email_normalized
        HAVING count(*) > 1""")
    groups = [row[0] for row in cr.fetchall()]
    cr.execute("""CREATE TABLE IF NOT EXISTS candidate_nurture_talent_merge (
                      keeper_id integer NOT NULL, duplicate_id integer NOT NULL,
                      consent_from integer NOT NULL)""")
    for ids in groups:
        for duplicate in ids[1:]:
            _merge(cr, ids[0], duplicate)
    _logger.info("candidate_nurture: merged %d duplicate talent(s) of %d person(s)",
                 sum(len(ids) - 1 for ids in groups), len(groups))
