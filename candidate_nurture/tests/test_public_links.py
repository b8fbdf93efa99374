"""Signed links, public pages' data and the stop link, tested as the attack (issue 14).

Observations 1 (links for anyone), 10 (non-ASCII tokens), 13 (departments),
14 (stop link and List-Unsubscribe on every email), 15 (attribution); the
end-to-end side (HTTP statuses on the live server) is tests/test_public_routes.py.
"""
import datetime
import json

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import public, tokens
from .followup_common import FollowupCase


def _dt(delta_hours):
    return fields.Datetime.to_string(datetime.datetime.now() + datetime.timedelta(hours=delta_hours))


class PublicLinksCase(FollowupCase):
    """A refused applicant, their talent, an invitation; a portal user, an
    employee and an officer of another company."""

    @classmethod
    def setUpClass(cls):
        super(PublicLinksCase, cls).setUpClass()
        env = cls.env
        Users = env["res.users"].with_context(no_reset_password=True)
        cls.portal = Users.create({
            "name": "P Portal", "login": "p_portal_links", "email": "portal@outside.example",
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
        cls.employee = Users.create({
            "name": "P Employee", "login": "p_employee_links", "email": "emp@company.example",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
        cls.company_b = env["res.company"].create({"name": "P Other Company"})
        cls.officer_b = Users.create({
            "name": "P Officer B", "login": "p_officer_b", "email": "officer@b.example",
            "company_id": cls.company_b.id, "company_ids": [(6, 0, cls.company_b.ids)],
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
        cls.reason = env.ref("candidate_nurture.refuse_reason_position_filled")
        cls.tpl_refuse = env.ref("candidate_nurture.mail_template_refuse_feedback")
        cls.event = env["event.event"].create({
            "name": "P Open House", "date_begin": _dt(24 * 7), "date_end": _dt(24 * 7 + 3),
            "seats_availability": "unlimited"})
        cls.event.button_confirm()
        cls.applicant = cls.make_applicant("Lena Links")
        cls.refuse_applicants(cls.applicant)
        cls.applicant = cls.applicant.with_context(active_test=False)
        cls.person = cls.applicant.talent_id
        cls.person._nurture_set_consent("given", "recruiter")
        cls.invitation = env["hr.talent.invitation"].create({
            "talent_id": cls.person.id, "event_id": cls.event.id, "sent_date": _dt(0)})
        cls.careers_job = env["hr.job"].create({"name": "P Careers Job"})

    @classmethod
    def make_applicant(cls, name, partner=None):
        email = "%s@candidates.example" % name.lower().replace(" ", ".")
        vals = {"name": "Application of %s" % name, "partner_name": name, "email_from": email,
                "job_id": cls.job.id, "stage_id": cls.stage.id, "user_id": cls.recruiter.id}
        if partner:
            vals["partner_id"] = partner.id
        return cls.env["hr.applicant"].create(vals)

    @classmethod
    def refuse_applicants(cls, applicants, **values):
        env = cls.env(user=cls.recruiter.id)
        vals = {"refuse_reason_id": cls.reason.id, "template_id": cls.tpl_refuse.id,
                "strengths": "Clear written communication"}
        vals.update(values)
        wizard = env["hr.applicant.refuse.wizard"].with_context(
            active_model="hr.applicant", active_ids=applicants.ids).create(vals)
        wizard.action_refuse()
        return wizard

    def links(self, env_user=None):
        """The four signed links of the person, asked as env_user (default: system)."""
        talent, invitation, applicant = self.person, self.invitation, self.applicant
        if env_user:
            talent, invitation, applicant = (
                talent.sudo(env_user), invitation.sudo(env_user), applicant.sudo(env_user))
        return {
            "page": talent.get_candidate_page_url(),
            "stop": talent.get_stop_url(),
            "event": invitation.get_answer_url("accept"),
            "feedback": applicant.get_refuse_feedback_url("yes"),
            "job": talent.nurture_job_url(self.careers_job),
        }

    @staticmethod
    def token_of(url):
        path = url.split("?", 1)[0]
        if "/candidate/job/" in path:  # /candidate/job/<token>/<job id>
            return path.rsplit("/", 2)[1]
        return path.rsplit("/", 1)[1]

    def resolvers(self):
        Talent = self.env["hr.talent"]
        return {
            "page": Talent._from_candidate_token,
            "stop": Talent._from_stop_token,
            "event": self.env["hr.talent.invitation"]._from_answer_token,
            "feedback": self.env["hr.applicant"]._from_feedback_token,
            "job": Talent._from_job_token,
        }


class TestLinksOnlyForReaders(PublicLinksCase):
    """Observation 1: any logged-in user, portal users included, got working
    signed links for any record over RPC."""

    def test_portal_user_and_employee_get_access_error_for_every_link(self):
        for user in (self.portal, self.employee):
            with self.assertRaises(AccessError):
                self.person.sudo(user).get_candidate_page_url()
            with self.assertRaises(AccessError):
                self.person.sudo(user).get_stop_url()
            with self.assertRaises(AccessError):
                self.invitation.sudo(user).get_answer_url("accept")
            with self.assertRaises(AccessError):
                self.applicant.sudo(user).get_refuse_feedback_url("yes")
            with self.assertRaises(AccessError):
                self.person.sudo(user).message_get_default_recipients()

    def test_officer_of_another_company_gets_access_error(self):
        with self.assertRaises(AccessError):
            self.person.sudo(self.officer_b).get_candidate_page_url()
        with self.assertRaises(AccessError):
            self.person.sudo(self.officer_b).get_stop_url()
        with self.assertRaises(AccessError):
            self.invitation.sudo(self.officer_b).get_answer_url("decline")
        with self.assertRaises(AccessError):
            self.applicant.sudo(self.officer_b).get_refuse_feedback_url("no")

    def test_readers_and_the_system_get_working_links(self):
        for who in (self.recruiter, None):
            links = self.links(who)
            for purpose, resolve in self.resolvers().items():
                record = resolve(self.token_of(links[purpose]))
                self.assertTrue(record, "%s link of %s" % (purpose, who and who.name))
            self.assertIn("/candidate/stop/", links["stop"])


class TestMalformedTokens(PublicLinksCase):
    """Observation 10: a token starting with a non-ASCII digit gave HTTP 500."""

    def test_non_ascii_and_malformed_tokens_are_nothing(self):
        links = self.links()
        for purpose, resolve in self.resolvers().items():
            token = self.token_of(links[purpose])
            head, signature = token.split("-", 1)
            bad = [
                "²-" + signature, "١-" + signature, head + "²-" + signature,
                "١٢٣-" + signature, "\u00b9\u00b2-" + signature, "x" * 100000,
                "", "-", "1-", head, token + "=", token[:-1], " " + token, token + "\n",
                head + "\u2010" + signature, "%d-%s" % (10 ** 13, signature), "0-" + signature,
                "-1-" + signature, head + "-" + signature[:-1] + "é",
            ]
            for candidate in bad:
                self.assertIsNone(tokens.parse_token(candidate), repr(candidate[:40]))
                self.assertFalse(resolve(candidate), "%s %r" % (purpose, candidate[:40]))
            # well-formed but wrong
            for candidate in (token.upper(), token.lower(), "%d-%s" % (int(head) + 1, signature),
                              head + "-" + ("A" if signature[0] != "A" else "B") + signature[1:]):
                self.assertFalse(resolve(candidate), "%s %r" % (purpose, candidate[:40]))
            self.assertTrue(resolve(token), "the real token still works")

    def test_cross_purpose_tokens_open_nothing(self):
        links = self.links()
        resolvers = self.resolvers()
        for purpose, url in links.items():
            for other, resolve in resolvers.items():
                if other != purpose:
                    self.assertFalse(resolve(self.token_of(url)),
                                     "a %s token opens no %s page" % (purpose, other))


class TestLinksEnd(PublicLinksCase):
    """Feedback links expire, every link dies with the anonymisation."""

    def test_feedback_link_expires_after_the_company_setting(self):
        self.assertEqual(self.company.nurture_feedback_link_days, 90, "the default")
        with freeze_time("2026-03-01 10:00:00"):
            applicant = self.make_applicant("Exp Iry")
            self.refuse_applicants(applicant)
            applicant = applicant.with_context(active_test=False)
            token = self.token_of(applicant.get_refuse_feedback_url())
        Applicant = self.env["hr.applicant"]
        with freeze_time("2026-05-29 09:00:00"):
            self.assertEqual(Applicant._from_feedback_token(token), applicant)
        with freeze_time("2026-05-30 11:00:00"):
            self.assertFalse(Applicant._from_feedback_token(token), "90 days are over")
            self.assertEqual(Applicant._from_feedback_token(token, allow_expired=True),
                             applicant, "the page can say it expired (410)")
            self.assertTrue(applicant._nurture_feedback_link_expired())
        self.company.nurture_feedback_link_days = 10
        with freeze_time("2026-03-12 11:00:00"):
            self.assertFalse(Applicant._from_feedback_token(token))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.company.nurture_feedback_link_days = 0

    def test_anonymisation_ends_every_link_of_the_person(self):
        links = self.links()
        self.person._nurture_anonymize("on request")
        for purpose, resolve in self.resolvers().items():
            self.assertFalse(resolve(self.token_of(links[purpose])),
                             "the %s link dies with the anonymisation" % purpose)
        with self.assertRaises(UserError):
            self.person.get_candidate_page_url()


class TestStopLinkOnEveryEmail(PublicLinksCase):
    """Observation 14: the stop token was the page token; the refusal email and
    the invitation had no stop link nor List-Unsubscribe; stopping left a
    scheduled refusal email in the queue."""

    def test_stop_token_never_opens_the_candidate_page(self):
        links = self.links()
        Talent = self.env["hr.talent"]
        self.assertFalse(Talent._from_candidate_token(self.token_of(links["stop"])))
        self.assertFalse(Talent._from_stop_token(self.token_of(links["page"])))
        self.assertEqual(Talent._from_stop_token(self.token_of(links["stop"])), self.person)

    def assert_stop_link(self, talent, message, kind):
        stop = talent._nurture_stop_url()
        self.assertEqual(message["List-Unsubscribe"], "<%s>" % stop, kind)
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click", kind)
        self.assertIn(stop, self.sink.body_text(message), "%s: visible stop link" % kind)
        self.assertEqual(self.env["hr.talent"]._from_stop_token(self.token_of(stop)), talent)

    def test_every_kind_of_email_carries_the_stop_link_and_headers(self):
        kinds = {}
        # refusal email (on hr.applicant)
        applicant = self.make_applicant("Kim Refusal")
        self.refuse_applicants(applicant)
        kinds["refusal"] = applicant.with_context(active_test=False).talent_id
        # consent request and renewal
        asked = self.talent("Kim Request")
        asked.sudo(self.recruiter).action_request_consent()
        kinds["consent request"] = asked
        renew = self.talent("Kim Renewal", consent="given")
        renew._nurture_request_consent("system", renewal=True)
        kinds["consent renewal"] = renew
        # event invitation
        invited = self.talent("Kim Invited", consent="given")
        self.env(user=self.recruiter.id)["hr.talent.invite.wizard"].with_context(
            active_model="hr.talent", active_ids=invited.ids).create({
                "event_id": self.event.id,
                "template_id": self.env.ref("candidate_nurture.mail_template_event_invitation").id,
            }).action_send()
        kinds["event invitation"] = invited
        # follow-up step
        followed = self.talent("Kim Followup", consent="given")
        followed._nurture_enroll(self.sequence)
        with freeze_time("2030-01-01"):
            self.run_cron()
        kinds["follow-up"] = followed
        # new openings digest
        opening = self.talent("Kim Openings", consent="given")
        # the job is queued for them as a new opening would be
        opening.sudo().write({"opening_pending_job_ids": [(4, self.job.id)]})
        self.env["hr.talent"]._cron_opening_digest()
        kinds["new openings"] = opening
        # newsletter (Odoo's mass mailing)
        reader = self.talent("Kim Newsletter", consent="given")
        mailing = self.env["mail.mass_mailing"].create({
            "name": "P news", "mailing_model_id": self.env["ir.model"]._get("hr.talent").id,
            "mailing_domain": repr([("id", "=", reader.id)]), "reply_to_mode": "thread",
            "keep_archives": True, "body_html": "<p>News for ${object.name}</p>"})
        mailing.send_mail()
        self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)]).filtered(
            lambda m: m.state == "sent").write({"state": "outgoing"})
        kinds["newsletter"] = reader
        self.deliver_mail()
        for kind, talent in kinds.items():
            received = self.sink.received_by(talent.email)
            self.assertEqual(len(received), 1, kind)
            self.assert_stop_link(talent, received[0]["message"], kind)

    def test_stop_cancels_everything_queued_including_a_scheduled_refusal(self):
        applicant = self.make_applicant("Sam Stop")
        talent = applicant.talent_id
        talent._nurture_set_consent("given", "recruiter")
        talent._nurture_enroll(self.sequence)
        with freeze_time("2030-01-01"):
            self.run_cron()
        self.env(user=self.recruiter.id)["hr.talent.invite.wizard"].with_context(
            active_model="hr.talent", active_ids=talent.ids).create({
                "event_id": self.event.id,
                "template_id": self.env.ref("candidate_nurture.mail_template_event_invitation").id,
            }).action_send()
        self.refuse_applicants(applicant, send_mode="later", scheduled_date=_dt(48))
        applicant = applicant.with_context(active_test=False)
        refusal = applicant.refuse_mail_id
        self.assertEqual((refusal.state, applicant.refuse_email_state), ("outgoing", "scheduled"))
        queued = self.mails_of(talent).filtered(lambda m: m.state == "outgoing")
        self.assertEqual(len(queued), 2, "a follow-up and an invitation wait in the queue")
        # what the stop link does (one-click POST)
        token = self.token_of(talent._nurture_stop_url())
        stopped = self.env["hr.talent"]._from_stop_token(token)
        cancelled = stopped._nurture_as_candidate()._nurture_stop_all("The candidate used the stop link.")
        self.assertEqual(cancelled, 3)
        self.assertEqual(set((queued | refusal).mapped("state")), {"cancel"})
        self.assertEqual(applicant.refuse_email_state, "cancelled")
        self.assertEqual(talent.consent_state, "withdrawn")
        with freeze_time(datetime.datetime.now() + datetime.timedelta(days=3)):
            self.deliver_mail()
        self.assertFalse(self.sink.received_by(talent.email), "nothing queued leaves")


class TestCandidateAttribution(PublicLinksCase):
    """Observation 15: the candidate's own actions were logged as the administrator's."""

    def test_notes_of_the_candidate_are_by_their_contact(self):
        partner = self.env["res.partner"].create({"name": "Carla Candidate",
                                                  "email": "carla@candidates.example"})
        applicant = self.make_applicant("Carla Candidate", partner=partner)
        self.refuse_applicants(applicant)
        applicant = applicant.with_context(active_test=False)
        talent = applicant.talent_id
        self.assertEqual(talent.partner_id, partner)
        admin_partner = self.env.user.partner_id
        Talent = self.env["hr.talent"]
        page = Talent._from_candidate_token(talent._nurture_token())._nurture_as_candidate()
        page._nurture_set_consent("given", "candidate_page")
        page._nurture_set_interest_departments(self.department.ids)
        proved = self.env["hr.applicant"]._from_feedback_token(
            self.token_of(applicant.get_refuse_feedback_url()))
        proved._nurture_as_candidate()._nurture_record_feedback("yes", "Useful, thanks")
        Talent._from_stop_token(self.token_of(talent._nurture_stop_url()))._nurture_as_candidate(
        )._nurture_stop_all("The candidate used the stop link.")
        notes = self.env["mail.message"].search([
            ("model", "in", ("hr.talent", "hr.applicant")),
            ("res_id", "in", talent.ids + applicant.ids), ("id", ">", self.mail_msg_mark),
            ("message_type", "=", "notification")])
        for text in ("Given", "departments of interest", "helpful", "Withdrawn"):
            mine = notes.filtered(lambda m, text=text: text in (m.body or ""))
            self.assertTrue(mine, text)
            self.assertEqual(mine.mapped("author_id"), partner, text)
        self.assertNotIn(admin_partner, notes.filtered(
            lambda m: "refused" not in (m.body or "").lower()).mapped("author_id"))
        self.assertNotIn(partner, talent.message_partner_ids, "the candidate follows nothing")

    def test_without_a_contact_the_email_is_the_author(self):
        talent = self.talent("Nico Nocontact")
        page = self.env["hr.talent"]._from_candidate_token(talent._nurture_token())
        page._nurture_as_candidate()._nurture_set_consent("given", "candidate_page")
        note = talent.message_ids[0]
        self.assertFalse(note.author_id)
        self.assertEqual(note.email_from, "nico.nocontact@candidates.example")

    def setUp(self):
        super(TestCandidateAttribution, self).setUp()
        self.mail_msg_mark = self.env["mail.message"].search([], order="id desc", limit=1).id


class TestCandidateData(PublicLinksCase):
    """Data access: the page and *Download my data* list everything kept, and
    only this person's (observation 13 for the departments they may choose)."""

    def test_everything_kept_and_nothing_else(self):
        applicant = self.applicant
        applicant.sudo().write({"description": "Internal: recruiter notes about Lena"})
        self.env["ir.attachment"].create({
            "name": "lena-cv.pdf", "datas_fname": "lena-cv.pdf", "res_model": "hr.applicant",
            "res_id": applicant.id, "datas": "SGVsbG8="})
        applicant.message_post(body="Internal: salary band too high", subtype="mail.mt_note")
        other = self.make_applicant("Otto Otherperson")
        pool = self.env["hr.talent.pool"].create({"name": "P Pool"})
        (self.person | other.talent_id).write({"pool_ids": [(4, pool.id)]})
        data = self.person._nurture_personal_data()
        dump = json.dumps(data, ensure_ascii=False)
        for kept in ("Lena Links", "lena.links@candidates.example", "F Backend", "F New",
                     self.reason.name, "Clear written communication", "lena-cv.pdf",
                     "P Open House", "Given", "P Pool", "Contact me about future opportunities"):
            self.assertIn(kept, dump)
        self.assertEqual(data["applications"][0]["refusal"]["strengths"],
                         ["Clear written communication"])
        for never in ("Otto", "Otherperson", "recruiter notes", "salary band", "F Recruiter",
                      "nurture_token_nonce", self.person.sudo().nurture_token_nonce):
            self.assertNotIn(never, dump)

        def keys(value):
            if isinstance(value, dict):
                for key, item in value.items():
                    yield key
                    for sub in keys(item):
                        yield sub
            elif isinstance(value, list):
                for item in value:
                    for sub in keys(item):
                        yield sub
        self.assertFalse([k for k in keys(data) if k == "id" or k.endswith("_id")],
                         "no internal ids")

    def test_only_departments_offered_to_the_candidate(self):
        foreign = self.env["hr.department"].create({"name": "P Foreign", "nurture_public": True,
                                                    "company_id": self.company_b.id})
        internal = self.env["hr.department"].create({"name": "P Management"})
        talent = self.env["hr.talent"]._from_candidate_token(self.person._nurture_token())
        self.assertIn(self.department, talent._nurture_offered_departments())
        self.assertNotIn(foreign, talent._nurture_offered_departments())
        self.assertNotIn(internal, talent._nurture_offered_departments(),
                         "a department not shown to candidates is not offered")
        self.assertFalse(talent._nurture_set_interest_departments(
            (self.department | internal).ids))
        self.assertFalse(talent._nurture_set_interest_departments(
            (self.department | foreign).ids))
        self.assertFalse(self.person.interest_department_ids, "nothing stored")
        for posted in (["²"], ["١"], ["-1"], ["1e3"], [" 1"], ["x" * 20], ["1"] * 201):
            self.assertIsNone(public.parse_ids(posted), posted)
        self.assertEqual(public.parse_ids([str(self.department.id)]), {self.department.id})
        self.assertTrue(talent._nurture_set_interest_departments(self.department.ids))
        self.assertEqual(self.person.interest_department_ids, self.department)
