"""Observation 6: one talent per person, guaranteed by the database, under
concurrent creation too; the duplicates of earlier versions merged on upgrade."""
import importlib.util
import os
import threading
import time

from psycopg2 import IntegrityError, sql

import odoo
from odoo import SUPERUSER_ID, api
from odoo.service import model as service_model
from odoo.tests.common import TransactionCase, at_install, post_install
from odoo.tools import mute_logger

from .followup_common import FollowupCase

EMAIL_UNIQUE_INDEX = "hr_talent_company_email_uniq"

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "migrations", "11.0.2.0.0")


def _load_script(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"),
                                                  os.path.join(MIGRATIONS, name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestTalentUnique(FollowupCase):

    def assert_refused(self, vals):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.env["hr.talent"].create(vals)

    def test_database_refuses_a_second_talent_of_one_person(self):
        company_b = self.env["res.company"].create({"name": "UQ Company B"})
        first = self.talent("Una Unique", email="una@candidates.example")
        self.assert_refused({"name": "Una again", "email": " UNA@Candidates.example "})
        self.assert_refused({"name": "Una quoted", "email": "Una U <una@candidates.example>"})
        first.active = False
        self.assert_refused({"name": "Una archived twin", "email": "una@candidates.example"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.talent("Vic Victor", email="vic@candidates.example").write(
                {"email": "una@candidates.example"})
        # another company has its own talent of the person
        other = self.talent("Una in B", email="una@candidates.example",
                            company_id=company_b.id)
        self.assertTrue(other)
        # talents without an email (anonymised ones too) are not concerned
        first._nurture_anonymize("test")
        self.talent("Una later", email="una@candidates.example")
        self.talent("Nobody 1", email=False)
        self.talent("Nobody 2", email=False)
        # the sync finds the talent the person has, even archived
        self.assertEqual(self.env["hr.talent"]._nurture_create_unique(
            {"name": "Other Una", "email": "UNA@candidates.example",
             "company_id": self.company.id}).name, "Una later")

    def test_upgrade_merges_the_duplicates_of_earlier_versions(self):
        cr = self.env.cr
        # a database of 11.0.1.0.0: no index, two talents for each of two people
        cr.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(EMAIL_UNIQUE_INDEX)))
        pool_a = self.env["hr.talent.pool"].create({"name": "UQ Pool A"})
        pool_b = self.env["hr.talent.pool"].create({"name": "UQ Pool B"})
        event = self.env["event.event"].create({
            "name": "UQ Open House", "date_begin": "2030-01-01 16:00:00",
            "date_end": "2030-01-01 19:00:00"})
        # Dana: asked on the duplicate after giving consent on the talent kept;
        # both enrolled in one sequence, the duplicate one step further
        dana = self.talent("Dana Dup", email="dana@candidates.example", consent="given",
                           pool_ids=[(6, 0, pool_a.ids)])
        dana_dup = self.talent("Dana D.", email="Dana@Candidates.example ",
                               phone="+32 470 12 34 56", pool_ids=[(6, 0, pool_b.ids)])
        dana_run = dana._nurture_enroll(self.sequence)
        dup_run = dana_dup._nurture_enroll(self.sequence)
        cr.execute("UPDATE hr_talent_enrollment SET steps_done = 1 WHERE id = %s",
                   (dup_run.id,))
        cr.execute("UPDATE hr_talent SET consent_state = 'asked', "
                   "consent_date = now() AT TIME ZONE 'UTC' + interval '1 hour' WHERE id = %s",
                   (dana_dup.id,))
        Invitation = self.env["hr.talent.invitation"]
        invited = Invitation.create({"talent_id": dana.id, "event_id": event.id})
        accepted = Invitation.create({"talent_id": dana_dup.id, "event_id": event.id})
        cr.execute("UPDATE hr_talent_invitation SET state = 'accepted' WHERE id = %s",
                   (accepted.id,))
        applicant = self.env["hr.applicant"].with_context(nurture_no_talent_sync=True).create({
            "name": "UQ application", "partner_name": "Dana D.", "active": False,
            "email_from": "dana@candidates.example", "job_id": self.job.id,
            "talent_id": dana_dup.id})
        dana_dup.message_post(body="A note on the duplicate", subtype="mail.mt_note")
        # Wes: withdrew on the duplicate, which the older talent does not know
        wes = self.talent("Wes Twice", email="wes@candidates.example", consent="given")
        wes_run = wes._nurture_enroll(self.sequence)
        wes_dup = self.talent("Wes T.", email="wes@candidates.example", consent="given")
        wes_dup._nurture_set_consent("withdrawn", "candidate_page")
        # the history table is new in 11.0.2.0.0: empty before the upgrade
        cr.execute("DELETE FROM hr_talent_consent")
        self.env["hr.talent"].invalidate_cache()

        _load_script("pre-20-merge-duplicate-talents.py").migrate(cr, "11.0.1.0.0")
        self.env["hr.talent"].init()
        _load_script("post-20-merge-duplicate-talents.py").migrate(cr, "11.0.1.0.0")
        self.env["hr.talent"].invalidate_cache()

        self.assertFalse((dana_dup | wes_dup).exists())
        cr.execute("SELECT 1 FROM pg_class WHERE relname = %s", (EMAIL_UNIQUE_INDEX,))
        self.assertTrue(cr.fetchone(), "the index exists again")
        cr.execute("SELECT 1 FROM pg_class WHERE relname = 'candidate_nurture_talent_merge'")
        self.assertFalse(cr.fetchone())
        self.assertEqual(applicant.talent_id, dana)
        self.assertEqual(dana.application_count, 1, "recomputed from the moved application")
        self.assertEqual(dana.pool_ids, pool_a | pool_b)
        self.assertEqual(dana.phone, "+32 470 12 34 56")
        self.assertEqual(dana.consent_state, "asked", "the latest answer")
        self.assertEqual(self.Enrollment.search([("talent_id", "=", dana.id)]),
                         dana_run | dup_run)
        self.assertEqual(dup_run.state, "running", "further on: kept")
        self.assertEqual((dana_run.state, dana_run.stop_reason), ("stopped", "merged"))
        self.assertEqual(Invitation.search([("talent_id", "=", dana.id)]), accepted,
                         "one invitation per event: the one that says more")
        self.assertFalse(invited.exists())
        bodies = dana.message_ids.mapped("body")
        self.assertTrue(any("A note on the duplicate" in b for b in bodies))
        self.assertTrue(any("Merged on upgrade" in b and "#%d" % dana_dup.id in b
                            for b in bodies))
        self.assertEqual(dana.consent_ids.mapped("state"), ["asked"])
        # the withdrawal wins, and stops what ran
        self.assertEqual((wes.consent_state, wes.is_contactable), ("withdrawn", False))
        self.assertEqual((wes_run.state, wes_run.stop_reason), ("stopped", "consent_withdrawn"))
        self.assertEqual(wes.consent_ids.mapped("state"), ["withdrawn"])


@at_install(False)
@post_install(True)
class TestTalentConcurrency(TransactionCase):
    """Two users create an applicant of one person at the same moment, each in
    their own transaction, through Odoo's RPC layer (execute_kw, which retries
    serialization failures as it does for every JSON-RPC call)."""

    EMAIL = "same.person@concurrent.example"

    def _committed(self, func):
        registry = odoo.registry(self.env.cr.dbname)
        with api.Environment.manage(), registry.cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True,
                                                           "mail_create_nolog": True,
                                                           "active_test": False}))

    def setUp(self):
        super(TestTalentConcurrency, self).setUp()

        def setup(env):
            officer = env.ref("hr_recruitment.group_hr_recruitment_user")
            users = env["res.users"].with_context(no_reset_password=True).create({
                "name": "UQ Officer One", "login": "uq_officer_one",
                "groups_id": [(6, 0, officer.ids)]})
            users |= users.create({"name": "UQ Officer Two", "login": "uq_officer_two",
                                   "groups_id": [(6, 0, officer.ids)]})
            job = env["hr.job"].with_context(nurture_no_rediscovery=True).create(
                {"name": "UQ concurrent job"})
            return users.ids, job.id
        self.user_ids, self.job_id = self._committed(setup)
        self.addCleanup(self._committed, self._cleanup)

    def _cleanup(self, env):
        applicants = env["hr.applicant"].search([("email_from", "=", self.EMAIL)])
        talents = env["hr.talent"].search([("email_normalized", "=", self.EMAIL)]) | \
            applicants.mapped("talent_id")
        applicants.unlink()
        talents.unlink()
        env["hr.job"].browse(self.job_id).unlink()
        users = env["res.users"].browse(self.user_ids)
        partners = users.mapped("partner_id")
        users.unlink()
        partners.unlink()

    def test_two_concurrent_applications_of_one_person_give_one_talent(self):
        db = self.env.cr.dbname
        registry = odoo.registry(db)
        results, errors = {}, {}

        def apply(index, uid):
            vals = {"name": "UQ application %d" % index, "partner_name": "Sam Same",
                    "email_from": self.EMAIL, "job_id": self.job_id}
            try:
                with api.Environment.manage():
                    results[index] = service_model.execute_kw(
                        db, uid, "hr.applicant", "create", [vals],
                        {"context": {"tracking_disable": True, "mail_create_nolog": True}})
            except Exception as exc:  # pylint: disable=broad-except
                errors[index] = exc

        # hold the talents' table: both creations get as far as creating the
        # talent and wait there, then run at the same moment
        locker = registry.cursor()
        try:
            locker.execute("LOCK TABLE hr_talent IN SHARE ROW EXCLUSIVE MODE")
            threads = [threading.Thread(target=apply, args=(index, uid))
                       for index, uid in enumerate(self.user_ids)]
            for thread in threads:
                thread.start()
            deadline = time.time() + 60
            with registry.cursor() as watcher:
                while True:
                    watcher.execute("""
                        SELECT count(*) FROM pg_locks
                         WHERE NOT granted
                           AND database = (SELECT oid FROM pg_database
                                            WHERE datname = current_database())
                           AND (relation = 'hr_talent'::regclass OR locktype = 'advisory')""")
                    if watcher.fetchone()[0] >= 2 or time.time() > deadline:
                        break
                    time.sleep(0.1)
        finally:
            locker.rollback()
            locker.close()
        for thread in threads:
            thread.join(120)
        self.assertFalse(errors, "both applications are created")

        def check(env):
            applicants = env["hr.applicant"].browse(list(results.values()))
            talents = env["hr.talent"].search([("email_normalized", "=", self.EMAIL)])
            return len(applicants.exists()), talents.ids, applicants.mapped("talent_id").ids
        count, talents, linked = self._committed(check)
        self.assertEqual(count, 2)
        self.assertEqual(len(talents), 1, "one talent for the person, not %d" % len(talents))
        self.assertEqual(linked, talents)
