"""Names are data, never markup nor headers: line breaks and HTML in what people type.

An applicant, a talent or an event named with a line break must not break
the candidate's email (nor add a header such as Bcc); a name holding HTML must
be shown as text in chatter notes, activities, emails and public pages.
"""
import datetime

from freezegun import freeze_time

from odoo import fields

from .followup_common import FollowupCase

EVIL = "evil@attacker.example"
BROKEN = "Ann\r\nBcc: %s" % EVIL
HTML = '<img src=x onerror="alert(1)"><a href="https://attacker.example">Ann</a>'


def _dt(days):
    return fields.Datetime.to_string(datetime.datetime.now() + datetime.timedelta(days=days))


class SafeRenderingCase(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(SafeRenderingCase, cls).setUpClass()
        cls.reason = cls.env.ref("candidate_nurture.refuse_reason_position_filled")
        cls.template = cls.env.ref("candidate_nurture.mail_template_refuse_feedback")
        # an alias domain: Odoo then puts the document's name in Reply-To
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param("mail.catchall.domain", "nurture.example")
        ICP.set_param("mail.catchall.alias", "catchall")

    def assertDelivered(self, mails, address):
        """Each mail went out through the real SMTP sink, to address only, and its
        headers hold no line break nor any extra recipient."""
        self.assertTrue(mails)
        self.deliver_mail()
        for mail in mails:
            self.assertEqual(mail.state, "sent", mail.failure_reason)
        received = self.sink.received_by(address)
        self.assertEqual(len(received), len(mails))
        for item in received:
            self.assertEqual([r.lower() for r in item["rcpt_tos"]], [address.lower()])
            message = item["message"]
            self.assertIsNone(message["Bcc"])
            for header, value in message.items():
                self.assertNotIn("\n", str(value), header)
                self.assertNotIn("\r", str(value), header)
        self.assertFalse(self.sink.received_by(EVIL))
        return received

    def refuse(self, applicant):
        wizard = self.env["hr.applicant.refuse.wizard"].with_context(
            active_model="hr.applicant", active_ids=applicant.ids).create({
                "refuse_reason_id": self.reason.id, "template_id": self.template.id,
                "personal_message": "Thank you for the afternoon you spent with us."})
        wizard.action_refuse()
        return applicant.refuse_mail_id


class TestHeaders(SafeRenderingCase):

    def test_refusal_email_of_an_applicant_named_with_a_line_break(self):
        partner = self.env["res.partner"].create({"name": BROKEN,
                                                  "email": "ann.crlf@candidates.example"})
        applicant = self.env["hr.applicant"].create({
            "name": BROKEN, "partner_name": BROKEN, "partner_id": partner.id,
            "email_from": "ann.crlf@candidates.example", "stage_id": self.stage.id})
        mail = self.refuse(applicant)
        self.assertNotIn("\n", mail.subject or "")
        self.assertNotIn("\n", mail.record_name or "")
        self.assertNotIn("\n", mail.reply_to or "")
        received = self.assertDelivered(mail, "ann.crlf@candidates.example")
        self.assertEqual(received[0]["message"]["To"], "ann.crlf@candidates.example",
                         "a name holding an address is left out of To")
        self.assertEqual(applicant.refuse_email_state, "sent")

    def test_a_line_break_in_the_contact_name_stays_in_to_on_one_line(self):
        partner = self.env["res.partner"].create({"name": "Ann\r\nQuinn",
                                                  "email": "ann.quinn@candidates.example"})
        applicant = self.env["hr.applicant"].create({
            "name": "Application", "partner_name": "Ann\nQuinn", "partner_id": partner.id,
            "email_from": "ann.quinn@candidates.example", "stage_id": self.stage.id,
            "job_id": self.job.id})
        received = self.assertDelivered(self.refuse(applicant), "ann.quinn@candidates.example")
        self.assertEqual(received[0]["message"]["To"], "Ann Quinn <ann.quinn@candidates.example>")

    def test_notification_of_a_reply_keeps_its_author(self):
        """Mails Odoo creates for an existing message (follower notifications)
        leave its sender and Reply-To as they are."""
        talent = self.talent("Ann Reply", email="ann.reply@candidates.example")
        talent.message_subscribe(partner_ids=self.recruiter.partner_id.ids)
        message = talent.with_context(mail_notify_force_send=False).message_post(
            body="<p>Thanks!</p>", message_type="email", subtype="mail.mt_comment",
            email_from="Ann Reply <ann.reply@candidates.example>",
            reply_to="Ann Reply <ann.reply@candidates.example>")
        notification = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertTrue(notification, "the follower is notified by email")
        self.assertEqual(message.email_from, "Ann Reply <ann.reply@candidates.example>")
        self.assertEqual(message.reply_to, "Ann Reply <ann.reply@candidates.example>")

    def test_mail_queued_before_the_fix_is_sent_on_one_line(self):
        mail = self.env["mail.mail"].create({
            "subject": "Hello", "body_html": "<p>x</p>",
            "email_to": "ann.queued@candidates.example", "email_from": "hr@company.example"})
        # as stored by an older version: straight into the table
        self.env.cr.execute("UPDATE mail_message SET subject = %s WHERE id = %s",
                            ("Hello\r\nBcc: %s" % EVIL, mail.mail_message_id.id))
        mail.invalidate_cache()
        received = self.assertDelivered(mail, "ann.queued@candidates.example")
        self.assertEqual(received[0]["message"]["Subject"], "Hello Bcc: %s" % EVIL)

    def test_followup_to_a_talent_named_with_a_line_break(self):
        talent = self.talent(BROKEN, email="ann.followup@candidates.example", consent="given")
        talent._nurture_enroll(self.sequence)
        with freeze_time(_dt(31)):
            self.run_cron()
        self.assertDelivered(self.mails_of(talent), "ann.followup@candidates.example")

    def test_invitation_to_an_event_named_with_a_line_break(self):
        talent = self.talent("Ann Event", email="ann.event@candidates.example", consent="given")
        event = self.env["event.event"].create({
            "name": "Open House\r\nBcc: %s" % EVIL, "date_begin": _dt(7), "date_end": _dt(7.1),
            "seats_availability": "unlimited"})
        event.button_confirm()
        wizard = self.env["hr.talent.invite.wizard"].with_context(
            active_model="hr.talent", active_ids=talent.ids).create({
                "event_id": event.id,
                "template_id": self.env.ref("candidate_nurture.mail_template_event_invitation").id})
        wizard.action_send()
        received = self.assertDelivered(self.mails_of(talent), "ann.event@candidates.example")
        self.assertIn("Open House", received[0]["message"]["Subject"])


class TestHtml(SafeRenderingCase):
    """Stored bodies carry the escaped name (&lt;img), never the live tag (<img)."""

    def assertEscaped(self, html, what):
        self.assertTrue(html, what)
        self.assertIn("&lt;img", html, what)
        # the only image is the company's logo (issue 10), never the name's
        self.assertNotIn("<img src=x", html, what)
        self.assertEqual(html.count("<img"), html.count("/candidate/logo/"), what)
        self.assertNotIn('<a href="https://attacker.example"', html, what)

    def test_merge_note_names_the_duplicate_as_text(self):
        talent = self.talent("Ann Kept", consent="given")
        duplicate = self.talent(HTML, email="ann.dup@candidates.example")
        talent._nurture_merge(duplicate)
        note = talent.message_ids.filtered(lambda m: "Merged" in (m.body or ""))
        self.assertEscaped(note.body, "merge note")

    def test_applied_to_note_names_the_job_as_text(self):
        talent = self.talent("Ann Apply", consent="given")
        job = self.env["hr.job"].with_context(nurture_no_rediscovery=True).create(
            {"name": HTML, "department_id": self.department.id, "state": "recruit"})
        self.env["hr.talent.apply.wizard"].create(
            {"talent_id": talent.id, "job_id": job.id}).action_apply()
        note = talent.message_ids.filtered(lambda m: "Applied to" in (m.body or ""))
        self.assertEscaped(note.body, "applied-to note")

    def test_after_event_activity_names_talent_and_event_as_text(self):
        talent = self.talent(HTML, email="ann.html@candidates.example", consent="given")
        event = self.env["event.event"].create({
            "name": HTML, "date_begin": _dt(-2), "date_end": _dt(-1.9),
            "seats_availability": "unlimited"})
        invitation = self.env["hr.talent.invitation"].create(
            {"talent_id": talent.id, "event_id": event.id, "state": "attended"})
        invitation._nurture_after_event()
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "hr.talent"), ("res_id", "=", talent.id)])
        self.assertEscaped(activity.note, "after-event activity")

    def test_emails_show_names_as_text(self):
        partner = self.env["res.partner"].create({"name": HTML,
                                                  "email": "ann.mail@candidates.example"})
        applicant = self.env["hr.applicant"].create({
            "name": "Application", "partner_name": HTML, "partner_id": partner.id,
            "email_from": "ann.mail@candidates.example", "job_id": self.job.id,
            "stage_id": self.stage.id})
        mail = self.refuse(applicant)
        self.assertEscaped(mail.body_html, "refusal email")
        talent = applicant.talent_id
        talent._nurture_set_consent("given", "recruiter")
        talent._nurture_enroll(self.sequence)
        with freeze_time(_dt(31)):
            self.run_cron()
        self.assertEscaped(self.mails_of(talent).body_html, "follow-up email")
        received = self.assertDelivered(mail | self.mails_of(talent),
                                        "ann.mail@candidates.example")
        for item in received:
            body = self.sink.body_text(item["message"])
            self.assertNotIn("<img src=x", body)
            self.assertEqual(body.count("<img"), body.count("/candidate/logo/"),
                             "no image but the company's logo")

    def test_public_pages_only_print_escaped_values(self):
        """Every QWeb page of the addon prints values with t-esc / t-field; the
        only raw output is the layout's body (t-raw="0")."""
        from lxml import etree
        views = self.env["ir.ui.view"].search([("type", "=", "qweb")]).filtered(
            lambda v: v.xml_id.startswith("candidate_nurture."))
        self.assertTrue(views)
        for view in views:
            for node in etree.fromstring(view.arch_db.encode()).iter():
                if not isinstance(node.tag, str):
                    continue
                raw = node.get("t-raw")
                self.assertIn(raw, (None, "0"), "%s prints %s unescaped" % (view.xml_id, raw))
