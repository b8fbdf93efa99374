"""Observation 5: an officer of company B neither reads nor changes company A's
follow-ups, consent history, invitations or matches, and create never takes a
company other than the talent's."""
import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .followup_common import FollowupCase


class TestMultiCompany(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestMultiCompany, cls).setUpClass()
        env = cls.env
        cls.company_a = cls.company
        cls.company_b = env["res.company"].create({"name": "MC Company B"})
        officer = env.ref("hr_recruitment.group_hr_recruitment_user")
        Users = env["res.users"].with_context(no_reset_password=True)
        cls.officer_b = Users.create({
            "name": "MC Officer B", "login": "mc_officer_b", "email": "officer.b@b.example",
            "company_id": cls.company_b.id, "company_ids": [(6, 0, cls.company_b.ids)],
            "groups_id": [(6, 0, [officer.id])]})
        cls.talent_a = cls.talent("Ava Alpha", consent="given", company_id=cls.company_a.id)
        cls.talent_b = cls.talent("Ben Beta", consent="given", company_id=cls.company_b.id)
        cls.enrollment_a = cls.talent_a._nurture_enroll(cls.sequence)
        cls.sequence_b = env["hr.talent.sequence"].create({
            "name": "MC B rhythm", "company_id": cls.company_b.id,
            "step_ids": [(0, 0, {"name": "Hello", "delay_days": 10, "action": "mail",
                                 "template_id": cls.tpl_checkin.id})]})
        now = datetime.datetime.now()
        cls.event = env["event.event"].create({
            "name": "MC Open House", "seats_availability": "unlimited",
            "date_begin": fields.Datetime.to_string(now + datetime.timedelta(days=7)),
            "date_end": fields.Datetime.to_string(now + datetime.timedelta(days=7, hours=3))})
        cls.event.button_confirm()

    def test_officer_of_b_cannot_touch_a_enrolments(self):
        Enrollment = self.Enrollment.sudo(self.officer_b)
        self.assertFalse(Enrollment.search([("talent_id", "=", self.talent_a.id)]))
        theirs = self.enrollment_a.sudo(self.officer_b)
        with self.assertRaises(AccessError):
            theirs.read(["next_date", "talent_id"])
        # moving next_date to now would make the scheduler email A's talent
        with self.assertRaises(AccessError):
            theirs.write({"next_date": fields.Datetime.now()})
        with self.assertRaises(AccessError):
            theirs.action_stop()
        with self.assertRaises(AccessError):
            theirs.unlink()
        with self.assertRaises(AccessError):
            Enrollment.create({"talent_id": self.talent_a.id, "sequence_id": self.sequence_b.id})
        with self.assertRaises(AccessError):
            Enrollment.create({"talent_id": self.talent_a.id, "sequence_id": self.sequence_b.id,
                               "company_id": self.company_b.id})
        # B's own enrolment cannot be pointed at A's talent either
        mine = Enrollment.create({"talent_id": self.talent_b.id,
                                  "sequence_id": self.sequence_b.id})
        self.assertEqual(mine.company_id, self.company_b)
        with self.assertRaises((AccessError, UserError)):
            mine.write({"talent_id": self.talent_a.id})
        mine.write({"company_id": self.company_a.id})
        self.assertEqual(mine.company_id, self.company_b, "the company is the talent's")
        self.assertEqual((self.enrollment_a.state, self.enrollment_a.exists()),
                         ("running", self.enrollment_a))

    def test_officer_of_b_cannot_invite_a_talent_with_b_company(self):
        Invitation = self.env["hr.talent.invitation"].sudo(self.officer_b)
        with self.assertRaises(AccessError):
            Invitation.create({"talent_id": self.talent_a.id, "event_id": self.event.id,
                               "company_id": self.company_b.id})
        with self.assertRaises(AccessError):
            Invitation.create({"talent_id": self.talent_a.id, "event_id": self.event.id})
        self.assertFalse(self.env["hr.talent.invitation"].search(
            [("talent_id", "=", self.talent_a.id)]))
        # B's own invitation stays B's
        mine = Invitation.create({"talent_id": self.talent_b.id, "event_id": self.event.id})
        self.assertEqual(mine.company_id, self.company_b)
        with self.assertRaises(AccessError):
            mine.write({"company_id": self.company_a.id})
        with self.assertRaises((AccessError, UserError)):
            mine.write({"talent_id": self.talent_a.id})

    def test_consent_history_matches_and_sequences_stay_in_their_company(self):
        self.assertTrue(self.talent_a.consent_ids)
        self.assertFalse(self.env["hr.talent.consent"].sudo(self.officer_b).search(
            [("talent_id", "=", self.talent_a.id)]))
        with self.assertRaises(AccessError):
            self.talent_a.consent_ids.sudo(self.officer_b).read(["note"])
        Match = self.env["hr.talent.match"].sudo(self.officer_b)
        job_b = self.env["hr.job"].with_context(nurture_no_rediscovery=True).create(
            {"name": "MC B job", "company_id": self.company_b.id})
        with self.assertRaises(AccessError):
            Match.create({"job_id": job_b.id, "talent_id": self.talent_a.id,
                          "company_id": self.company_b.id})
        mine = Match.create({"job_id": job_b.id, "talent_id": self.talent_b.id})
        with self.assertRaises((AccessError, UserError)):
            mine.write({"talent_id": self.talent_a.id, "company_id": self.company_b.id})
        # A's follow-up sequences are A's configuration
        self.assertNotIn(self.sequence, self.env["hr.talent.sequence"].sudo(
            self.officer_b).search([]))
