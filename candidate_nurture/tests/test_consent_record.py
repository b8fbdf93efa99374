"""Observation 3: a withdrawal or a refusal is final for the system; only a
recruiter recording a documented new consent changes it, and every change
stays readable in the consent history."""
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .followup_common import FollowupCase


class TestConsentRecord(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestConsentRecord, cls).setUpClass()
        cls.reason = cls.env.ref("candidate_nurture.refuse_reason_position_filled")
        cls.template = cls.env.ref("candidate_nurture.mail_template_refuse_feedback")

    def record(self, talents, state, note, user=None, **values):
        wizard = self.env["hr.talent.consent.wizard"].sudo(user or self.recruiter).create(
            dict(values, talent_ids=[(6, 0, talents.ids)], state=state, note=note))
        return wizard.action_record()

    def refuse(self, applicant):
        wizard = self.env["hr.applicant.refuse.wizard"].sudo(self.recruiter).with_context(
            active_model="hr.applicant", active_ids=applicant.ids).create({
                "refuse_reason_id": self.reason.id, "template_id": self.template.id})
        wizard.action_refuse()

    def test_ask_for_consent_never_reaches_who_withdrew_or_declined(self):
        withdrawn = self.talent("Wendy Withdrawn", consent="given")
        withdrawn._nurture_set_consent("withdrawn", "candidate_page")
        declined = self.talent("Dean Declined", consent="declined")
        for talent in (withdrawn, declined):
            state = talent.consent_state
            with self.assertRaises(UserError):
                talent.sudo(self.recruiter).action_request_consent()
            # and the method under it, as any code path would call it
            talent._nurture_request_consent("recruiter")
            self.assertEqual(talent.consent_state, state, "the withdrawal is not lost")
            self.assertFalse(self.mails_of(talent).filtered(lambda m: m.state == "outgoing"))

    def test_refusal_email_does_not_ask_again_after_a_withdrawal(self):
        talent = self.talent("Rosa Refused", email="rosa@candidates.example", consent="given")
        talent._nurture_set_consent("withdrawn", "candidate_page")
        applicant = self.env["hr.applicant"].create({
            "name": "F application", "partner_name": "Rosa Refused",
            "email_from": "rosa@candidates.example", "job_id": self.job.id,
            "stage_id": self.stage.id})
        self.assertEqual(applicant.talent_id, talent)
        self.refuse(applicant)
        self.assertEqual(talent.consent_state, "withdrawn")
        self.assertFalse(applicant.refuse_consent_requested)
        self.assertNotIn("May we keep in touch", applicant.refuse_mail_id.body_html)

    def test_renewal_cron_and_candidate_page_leave_a_withdrawal_alone(self):
        with freeze_time("2026-01-10 09:00:00"):
            talent = self.talent("Nina Nochange", consent="given")
            talent._nurture_set_consent("withdrawn", "candidate_page")
        with freeze_time("2027-12-15 06:00:00"):
            self.env["hr.talent"]._cron_consent_expiry()
        self.assertEqual(talent.consent_state, "withdrawn")
        self.assertFalse(self.mails_of(talent))
        # an old link in someone's mailbox: "Yes, contact me" on the page
        page = self.env["hr.talent"]._from_candidate_token(talent._nurture_token())
        self.assertFalse(page._nurture_set_consent("given", "candidate_page"))
        self.assertEqual(talent.consent_state, "withdrawn")
        self.assertFalse(talent.is_contactable)

    def test_officer_cannot_write_consent_directly(self):
        talent = self.talent("Otis Override", consent="given")
        talent._nurture_set_consent("withdrawn", "candidate_page")
        as_officer = talent.sudo(self.recruiter)
        for vals in ({"consent_state": "given"}, {"consent_state": "given",
                                                  "consent_expiry_date": "2099-01-01"},
                     {"consent_date": "2020-01-01 00:00:00"}, {"is_contactable": True}):
            with self.assertRaises(AccessError):
                as_officer.write(vals)
        with self.assertRaises(AccessError):
            self.env["hr.talent"].sudo(self.recruiter).create({
                "name": "Fake Given", "email": "fake@candidates.example",
                "consent_state": "given"})
        self.assertEqual((talent.consent_state, talent.is_contactable), ("withdrawn", False))
        self.assertNotIn("action_consent_given", dir(type(talent)),
                         "the bare Consent Given button is gone")

    def test_record_consent_needs_a_note_and_keeps_the_history(self):
        talent = self.talent("Hana History", consent="given")
        talent._nurture_set_consent("withdrawn", "candidate_page",
                                    note="The candidate used the stop link.")
        with self.assertRaises(UserError):
            self.record(talent, "given", "   ")
        with self.assertRaises(UserError):
            self.record(talent, "given", "On the phone", date="2999-01-01 00:00:00")
        self.assertEqual(talent.consent_state, "withdrawn", "nothing recorded on an error")
        with freeze_time("2026-03-04 10:00:00"):
            self.record(talent, "given", "On the phone on 3 March, after the open house.",
                        date="2026-03-03 16:00:00")
        self.assertEqual(talent.consent_state, "given")
        self.assertEqual(talent.consent_source, "recruiter")
        self.assertEqual(talent.consent_date, "2026-03-03 16:00:00")
        self.assertEqual(talent.consent_expiry_date, "2028-03-03", "counted from the date given")
        history = talent.consent_ids.sorted(lambda c: c.id)
        self.assertEqual(history.mapped("state"), ["given", "withdrawn", "given"])
        self.assertEqual(history.mapped("source"), ["recruiter", "candidate_page", "recruiter"])
        self.assertEqual(history[1].note, "The candidate used the stop link.")
        self.assertFalse(history[1].user_id, "the candidate did it, not an administrator")
        self.assertEqual(history[2].note, "On the phone on 3 March, after the open house.")
        self.assertEqual(history[2].user_id, self.recruiter)
        self.assertIn("On the phone on 3 March", talent.message_ids[0].body)
        # the recruiter may also record a refusal; the history reads the same
        self.record(talent, "declined", "Wrote to us: no more emails please.")
        self.assertEqual(talent.consent_ids[0].state, "declined")
        # opened from the talent list (Action > Record Consent), it warns
        wizard = self.env["hr.talent.consent.wizard"].sudo(self.recruiter).with_context(
            active_model="hr.talent", active_ids=talent.ids).create(
                {"state": "given", "note": "Met at the fair"})
        self.assertEqual(wizard.talent_ids, talent)
        self.assertEqual(wizard.final_names, talent.name)
        # nobody in the selection withdrew or declined: no warning (False, which
        # the form's attrs hide; an empty string showed a broken banner)
        other = self.talent("Gus Given", consent="given")
        wizard = self.env["hr.talent.consent.wizard"].sudo(self.recruiter).with_context(
            active_model="hr.talent", active_ids=other.ids).create(
                {"state": "given", "note": "Met at the fair"})
        self.assertIs(wizard.final_names, False)

    def test_history_is_read_only_and_others_cannot_record(self):
        talent = self.talent("Rhea Readonly", consent="given")
        row = talent.consent_ids
        self.assertEqual(len(row), 1)
        Consent = self.env["hr.talent.consent"]
        for user in (self.recruiter, self.manager):
            self.assertEqual(Consent.sudo(user).search([("talent_id", "=", talent.id)]), row)
            with self.assertRaises(AccessError):
                row.sudo(user).write({"state": "withdrawn"})
            with self.assertRaises(AccessError):
                row.sudo(user).unlink()
            with self.assertRaises(AccessError):
                Consent.sudo(user).create({"talent_id": talent.id, "state": "given",
                                           "date": "2026-01-01 00:00:00"})
        employee = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "R Employee", "login": "r_employee",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id])]})
        with self.assertRaises(AccessError):
            self.record(talent, "withdrawn", "I say so", user=employee)
        self.assertEqual(talent.consent_state, "given")

    def test_anonymisation_keeps_the_history_without_the_notes(self):
        talent = self.talent("Zoe Zapped", consent="given")
        self.record(talent, "withdrawn", "Zoe Zapped called from +32 470 11 22 33.")
        talent.sudo(self.manager).action_anonymize()
        history = talent.consent_ids.sorted(lambda c: c.id)
        self.assertEqual(history.mapped("state"), ["given", "withdrawn", "not_asked"],
                         "the statistics stay")
        self.assertFalse(any("Zoe" in (note or "") for note in history.mapped("note")))
        self.assertEqual(history[-1].note, "Personal data anonymised.")

    def test_bulk_refusal_writes_one_history_row_per_talent(self):
        applicants = self.env["hr.applicant"]
        for index in range(5):
            applicants |= self.env["hr.applicant"].create({
                "name": "F bulk %d" % index, "partner_name": "Bulk %d" % index,
                "email_from": "bulk%d@candidates.example" % index, "job_id": self.job.id,
                "stage_id": self.stage.id})
        self.refuse(applicants)
        talents = applicants.mapped("talent_id")
        rows = self.env["hr.talent.consent"].search([("talent_id", "in", talents.ids)])
        self.assertEqual(len(rows), 5)
        self.assertEqual(set(rows.mapped("state")), {"asked"})
        self.assertEqual(set(rows.mapped("source")), {"refusal"})
        self.assertEqual(rows.mapped("user_id"), self.recruiter, "who refused, not sudo")
