from unittest import mock

from freezegun import freeze_time

from odoo.addons.candidate_nurture.models.hr_talent_enrollment import HrTalentEnrollment

from .followup_common import FollowupCase

REPLY = """From: {sender}
To: {to}
Subject: Re: {subject}
Message-ID: <reply-{tag}@candidates.example>
In-Reply-To: {in_reply_to}
References: {in_reply_to}
Content-Type: text/plain; charset="utf-8"

Thanks for checking in! I would love to hear about the new roles.
"""


class TestFollowupCron(FollowupCase):

    def enrolled(self, name, consent="given", **values):
        talent = self.talent(name, consent=consent, **values)
        return talent, talent._nurture_enroll(self.sequence)

    def test_sequence_over_months(self):
        with freeze_time("2026-01-05 08:00:00"):
            talent, enrollment = self.enrolled(
                "Mona Months", linkedin_url="https://linkedin.example/mona")
            self.assertEqual(enrollment.next_date, "2026-02-04 08:00:00")
            self.run_cron()
            self.assertFalse(self.mails_of(talent), "nothing is due before 30 days")
        with freeze_time("2026-02-04 09:00:00"):
            self.run_cron()
            self.assertEqual(len(self.mails_of(talent)), 1)
            self.deliver_mail()
            received = self.sink.received_by("mona.months@candidates.example")
            self.assertEqual(len(received), 1)
            self.assertIn("How are things going", received[0]["message"]["Subject"])
            self.assertEqual(enrollment.step_id.name, "Personal call")
            self.assertEqual(enrollment.next_date, "2026-04-05 09:00:00")
            self.assertEqual(talent.last_contact_date, "2026-02-04")
            self.run_cron()
            self.assertEqual(len(self.mails_of(talent)), 1, "a second run sends nothing again")
        with freeze_time("2026-04-06 09:00:00"):
            self.run_cron()
            activity = self.env["mail.activity"].search([
                ("res_model", "=", "hr.talent"), ("res_id", "=", talent.id)])
            self.assertEqual(activity.user_id, self.recruiter)
            self.assertIn("https://linkedin.example/mona", activity.note)
        with freeze_time("2026-07-06 09:00:00"):
            self.run_cron()
            self.assertEqual(len(self.mails_of(talent)), 2)
            self.assertEqual(enrollment.state, "done")
            self.assertEqual(enrollment.steps_done, 3)

    def test_no_email_without_consent(self):
        with freeze_time("2026-01-05 08:00:00"):
            asked, enrollment = self.enrolled("Abe Asked", consent="asked")
            never, _never = self.enrolled("Nina Never", consent=None)
        with freeze_time("2026-03-01 08:00:00"):
            self.run_cron()
            self.assertFalse(self.mails_of(asked | never))
            self.assertEqual(enrollment.state, "running", "waits for an answer")
            asked._nurture_set_consent("given", "candidate_page")
            self.run_cron()
            self.assertEqual(len(self.mails_of(asked)), 1)
            self.assertFalse(self.mails_of(never))

    def test_talent_without_email_gets_activities_only(self):
        with freeze_time("2026-01-05 08:00:00"):
            talent, enrollment = self.enrolled("Paul Paper", email=False)
        for day in ("2026-02-05", "2026-04-06", "2026-07-06"):
            with freeze_time(day + " 09:00:00"):
                self.run_cron()
        self.assertFalse(self.mails_of(talent))
        self.assertEqual(len(self.env["mail.activity"].search([
            ("res_model", "=", "hr.talent"), ("res_id", "=", talent.id)])), 1)
        self.assertEqual(enrollment.state, "done")

    def test_reply_by_email_stops_the_enrollment(self):
        with freeze_time("2026-01-05 08:00:00"):
            talent, enrollment = self.enrolled("Rory Reply")
        with freeze_time("2026-02-05 08:00:00"):
            self.run_cron()
        mail = self.mails_of(talent)
        self.deliver_mail()
        raw = REPLY.format(sender="Rory Reply <rory.reply@candidates.example>",
                           to="followup@company.example", subject=mail.subject, tag=talent.id,
                           in_reply_to=mail.message_id)
        self.env["mail.thread"].message_process(False, raw)
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))
        self.assertTrue(any("would love to hear" in (body or "")
                            for body in talent.message_ids.mapped("body")))

    def test_new_application_hire_and_bounce_stop(self):
        applied, e_applied = self.enrolled("Ann Applied")
        hired, e_hired = self.enrolled("Hugo Hired")
        bounced, e_bounced = self.enrolled("Bea Bounce")
        self.env["hr.applicant"].create({
            "name": "F again", "partner_name": "Ann Applied",
            "email_from": "ann.applied@candidates.example", "job_id": self.job.id,
            "talent_id": applied.id})
        self.assertEqual(e_applied.stop_reason, "applied")
        application = self.env["hr.applicant"].with_context(nurture_no_talent_sync=True).create({
            "name": "F hire", "partner_name": "Hugo Hired", "job_id": self.job.id,
            "active": False, "talent_id": hired.id})
        application.emp_id = self.env["hr.employee"].create({"name": "Hugo Hired"})
        self.assertEqual(e_hired.stop_reason, "hired")
        with freeze_time("2030-01-01"):
            self.run_cron()
        mail = self.mails_of(bounced)
        # the recipient's server refuses it while sending: Odoo's mail queue
        # calls _postprocess_sent_message(mail_sent=False)
        mail._postprocess_sent_message(mail_sent=False)
        self.assertEqual(e_bounced.stop_reason, "bounced")
        self.assertIn("Email bounced", bounced.message_ids[0].body)
        # a bounce notice processed by the mail gateway does the same: see
        # test_mail_gateway (calling message_receive_bounce directly does not)

    def test_template_failing_for_one_talent_fails_only_its_step(self):
        broken = self.tpl_checkin.copy({
            "subject": "${object.name if object.name != 'Bob Broken' else 1 / 0}"})
        self.sequence.step_ids[0].template_id = broken
        with freeze_time("2026-01-05 08:00:00"):
            good, e_good = self.enrolled("Gina Good")
            bad, e_bad = self.enrolled("Bob Broken")
        with freeze_time("2026-02-05 08:00:00"):
            self.run_cron()
            self.assertEqual(len(self.mails_of(good)), 1)
            self.assertFalse(self.mails_of(bad))
            self.assertEqual((e_bad.state, e_bad.attempts), ("running", 1))
            self.assertIn("Failed to render template", e_bad.last_error)
        with freeze_time("2026-02-05 10:00:00"):
            self.run_cron()
            self.assertEqual((e_bad.state, e_bad.stop_reason), ("stopped", "failed"),
                             "retried at most twice (company setting)")
            self.assertEqual(e_good.step_id.name, "Personal call")

    def test_crash_mid_batch_resumes_without_duplicates(self):
        with freeze_time("2026-01-05 08:00:00"):
            enrollments = self.Enrollment.browse()
            for index in range(6):
                enrollments |= self.enrolled("Crash %d" % index)[1]
        original = HrTalentEnrollment._nurture_advance
        calls = []

        def crash_on_second_group(records, step):
            calls.append(records)
            raise RuntimeError("worker killed")

        with freeze_time("2026-02-05 08:00:00"):
            # a first batch of 2 is done and kept (the cron commits per batch)
            self.Enrollment._nurture_process_batch(2)
            # the next batch crashes after creating its mails: all of it rolls back
            with mock.patch.object(HrTalentEnrollment, "_nurture_advance", crash_on_second_group):
                with self.assertRaises(RuntimeError):
                    with self.env.cr.savepoint():
                        self.Enrollment._nurture_process_batch(2)
            self.Enrollment.invalidate_cache()
            self.assertTrue(calls)
            self.assertEqual(HrTalentEnrollment._nurture_advance, original)
            self.run_cron()
        talents = enrollments.mapped("talent_id")
        mails = self.mails_of(talents)
        self.assertEqual(len(mails), 6, "each talent got the step exactly once")
        self.assertEqual(sorted(mails.mapped("nurture_enrollment_id").ids), sorted(enrollments.ids))
        self.assertEqual(set(enrollments.mapped("steps_done")), {1})

    def test_step_mail_is_unique_in_the_database(self):
        from psycopg2 import IntegrityError
        from odoo.tools import mute_logger
        talent, enrollment = self.enrolled("Uma Unique")
        with freeze_time("2030-01-01"):
            self.run_cron()
        mail = self.mails_of(talent)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                mail.copy({"nurture_enrollment_id": enrollment.id,
                           "nurture_step_id": mail.nurture_step_id.id})

    def test_new_openings_digest_limit(self):
        interested = self.talent("Iris Interested", consent="given",
                                 interest_department_ids=[(6, 0, self.department.ids)])
        silent = self.talent("Sid Silent", interest_department_ids=[(6, 0, self.department.ids)])
        Job = self.env["hr.job"].with_context(nurture_no_rediscovery=True)
        job2 = Job.create({"name": "F Data", "department_id": self.department.id,
                           "state": "open"})
        job3 = Job.create({"name": "F SRE", "department_id": self.department.id,
                           "state": "open"})
        self.job.write({"state": "open"})
        Talent = self.env["hr.talent"]
        with freeze_time("2026-03-01 08:00:00"):
            self.job.with_context(nurture_no_rediscovery=True).set_recruit()
            Talent._cron_opening_digest()
            self.assertEqual(len(self.mails_of(interested)), 1)
            job2.with_context(nurture_no_rediscovery=True).set_recruit()
            job3.with_context(nurture_no_rediscovery=True).set_recruit()
            Talent._cron_opening_digest()
            self.assertEqual(len(self.mails_of(interested)), 1, "at most one per 14 days")
        with freeze_time("2026-03-16 08:00:00"):
            Talent._cron_opening_digest()
            mails = self.mails_of(interested)
            self.assertEqual(len(mails), 2)
            digest = mails.sorted("id")[-1]
            self.assertIn("F Data", digest.body_html)
            self.assertIn("F SRE", digest.body_html)
        self.assertFalse(self.mails_of(silent), "no consent, no opening email")
