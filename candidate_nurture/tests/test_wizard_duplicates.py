"""The same record given twice to a wizard is handled once: one refusal, one email.

Duplicates reach a wizard from the context (active_ids), from its own values
(applicant_ids / talent_ids commands), from two lines for one person, or from
an RPC call naming the wizard twice.
"""
import datetime

from odoo import fields

from .followup_common import FollowupCase


def _dt(days):
    return fields.Datetime.to_string(datetime.datetime.now() + datetime.timedelta(days=days))


class TestWizardDuplicates(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestWizardDuplicates, cls).setUpClass()
        env = cls.env
        cls.reason = env.ref("candidate_nurture.refuse_reason_position_filled")
        cls.template = env.ref("candidate_nurture.mail_template_refuse_feedback")
        cls.pool = env["hr.talent.pool"].create({"name": "D Pool"})
        cls.event = env["event.event"].create({
            "name": "D Open House", "date_begin": _dt(7), "date_end": _dt(7.1),
            "seats_availability": "unlimited"})
        cls.event.button_confirm()
        cls.job.write({"state": "recruit"})

    def applicant(self, name):
        return self.env["hr.applicant"].create({
            "name": "Application of %s" % name, "partner_name": name,
            "email_from": "%s@candidates.example" % name.lower(), "job_id": self.job.id,
            "stage_id": self.stage.id})

    def assertRefusedOnce(self, applicant):
        mails = self.env["mail.mail"].sudo().search([
            ("model", "=", "hr.applicant"), ("res_id", "=", applicant.id)])
        self.assertEqual(len(mails), 1, "one refusal email")
        self.assertEqual(applicant.refuse_mail_id, mails)
        notes = applicant.message_ids.filtered(lambda m: "Refused:" in (m.body or ""))
        self.assertEqual(len(notes), 1, "one refusal note")
        self.deliver_mail()
        self.assertEqual(len(self.sink.received_by(applicant.email_from)), 1)

    # ------------------------------------------------------------------
    # Refusal
    # ------------------------------------------------------------------
    def refusal_values(self, **values):
        values.setdefault("refuse_reason_id", self.reason.id)
        values.setdefault("template_id", self.template.id)
        return values

    def test_refusal_with_the_applicant_twice_in_active_ids(self):
        ann = self.applicant("Ann")
        wizard = self.env["hr.applicant.refuse.wizard"].with_context(
            active_model="hr.applicant", active_ids=[ann.id, ann.id]).create(
                self.refusal_values())
        self.assertEqual(len(wizard.line_ids), 1)
        wizard.action_refuse()
        self.assertRefusedOnce(ann)

    def test_refusal_with_the_applicant_twice_in_applicant_ids(self):
        bob = self.applicant("Bob")
        wizard = self.env["hr.applicant.refuse.wizard"].with_context(
            default_applicant_ids=[(6, 0, [bob.id, bob.id])]).create(self.refusal_values())
        wizard.action_refuse()
        self.assertRefusedOnce(bob)

    def test_refusal_with_two_lines_for_one_applicant(self):
        cleo = self.applicant("Cleo")
        wizard = self.env["hr.applicant.refuse.wizard"].create(self.refusal_values(
            applicant_ids=[(6, 0, [cleo.id])],
            line_ids=[(0, 0, {"applicant_id": cleo.id}),
                      (0, 0, {"applicant_id": cleo.id,
                              "personal_message": "Your portfolio review was excellent."})]))
        wizard.action_refuse()
        self.assertRefusedOnce(cleo)
        self.assertEqual(cleo.refuse_message, "Your portfolio review was excellent.",
                         "the line with the candidate's own feedback is the one kept")

    def test_refusal_wizard_named_twice_over_rpc(self):
        dan = self.applicant("Dan")
        wizard = self.env["hr.applicant.refuse.wizard"].with_context(
            active_model="hr.applicant", active_ids=dan.ids).create(self.refusal_values())
        wizard.browse([wizard.id, wizard.id]).action_refuse()
        self.assertRefusedOnce(dan)

    # ------------------------------------------------------------------
    # Invitation, pool, apply, merge
    # ------------------------------------------------------------------
    def test_invitation_with_the_talent_twice(self):
        talent = self.talent("Eve Invite", consent="given")
        template = self.env.ref("candidate_nurture.mail_template_event_invitation")
        Wizard = self.env["hr.talent.invite.wizard"]
        draft = Wizard.new({"event_id": self.event.id, "template_id": template.id,
                            "talent_ids": [(6, 0, [talent.id, talent.id])]})
        self.assertEqual(draft.invite_count, 1, "the form counts the talent once")
        wizard = Wizard.with_context(active_model="hr.talent",
                                     active_ids=[talent.id, talent.id]).create(
            {"event_id": self.event.id, "template_id": template.id})
        wizard.browse([wizard.id, wizard.id]).action_send()
        self.assertEqual(len(talent.invitation_ids), 1)
        self.assertEqual(len(self.mails_of(talent)), 1, "one invitation email")

    def test_add_to_pool_with_duplicates(self):
        fay = self.applicant("Fay")
        talent = self.talent("Gus Pool")
        wizard = self.env["hr.talent.pool.add.wizard"].with_context(
            active_model="hr.applicant", active_ids=[fay.id, fay.id]).create(
                {"pool_id": self.pool.id, "talent_ids": [(6, 0, [talent.id, talent.id])]})
        wizard.browse([wizard.id, wizard.id]).action_add()
        self.assertEqual(self.pool.talent_ids, fay.talent_id | talent)

    def test_apply_wizard_named_twice(self):
        talent = self.talent("Hal Apply")
        wizard = self.env["hr.talent.apply.wizard"].create(
            {"talent_id": talent.id, "job_id": self.job.id})
        wizard.browse([wizard.id, wizard.id]).action_apply()
        self.assertEqual(len(talent.applicant_ids), 1, "one application")

    def test_merge_with_the_talents_twice(self):
        kept = self.talent("Ida Merge")
        duplicate = self.talent("Ida Merge Copy", email="ida.copy@candidates.example")
        wizard = self.env["hr.talent.merge.wizard"].with_context(
            active_model="hr.talent",
            active_ids=[kept.id, duplicate.id, duplicate.id, kept.id]).create({})
        self.assertEqual((wizard.dest_talent_id, wizard.talent_id), (kept, duplicate))
        wizard.browse([wizard.id, wizard.id]).action_merge()
        self.assertFalse(duplicate.exists())
        self.assertTrue(kept.exists())
