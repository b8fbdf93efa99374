"""The demo data a newcomer meets: one record per person, consent consistent
with invitations and follow-ups, places consistent with their names, the
departments candidates may choose. Skipped on a database without demo data."""
import collections
import unittest

from odoo.tests.common import TransactionCase


class TestDemoData(TransactionCase):

    def setUp(self):
        super(TestDemoData, self).setUp()
        if not self.env.ref("candidate_nurture.event_open_house", raise_if_not_found=False):
            raise unittest.SkipTest("no demo data in this database")
        self.Talent = self.env["hr.talent"].with_context(active_test=False)

    def _demo_ids(self, model):
        return self.env["ir.model.data"].search([
            ("module", "in", ("candidate_nurture", "hr_recruitment")),
            ("model", "=", model)]).mapped("res_id")

    def test_no_person_exists_twice(self):
        talents = self.Talent.search([("anonymized_date", "=", False)])
        by_email = collections.Counter(t.email_normalized for t in talents if t.email_normalized)
        self.assertEqual([e for e, n in by_email.items() if n > 1], [], "one talent per email")
        by_name = collections.Counter(t.name.strip().lower() for t in talents)
        self.assertEqual([n for n, count in by_name.items() if count > 1], [],
                         "one talent per person's name")
        applicants = self.env["hr.applicant"].with_context(active_test=False).browse(
            self._demo_ids("hr.applicant")).exists()
        talent_of = collections.defaultdict(set)
        for applicant in applicants:
            key = (applicant.email_from or "").strip().lower() or applicant.partner_name
            if key:
                talent_of[key].add(applicant.talent_id.id)
        self.assertEqual({k: v for k, v in talent_of.items() if len(v) > 1}, {},
                         "the applications of one person belong to one talent")

    def test_invited_and_followed_talents_agreed_to_be_contacted(self):
        invited = self.env["hr.talent.invitation"].search([]).mapped("talent_id")
        self.assertTrue(invited)
        for talent in invited:
            self.assertIn(talent.consent_state, ("asked", "given", "withdrawn", "declined"),
                          "%s was invited" % talent.name)
        running = self.env["hr.talent.enrollment"].search([("state", "=", "running")])
        for enrollment in running:
            self.assertIn(enrollment.talent_id.consent_state, ("asked", "given"),
                          "%s is followed up" % enrollment.talent_id.name)

    def test_berlin_events_are_in_berlin(self):
        for xmlid in ("event_open_house", "event_open_house_past"):
            event = self.env.ref("candidate_nurture." + xmlid)
            self.assertEqual(event.address_id.city, "Berlin", event.name)
            self.assertEqual(event.date_tz, "Europe/Berlin", event.name)

    def test_only_hiring_departments_are_shown_to_candidates(self):
        shown = self.env["hr.department"].search([("nurture_public", "=", True)])
        self.assertIn(self.env.ref("candidate_nurture.dep_engineering"), shown)
        self.assertNotIn(self.env.ref("hr.dep_management"), shown)
        self.assertNotIn(self.env.ref("hr.dep_administration"), shown)
