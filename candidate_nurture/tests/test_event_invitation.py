import datetime
import re

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.hr_talent_invitation import EventFullError
from .common import NurtureCase

LINK = re.compile(r'href="(http[^"]+/candidate/event/([^"?]+))\?answer=(accept|decline)"')


def _dt(delta_hours):
    return fields.Datetime.to_string(datetime.datetime.now() + datetime.timedelta(hours=delta_hours))


class EventInvitationCase(NurtureCase):
    """Talents, a pool, events and users for the invitation tests (no demo data)."""

    @classmethod
    def setUpClass(cls):
        super(EventInvitationCase, cls).setUpClass()
        env = cls.env
        Users = env["res.users"].with_context(no_reset_password=True)
        cls.recruiter = Users.create({
            "name": "Ines Inviter", "login": "ines_inviter", "email": "ines@company.example",
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
        cls.pool_owner = Users.create({
            "name": "Oscar Owner", "login": "oscar_owner", "email": "oscar@company.example",
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
        cls.event_user = Users.create({
            "name": "Eva Events", "login": "eva_events", "email": "eva@company.example",
            "groups_id": [(6, 0, [env.ref("event.group_event_user").id])]})
        cls.event_manager = Users.create({
            "name": "Max Events", "login": "max_events", "email": "max@company.example",
            "groups_id": [(6, 0, [env.ref("event.group_event_manager").id])]})
        cls.employee = Users.create({
            "name": "Emma Employee", "login": "emma_employee", "email": "emma@company.example",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
        Talent = env["hr.talent"]
        cls.ada = Talent.create({"name": "Ada Open", "email": "ada.open@candidates.example",
                                 "phone": "+32 470 00 00 01"})
        cls.bob = Talent.create({"name": "Bob Open", "email": "Bob Open <bob.open@candidates.example>"})
        cls.carl = Talent.create({"name": "Carl Withdrawn", "email": "carl@candidates.example"})
        cls.dora = Talent.create({"name": "Dora Nomail", "email": False})
        cls.emil = Talent.create({"name": "Emil Typo", "email": "emil-at-candidates.example"})
        # consent (issue 5): everyone agreed to be contacted, Carl then withdrew
        (cls.ada | cls.bob | cls.carl | cls.dora | cls.emil)._nurture_set_consent("given", "recruiter")
        cls.carl._nurture_set_consent("withdrawn", "candidate_page")
        cls.pool = env["hr.talent.pool"].create({
            "name": "Open house pool", "user_id": cls.pool_owner.id,
            "talent_ids": [(6, 0, (cls.ada | cls.bob | cls.carl | cls.dora | cls.emil).ids)]})
        Event = env["event.event"]
        cls.event = Event.create({
            "name": "Open House Brussels", "date_begin": _dt(24 * 7), "date_end": _dt(24 * 7 + 3),
            "seats_availability": "unlimited", "user_id": cls.event_user.id})
        cls.event.button_confirm()
        cls.template = env.ref("candidate_nurture.mail_template_event_invitation")
        cls.Invitation = env["hr.talent.invitation"]

    def make_event(self, name, begin=24, end=27, **values):
        vals = {"name": name, "date_begin": _dt(begin), "date_end": _dt(end),
                "seats_availability": "unlimited", "user_id": self.event_user.id}
        vals.update(values)
        event = self.env["event.event"].create(vals)
        event.button_confirm()
        return event

    def wizard(self, talents=None, event=None, user=None, pool=None):
        env = self.env(user=(user or self.recruiter).id)
        ctx = {}
        if pool:
            ctx = {"active_model": "hr.talent.pool", "active_id": pool.id}
        elif talents is not None:
            ctx = {"active_model": "hr.talent", "active_ids": talents.ids}
        return env["hr.talent.invite.wizard"].with_context(**ctx).create({
            "event_id": (event or self.event).id, "template_id": self.template.id})

    def invite(self, talents, event=None, pool=None):
        wizard = self.wizard(talents, event=event, pool=pool)
        wizard.action_send()
        return wizard

    def invitation(self, talent, event=None):
        return self.Invitation.search([("talent_id", "=", talent.id),
                                       ("event_id", "=", (event or self.event).id)])

    def answer(self, invitation, answer):
        """What the public page does: find the invitation by its token, answer."""
        proved = self.Invitation._from_answer_token(invitation._answer_token())
        self.assertEqual(proved, invitation)
        return proved._nurture_answer(answer)


class TestEventInvitation(EventInvitationCase):

    def test_bulk_invite_from_pool_reports_skips(self):
        self.invite(self.bob, event=self.make_event("Earlier invite", 48, 50))
        event = self.make_event("Pool night", 72, 75)
        self.invite(self.bob, event=event)  # Bob was already invited to this one
        mails_before = self.env["mail.mail"].search_count([])
        wizard = self.wizard(pool=self.pool, event=event)
        self.assertEqual(wizard.talent_ids, self.pool.talent_ids)
        self.assertEqual(wizard.invite_ids, self.ada)
        self.assertEqual(wizard.skip_consent_ids, self.carl)
        self.assertEqual(wizard.skip_email_ids, self.dora | self.emil)
        self.assertEqual(wizard.skip_invited_ids, self.bob)
        self.assertEqual((wizard.invite_count, wizard.skip_count), (1, 4))
        self.assertIn("You are invited: Pool night", wizard.preview_subject)
        self.assertIn("Ada Open", wizard.preview_body)
        wizard.action_send()
        self.assertEqual(wizard.state, "done")
        invitations = self.Invitation.search([("event_id", "=", event.id)])
        self.assertEqual(invitations.mapped("talent_id"), self.ada | self.bob)
        ada = self.invitation(self.ada, event)
        self.assertEqual((ada.state, ada.pool_id), ("invited", self.pool))
        self.assertTrue(ada.sent_date)
        self.assertEqual(self.env["mail.mail"].search_count([]) - mails_before, 1,
                         "one email, to Ada: Bob is not reminded")
        for text in ("1 invitation(s)", "may not be contacted: Carl Withdrawn",
                     "no valid email address: Dora Nomail, Emil Typo",
                     "already invited to this event: Bob Open"):
            self.assertIn(text, wizard.result_html)

    def test_talent_list_action_and_email_received(self):
        self.invite(self.ada | self.bob)
        self.deliver_mail()
        received = self.sink.received_by("ada.open@candidates.example")
        self.assertEqual(len(received), 1)
        message = received[0]["message"]
        self.assertEqual(message["Subject"], "You are invited: Open House Brussels")
        body = self.sink.body_text(message)
        self.assertIn("Dear Ada Open", body)
        links = dict((answer, (url, token)) for url, token, answer in LINK.findall(body))
        self.assertEqual(set(links), {"accept", "decline"})
        invitation = self.invitation(self.ada)
        self.assertEqual(self.Invitation._from_answer_token(links["accept"][1]), invitation)
        self.assertEqual(links["accept"][0], links["decline"][0])
        self.assertEqual(len(self.sink.received_by("bob.open@candidates.example")), 1)

    def test_accept_creates_one_confirmed_registration(self):
        self.invite(self.ada)
        invitation = self.invitation(self.ada)
        self.answer(invitation, "accept")
        registration = invitation.registration_id
        self.assertEqual(invitation.state, "accepted")
        self.assertTrue(invitation.answer_date)
        self.assertEqual(registration.state, "open")
        self.assertEqual((registration.name, registration.email, registration.phone),
                         ("Ada Open", "ada.open@candidates.example", "+32 470 00 00 01"))
        self.answer(invitation, "accept")
        registrations = self.env["event.registration"].search([("event_id", "=", self.event.id)])
        self.assertEqual(registrations, registration, "answering twice never duplicates")
        self.assertEqual(self.event.nurture_accepted_count, 1)

    def test_decline_and_change_of_mind(self):
        self.invite(self.ada | self.bob)
        bob = self.invitation(self.bob)
        self.answer(bob, "decline")
        self.assertEqual(bob.state, "declined")
        self.assertFalse(bob.registration_id)
        ada = self.invitation(self.ada)
        self.answer(ada, "accept")
        registration = ada.registration_id
        self.answer(ada, "decline")
        self.assertEqual((ada.state, registration.state), ("declined", "cancel"))
        self.answer(ada, "accept")
        self.assertEqual((ada.state, ada.registration_id, registration.state),
                         ("accepted", registration, "open"), "the same registration is reopened")
        self.assertEqual(self.env["event.registration"].search_count(
            [("event_id", "=", self.event.id)]), 1)

    def test_full_event_refuses_accept_without_overbooking(self):
        event = self.make_event("Tiny open house", seats_availability="limited", seats_max=1)
        self.invite(self.ada | self.bob, event=event)
        ada, bob = self.invitation(self.ada, event), self.invitation(self.bob, event)
        self.assertFalse(bob._nurture_event_full())
        self.answer(ada, "accept")
        bob.invalidate_cache()
        self.assertTrue(bob._nurture_event_full())
        self.assertFalse(ada._nurture_event_full(), "Ada holds her seat")
        with self.assertRaises(EventFullError):
            self.answer(bob, "accept")
        self.assertEqual((bob.state, bob.registration_id.id), ("invited", False))
        self.assertEqual(self.env["event.registration"].search_count(
            [("event_id", "=", event.id), ("state", "in", ("open", "done"))]), 1)
        self.assertEqual(event.seats_available, 0)
        # had Bob's page been stale (a race), Odoo's seat constraint still refuses
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            bob._nurture_register()
        # Ada frees her seat: Bob can take it
        self.answer(ada, "decline")
        self.answer(bob, "accept")
        self.assertEqual(bob.registration_id.state, "open")

    def test_attendance_updates_invitation_and_creates_activity(self):
        event = self.make_event("Ongoing open house", begin=-1, end=2)
        self.invite(self.ada | self.bob, event=event, pool=self.pool)
        ada, bob = self.invitation(self.ada, event), self.invitation(self.bob, event)
        self.answer(ada, "accept")
        self.answer(bob, "accept")
        ada.registration_id.sudo(self.event_user).button_reg_close()
        self.assertEqual(ada.state, "attended")
        self.assertTrue(ada.attended_date)
        self.assertEqual((event.nurture_invited_count, event.nurture_accepted_count,
                          event.nurture_attended_count), (2, 2, 1))
        event.sudo(self.event_manager).button_done()
        self.assertEqual(bob.state, "no_show")
        self.assertTrue(ada.followup_done and bob.followup_done)
        activities = self.env["mail.activity"].search([("res_model", "=", "hr.talent"),
                                                       ("res_id", "in", (self.ada | self.bob).ids)])
        self.assertEqual(len(activities), 1)
        self.assertEqual((activities.res_id, activities.user_id), (self.ada.id, self.pool_owner))
        self.assertIn("Ongoing open house", activities.summary)
        self.assertEqual(self.ada.engagement_score, 2, "an answer and an attendance")
        self.assertEqual(self.bob.engagement_score, 1)
        # the daily cron finds nothing left to do
        self.Invitation._cron_after_events()
        self.assertEqual(self.env["mail.activity"].search_count(
            [("res_model", "=", "hr.talent"), ("res_id", "=", self.ada.id)]), 1)

    def test_cron_follows_up_past_events_without_pool(self):
        event = self.make_event("Ongoing, no pool", begin=-1, end=2)
        self.invite(self.ada, event=event)
        invitation = self.invitation(self.ada, event)
        self.answer(invitation, "accept")
        invitation.registration_id.button_reg_close()
        with freeze_time(datetime.datetime.now() + datetime.timedelta(hours=5)):
            self.Invitation._cron_after_events()
        activity = self.env["mail.activity"].search([("res_model", "=", "hr.talent"),
                                                     ("res_id", "=", self.ada.id)])
        self.assertEqual(activity.user_id, self.event_user, "no pool, no application: event user")

    def test_forged_tokens_change_nothing(self):
        self.invite(self.ada | self.bob)
        ada, bob = self.invitation(self.ada), self.invitation(self.bob)
        token = ada._answer_token()
        head, signature = token.split("-", 1)
        altered = head + "-" + ("A" if signature[0] != "A" else "B") + signature[1:]
        for forged in (altered, "%d-%s" % (bob.id, signature), token + "x", "", "abc",
                       "%d-" % ada.id, "99999999-%s" % signature):
            self.assertFalse(self.Invitation._from_answer_token(forged), forged)
        applicant_token = self.env["hr.applicant"]._from_feedback_token(token)
        self.assertFalse(applicant_token)
        self.assertEqual((ada.state, bob.state), ("invited", "invited"))

    def test_withdrawn_consent_gets_no_invitation(self):
        mails_before = self.env["mail.mail"].search_count([])
        wizard = self.invite(self.carl)
        self.assertFalse(self.invitation(self.carl))
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        self.assertIn("Carl Withdrawn", wizard.result_html)

    def test_past_or_cancelled_event_is_an_error(self):
        past = self.env["event.event"].create({
            "name": "Last year's open house", "date_begin": _dt(-24 * 300),
            "date_end": _dt(-24 * 300 + 3)})
        with self.assertRaisesRegex(UserError, "is over"):
            self.wizard(self.ada, event=past).action_send()
        cancelled = self.make_event("Cancelled open house", 24, 27)
        cancelled.button_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            self.wizard(self.ada, event=cancelled).action_send()
        self.assertFalse(self.Invitation.search([("talent_id", "=", self.ada.id)]))

    def test_event_form_button_and_access(self):
        action = self.event.action_nurture_invite_talents()
        self.assertEqual(action["context"], {"default_event_id": self.event.id})
        self.invite(self.ada)
        with self.assertRaises(AccessError):
            self.Invitation.sudo(self.employee).search([]).read(["state"])
        # event staff see the counts on the event form, not the invitations
        event = self.event.sudo(self.event_user)
        self.assertEqual(event.nurture_invited_count, 1)
        with self.assertRaises(AccessError):
            self.Invitation.sudo(self.event_user).search([])

    def test_engagement_fades_after_twelve_months(self):
        self.invite(self.ada)
        self.answer(self.invitation(self.ada), "decline")
        self.assertEqual(self.ada.engagement_score, 1)
        self.assertIn(self.ada, self.env["hr.talent"].search([("engagement_score", ">", 0)]))
        with freeze_time(datetime.datetime.now() + datetime.timedelta(days=370)):
            self.env["hr.talent"]._cron_recompute_engagement()
        self.ada.invalidate_cache()
        self.assertEqual(self.ada.engagement_score, 0)
