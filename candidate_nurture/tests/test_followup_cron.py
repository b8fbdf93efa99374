from unittest import mock

from freezegun import freeze_time

from odoo.addons.candidate_nurture.models.hr_talent_enrollment import (
    JOB_LOCK_CLASS, HrTalentEnrollment)
from odoo.addons.queue_job.job import Job

from .followup_common import FollowupCase, followup_jobs, perform_job

REPLY = """From: {sender}
To: {to}
Subject: Re: {subject}
Message-ID: <reply-{tag}@candidates.example>
In-Reply-To: {in_reply_to}
References: {in_reply_to}
Content-Type: text/plain; charset="utf-8"

Thanks for checking in! I would love to hear about the new roles.
"""

LOGGER = "odoo.addons.candidate_nurture.models.queue_job"


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

    def test_job_crashing_half_way_is_retried_without_duplicates(self):
        with freeze_time("2026-01-05 08:00:00"):
            enrollments = self.Enrollment.browse()
            for index in range(6):
                enrollments |= self.enrolled("Crash %d" % index)[1]
        self.env["ir.config_parameter"].sudo().set_param(
            "candidate_nurture.followup_job_size", "3")
        calls = []

        def crash(records, step):
            calls.append(records)
            raise RuntimeError("worker killed")

        with freeze_time("2026-02-05 08:00:00"):
            self.Enrollment._cron_advance()
            first, second = followup_jobs(self.env)
            perform_job(self.env, first)
            # the second job dies after creating its mails: its transaction is
            # rolled back as a whole (a savepoint here, the worker's in production)
            with mock.patch.object(HrTalentEnrollment, "_nurture_advance", crash):
                with self.assertRaises(RuntimeError):
                    with self.env.cr.savepoint():
                        perform_job(self.env, second)
            self.Enrollment.invalidate_cache()
            self.env["queue.job"].invalidate_cache()
            self.assertTrue(calls)
            self.assertEqual(second.state, "pending", "nothing of the dead run was kept")
            self.assertEqual(len(self.mails_of(enrollments.mapped("talent_id"))), 3)
            # queue_job runs it again
            perform_job(self.env, second)
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


class TestFollowupJobs(FollowupCase):
    """The scheduler queues jobs (queue_job); the jobs send each step once."""

    @classmethod
    def setUpClass(cls):
        super(TestFollowupJobs, cls).setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "candidate_nurture.followup_job_size", "5")

    def backlog(self, count, prefix="Backlog"):
        with freeze_time("2026-01-05 08:00:00"):
            enrollments = self.Enrollment.browse()
            for index in range(count):
                talent = self.talent("%s %02d" % (prefix, index), consent="given")
                enrollments |= talent._nurture_enroll(self.sequence)
        return enrollments

    def per_enrollment_and_step(self, enrollments):
        counts = {}
        for mail in self.env["mail.mail"].sudo().search(
                [("nurture_enrollment_id", "in", enrollments.ids)]):
            key = (mail.nurture_enrollment_id.id, mail.nurture_step_id.id)
            counts[key] = counts.get(key, 0) + 1
        return counts

    def test_cron_queues_one_job_per_batch_on_the_followup_channel(self):
        due = self.backlog(12)
        with freeze_time("2026-01-05 08:00:00"):
            waiting = self.talent("Wendy Waiting", consent="asked")._nurture_enroll(self.sequence)
        with freeze_time("2026-01-20 08:00:00"):
            early = self.talent("Ed Early", consent="given")._nurture_enroll(self.sequence)
        with freeze_time("2026-02-05 08:00:00"):
            self.assertEqual(self.Enrollment._cron_advance(), 3)
            jobs = followup_jobs(self.env)
            self.assertEqual(len(jobs), 3, "12 due enrolments in jobs of 5")
            self.assertEqual(set(jobs.mapped("channel")), {"root.candidate_nurture.followup"})
            queued = self.Enrollment.browse([i for j in jobs for i in j.record_ids])
            self.assertEqual(sorted(queued.ids), sorted(due.ids))
            self.assertEqual([len(j.record_ids) for j in jobs], [5, 5, 2])
            self.assertEqual(set(due.mapped("job_id")), set(jobs))
            self.assertFalse((waiting | early).mapped("job_id"))
            self.assertFalse(self.mails_of(due.mapped("talent_id")),
                             "the cron only queues: the jobs send")

    def test_each_step_sent_once_even_when_a_job_runs_twice(self):
        enrollments = self.backlog(12)
        talents = enrollments.mapped("talent_id")
        step = self.sequence.step_ids.sorted("sequence")[0]
        with freeze_time("2026-02-05 08:00:00"):
            self.Enrollment._cron_advance()
            jobs = followup_jobs(self.env)
            for job_record in jobs:
                perform_job(self.env, job_record)
            self.assertEqual(set(jobs.mapped("state")), {"done"})
            self.assertFalse(enrollments.mapped("job_id"), "over: the marks are gone")
            # the same jobs again (a retry after a lost worker, a manual requeue)
            for job_record in jobs:
                again = perform_job(self.env, job_record)
                self.assertIn("0 of", again.result)
            self.Enrollment._cron_advance()
            self.assertFalse(followup_jobs(self.env), "nothing is due any more")
            self.assertEqual(self.per_enrollment_and_step(enrollments),
                             dict(((e.id, step.id), 1) for e in enrollments))
            self.deliver_mail()
        for talent in talents:
            self.assertEqual(len(self.sink.received_by(talent.email)), 1, talent.name)
        self.assertEqual(len(self.sink.messages), 12)
        self.assertEqual(set(enrollments.mapped("steps_done")), {1})
        self.assertEqual(set(enrollments.mapped("step_id.name")), {"Personal call"})

    def test_cron_does_not_queue_enrolments_waiting_for_a_job(self):
        enrollments = self.backlog(7)
        with freeze_time("2026-02-05 08:00:00"):
            self.Enrollment._cron_advance()
            jobs = followup_jobs(self.env)
            self.assertEqual(len(jobs), 2)
            # another run (the next quarter of an hour, another server) while
            # the jobs wait for a worker: nothing queued twice
            self.assertEqual(self.Enrollment._cron_advance(), 0)
            self.assertEqual(followup_jobs(self.env), jobs)
            # the first job fails for good (queue_job marks it failed, its
            # transaction rolled back): its enrolments are queued again
            first = Job.load(self.env, jobs[0].uuid)
            first.set_failed(exc_info="Traceback: the database went away")
            first.store()
            self.assertEqual(self.Enrollment._cron_advance(), 1)
            new = followup_jobs(self.env) - jobs
            self.assertEqual(sorted(new.record_ids), sorted(jobs[0].record_ids))
            for job_record in followup_jobs(self.env):
                perform_job(self.env, job_record)
            # the failed job requeued by hand later sends nothing more
            perform_job(self.env, jobs[0])
            self.assertEqual(len(self.mails_of(enrollments.mapped("talent_id"))), 7)

    def test_nothing_sent_when_things_change_between_queue_and_run(self):
        stopped, replied, opted_out, applied, control = self.backlog(5, prefix="Change")
        with freeze_time("2026-02-05 08:00:00"):
            self.Enrollment._cron_advance()
            self.assertEqual(len(followup_jobs(self.env)), 1)
            # before a worker takes the job: a recruiter stops one ...
            stopped.sudo(self.recruiter).action_stop()
            # ... one replies to the recruiter's message ...
            note = replied.talent_id.sudo(self.recruiter).message_post(
                body="Shall we talk?", message_type="comment", subtype="mail.mt_comment")
            self.env["mail.thread"].message_process(False, REPLY.format(
                sender=replied.talent_id.email, to="followup@company.example",
                subject="Shall we talk?", tag="change", in_reply_to=note.message_id))
            # ... one opts out on the candidate page, one applies again
            opted_out.talent_id._nurture_set_consent("withdrawn", "candidate_page")
            self.env["hr.applicant"].create({
                "name": "Change again", "partner_name": applied.talent_id.name,
                "email_from": applied.talent_id.email, "job_id": self.job.id,
                "talent_id": applied.talent_id.id})
            done = perform_job(self.env, followup_jobs(self.env))
            self.assertIn("1 of 5", done.result)
            self.deliver_mail()
        self.assertEqual([(e.state, e.stop_reason) for e in (stopped, replied, opted_out, applied)],
                         [("stopped", "manual"), ("stopped", "replied"),
                          ("stopped", "consent_withdrawn"), ("stopped", "applied")])
        quiet = (stopped | replied | opted_out | applied).mapped("talent_id")
        self.assertFalse(self.mails_of(quiet).filtered("nurture_enrollment_id"))
        for talent in quiet:
            self.assertFalse(self.sink.received_by(talent.email), talent.name)
        self.assertEqual(len(self.sink.received_by(control.talent_id.email)), 1)
        self.assertEqual(control.steps_done, 1)

    def test_job_of_a_dead_worker_is_requeued_a_running_one_is_not(self):
        self.backlog(10)
        Queue = self.env["queue.job"].sudo()
        with freeze_time("2026-02-05 08:00:00"):
            self.Enrollment._cron_advance()
            dead, running = followup_jobs(self.env)
            for job_record in (dead, running):
                job_ = Job.load(self.env, job_record.uuid)
                job_.set_enqueued()
                job_.set_started()
                job_.store()
        # the running job's worker holds its lock, from its own connection
        with self.registry.cursor() as worker_cr:
            worker_cr.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                              (JOB_LOCK_CLASS, running.id))
            with freeze_time("2026-02-05 08:00:30"):
                self.assertFalse(self.Enrollment._nurture_requeue_dead_jobs(),
                                 "within the grace period nothing is touched")
            with freeze_time("2026-02-05 08:05:00"), self.assertLogs(LOGGER, "WARNING") as logs:
                requeued = self.Enrollment._nurture_requeue_dead_jobs()
            self.assertIn(dead.uuid, logs.output[0], "the administrator sees which job was requeued")
            self.assertEqual(requeued, dead)
            Queue.invalidate_cache()
            self.assertEqual((dead.state, running.state), ("pending", "started"))
            worker_cr.rollback()
        with freeze_time("2026-02-05 08:20:00"):
            # the dead job runs again; the other, once its worker has gone too
            # the cron requeues the other (its worker has gone too) and queues
            # nothing twice
            with self.assertLogs(LOGGER, "WARNING"):
                self.assertEqual(self.Enrollment._cron_advance(), 0)
            Queue.invalidate_cache()
            self.assertEqual((dead.state, running.state), ("pending", "pending"))
            for job_record in followup_jobs(self.env):
                perform_job(self.env, job_record)
        self.assertEqual(len(self.mails_of(self.env["hr.talent"].search(
            [("name", "like", "Backlog ")]))), 10)
