"""Refusals, invitations and anonymisations above the threshold: queue_job batches."""
import datetime

from odoo import fields
from odoo.exceptions import AccessError

from odoo.addons.queue_job.job import Job

from .test_refuse import RefuseCase

RUN = "hr.recruitment.background.run"


def _dt(delta_hours):
    return fields.Datetime.to_string(datetime.datetime.now() + datetime.timedelta(hours=delta_hours))


class BackgroundCase(RefuseCase):

    @classmethod
    def setUpClass(cls):
        super(BackgroundCase, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.company.write({"nurture_background_threshold": 5,
                           "nurture_background_batch_size": 4})
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.portal = Users.create({
            "name": "Paula Portal", "login": "paula_portal", "email": "paula@portal.example",
            "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])]})
        cls.other_company = cls.env["res.company"].create({"name": "Other Recruiting Co"})
        cls.other_recruiter = Users.create({
            "name": "Otto Other", "login": "otto_other", "email": "otto@other.example",
            "company_id": cls.other_company.id, "company_ids": [(6, 0, [cls.other_company.id])],
            "groups_id": [(6, 0, [cls.env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
        cls.manager = Users.create({
            "name": "Mona Manager", "login": "mona_bg", "email": "mona@company.example",
            "groups_id": [(6, 0, [cls.env.ref("hr_recruitment.group_hr_recruitment_manager").id])]})

    # -- helpers ----------------------------------------------------------
    def make_applicants(self, count, prefix="Bulk"):
        Applicant = self.env["hr.applicant"]
        for i in range(count):
            Applicant |= self.make_applicant("%s Candidate %03d" % (prefix, i))
        return Applicant

    def jobs_of(self, run, states=("pending", "enqueued")):
        """Every job of the run still to run: its batches and its progress jobs."""
        jobs = self.env["queue.job"].sudo().search(
            [("model_name", "=", RUN), ("state", "in", list(states))], order="id")
        return jobs.filtered(lambda j: j.record_ids == [run.id])

    def perform(self, queue_job):
        """What queue_job's /queue_job/runjob does with an enqueued job, without
        its commits (the test's transaction is rolled back)."""
        job = Job.load(self.env, queue_job.uuid)
        job.set_started()
        job.store()
        job.perform()
        job.set_done()
        job.store()
        return job

    def run_all(self, run):
        for _round in range(20):
            jobs = self.jobs_of(run)
            if not jobs:
                break
            for queue_job in jobs:
                self.perform(queue_job)
        run.invalidate_cache()

    def mails_of(self, applicants):
        return self.env["mail.mail"].sudo().search(
            [("model", "=", "hr.applicant"), ("res_id", "in", applicants.ids)])

    def refuse_many(self, applicants, **values):
        wizard = self.refuse(applicants, user=self.recruiter, **values)
        run = self.env[RUN].search([], order="id desc", limit=1)
        return wizard, run


class TestBackgroundRefusal(BackgroundCase):

    def test_below_threshold_stays_synchronous(self):
        applicants = self.make_applicants(5)
        runs_before = self.env[RUN].search_count([])
        self.refuse(applicants, user=self.recruiter)
        self.assertEqual(self.env[RUN].search_count([]), runs_before)
        self.assertTrue(all(a.refuse_date for a in applicants))
        self.assertEqual(len(self.mails_of(applicants)), 5)

    def test_above_threshold_creates_run_and_batches(self):
        applicants = self.make_applicants(10)
        wizard, run = self.refuse_many(applicants)
        self.assertEqual(run.kind, "refusal")
        self.assertEqual(run.user_id, self.recruiter)
        self.assertEqual((run.total, run.done_count, run.state), (10, 0, "running"))
        self.assertEqual(len(run.sudo().job_ids), 3)  # batches of 4, 4 and 2
        self.assertEqual(sorted(len(j.args[0]) for j in run.sudo().job_ids), [2, 4, 4])
        # Queue > Jobs > Related Action opens the run
        related = run.sudo().job_ids[0].open_related_action()
        self.assertEqual((related["res_model"], related["res_id"]), (RUN, run.id))
        self.assertIn("10 candidates are being refused in the background", wizard.result_html)
        self.assertIn("model=%s" % RUN, wizard.result_html)
        # nothing is refused nor emailed in the request itself
        self.assertFalse(any(a.refuse_date for a in applicants))
        self.assertFalse(self.mails_of(applicants))

    def test_running_the_batches_refuses_everyone_once_and_notifies(self):
        applicants = self.make_applicants(10)
        _wizard, run = self.refuse_many(applicants, strengths="Clear, tested code.")
        self.run_all(run)
        applicants = applicants.with_context(active_test=False)
        applicants.invalidate_cache()
        self.assertTrue(all(a.refuse_date and not a.active for a in applicants))
        self.assertEqual(set(applicants.mapped("refuse_reason_id")), {self.reason})
        self.assertEqual(set(applicants.mapped("refuse_user_id")), {self.recruiter})
        mails = self.mails_of(applicants)
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(applicants.ids))
        self.assertEqual((run.state, run.done_count, run.failed_count), ("done", 10, 0))
        self.assertEqual(run.progress, 100.0)
        # the recruiter is told in their Inbox
        note = self.env["mail.message"].search(
            [("model", "=", RUN), ("res_id", "=", run.id),
             ("needaction_partner_ids", "in", self.recruiter.partner_id.id)])
        self.assertEqual(len(note), 1)
        self.assertIn("10 of 10 done", note.body)
        # and the emails go out through the mail queue, one per candidate
        self.deliver_mail()
        self.assertEqual(sorted(r for m in self.sink.messages for r in m["rcpt_tos"]),
                         sorted(applicants.mapped("email_from")))

    def test_a_batch_run_twice_changes_nothing(self):
        applicants = self.make_applicants(6)
        _wizard, run = self.refuse_many(applicants)
        batch = run.sudo().job_ids.filtered(lambda j: len(j.args[0]) == 4)
        self.perform(batch)
        notes = self.env["mail.message"].search_count(
            [("model", "=", "hr.applicant"), ("res_id", "in", applicants.ids)])
        mails = self.mails_of(applicants)
        self.assertEqual(len(mails), 4)
        # the same batch again, as after a worker died once its work was committed
        batch.sudo().write({"state": "enqueued"})
        self.perform(batch)
        self.assertEqual(self.mails_of(applicants), mails)
        self.assertEqual(self.env["mail.message"].search_count(
            [("model", "=", "hr.applicant"), ("res_id", "in", applicants.ids)]), notes)
        self.run_all(run)
        self.assertEqual(len(self.mails_of(applicants)), 6)
        self.assertEqual((run.state, run.done_count), ("done", 6))

    def test_a_failing_record_is_listed_and_retry_completes_it(self):
        applicants = self.make_applicants(8)
        _wizard, run = self.refuse_many(applicants)
        # meanwhile a colleague moves one of them to an interview: that one
        # now needs personal feedback the shared one does not give
        moved = applicants[2]
        moved.stage_id = self.stage_second
        self.run_all(run)
        self.assertEqual((run.state, run.done_count, run.failed_count), ("failed", 7, 1))
        self.assertEqual(run.failure_ids.res_id, moved.id)
        self.assertEqual(run.failure_ids.record_name, moved.display_name)
        self.assertIn("reached interview rounds", run.failure_ids.error)
        self.assertFalse(moved.refuse_date)
        self.assertEqual(len(self.mails_of(applicants)), 7)
        note = self.env["mail.message"].search(
            [("model", "=", RUN), ("res_id", "=", run.id),
             ("needaction_partner_ids", "in", self.recruiter.partner_id.id)])
        self.assertIn("1 failed", note.body)
        # the colleague moves it back; the recruiter retries
        moved.stage_id = self.stage_new
        run.sudo(self.recruiter).action_retry_failed()
        self.assertEqual(run.state, "running")
        self.run_all(run)
        self.assertEqual((run.state, run.done_count, run.failed_count), ("done", 8, 0))
        self.assertFalse(run.failure_ids)
        self.assertEqual(len(self.mails_of(applicants)), 8)
        self.assertTrue(moved.with_context(active_test=False).refuse_date)

    def test_someone_else_refused_meanwhile_is_not_emailed_again(self):
        applicants = self.make_applicants(6)
        _wizard, run = self.refuse_many(applicants)
        self.refuse(applicants[0], user=self.manager)
        mails = self.mails_of(applicants[0])
        self.assertEqual(len(mails), 1)
        self.run_all(run)
        self.assertEqual(self.mails_of(applicants[0]), mails)
        self.assertEqual(applicants[0].with_context(active_test=False).refuse_user_id,
                         self.manager)
        self.assertEqual((run.done_count, run.failed_count), (5, 1))
        self.assertIn("Already refused", run.failure_ids.error)

    def test_a_dead_worker_batch_is_requeued(self):
        applicants = self.make_applicants(6)
        _wizard, run = self.refuse_many(applicants)
        batch = run.sudo().job_ids[0]
        # its worker was killed: started a minute ago, nobody holds its lock
        batch.write({"state": "started", "date_started": fields.Datetime.to_string(
            datetime.datetime.now() - datetime.timedelta(minutes=1))})
        with self.assertLogs("odoo.addons.candidate_nurture.models.queue_job", "WARNING") as logs:
            dead = self.env[RUN]._nurture_requeue_dead_jobs()
        self.assertIn(batch.uuid, logs.output[0], "the administrator sees which batch was requeued")
        self.assertIn(batch, dead)
        self.assertEqual(batch.state, "pending")
        self.run_all(run)
        self.assertEqual((run.state, run.done_count), ("done", 6))
        self.assertEqual(len(self.mails_of(applicants)), 6)


class TestBackgroundAccess(BackgroundCase):

    def test_portal_and_other_company_cannot_touch_a_run(self):
        applicants = self.make_applicants(8)
        _wizard, run = self.refuse_many(applicants)
        applicants[2].stage_id = self.stage_second
        self.run_all(run)
        self.assertEqual(run.failed_count, 1)
        for intruder in (self.portal, self.other_recruiter, self.employee):
            as_intruder = run.sudo(intruder)
            for method in ("action_retry_failed", "action_refresh", "action_open_records"):
                with self.assertRaises(AccessError):
                    getattr(as_intruder, method)()
            with self.assertRaises(AccessError):
                as_intruder.read(["name"])
        self.assertEqual(self.env[RUN].sudo(self.other_recruiter).search([]).ids, [])
        self.assertEqual(run.failed_count, 1)  # nothing was retried

    def test_users_only_read_runs_and_retry_their_own(self):
        applicants = self.make_applicants(8)
        _wizard, run = self.refuse_many(applicants)
        applicants[2].stage_id = self.stage_second
        self.run_all(run)
        colleague = self.recruiter.copy({"name": "Carla Colleague", "login": "carla_bg"})
        as_colleague = run.sudo(colleague)
        self.assertEqual(as_colleague.read(["failed_count"])[0]["failed_count"], 1)
        with self.assertRaises(AccessError):
            as_colleague.action_retry_failed()
        for user in (self.recruiter, colleague):
            with self.assertRaises(AccessError):
                run.sudo(user).write({"state": "done", "total": 1})
            with self.assertRaises(AccessError):
                self.env[RUN].sudo(user).create({
                    "name": "Forged", "kind": "anonymisation", "res_model": "hr.talent"})
        # a recruitment manager may retry anyone's run: it runs as its owner
        applicants[2].stage_id = self.stage_new
        run.sudo(self.manager).action_retry_failed()
        retry = run.sudo().job_ids.filtered(lambda j: j.state == "pending")
        self.assertEqual(retry.user_id, self.recruiter)
        self.run_all(run)
        self.assertEqual((run.state, run.done_count), ("done", 8))

    def test_recruiter_sees_their_run(self):
        applicants = self.make_applicants(6)
        _wizard, run = self.refuse_many(applicants)
        as_recruiter = run.sudo(self.recruiter)
        self.assertEqual(as_recruiter.read(["total"])[0]["total"], 6)
        action = as_recruiter.action_open_records()
        self.assertEqual(sorted(action["domain"][0][2]), sorted(applicants.ids))


class TestBackgroundInvitationAndAnonymisation(BackgroundCase):

    def make_talents(self, count):
        Talent = self.env["hr.talent"]
        for i in range(count):
            Talent |= Talent.create({"name": "Bulk Talent %03d" % i,
                                     "email": "bulk.talent.%03d@candidates.example" % i})
        Talent._nurture_set_consent("given", "recruiter")
        return Talent

    def test_many_invitations_run_in_batches_once(self):
        talents = self.make_talents(9)
        event = self.env["event.event"].create({
            "name": "Open House Ghent", "date_begin": _dt(24 * 7), "date_end": _dt(24 * 7 + 3),
            "seats_availability": "unlimited"})
        event.button_confirm()
        wizard = self.env["hr.talent.invite.wizard"].sudo(self.recruiter).create({
            "event_id": event.id, "talent_ids": [(6, 0, talents.ids)]})
        wizard.action_send()
        self.assertIn("9 talents are being invited in the background", wizard.result_html)
        run = self.env[RUN].search([], order="id desc", limit=1)
        self.assertEqual((run.kind, run.total, len(run.sudo().job_ids)), ("invitation", 9, 3))
        Invitation = self.env["hr.talent.invitation"]
        self.assertFalse(Invitation.search([("event_id", "=", event.id)]))
        self.run_all(run)
        self.perform(run.sudo().job_ids[0])  # once more: nothing new
        self.assertEqual(Invitation.search_count([("event_id", "=", event.id)]), 9)
        mails = self.env["mail.mail"].sudo().search(
            [("model", "=", "hr.talent"), ("res_id", "in", talents.ids)])
        self.assertEqual(len(mails), 9)
        self.assertEqual((run.state, run.done_count), ("done", 9))

    def test_many_anonymisations_run_in_batches(self):
        talents = self.make_talents(7)
        # Action > Anonymise, confirmed: the wizard opens the run
        wizard = self.env["hr.talent.anonymize.wizard"].sudo(self.manager).with_context(
            active_model="hr.talent", active_ids=talents.ids).create({})
        action = wizard.action_anonymize()
        self.assertEqual(action["res_model"], RUN)
        run = self.env[RUN].browse(action["res_id"])
        self.assertEqual(run.user_id, self.manager)
        self.assertEqual((run.kind, run.total), ("anonymisation", 7))
        self.assertFalse(any(t.anonymized_date for t in talents))
        self.run_all(run)
        talents.invalidate_cache()
        self.assertTrue(all(t.anonymized_date for t in talents))
        self.assertEqual((run.state, run.done_count), ("done", 7))
