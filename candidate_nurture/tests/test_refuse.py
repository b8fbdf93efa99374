import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import NurtureCase


class RefuseCase(NurtureCase):
    """Pipeline, people and resources for refusal tests (no demo data needed)."""

    @classmethod
    def setUpClass(cls):
        super(RefuseCase, cls).setUpClass()
        env = cls.env
        Stage = env["hr.recruitment.stage"]
        cls.stage_new = Stage.create({"name": "New", "sequence": 1})
        cls.stage_interview = Stage.create({"name": "First Interview", "sequence": 2})
        cls.stage_second = Stage.create({"name": "Second Interview", "sequence": 3})
        env.user.company_id.nurture_personal_stage_id = cls.stage_interview
        cls.department = env["hr.department"].create({"name": "Platform"})
        cls.job = env["hr.job"].create({"name": "Backend Developer",
                                        "department_id": cls.department.id})
        cls.recruiter = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Rita Recruiter", "login": "rita", "email": "rita@company.example",
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_user").id])],
        })
        cls.employee = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Emil Employee", "login": "emil", "email": "emil@company.example",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])],
        })
        cls.book = env["hr.recruitment.resource"].create({
            "name": "Designing Data-Intensive Applications", "resource_type": "book",
            "url": "https://dataintensive.net/", "description": "Chapters 5 to 9."})
        cls.reason = env.ref("candidate_nurture.refuse_reason_position_filled")
        cls.reason_spam = env.ref("candidate_nurture.refuse_reason_spam")
        cls.template = env.ref("candidate_nurture.mail_template_refuse_feedback")

    def make_applicant(self, name, email="__auto__", stage=None):
        if email == "__auto__":
            email = "%s@candidates.example" % name.lower().replace(" ", ".")
        return self.env["hr.applicant"].create({
            "name": "Application of %s" % name, "partner_name": name, "email_from": email,
            "job_id": self.job.id, "stage_id": (stage or self.stage_new).id,
            "user_id": self.recruiter.id,
        })

    def make_wizard(self, applicants, user=None, **values):
        env = self.env(user=user.id) if user else self.env
        Wizard = env["hr.applicant.refuse.wizard"].with_context(
            active_model="hr.applicant", active_ids=applicants.ids)
        values.setdefault("refuse_reason_id", self.reason.id)
        values.setdefault("template_id", self.template.id)
        return Wizard.create(values)

    def refuse(self, applicants, user=None, **values):
        wizard = self.make_wizard(applicants, user=user, **values)
        wizard.action_refuse()
        return wizard

    GOOD_MESSAGE = ("Thank you for the pairing session on Tuesday: your questions about our "
                    "deployment pipeline were the sharpest we heard this round.")


class TestRefuse(RefuseCase):

    def test_single_refusal_sends_feedback_with_resources(self):
        applicant = self.make_applicant("Ada Quinn")
        wizard = self.refuse(
            applicant, user=self.recruiter,
            strengths="Clean, well-tested solution to the take-home exercise",
            improvements="Explain trade-offs out loud in the system design round",
            resource_ids=[(6, 0, self.book.ids)])
        self.assertEqual(wizard.state, "done")
        applicant.invalidate_cache()
        self.assertFalse(applicant.active, "a refused applicant is archived, as in Odoo 11")
        self.assertEqual(applicant.refuse_reason_id, self.reason)
        self.assertTrue(applicant.refuse_date)
        self.assertEqual(applicant.refuse_user_id, self.recruiter)
        self.assertEqual(applicant.refuse_email_state, "queued",
                         "sent now: waiting in the mail queue, not scheduled")
        self.assertEqual(applicant.refuse_mail_id.state, "outgoing")
        notes = applicant.message_ids.filtered(lambda m: "Refused:" in (m.body or ""))
        self.assertEqual(len(notes), 1, "one chatter note records the refusal")

        self.deliver_mail()
        self.assertEqual(applicant.refuse_email_state, "sent")
        received = self.sink.received_by("ada.quinn@candidates.example")
        self.assertEqual(len(received), 1)
        message = received[0]["message"]
        self.assertEqual(message["Subject"], "Your application for Backend Developer")
        body = self.sink.body_text(message)
        self.assertIn("Dear Ada Quinn", body)
        self.assertIn("Clean, well-tested solution to the take-home exercise", body)
        self.assertIn("Explain trade-offs out loud in the system design round", body)
        self.assertIn('href="https://dataintensive.net/"', body)
        self.assertIn("Designing Data-Intensive Applications", body)
        self.assertIn("/candidate/feedback/%d-" % applicant.id, body)
        self.assertIn("answer=yes", body)
        self.assertIn("answer=no", body)

    def test_preview_is_the_email_that_is_sent(self):
        applicant = self.make_applicant("Bo Preview")
        wizard = self.make_wizard(applicant, strengths="Thoughtful questions about our on-call rota",
                                  resource_ids=[(6, 0, self.book.ids)])
        preview_subject, preview_body = wizard.preview_subject, wizard.preview_body
        self.assertIn("Thoughtful questions about our on-call rota", preview_body)
        wizard.action_refuse()
        mail = applicant.with_context(active_test=False).refuse_mail_id
        self.assertEqual(mail.subject, preview_subject)
        self.assertEqual(mail.body_html, preview_body)

    def test_bulk_refusal_reports_who_could_not_be_emailed(self):
        ok1 = self.make_applicant("Cara One")
        ok2 = self.make_applicant("Dan Two")
        no_email = self.make_applicant("Eve Noemail", email=False)
        bad_email = self.make_applicant("Finn Bad", email="finn at nowhere")
        everyone = ok1 | ok2 | no_email | bad_email
        wizard = self.refuse(everyone, strengths="Quick and friendly replies to every message")
        self.assertEqual(wizard.state, "done")
        self.assertIn("Eve Noemail", wizard.result_html)
        self.assertIn("Finn Bad", wizard.result_html)
        self.assertIn("4 candidates refused.", wizard.result_html)
        self.assertIn("2 emails queued", wizard.result_html)
        everyone.invalidate_cache()
        self.assertFalse(any(everyone.mapped("active")), "nobody in the batch is left behind")
        self.assertEqual(everyone.mapped("refuse_reason_id"), self.reason)
        self.assertEqual(no_email.refuse_email_state, "impossible")
        self.assertEqual(bad_email.refuse_email_state, "impossible")
        self.assertFalse(no_email.refuse_mail_id | bad_email.refuse_mail_id)
        note = bad_email.message_ids.filtered(lambda m: "no valid email" in (m.body or ""))
        self.assertTrue(note, "the missing email is logged on the applicant")
        self.deliver_mail()
        self.assertEqual(len(self.sink.messages), 2)
        self.assertEqual(sorted(r for m in self.sink.messages for r in m["rcpt_tos"]),
                         ["cara.one@candidates.example", "dan.two@candidates.example"])

    def test_reason_without_email_sends_nothing(self):
        applicant = self.make_applicant("Spam Bot")
        self.refuse(applicant, refuse_reason_id=self.reason_spam.id)
        self.assertEqual(applicant.with_context(active_test=False).refuse_email_state, "none")
        self.deliver_mail()
        self.assertFalse(self.sink.messages)

    def test_refusing_twice_is_an_error_not_a_second_email(self):
        applicant = self.make_applicant("Gus Twice")
        self.refuse(applicant)
        self.assertEqual(self.env["mail.mail"].search_count([("res_id", "=", applicant.id),
                                                              ("model", "=", "hr.applicant")]), 1)
        with self.assertRaisesRegex(UserError, "Already refused"):
            self.refuse(applicant)
        with self.assertRaises(UserError):
            applicant.action_open_refuse_wizard()
        self.assertEqual(self.env["mail.mail"].search_count([("res_id", "=", applicant.id),
                                                              ("model", "=", "hr.applicant")]), 1)


class TestPersonalFeedbackRule(RefuseCase):

    def test_interviewed_candidate_needs_a_personal_message_and_a_point(self):
        applicant = self.make_applicant("Hana Interviewed", stage=self.stage_second)
        with self.assertRaisesRegex(UserError, "personal message"):
            self.refuse(applicant, strengths="Very thorough code review comments in round two")
        self.assertTrue(applicant.active, "nothing is refused when the check fails")
        with self.assertRaisesRegex(UserError, "specific strength"):
            self.refuse(applicant, personal_message=self.GOOD_MESSAGE)
        self.refuse(applicant, personal_message=self.GOOD_MESSAGE,
                    improvements="Practise estimating work in the planning exercise")
        self.assertFalse(applicant.active)

    def test_boilerplate_is_refused_with_a_clear_message(self):
        applicant = self.make_applicant("Ivo Boiler", stage=self.stage_interview)
        with self.assertRaisesRegex(UserError, "deserve personal, specific feedback"):
            self.refuse(applicant,
                        personal_message="Thank you for applying. Unfortunately we decided to "
                                         "move forward with other candidates. Good luck!",
                        strengths="n/a", improvements="-")
        self.assertTrue(applicant.active)

    def test_candidate_before_interviews_may_get_the_template_alone(self):
        applicant = self.make_applicant("Jo Early", stage=self.stage_new)
        self.refuse(applicant)
        self.assertFalse(applicant.active)
        self.assertEqual(applicant.with_context(active_test=False).refuse_email_state, "queued")

    def test_bulk_shared_message_is_not_personal(self):
        early = self.make_applicant("Kim Early")
        interviewed = self.make_applicant("Lou Interviewed", stage=self.stage_second)
        wizard = self.make_wizard(early | interviewed, personal_message=self.GOOD_MESSAGE,
                                  strengths="Excellent written communication in every email")
        self.assertIn("Lou Interviewed", wizard.warning_html)
        with self.assertRaisesRegex(UserError, "Lou Interviewed"):
            wizard.action_refuse()
        line = wizard.line_ids.filtered(lambda ln: ln.applicant_id == interviewed)
        self.assertTrue(line.needs_personal)
        line.personal_message = ("Lou, your walkthrough of the incident you handled last year "
                                 "impressed the whole panel; we hope to meet again.")
        wizard.action_refuse()
        self.deliver_mail()
        lou = self.sink.body_text(self.sink.received_by("lou.interviewed@candidates.example")[0]["message"])
        kim = self.sink.body_text(self.sink.received_by("kim.early@candidates.example")[0]["message"])
        self.assertIn("walkthrough of the incident", lou)
        self.assertNotIn("walkthrough of the incident", kim)
        self.assertIn("pairing session on Tuesday", kim)


class TestProtectedWording(RefuseCase):

    def test_protected_wording_needs_explicit_confirmation(self):
        applicant = self.make_applicant("Max Protected")
        with self.assertRaisesRegex(UserError, "age"):
            self.refuse(applicant, improvements="At your age the pace of this team may be too much")
        self.assertTrue(applicant.active)
        self.refuse(applicant, improvements="At your age the pace of this team may be too much",
                    confirm_protected=True)
        self.assertFalse(applicant.active)

    def test_ordinary_words_do_not_trigger(self):
        applicant = self.make_applicant("Nia Agency")
        wizard = self.make_wizard(applicant, improvements="Manage the agency's stakeholder images")
        self.assertFalse(wizard.protected_terms)
        wizard.action_refuse()
        self.assertFalse(applicant.active)

    def test_list_is_configurable(self):
        self.env.user.company_id.nurture_protected_terms = "tattoo, hobby"
        applicant = self.make_applicant("Oli Tattoo")
        wizard = self.make_wizard(applicant, improvements="The tattoo was distracting")
        self.assertEqual(wizard.protected_terms, "tattoo")


class TestScheduledSend(RefuseCase):

    def test_scheduled_email_waits_then_goes(self):
        applicant = self.make_applicant("Pia Later")
        with freeze_time("2026-03-02 09:00:00"):
            self.refuse(applicant, send_mode="later", scheduled_date="2026-03-04 08:00:00")
            applicant.invalidate_cache()
            self.assertEqual(applicant.refuse_email_state, "scheduled")
            self.assertEqual(applicant.refuse_scheduled_date, "2026-03-04 08:00:00")
            self.deliver_mail()
            self.assertFalse(self.sink.messages, "nothing leaves before its time")
        with freeze_time("2026-03-04 08:01:00"):
            self.deliver_mail()
        self.assertEqual(len(self.sink.received_by("pia.later@candidates.example")), 1)
        self.assertEqual(applicant.refuse_email_state, "sent")

    def test_scheduled_email_can_be_cancelled_until_sent(self):
        applicant = self.make_applicant("Quinn Cancel")
        with freeze_time("2026-03-02 09:00:00"):
            self.refuse(applicant, send_mode="later", scheduled_date="2026-03-03 09:00:00")
            applicant.sudo(self.recruiter).action_cancel_refuse_email()
            applicant.invalidate_cache()
            self.assertEqual(applicant.refuse_email_state, "cancelled")
        with freeze_time("2026-03-05 09:00:00"):
            self.deliver_mail()
        self.assertFalse(self.sink.messages)
        with self.assertRaises(UserError):
            applicant.action_cancel_refuse_email()

    def test_schedule_in_the_past_is_refused(self):
        applicant = self.make_applicant("Ray Past")
        with freeze_time("2026-03-02 09:00:00"):
            with self.assertRaisesRegex(UserError, "future"):
                self.refuse(applicant, send_mode="later", scheduled_date="2026-03-01 09:00:00")
        self.assertTrue(applicant.active)

    def test_failed_delivery_is_recorded(self):
        applicant = self.make_applicant("Sam Fails")
        self.refuse(applicant)
        from .smtp_sink import free_port
        self.mail_server.smtp_port = free_port()
        self.deliver_mail()
        self.assertEqual(applicant.with_context(active_test=False).refuse_email_state, "failed")


class TestRefuseAccess(RefuseCase):

    def test_plain_employee_cannot_refuse_nor_read_feedback(self):
        applicant = self.make_applicant("Tea Access")
        self.refuse(applicant, strengths="Confident demo of the side project")
        as_employee = applicant.sudo(self.employee).with_context(active_test=False)
        with self.assertRaises(AccessError):
            as_employee.read(["refuse_strengths"])
        other = self.make_applicant("Uma Other")
        with self.assertRaises(AccessError):
            self.refuse(other, user=self.employee)
        self.assertTrue(other.active)

    def test_recruitment_user_reads_feedback(self):
        applicant = self.make_applicant("Vic Read")
        self.refuse(applicant, user=self.recruiter, strengths="Calm under pressure in the live exercise")
        values = applicant.sudo(self.recruiter).with_context(active_test=False).read(
            ["refuse_strengths", "refuse_reason_id"])[0]
        self.assertEqual(values["refuse_strengths"], "Calm under pressure in the live exercise")


class TestFeedbackToken(RefuseCase):

    def test_token_tampering_and_reuse(self):
        applicant = self.make_applicant("Wes Token")
        self.refuse(applicant)
        Applicant = self.env["hr.applicant"]
        applicant = applicant.with_context(active_test=False)
        url = applicant.get_refuse_feedback_url()
        token = url.rsplit("/", 1)[1]
        self.assertEqual(Applicant._from_feedback_token(token), applicant)
        altered = token[:-1] + ("A" if token[-1] != "A" else "B")
        self.assertFalse(Applicant._from_feedback_token(altered))
        other = self.make_applicant("Xia Other")
        self.refuse(other)
        forged = "%d-%s" % (other.id, token.split("-", 1)[1])
        self.assertFalse(Applicant._from_feedback_token(forged))
        for junk in ("", "abc", "1-", "99999999-xyz", "-1-abc", token + "x"):
            self.assertFalse(Applicant._from_feedback_token(junk))
        applicant.sudo().write({"refuse_feedback_helpful": "yes",
                                "refuse_feedback_date": "2026-03-02 10:00:00"})
        self.assertFalse(Applicant._from_feedback_token(token), "a used link is not valid")

    def test_restored_then_refused_again_gets_new_links(self):
        applicant = self.make_applicant("Yan Again")
        self.refuse(applicant)
        applicant = applicant.with_context(active_test=False)
        old = applicant.get_refuse_feedback_url().rsplit("/", 1)[1]
        applicant.reset_applicant()
        self.assertFalse(applicant.refuse_date)
        self.refuse(applicant)
        self.assertFalse(self.env["hr.applicant"]._from_feedback_token(old))
        self.assertTrue(self.env["hr.applicant"]._from_feedback_token(
            applicant.get_refuse_feedback_url().rsplit("/", 1)[1]))

    def test_scheduled_date_object_type(self):
        # Datetime fields are strings in Odoo 11: the wizard must compare them as such
        applicant = self.make_applicant("Zed Type")
        later = (datetime.datetime.utcnow() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
        self.refuse(applicant, send_mode="later", scheduled_date=later)
        self.assertEqual(applicant.with_context(active_test=False).refuse_mail_id.scheduled_date, later)


class TestRefuseFeedsTheTalentPool(RefuseCase):

    def test_silver_medalist_joins_the_proposed_pool(self):
        pool = self.env["hr.talent.pool"].create({
            "name": "Platform silver medalists", "department_id": self.department.id})
        silver = self.make_applicant("Abe Silver")
        silver.talent_id.last_contact_date = "2025-01-15"
        wizard = self.make_wizard(silver, user=self.recruiter)
        wizard._onchange_refuse_reason_id()
        self.assertEqual(wizard.silver_count, 1, "refused for a pool-eligible reason")
        self.assertEqual(wizard.pool_id, pool, "the department's pool is proposed")
        wizard.action_refuse()
        self.assertIn("added to the pool Platform silver medalists", wizard.result_html)
        talent = silver.with_context(active_test=False).talent_id
        self.assertTrue(talent.silver_medalist)
        self.assertEqual(talent.silver_reason_id, self.reason)
        self.assertEqual(talent.silver_job_id, self.job)
        self.assertIn(pool, talent.pool_ids)
        notes = talent.message_ids.filtered(lambda m: "Silver medalist for" in (m.body or ""))
        self.assertEqual(len(notes), 1, "one talent note tells what the refusal changed")
        self.assertIn("Backend Developer", notes.body)
        self.assertIn("Consent", notes.body, "the consent request is in the same note")
        self.assertEqual(talent.consent_state, "asked")
        # today for the recruiter who refused (the test user's time zone may be a
        # day ahead of UTC late in the evening)
        self.assertEqual(talent.last_contact_date, fields.Date.context_today(wizard),
                         "the refusal email is the latest contact")

    def test_not_silver_stays_out_of_the_pool(self):
        pool = self.env["hr.talent.pool"].create({"name": "Any", "department_id": self.department.id})
        applicant = self.make_applicant("Bea Skills")
        self.refuse(applicant, refuse_reason_id=self.env.ref(
            "candidate_nurture.refuse_reason_skills_gap").id, pool_id=pool.id)
        talent = applicant.with_context(active_test=False).talent_id
        self.assertTrue(talent, "every refused candidate is a talent")
        self.assertFalse(talent.silver_medalist)
        self.assertNotIn(pool, talent.pool_ids)


class TestRefusalNotes(RefuseCase):
    """The refusal writes its chatter notes for the whole batch: they are the notes
    message_post writes, and whoever follows notes is still notified."""

    def _refusal_note(self, record):
        return record.message_ids.filtered(
            lambda m: "Refused:" in (m.body or "") or "Silver medalist for" in (m.body or ""))

    def test_refusal_note_is_the_note_message_post_writes(self):
        batch = self.make_applicant("Cy Batch") | self.make_applicant("Di Batch")
        alone = self.make_applicant("Ed Alone")
        self.refuse(batch, user=self.recruiter)
        posted = alone.sudo(self.recruiter).message_post(
            body="<p>Refused: Position filled</p>", subtype="mail.mt_note")
        for applicant in batch:
            applicant = applicant.with_context(active_test=False)
            note = self._refusal_note(applicant)
            self.assertEqual(len(note), 1)
            self.assertEqual(note.author_id, self.recruiter.partner_id,
                             "the recruiter who refused wrote it")
            self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
            for fname in ("message_type", "email_from", "reply_to", "model", "subject"):
                self.assertEqual(note[fname], posted[fname], fname)
            self.assertEqual(note.record_name, applicant.name)
            first_email = applicant.message_ids.filtered(
                lambda m: m.message_type == "email").sorted("id")[:1]
            self.assertEqual(note.parent_id, first_email,
                             "in the applicant's thread, under its first email (the refusal)")
            self.assertTrue(note.message_id.endswith("-hr.applicant@%s>" % note.message_id
                                                     .rsplit("@", 1)[1][:-1]))
            self.assertFalse(note.needaction_partner_ids | posted.needaction_partner_ids)
            self.assertFalse(note.channel_ids)
            talent = applicant.talent_id
            talent_note = self._refusal_note(talent)
            self.assertEqual(len(talent_note), 1, "and one note on the talent")
            self.assertEqual(talent_note.author_id, self.recruiter.partner_id)
            self.assertEqual(talent_note.record_name, talent.display_name)

    def test_follower_of_notes_is_still_notified(self):
        note_subtype = self.env.ref("mail.mt_note")
        colleague = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Nina Notes", "login": "nina", "email": "nina@company.example",
            "notification_type": "inbox",
            "groups_id": [(6, 0, [self.env.ref("hr_recruitment.group_hr_recruitment_user").id])],
        })
        mailer = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Mo Mail", "login": "mo", "email": "mo@company.example",
            "notification_type": "email",
            "groups_id": [(6, 0, [self.env.ref("hr_recruitment.group_hr_recruitment_user").id])],
        })
        followed = self.make_applicant("Fay Followed")
        mailed = self.make_applicant("Gil Mailed")
        quiet = self.make_applicant("Hal Quiet")
        followed.message_subscribe(partner_ids=colleague.partner_id.ids,
                                   subtype_ids=note_subtype.ids)
        mailed.message_subscribe(partner_ids=mailer.partner_id.ids, subtype_ids=note_subtype.ids)
        # the author following notes is not notified of their own note
        quiet.message_subscribe(partner_ids=self.recruiter.partner_id.ids,
                                subtype_ids=note_subtype.ids)
        self.refuse(followed | mailed | quiet, user=self.recruiter)
        everyone = (followed | mailed | quiet).with_context(active_test=False)
        self.assertEqual(self._refusal_note(everyone[0]).needaction_partner_ids,
                         colleague.partner_id, "in Nina's inbox")
        self.assertEqual(self._refusal_note(everyone[1]).needaction_partner_ids,
                         mailer.partner_id)
        self.assertTrue(self.env["mail.notification"].search([
            ("mail_message_id", "=", self._refusal_note(everyone[1]).id),
            ("res_partner_id", "=", mailer.partner_id.id), ("is_email", "=", True)]),
            "Mo gets the note by email")
        self.assertFalse(self._refusal_note(everyone[2]).needaction_partner_ids)
        self.assertEqual(len(self._refusal_note(everyone[2])), 1)
