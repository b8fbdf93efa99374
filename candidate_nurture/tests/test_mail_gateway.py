"""Observation 2: follow-ups stop on a reply or a bounce only through Odoo's
mail gateway, never because someone called its hooks over RPC."""
import email

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError

from .followup_common import FollowupCase

REPLY = """From: {sender}
To: followup@company.example
Subject: Re: {subject}
Message-ID: <reply-{tag}@candidates.example>
In-Reply-To: {in_reply_to}
References: {in_reply_to}
Content-Type: text/plain; charset="utf-8"

Thanks, I would love to hear about new roles.
"""

BOUNCE = """From: MAILER-DAEMON <mailer-daemon@mx.candidates.example>
To: {bounce_to}
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-{tag}@mx.candidates.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="XYZ"

--XYZ
Content-Type: text/plain

The mail could not be delivered.
--XYZ
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.candidates.example

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1

--XYZ--
"""


class TestMailGateway(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestMailGateway, cls).setUpClass()
        cls.portal = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "G Portal", "login": "g_portal", "email": "g.portal@candidates.example",
            "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])]})
        cls.settings_admin = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "G Settings", "login": "g_settings", "email": "g.settings@company.example",
            # what Odoo's own gateway needs of the user running it: read the
            # target record, the mass-mailing statistics (read while routing)
            "groups_id": [(6, 0, [cls.env.ref("base.group_system").id,
                                  cls.env.ref("mass_mailing.group_mass_mailing_user").id,
                                  cls.env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
        cls.env["ir.config_parameter"].sudo().set_param("mail.bounce.alias", "bounce")
        cls.env["ir.config_parameter"].sudo().set_param("mail.catchall.domain",
                                                        "company.example")

    def enrolled_with_mail(self, name):
        """A talent with a running follow-up whose first email went out."""
        with freeze_time("2026-01-05 08:00:00"):
            talent = self.talent(name, consent="given")
            enrollment = talent._nurture_enroll(self.sequence)
        with freeze_time("2026-02-05 08:00:00"):
            self.run_cron()
        mail = self.mails_of(talent)
        self.assertEqual(len(mail), 1)
        return talent, enrollment, mail

    def reply(self, talent, mail):
        return REPLY.format(sender="%s <%s>" % (talent.name, talent.email), tag=talent.id,
                            subject=mail.subject, in_reply_to=mail.message_id)

    def test_rpc_call_of_the_applicant_hook_fakes_no_engagement(self):
        """hr.applicant.message_update marks a refused candidate as engaged in
        the funnel ("replied"): called over RPC, it must not."""
        applicant = self.env["hr.applicant"].create({
            "name": "Application of Fay Funnel", "partner_name": "Fay Funnel",
            "email_from": "fay.funnel@candidates.example", "job_id": self.job.id,
            "stage_id": self.stage.id})
        wizard = self.env["hr.applicant.refuse.wizard"].with_context(
            active_model="hr.applicant", active_ids=applicant.ids).create({
                "refuse_reason_id": self.env.ref(
                    "candidate_nurture.refuse_reason_position_filled").id,
                "strengths": "Clear written communication",
                "improvements": "More practice with database design",
                "personal_message": "Thank you for the long talk about the backend role: we "
                                    "chose someone with more PostgreSQL experience."})
        wizard.action_refuse()
        row = self.env["hr.talent.funnel"].search([("applicant_id", "=", applicant.id)])
        self.assertEqual(len(row), 1)
        for user in (self.portal, self.recruiter):
            try:
                applicant.sudo(user).with_context(active_test=False).message_update(
                    {"body": "fake reply"})
            except AccessError:
                pass
        row.invalidate_cache()
        self.assertFalse(row.engaged_date, "nobody replied: the funnel says so")

    def test_rpc_calls_of_the_gateway_hooks_stop_nothing(self):
        talent, enrollment, mail = self.enrolled_with_mail("Gina Gateway")
        raw = self.reply(talent, mail)
        # the attack: the hooks called directly, as over JSON-RPC
        for user in (self.portal, self.recruiter):
            Talent = self.env["hr.talent"].sudo(user)
            try:
                Talent.browse(talent.id).message_update({"body": "stop it"})
            except AccessError:
                pass
            try:
                Talent.browse(talent.id).message_receive_bounce(
                    talent.email, self.env["res.partner"])
            except AccessError:
                pass
            # message_route_process runs the route's hook as the route's user:
            # a forged route naming the superuser must not count either
            Thread = self.env["mail.thread"].sudo(user)
            forged = raw.replace("reply-", "forged-%d-" % user.id)
            message = email.message_from_string(forged)
            try:
                Thread.message_route_process(
                    message, Thread.message_parse(message),
                    [("hr.talent", talent.id, {}, SUPERUSER_ID, None)])
            except AccessError:
                pass
            # and the whole gateway fed with a forged reply by a non-administrator
            try:
                Thread.message_process(False, raw.replace("reply-", "reply-%d-" % user.id))
            except (AccessError, ValueError):
                pass
            self.assertEqual(enrollment.state, "running",
                             "%s stopped the follow-ups by calling the gateway" % user.name)

    def test_real_reply_processed_by_the_gateway_stops_followups(self):
        talent, enrollment, mail = self.enrolled_with_mail("Rita Reply")
        # what the fetchmail scheduler does (as the superuser)
        self.env["mail.thread"].sudo(SUPERUSER_ID).message_process(
            False, self.reply(talent, mail))
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))
        self.assertTrue(any("would love to hear" in (body or "")
                            for body in talent.message_ids.mapped("body")))

    def test_mailgate_as_settings_administrator_counts(self):
        talent, enrollment, mail = self.enrolled_with_mail("Mona Mailgate")
        # the mailgate script over XML-RPC, configured with an administrator
        self.env["mail.thread"].sudo(self.settings_admin).message_process(
            False, self.reply(talent, mail))
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))

    def test_real_bounce_processed_by_the_gateway_stops_followups(self):
        talent, enrollment, mail = self.enrolled_with_mail("Bert Bounce")
        raw = BOUNCE.format(bounce_to="bounce+%d-hr.talent-%d@company.example" % (
            mail.id, talent.id), tag=talent.id, recipient=talent.email)
        # forged by a recruiter: no effect
        self.env["mail.thread"].sudo(self.recruiter).message_process(False, raw)
        self.assertEqual(enrollment.state, "running")
        self.env["mail.thread"].sudo(SUPERUSER_ID).message_process(
            False, raw.replace("bounce-", "bounce2-"))
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "bounced"))
