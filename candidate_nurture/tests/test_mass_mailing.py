"""Talents as recipients of Odoo's Mass Mailing: only contactable ones, stop link works."""
from odoo.exceptions import AccessError

from .followup_common import FollowupCase

BODY = """<div><p>Hello ${object.name}, here is our company news.</p>
<p><a href="/unsubscribe_from_list">Unsubscribe</a></p></div>"""


class TestMassMailing(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestMassMailing, cls).setUpClass()
        env = cls.env
        cls.pool = env["hr.talent.pool"].create({"name": "M Newsletter"})
        in_pool = {"pool_ids": [(6, 0, [cls.pool.id])]}
        cls.given = cls.talent("Gina Given", consent="given", **in_pool)
        cls.given2 = cls.talent("Gus Given", consent="given", **in_pool)
        cls.asked = cls.talent("Abe Asked", consent="asked", **in_pool)
        cls.withdrawn = cls.talent("Wes Withdrawn", consent="withdrawn", **in_pool)
        cls.never = cls.talent("Nell Never", **in_pool)
        cls.no_email = cls.talent("Nora Nomail", email=False, consent="given", **in_pool)
        cls.anonymised = cls.talent("Ana Nonym", consent="given", **in_pool)
        cls.anonymised.write({"anonymized_date": "2026-01-01 00:00:00"})
        cls.talent_model = env["ir.model"]._get("hr.talent")

    def mailing(self, domain, subject="Company news"):
        return self.env["mail.mass_mailing"].create({
            "name": subject, "mailing_model_id": self.talent_model.id,
            "mailing_domain": repr(domain), "reply_to_mode": "thread",
            "keep_archives": True, "body_html": BODY,
        })

    def send(self, mailing, res_ids=None):
        """Odoo's mass mailing, then its emails through the real SMTP sink.

        Odoo 11's send_mail() sends each batch at once and commits unless the
        thread is flagged ``testing``, which also skips SMTP: so it runs flagged
        (no commit in a test), and the very mail.mail records it created are
        then put back in the queue and delivered by the mail queue's code path.
        """
        mailing.send_mail(res_ids=res_ids)
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        mails.filtered(lambda m: m.state == "sent").write({"state": "outgoing"})
        self.deliver_mail()
        return mails

    def test_talent_is_a_recipient_model(self):
        domain = self.env["mail.mass_mailing"].fields_get(
            ["mailing_model_id"])["mailing_model_id"]["domain"]
        models = self.env["ir.model"].search(domain).mapped("model")
        self.assertIn("hr.talent", models)
        self.assertIn("hr.applicant", models, "Odoo's own recipient models stay")

    def test_only_contactable_talents_receive_it_with_stop_link(self):
        mailing = self.mailing([("pool_ids", "in", [self.pool.id])])
        self.assertEqual(sorted(mailing.get_recipients()),
                         sorted((self.given | self.given2).ids),
                         "the domain names everybody; only contactable talents with an "
                         "email, not anonymised, are recipients")
        mails = self.send(mailing)
        self.assertEqual(sorted(mails.mapped("res_id")), sorted((self.given | self.given2).ids))
        self.assertEqual(set(mails.mapped("state")), {"sent"})
        self.assertEqual(mailing.state, "done")
        for person in (self.asked, self.withdrawn, self.never, self.anonymised):
            self.assertFalse(self.sink.received_by(person.email), person.name)
        received = self.sink.received_by("gina.given@candidates.example")
        self.assertEqual(len(received), 1)
        message = received[0]["message"]
        self.assertEqual(message["Subject"], "Company news")
        body = self.sink.body_text(message)
        self.assertIn("Hello Gina Given", body)
        self.assertIn(self.given.get_stop_url(), body,
                      "the mailing's Unsubscribe link is the talent's stop link")
        self.assertNotIn("/mail/mailing/", body)
        self.assertEqual(message["List-Unsubscribe"], "<%s>" % self.given.get_stop_url())
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        stats = self.env["mail.mail.statistics"].search([("mass_mailing_id", "=", mailing.id)])
        self.assertEqual(len(stats), 2, "Odoo's statistics count the talents reached")

    def test_body_without_unsubscribe_link_gets_the_stop_link(self):
        mailing = self.mailing([("id", "=", self.given.id)])
        mailing.body_html = "<p>Just news, ${object.name}.</p>"
        self.send(mailing)
        body = self.sink.body_text(
            self.sink.received_by("gina.given@candidates.example")[0]["message"])
        self.assertIn(self.given.get_stop_url(), body)

    def test_explicit_recipients_are_checked_too(self):
        mailing = self.mailing([("pool_ids", "in", [self.pool.id])])
        mails = self.send(mailing, res_ids=(self.given | self.withdrawn | self.asked).ids)
        by_talent = dict((mail.res_id, mail.state) for mail in mails)
        self.assertEqual(by_talent[self.given.id], "sent")
        self.assertEqual(by_talent[self.withdrawn.id], "cancel")
        self.assertEqual(by_talent[self.asked.id], "cancel")
        self.assertFalse(self.sink.received_by(self.withdrawn.email))
        self.assertEqual(len(self.sink.received_by(self.given.email)), 1)

    def test_withdrawal_excludes_from_next_mailing(self):
        first = self.mailing([("pool_ids", "in", [self.pool.id])])
        self.send(first)
        self.assertEqual(len(self.sink.received_by(self.given2.email)), 1)
        # the person uses the stop link of that email (the page records this)
        self.given2._nurture_set_consent("withdrawn", "candidate_page",
                                         note="The candidate used the stop link.")
        self.assertFalse(self.given2.is_contactable)
        self.sink.clear()
        second = self.mailing([("pool_ids", "in", [self.pool.id])], subject="More news")
        self.assertEqual(second.get_recipients(), self.given.ids)
        mails = self.send(second)
        self.assertEqual(mails.mapped("res_id"), self.given.ids)
        self.assertFalse(self.sink.received_by(self.given2.email))
        self.assertEqual(len(self.sink.received_by(self.given.email)), 1)

    def test_core_unsubscribe_route_records_a_withdrawal(self):
        mailing = self.mailing([("id", "=", self.given.id)])
        mailing.update_opt_out(self.given.email, self.given.ids, True)
        self.assertEqual(self.given.consent_state, "withdrawn")
        self.assertFalse(self.given.is_contactable)

    def test_pool_button_opens_a_mailing_for_its_contactable_talents(self):
        mass_user = self.env.ref("mass_mailing.group_mass_mailing_user")
        self.recruiter.write({"groups_id": [(4, mass_user.id)]})
        action = self.pool.sudo(self.recruiter).action_send_newsletter()
        self.assertEqual(action["res_model"], "mail.mass_mailing")
        Mailing = self.env["mail.mass_mailing"].sudo(self.recruiter).with_context(
            **action["context"])
        mailing = Mailing.create({"name": "Pool news", "body_html": BODY})
        self.assertEqual(mailing.mailing_model_name, "hr.talent")
        self.assertEqual(sorted(mailing.get_recipients()),
                         sorted((self.given | self.given2).ids))

    def test_opt_out_over_rpc_is_refused(self):
        """Odoo's update_opt_out is public: a marketing user calling it with a
        talent's id and email must not withdraw that person's consent."""
        marketer = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "M Marketer", "login": "m_marketer_optout", "email": "mk@company.example",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("mass_mailing.group_mass_mailing_user").id])]})
        mailing = self.mailing([("pool_ids", "in", [self.pool.id])])
        with self.assertRaises(AccessError):
            mailing.sudo(marketer).update_opt_out(self.given.email, [self.given.id], True)
        self.assertEqual(self.given.consent_state, "given")
        # Odoo's unsubscribe route (as the superuser) still records the withdrawal
        mailing.sudo().update_opt_out(self.given2.email, [self.given2.id], True)
        self.assertEqual(self.given2.consent_state, "withdrawn")
