"""Erasure as an auditor checks it: after Anonymise, the database holds nothing of the person.

The test builds a candidate the way a year of real use would (two refused
applications with personal feedback and a sent refusal email, the feedback
answered with a comment, a CV, notes and activities, consent, a follow-up email,
an incoming reply, a newsletter, an event invitation accepted and attended, a
job that rediscovered them, a merged duplicate), anonymises them on request,
then searches every text column of every table for their name, email and phone.
"""
import base64
import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError

from . import db_scan
from .followup_common import FollowupCase

NAME = "Zephyrine Quillfeather"
EMAIL = "Zephyrine.Quill@Candidates.Example"
PHONE = "+32 470 98 76 54"
MOBILE = "+32 499 11 22 33"


def _dt(days):
    return fields.Datetime.to_string(datetime.datetime.now() + datetime.timedelta(days=days))


class TestErasure(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestErasure, cls).setUpClass()
        env = cls.env
        cls.tag = env["hr.applicant.category"].create({"name": "E Rust"})
        cls.job2 = env["hr.job"].with_context(nurture_no_rediscovery=True).create(
            {"name": "E Platform Engineer", "department_id": cls.department.id})
        cls.reason = env.ref("candidate_nurture.refuse_reason_position_filled")
        cls.reason.cooloff_days = 0
        cls.template = env.ref("candidate_nurture.mail_template_refuse_feedback")
        cls.pool = env["hr.talent.pool"].create({"name": "E Newsletter"})
        cls.stage_screening = env["hr.recruitment.stage"].create(
            {"name": "E Screening", "sequence": 2})

    # ------------------------------------------------------------------
    # A candidate with a history
    # ------------------------------------------------------------------
    def _tracked(self, record):
        """The record with field tracking on, as in the web client."""
        return record.with_context(tracking_disable=False, mail_notrack=False,
                                   mail_create_nolog=False)

    def build_person(self):
        env = self.env
        partner = env["res.partner"].create({
            "name": NAME, "email": EMAIL.lower(), "phone": PHONE, "mobile": MOBILE,
            "street": "12 Quillfeather Lane", "comment": "Met Zephyrine at a meetup."})
        Applicant = self._tracked(env["hr.applicant"])
        first = Applicant.create({
            "name": "Backend application of %s" % NAME, "partner_name": NAME,
            "email_from": "%s <%s>" % (NAME, EMAIL), "partner_phone": PHONE,
            "partner_mobile": MOBILE, "partner_id": partner.id, "job_id": self.job.id,
            "stage_id": self.stage.id, "user_id": self.recruiter.id, "priority": "2",
            "categ_ids": [(6, 0, self.tag.ids)],
            "description": "Cover letter: I am %s, reach me at %s." % (NAME, PHONE)})
        second = Applicant.create({
            "name": "Platform application", "partner_name": NAME, "email_from": EMAIL,
            "job_id": self.job2.id, "stage_id": self.stage.id, "priority": "1"})
        talent = first.talent_id
        self.assertEqual(second.talent_id, talent)
        first.write({"stage_id": self.stage_screening.id})  # tracked: the pipeline's history
        # a CV on the application and a document on the talent
        Attachment = env["ir.attachment"]
        Attachment.create({
            "name": "CV %s.txt" % NAME, "datas_fname": "cv_zephyrine_quillfeather.txt",
            "res_model": "hr.applicant", "res_id": first.id,
            "datas": base64.b64encode(("%s\n%s\n%s" % (NAME, EMAIL, PHONE)).encode())})
        Attachment.create({
            "name": "Portfolio of %s" % NAME, "datas_fname": "portfolio.txt",
            "res_model": "hr.talent", "res_id": talent.id,
            "datas": base64.b64encode(b"Zephyrine's portfolio")})
        # the recruiter's notes and to-dos, a tracked change of the email
        self._tracked(talent).write({"phone": PHONE, "linkedin_url":
                                     "https://linkedin.example/in/zephyrine-quillfeather"})
        # the recruiter follows the talent in Odoo's Inbox (live notifications on the bus)
        self.recruiter.notification_type = "inbox"
        talent.message_subscribe(partner_ids=self.recruiter.partner_id.ids)
        talent.message_post(body="<p>Called Zephyrine Quillfeather: prefers email.</p>",
                            subtype="mail.mt_note")
        talent.message_post(body="<p>Zephyrine would like a call on Monday.</p>",
                            subtype="mail.mt_comment", message_type="comment")
        env["mail.activity"].create({
            "res_model_id": env["ir.model"]._get("hr.talent").id, "res_id": talent.id,
            "activity_type_id": env.ref("mail.mail_activity_data_todo").id,
            "summary": "Call Zephyrine back", "note": "<p>Ask Zephyrine about Rust</p>",
            "user_id": self.recruiter.id, "date_deadline": fields.Date.today()})
        first.message_subscribe(partner_ids=partner.ids)
        # an interview in the recruiter's calendar, the candidate invited by email
        meeting = env["calendar.event"].create({
            "name": "Interview with %s" % NAME, "applicant_id": first.id,
            "start": _dt(-3), "stop": _dt(-2.9), "user_id": self.recruiter.id,
            "description": "Zephyrine prefers mornings, call %s" % MOBILE,
            "partner_ids": [(6, 0, [partner.id, self.recruiter.partner_id.id])]})
        self.assertIn(partner, meeting.attendee_ids.mapped("partner_id"))
        # a duplicate talent (typed by hand) merged into the real one
        duplicate = env["hr.talent"].create({"name": "Zephyrine Q.",
                                             "email": "zq@other.example"})
        talent._nurture_merge(duplicate)
        # refused with personal feedback; the email really leaves
        for applicant in (first, second):
            wizard = env["hr.applicant.refuse.wizard"].with_context(
                active_model="hr.applicant", active_ids=applicant.ids).create({
                    "refuse_reason_id": self.reason.id, "template_id": self.template.id,
                    "personal_message": "Zephyrine, your Rust kata was the best we saw.",
                    "strengths": "Zephyrine explains trade-offs clearly",
                    "improvements": "Practise system design, Zephyrine"})
            wizard.action_refuse()
        self.deliver_mail()
        self.assertEqual(first.refuse_email_state, "sent")
        self.assertTrue(self.sink.received_by(EMAIL.lower()))
        # the candidate answers "Was this feedback helpful?" with a comment
        first.write({"refuse_feedback_helpful": "yes", "refuse_feedback_date": fields.Datetime.now(),
                     "refuse_feedback_comment": "Thanks! Zephyrine Quillfeather"})
        first.message_post(body="Helpful: yes<br/>Thanks! Zephyrine Quillfeather",
                           subtype="mail.mt_note", author_id=partner.id,
                           email_from=first.email_from)
        # consent, a follow-up email and the candidate's reply
        talent._nurture_set_consent("given", "candidate_page",
                                    note="Zephyrine said yes on the phone (%s)" % PHONE)
        talent.write({"pool_ids": [(4, self.pool.id)]})
        talent._nurture_enroll(self.sequence)
        with freeze_time(_dt(31)):
            self.run_cron()
        self.deliver_mail()
        talent.message_post(body="<p>Hi, Zephyrine here. Happy to hear from you!</p>",
                            message_type="email", author_id=partner.id,
                            email_from="%s <%s>" % (NAME, EMAIL),
                            subject="Re: How are things going, %s?" % NAME)
        enrollment = self.Enrollment.search([("talent_id", "=", talent.id),
                                             ("sequence_id", "=", self.sequence.id)])
        enrollment._nurture_step_failed(enrollment.step_id or self.sequence.step_ids[0],
                                        ValueError("no mailbox for %s" % EMAIL))
        # a newsletter through Odoo's mass mailing
        mailing = env["mail.mass_mailing"].create({
            "name": "E news", "mailing_model_id": env["ir.model"]._get("hr.talent").id,
            "mailing_domain": repr([("pool_ids", "in", [self.pool.id])]),
            "reply_to_mode": "thread", "keep_archives": True,
            "body_html": "<p>Hello ${object.name}, news for ${object.email}.</p>"})
        mailing.send_mail()
        # an open house: invited, accepted (a registration), attended
        event = env["event.event"].create({
            "name": "E Open House", "date_begin": _dt(7), "date_end": _dt(7.2),
            "seats_availability": "unlimited", "user_id": self.recruiter.id})
        event.button_confirm()
        invite = env["hr.talent.invite.wizard"].with_context(
            active_model="hr.talent", active_ids=talent.ids).create({
                "event_id": event.id,
                "template_id": env.ref("candidate_nurture.mail_template_event_invitation").id})
        invite.action_send()
        invitation = talent.invitation_ids
        token = invitation._answer_token()
        invitation._nurture_answer("accept")
        registration = invitation.registration_id
        self.assertIn("Zephyrine", registration.email)
        registration.message_post(body="Zephyrine will bring a friend.", subtype="mail.mt_note")
        with freeze_time(_dt(7.1)):
            registration.button_reg_close()
            event.button_done()
        self.deliver_mail()
        # a new job rediscovers the talent (a match and a recruiter's activity)
        job3 = env["hr.job"].create({"name": "E Rust Developer", "department_id": self.department.id,
                                     "talent_category_ids": [(6, 0, self.tag.ids)],
                                     "user_id": self.recruiter.id, "state": "open"})
        job3.write({"state": "recruit"})
        self.assertIn(talent, env["hr.talent.match"].search([("job_id", "=", job3.id)]).mapped(
            "talent_id"))
        return partner, talent, first | second, token, registration, mailing, meeting

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_nothing_of_the_person_is_left_anywhere_in_the_database(self):
        (partner, talent, applicants, event_token, registration, mailing,
         meeting) = self.build_person()
        candidate_token = talent._nurture_token()
        texts, digits = db_scan.needles_for(
            NAME, "Zephyrine", "Quillfeather", EMAIL, "zephyrine.quill", PHONE, MOBILE,
            "zq@other.example", partner.display_name)
        self.assertTrue(db_scan.scan(self.env.cr, texts, digits),
                        "the scan finds the person before the erasure")
        applicants = applicants.sorted("id")
        tracking_before = self.env["mail.tracking.value"].sudo().search(
            [], order="id desc", limit=1).id
        stats_before = {
            "stages": applicants.mapped("stage_id"), "reasons": applicants.mapped("refuse_reason_id"),
            "dates": applicants.mapped("refuse_date"), "ratings": applicants.mapped("priority"),
            "email_states": applicants.mapped("refuse_email_state"),
        }

        self._tracked(talent).sudo(self.manager).action_anonymize()

        talent.recompute()
        talent.invalidate_cache()
        hits = db_scan.scan(self.env.cr, texts, digits)
        self.assertFalse(hits, "personal data left after anonymisation:\n%s"
                         % db_scan.describe(hits))
        self.assertFalse(self.env["mail.tracking.value"].sudo().search(
            [("id", ">", tracking_before)]), "the anonymisation itself tracks no old values")
        # statistics stay
        applicants = applicants.with_context(active_test=False).exists().sorted("id")
        self.assertEqual(len(applicants), 2)
        self.assertEqual(applicants.mapped("stage_id"), stats_before["stages"])
        self.assertEqual(applicants.mapped("refuse_reason_id"), stats_before["reasons"])
        self.assertEqual(applicants.mapped("refuse_date"), stats_before["dates"])
        self.assertEqual(applicants.mapped("priority"), stats_before["ratings"])
        self.assertEqual(applicants.mapped("refuse_email_state"), stats_before["email_states"])
        self.assertEqual(talent.application_count, 2)
        stage_history = self.env["mail.tracking.value"].sudo().search([
            ("mail_message_id.model", "=", "hr.applicant"),
            ("mail_message_id.res_id", "=", applicants[0].id), ("field", "=", "stage_id")])
        self.assertIn("E Screening", stage_history.mapped("new_value_char"),
                      "a stage change stays in the application's history")
        self.assertEqual(talent.best_priority, "2")
        self.assertEqual(talent.invitation_ids.state, "attended")
        self.assertEqual(registration.state, "done")
        self.assertEqual(mailing.sent, 1, "the newsletter's statistics stay")
        self.assertEqual(meeting.attendee_ids.mapped("partner_id"), self.recruiter.partner_id,
                         "the interview stays in the recruiter's calendar, without the person")
        self.assertTrue(talent.anonymized_date)
        # and none of the person's links opens anything any more
        self.assertFalse(self.env["hr.talent"]._from_candidate_token(candidate_token))
        self.assertFalse(self.env["hr.talent.invitation"]._from_answer_token(event_token))

    def test_a_contact_that_is_also_a_user_is_kept_and_unlinked(self):
        env = self.env
        user = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Ulla Userperson", "login": "ulla_userperson",
            "email": "ulla@company.example",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
        applicant = env["hr.applicant"].create({
            "name": "Internal move", "partner_name": "Ulla Userperson",
            "email_from": "ulla@company.example", "partner_id": user.partner_id.id,
            "job_id": self.job.id})
        talent = applicant.talent_id
        self.assertEqual(talent.partner_id, user.partner_id)
        talent.sudo(self.manager).action_anonymize()
        self.assertFalse(talent.partner_id or applicant.partner_id or applicant.partner_name)
        self.assertEqual(user.partner_id.name, "Ulla Userperson", "the user keeps their contact")
        self.assertEqual(user.partner_id.email, "ulla@company.example")
        self.assertTrue(user.active)

    def test_a_contact_another_company_still_uses_is_kept(self):
        env = self.env
        other_company = env["res.company"].create({"name": "E Other Company"})
        partner = env["res.partner"].create({"name": "Shared Person",
                                             "email": "shared.person@candidates.example"})
        mine = env["hr.applicant"].create({
            "name": "Here", "partner_name": "Shared Person", "partner_id": partner.id,
            "email_from": "shared.person@candidates.example", "job_id": self.job.id})
        theirs = env["hr.talent"].create({
            "name": "Shared Person", "email": "shared.person@candidates.example",
            "partner_id": partner.id, "company_id": other_company.id})
        mine.talent_id.sudo(self.manager).action_anonymize()
        self.assertTrue(partner.exists())
        self.assertEqual(theirs.partner_id, partner)
        self.assertEqual(theirs.name, "Shared Person", "the other company's talent is untouched")
        self.assertFalse(mine.partner_id)

    def test_only_managers_anonymise(self):
        talent = self.talent("Rita Request", consent="given")
        with self.assertRaises(UserError):
            talent.sudo(self.recruiter).action_anonymize()
        self.assertFalse(talent.anonymized_date)
