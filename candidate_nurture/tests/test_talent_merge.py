"""Observation 8: merging moves everything of the duplicate (invitations,
enrolments, consent history...), keeps the most protective consent, and is
only for users allowed to delete talents."""
import datetime

from odoo import fields
from odoo.exceptions import AccessError

from .followup_common import FollowupCase


def _in_days(days):
    return fields.Datetime.to_string(datetime.datetime.now() + datetime.timedelta(days=days))


class TestTalentMerge(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestTalentMerge, cls).setUpClass()
        Event = cls.env["event.event"]
        cls.event_1 = Event.create({"name": "MG Open House 1", "date_begin": _in_days(7),
                                    "date_end": _in_days(8)})
        cls.event_2 = Event.create({"name": "MG Open House 2", "date_begin": _in_days(14),
                                    "date_end": _in_days(15)})
        cls.other_sequence = cls.sequence.copy({"name": "MG other rhythm"})
        cls.pool = cls.env["hr.talent.pool"].create({"name": "MG pool"})

    def pair(self):
        keep = self.talent("Kai Keep", email="kai@candidates.example", consent="given")
        dup = self.talent("Kai K.", email="kai.k@candidates.example", consent="given",
                          phone="+32 470 99 99 99", pool_ids=[(6, 0, self.pool.ids)])
        return keep, dup

    def merge(self, keep, dup, user):
        wizard = self.env["hr.talent.merge.wizard"].sudo(user).create(
            {"dest_talent_id": keep.id, "talent_id": dup.id})
        return wizard.action_merge()

    def test_officer_without_delete_right_cannot_merge(self):
        keep, dup = self.pair()
        with self.assertRaises(AccessError):
            self.merge(keep, dup, self.recruiter)
        with self.assertRaises(AccessError):
            keep.sudo(self.recruiter)._nurture_merge(dup.sudo(self.recruiter))
        self.assertTrue(dup.exists(), "nothing deleted")
        self.assertFalse(keep.pool_ids, "nothing moved")

    def test_merge_moves_everything_and_the_withdrawal_wins(self):
        keep, dup = self.pair()
        Invitation = self.env["hr.talent.invitation"]
        keep_invited = Invitation.create({"talent_id": keep.id, "event_id": self.event_1.id})
        dup_same_event = Invitation.create({"talent_id": dup.id, "event_id": self.event_1.id})
        dup_same_event.write({"state": "accepted"})
        dup_other_event = Invitation.create({"talent_id": dup.id, "event_id": self.event_2.id})
        keep_run = keep._nurture_enroll(self.sequence)
        dup_run = dup._nurture_enroll(self.sequence)
        dup_run.write({"steps_done": 1})
        dup_other_run = dup._nurture_enroll(self.other_sequence)
        dup._nurture_set_consent("withdrawn", "candidate_page",
                                 note="The candidate used the stop link.")
        # enrolments made before the withdrawal (or by a recruiter since)
        dup_other_run.write({"state": "running", "stop_reason": False})
        dup_history = dup.consent_ids
        dup_name = dup.name

        self.merge(keep, dup, self.manager)

        self.assertFalse(dup.exists())
        self.assertEqual(keep.consent_state, "withdrawn", "a withdrawal on either side wins")
        self.assertFalse(keep.is_contactable)
        self.assertLessEqual(dup_history, keep.consent_ids, "the duplicate's history moved")
        self.assertEqual(keep.consent_ids[0].source, "merge")
        self.assertIn(dup_name, keep.consent_ids[0].note)
        self.assertEqual(Invitation.search([("talent_id", "=", keep.id)]),
                         dup_same_event | dup_other_event,
                         "one invitation per event, the one that says more")
        self.assertFalse(keep_invited.exists())
        runs = self.Enrollment.search([("talent_id", "=", keep.id)])
        self.assertEqual(runs, keep_run | dup_run | dup_other_run, "no enrolment lost")
        self.assertFalse(runs.filtered(lambda e: e.state == "running"),
                         "the withdrawal stops every follow-up")
        self.assertEqual(keep_run.stop_reason, "consent_withdrawn")
        self.assertEqual(keep.pool_ids, self.pool)
        self.assertEqual(keep.phone, "+32 470 99 99 99")
        self.assertIn("Kai K.", keep.message_ids[0].body)

    def test_merge_keeps_one_running_enrolment_per_sequence(self):
        keep, dup = self.pair()
        keep_run = keep._nurture_enroll(self.sequence)
        dup_run = dup._nurture_enroll(self.sequence)
        dup_run.write({"steps_done": 2})
        self.merge(keep, dup, self.manager)
        self.assertEqual(keep.consent_state, "given")
        running = self.Enrollment.search([("talent_id", "=", keep.id), ("state", "=", "running")])
        self.assertEqual(running, dup_run, "the one further on goes on")
        self.assertEqual(keep_run.stop_reason, "merged")

    def test_merge_note_is_escaped(self):
        keep, dup = self.pair()
        dup.name = '<img src=x onerror="alert(1)">'
        self.merge(keep, dup, self.manager)
        self.assertNotIn("<img", keep.message_ids[0].body)
