"""The refusal screens recruiters use every day (issue 10): the bulk wizard as
the web client drives it, the protected-wording confirmation, email states
with Send Again, the results in plain words, the signature and the resources
proposed first."""
import importlib.util
import os

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .test_event_invitation import EventInvitationCase
from .test_refuse import RefuseCase
from .webclient import ClientForm

WIZARD = "hr.applicant.refuse.wizard"


class BulkCase(RefuseCase):
    """Three interviewed candidates of one job whose applications all carry the
    job title as their name, as in Odoo's demo data."""

    @classmethod
    def setUpClass(cls):
        super(BulkCase, cls).setUpClass()
        env = cls.env
        cls.manager = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Hugo Hiring", "login": "hugo_hiring", "email": "hugo@company.example",
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
        cls.job.user_id = cls.manager
        cls.people = env["hr.applicant"]
        for name in ("Ada Lovel", "Bert Mayer", "Chloe Park"):
            cls.people |= env["hr.applicant"].create({
                "name": "Backend Developer (Python)", "partner_name": name,
                "email_from": "%s@candidates.example" % name.lower().replace(" ", "."),
                "job_id": cls.job.id, "stage_id": cls.stage_second.id,
                "user_id": cls.recruiter.id})

    MESSAGES = {
        "Ada Lovel": "Ada, your design of the rate limiter in the whiteboard round was the "
                     "clearest we saw this spring.",
        "Bert Mayer": "Bert, the way you debugged the failing migration live impressed the "
                      "whole panel, thank you.",
        "Chloe Park": "Chloe, your questions about our on-call rota showed real care for the "
                      "people who run the service.",
    }

    def open_bulk(self, applicants=None, user=None):
        """The wizard as *Action > Refuse* on a selection of the applicant list opens it."""
        applicants = applicants or self.people
        env = self.env(user=(user or self.recruiter).id)
        form = ClientForm(env, WIZARD, context={
            "active_model": "hr.applicant", "active_ids": applicants.ids,
            "nurture_person_name": True})
        form.set("refuse_reason_id", self.reason.id)
        return form


class TestBulkWizardLines(BulkCase):

    def test_lines_name_the_person_from_the_moment_the_wizard_opens(self):
        form = self.open_bulk()
        lines = form.lines("line_ids")
        self.assertEqual([line["name"] for line in lines], ["Ada Lovel", "Bert Mayer", "Chloe Park"])
        self.assertEqual([line["email"] for line in lines], [
            "ada.lovel@candidates.example", "bert.mayer@candidates.example",
            "chloe.park@candidates.example"])
        self.assertTrue(all(line["email_ok"] for line in lines), "no row is red before an edit")
        self.assertEqual(set(line["stage_id"] for line in lines), {self.stage_second.id})
        self.assertTrue(all(line["needs_personal"] for line in lines), "Interviewed is ticked")
        # every warning names the person, not the job all three applied for
        warning = form["warning_html"]
        for name in ("Ada Lovel", "Bert Mayer", "Chloe Park"):
            self.assertIn("%s reached interview rounds" % name, warning)
        self.assertNotIn("Backend Developer (Python) reached", warning)

    def test_personal_message_written_in_the_line_popup_is_saved_and_sent(self):
        form = self.open_bulk()
        for index, line in enumerate(form.lines("line_ids")):
            form.edit_line("line_ids", index, view_type="form",
                           personal_message=self.MESSAGES[line["name"]],
                           strengths="Solid test coverage in the take-home exercise")
        self.assertFalse(form["warning_html"], "nothing is missing any more")
        wizard = form.save()
        self.assertEqual(wizard.line_ids.mapped("applicant_id"), self.people,
                         "the read-only applicant of each line comes back (force_save)")
        wizard.action_refuse()
        self.assertEqual(wizard.state, "done")
        self.deliver_mail()
        for applicant in self.people:
            name = applicant.partner_name
            received = self.sink.received_by("%s@candidates.example"
                                             % name.lower().replace(" ", "."))
            self.assertEqual(len(received), 1)
            body = self.sink.body_text(received[0]["message"])
            self.assertIn(self.MESSAGES[name], body)
            for other in set(self.MESSAGES) - {name}:
                self.assertNotIn(self.MESSAGES[other], body)

    def test_shared_points_complete_each_personal_message(self):
        form = self.open_bulk(self.people[:2])
        for index in range(2):
            form.edit_line("line_ids", index, view_type="form",
                           personal_message=list(self.MESSAGES.values())[index])
        form.set("improvements", "Practise explaining trade-offs before writing code")
        wizard = form.save()
        wizard.action_refuse()
        for applicant in self.people[:2].with_context(active_test=False):
            self.assertEqual(applicant.refuse_message, self.MESSAGES[applicant.partner_name])
            self.assertEqual(applicant.refuse_improvements,
                             "Practise explaining trade-offs before writing code")

    def test_preview_for_any_candidate_shows_their_own_message(self):
        form = self.open_bulk()
        self.assertEqual(form["preview_applicant_id"], self.people[0].id)
        for index, line in enumerate(form.lines("line_ids")):
            form.edit_line("line_ids", index, personal_message=self.MESSAGES[line["name"]],
                           strengths="Solid test coverage in the take-home exercise")
        for applicant in self.people:
            form.set("preview_applicant_id", applicant.id)
            self.assertIn("Dear %s" % applicant.partner_name, form["preview_body"])
            self.assertIn(self.MESSAGES[applicant.partner_name], form["preview_body"])
        # the choice lists the refusal's candidates by their own names
        Applicant = self.env["hr.applicant"].sudo(self.recruiter).with_context(
            nurture_person_name=True)
        domain = [("id", "in", self.people.ids)]
        self.assertEqual(sorted(name for _id, name in Applicant.name_search("", domain)),
                         ["Ada Lovel", "Bert Mayer", "Chloe Park"])
        self.assertEqual([name for _id, name in Applicant.name_search("Bert", domain)],
                         ["Bert Mayer"])

    def test_confirmation_box_only_when_there_is_something_to_confirm(self):
        form = self.open_bulk(self.people[:1])
        form.set("improvements", "You spotted the race conditions in our queue quickly; support "
                                 "for older Python versions was the only gap")
        self.assertFalse(form["protected_terms"])
        self.assertTrue(form.invisible("confirm_protected"), "no confirmation box: nothing to confirm")
        form.set("improvements", "At your age the pace may be too much")
        self.assertEqual(form["protected_terms"], "age")
        self.assertFalse(form.invisible("confirm_protected"))
        self.assertIn("mentions age", form["warning_html"])
        form.set("improvements", "Practise estimating the work in the planning exercise")
        self.assertTrue(form.invisible("confirm_protected"), "hidden again once rephrased")
        self.assertNotIn("mentions", form["warning_html"])

    def test_resources_of_the_job_department_come_first(self):
        support = self.env["hr.department"].create({"name": "Customer Success"})
        book = self.book  # system design, no department
        book.department_ids = self.department
        playbook = self.env["hr.recruitment.resource"].create({
            "name": "The Customer Success Playbook", "resource_type": "book",
            "url": "https://example.com/cs", "department_ids": [(6, 0, support.ids)]})
        anyone = self.env["hr.recruitment.resource"].create({
            "name": "A Guide to Interviews", "resource_type": "article",
            "url": "https://example.com/guide", "sequence": 1})
        cs_job = self.env["hr.job"].create({"name": "Customer Success Manager",
                                            "department_id": support.id})
        candidate = self.make_applicant("Dana Support")
        candidate.job_id = cs_job
        form = self.open_bulk(candidate)
        self.assertEqual(form["department_ids"], support.ids)
        Resource = self.env["hr.recruitment.resource"].sudo(self.recruiter).with_context(
            nurture_department_ids=[(6, 0, form["department_ids"])])
        ids = [rid for rid, _name in Resource.name_search("", [])]
        self.assertEqual(ids[0], playbook.id, "the department's own resource first")
        self.assertLess(ids.index(anyone.id), ids.index(book.id),
                        "then resources for any department, then other departments'")
        self.assertEqual(Resource.name_search("Playbook", [])[0][0], playbook.id)


class TestRefusalResults(BulkCase):

    def test_results_in_plain_words(self):
        wizard = self.refuse(self.make_applicant("Eli Early") | self.make_applicant("Fay Early"),
                             strengths="Quick and friendly replies to every message")
        self.assertIn("2 candidates refused.", wizard.result_html)
        self.assertIn("2 emails queued", wizard.result_html)
        self.assertNotIn("(s)", wizard.result_html)
        one = self.refuse(self.make_applicant("Gil Single"))
        self.assertIn("1 candidate refused.", one.result_html)
        self.assertIn("1 email queued", one.result_html)

    def test_scheduled_date_in_the_user_time_zone(self):
        self.recruiter.write({"tz": "Europe/Brussels", "lang": "en_US"})
        applicant = self.make_applicant("Hal Later")
        with freeze_time("2026-03-02 09:00:00"):
            wizard = self.refuse(applicant, user=self.recruiter, send_mode="later",
                                 scheduled_date="2026-03-04 08:00:00")
        self.assertIn("1 email scheduled for March 4, 2026 9:00 AM (Europe/Brussels).",
                      wizard.result_html)
        self.assertNotIn("UTC", wizard.result_html)


class TestRefusalEmailStates(BulkCase):

    def test_send_now_is_queued_then_sent(self):
        applicant = self.make_applicant("Ivy Now").with_context(active_test=False)
        self.refuse(applicant)
        self.assertEqual(applicant.refuse_email_state, "queued")
        self.deliver_mail()
        self.assertEqual(applicant.refuse_email_state, "sent")

    def test_send_later_is_scheduled(self):
        applicant = self.make_applicant("Jon Later").with_context(active_test=False)
        with freeze_time("2026-03-02 09:00:00"):
            self.refuse(applicant, send_mode="later", scheduled_date="2026-03-04 08:00:00")
            self.assertEqual(applicant.refuse_email_state, "scheduled")

    def test_cancel_then_send_again(self):
        applicant = self.make_applicant("Kay Again").with_context(active_test=False)
        self.refuse(applicant)
        as_recruiter = applicant.sudo(self.recruiter)
        as_recruiter.action_cancel_refuse_email()
        self.assertEqual(applicant.refuse_email_state, "cancelled")
        self.deliver_mail()
        self.assertFalse(self.sink.messages, "a cancelled email stays unsent")
        with self.assertRaises(UserError):
            as_recruiter.action_cancel_refuse_email()
        as_recruiter.action_resend_refuse_email()
        self.assertEqual(applicant.refuse_email_state, "queued")
        self.assertTrue(applicant.message_ids.filtered(
            lambda m: "queued to be sent again" in (m.body or "")))
        self.deliver_mail()
        self.assertEqual(applicant.refuse_email_state, "sent")
        self.assertEqual(len(self.sink.received_by("kay.again@candidates.example")), 1)
        with self.assertRaises(UserError, msg="a sent email is not sent twice"):
            as_recruiter.action_resend_refuse_email()

    def test_cancelled_scheduled_email_sent_again_goes_now(self):
        applicant = self.make_applicant("Lea Later").with_context(active_test=False)
        with freeze_time("2026-03-02 09:00:00"):
            self.refuse(applicant, send_mode="later", scheduled_date="2026-03-09 08:00:00")
            applicant.sudo(self.recruiter).action_cancel_refuse_email()
            applicant.sudo(self.recruiter).action_resend_refuse_email()
            self.assertEqual(applicant.refuse_email_state, "queued")
            self.deliver_mail()
        self.assertEqual(len(self.sink.received_by("lea.later@candidates.example")), 1)

    def test_no_send_again_after_stop_all_nor_for_employees(self):
        applicant = self.make_applicant("Mo Stop").with_context(active_test=False)
        self.refuse(applicant)
        applicant.sudo(self.recruiter).action_cancel_refuse_email()
        with self.assertRaises(AccessError):
            applicant.sudo(self.employee).action_resend_refuse_email()
        applicant.talent_id._nurture_stop_all("Please stop.")
        with self.assertRaisesRegex(UserError, "stop all contact"):
            applicant.sudo(self.recruiter).action_resend_refuse_email()
        self.assertEqual(applicant.refuse_email_state, "cancelled")

    def test_migration_marks_waiting_send_now_emails_queued(self):
        sent_now = self.make_applicant("Ned Old").with_context(active_test=False)
        later = self.make_applicant("Ola Old").with_context(active_test=False)
        self.refuse(sent_now)
        self.refuse(later, send_mode="later", scheduled_date="2099-01-01 08:00:00")
        # as 11.0.2.0.0 stored them: both "scheduled"
        (sent_now | later).sudo().write({"refuse_email_state": "scheduled"})
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations",
                            "11.0.3.0.0", "post-30-refusal-email-queued.py")
        spec = importlib.util.spec_from_file_location("nurture_post_30", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "11.0.2.0.0")
        (sent_now | later).invalidate_cache()
        self.assertEqual(sent_now.refuse_email_state, "queued")
        self.assertEqual(later.refuse_email_state, "scheduled")


class TestRefusalSignature(BulkCase):

    def test_signed_by_the_person_who_refused(self):
        applicant = self.make_applicant("Pat Sign")  # responsible: Rita Recruiter
        self.refuse(applicant, user=self.manager)
        self.deliver_mail()
        message = self.sink.received_by("pat.sign@candidates.example")[0]["message"]
        self.assertIn("hugo@company.example", message["From"])
        self.assertIn("Kind regards,<br>Hugo Hiring", self.sink.body_text(message))

    def test_signed_by_the_job_recruiter_as_a_setting(self):
        self.env.user.company_id.nurture_refuse_signer = "recruiter"
        applicant = self.make_applicant("Quin Sign")
        wizard = self.make_wizard(applicant, user=self.recruiter)
        self.assertIn("Kind regards,<br>Hugo Hiring", wizard.preview_body)
        wizard.action_refuse()
        self.deliver_mail()
        message = self.sink.received_by("quin.sign@candidates.example")[0]["message"]
        self.assertIn("hugo@company.example", message["From"])


class TestInvitationPreview(EventInvitationCase):

    def test_preview_for_lists_only_the_invitees(self):
        wizard = self.wizard(talents=self.ada | self.bob | self.carl | self.dora)
        self.assertEqual(wizard.invite_ids, self.ada | self.bob)
        field = wizard.fields_view_get(view_type="form")["fields"]["preview_talent_id"]
        self.assertEqual(field["domain"], "[('id', 'in', invite_ids)]")
        Talent = self.env["hr.talent"].sudo(self.recruiter)
        self.assertEqual(
            sorted(name for _id, name in Talent.name_search("", [("id", "in", wizard.invite_ids.ids)])),
            ["Ada Open", "Bob Open"])
        wizard.preview_talent_id = self.carl  # withdrew: gets no invitation
        self.assertNotIn("Carl", wizard.preview_body or "")
        self.assertIn("Dear %s," % wizard.invite_ids[0].name, wizard.preview_body)
