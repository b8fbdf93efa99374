from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .followup_common import FollowupCase


class TestConsent(FollowupCase):

    def test_consent_given_makes_contactable_until_expiry(self):
        with freeze_time("2026-01-10 09:00:00"):
            talent = self.talent("Cleo Consent")
            self.assertEqual(talent.consent_state, "not_asked")
            self.assertFalse(talent.is_contactable, "nobody is contactable without consent")
            self.env["hr.talent.consent.wizard"].sudo(self.recruiter).create({
                "talent_ids": [(6, 0, talent.ids)], "state": "given",
                "note": "Said yes on the phone."}).action_record()
            self.assertTrue(talent.is_contactable)
            self.assertEqual(talent.consent_expiry_date, "2028-01-10")
            self.assertEqual(talent.consent_source, "recruiter")
            self.assertIn("Given", talent.message_ids[0].body)
        with freeze_time("2027-12-15 06:00:00"):
            self.env["hr.talent"]._cron_consent_expiry()
            renewal = self.mails_of(talent).filtered(lambda m: "expires" in m.subject)
            self.assertEqual(len(renewal), 1, "a renewal request goes out 30 days before expiry")
            self.assertTrue(talent.is_contactable, "still valid until it expires")
            self.env["hr.talent"]._cron_consent_expiry()
            self.assertEqual(len(self.mails_of(talent).filtered(
                lambda m: "expires" in m.subject)), 1, "asked once per renewal window")
        with freeze_time("2028-01-11 06:00:00"):
            self.env["hr.talent"]._cron_consent_expiry()
            self.assertEqual(talent.consent_state, "expired")
            self.assertFalse(talent.is_contactable)

    def test_recruiter_records_a_withdrawal(self):
        talent = self.talent("Una Tick", consent="given")
        self.env["hr.talent.consent.wizard"].sudo(self.recruiter).create({
            "talent_ids": [(6, 0, talent.ids)], "state": "withdrawn",
            "note": "Asked us on the phone to stop."}).action_record()
        self.assertEqual(talent.consent_state, "withdrawn")
        self.assertFalse(talent.is_contactable)

    def test_consent_request_with_stop_link_and_header_over_smtp(self):
        talent = self.talent("Rhea Request")
        talent.sudo(self.recruiter).action_request_consent()
        self.assertEqual(talent.consent_state, "asked")
        self.deliver_mail()
        received = self.sink.received_by("rhea.request@candidates.example")
        self.assertEqual(len(received), 1)
        message = received[0]["message"]
        body = self.sink.body_text(message)
        self.assertIn(talent.get_candidate_page_url(), body)
        self.assertIn(talent.get_stop_url(), body)
        self.assertEqual(message["List-Unsubscribe"], "<%s>" % talent.get_stop_url())
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")

    def test_talent_without_email_is_never_emailed(self):
        talent = self.talent("Noe Mail", email=False)
        with self.assertRaises(UserError):
            talent.action_request_consent()

    def test_refusal_email_asks_for_consent(self):
        applicant = self.env["hr.applicant"].create({
            "name": "F application", "partner_name": "Rafa Refused",
            "email_from": "rafa@candidates.example", "job_id": self.job.id,
            "stage_id": self.stage.id})
        wizard = self.env["hr.applicant.refuse.wizard"].with_context(
            active_model="hr.applicant", active_ids=applicant.ids).create({
                "refuse_reason_id": self.env.ref(
                    "candidate_nurture.refuse_reason_position_filled").id,
                "template_id": self.env.ref(
                    "candidate_nurture.mail_template_refuse_feedback").id})
        self.sequence.refuse_reason_ids = wizard.refuse_reason_id
        wizard.action_refuse()
        talent = applicant.talent_id
        self.assertEqual(talent.consent_state, "asked")
        self.assertEqual(talent.consent_source, "refusal")
        self.assertIn(self.sequence, self.Enrollment.search(
            [("talent_id", "=", talent.id)]).mapped("sequence_id"))
        self.deliver_mail()
        body = self.sink.body_text(self.sink.received_by("rafa@candidates.example")[0]["message"])
        self.assertIn(talent.get_candidate_page_url(), body)

    def test_token_tampering(self):
        talent = self.talent("Tom Token", consent="given")
        other = self.talent("Olga Other", consent="given")
        token = talent._nurture_token()
        Talent = self.env["hr.talent"]
        self.assertEqual(Talent._from_candidate_token(token), talent)
        self.assertFalse(Talent._from_candidate_token(token[:-2] + "xx"))
        self.assertFalse(Talent._from_candidate_token("%d-%s" % (other.id, token.split("-", 1)[1])))
        self.assertFalse(Talent._from_candidate_token("garbage"))
        self.assertFalse(Talent._from_candidate_token(""))
        talent._nurture_anonymize("test")
        self.assertFalse(Talent._from_candidate_token(token), "anonymised: the link dies")

    def test_withdrawal_cancels_queued_mail_and_stops_followups(self):
        talent = self.talent("Willa Withdraw", consent="given")
        talent._nurture_enroll(self.sequence)
        with freeze_time("2030-01-01"):
            self.run_cron()
        queued = self.mails_of(talent).filtered(lambda m: m.state == "outgoing")
        self.assertEqual(len(queued), 1)
        # what the candidate page does with "Stop all contact"
        self.env["hr.talent"]._from_candidate_token(talent._nurture_token())._nurture_set_consent(
            "withdrawn", "candidate_page")
        self.assertEqual(queued.state, "cancel")
        enrollment = self.Enrollment.search([("talent_id", "=", talent.id)])
        self.assertEqual((enrollment.state, enrollment.stop_reason),
                         ("stopped", "consent_withdrawn"))
        self.deliver_mail()
        self.assertFalse(self.sink.received_by("willa.withdraw@candidates.example"))

    def test_anonymisation_by_cron_and_on_request(self):
        with freeze_time("2025-01-01 10:00:00"):
            old = self.talent("Otto Old", phone="+32 470 00 00 00",
                              linkedin_url="https://linkedin.example/otto")
            old._nurture_set_consent("declined", "recruiter")
            kept = self.talent("Kim Kept", consent="given")
            applicant = self.env["hr.applicant"].create({
                "name": "F old application", "partner_name": "Otto Old",
                "email_from": "otto.old@candidates.example", "job_id": self.job.id,
                "stage_id": self.stage.id, "talent_id": old.id, "priority": "2"})
            applicant.write({"active": False})
        with freeze_time("2026-03-01 10:00:00"):
            self.env["hr.talent"]._cron_anonymize()
        self.assertTrue(old.anonymized_date)
        self.assertFalse(old.email or old.phone or old.linkedin_url)
        self.assertNotIn("Otto", old.name)
        self.assertFalse(applicant.partner_name or applicant.email_from)
        self.assertEqual(applicant.priority, "2", "statistics are kept")
        self.assertEqual(old.best_priority, "2")
        self.assertIn("anonymised", old.message_ids[0].body)
        self.assertFalse(kept.anonymized_date, "valid consent: kept")
        with self.assertRaises(UserError):
            kept.sudo(self.recruiter).action_anonymize()
        kept.sudo(self.manager).action_anonymize()
        self.assertTrue(kept.anonymized_date)

    def test_recruiter_cannot_configure_sequences(self):
        with self.assertRaises(AccessError):
            self.env["hr.talent.sequence"].sudo(self.recruiter).create({"name": "Nope"})
        self.sequence.sudo(self.manager).write({"name": "F Rhythm 2"})
        enrollment = self.Enrollment.sudo(self.recruiter).create({
            "talent_id": self.talent("Eve Enrol", consent="given").id,
            "sequence_id": self.sequence.id})
        enrollment.action_stop()
        self.assertEqual(enrollment.stop_reason, "manual")
