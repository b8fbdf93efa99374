"""Talent matches (issue 10): named "Talent – Job", counted right before the
click on the job's Matching Talents button, and leading to the talent, to a
pool, and to a personal invitation to apply written in the email composer
(consent, opt-outs and the stop link respected; logged in the chatter)."""
from odoo.exceptions import AccessError, UserError

from ..models.hr_talent import JOB_TOKEN_PURPOSE
from .test_talent_pool_screens import BASE_URL, ScreensCase


class TestTalentMatches(ScreensCase):

    @classmethod
    def setUpClass(cls):
        super(TestTalentMatches, cls).setUpClass()
        tags = [(6, 0, (cls.tag_python | cls.tag_sql).ids)]
        cls.ann = cls.applicant("Ann Match", "ann.match@example.org", categ_ids=tags).talent_id
        cls.ben = cls.applicant("Ben Noconsent", "ben.noconsent@example.org",
                                categ_ids=tags).talent_id
        cls.ann._nurture_set_consent("given", "recruiter")
        cls.job = cls.env["hr.job"].with_context(nurture_no_rediscovery=True).create({
            "name": "T Platform Engineer", "department_id": cls.dep_eng.id,
            "user_id": cls.recruiter.id, "website_published": True,
            "talent_category_ids": [(6, 0, cls.tag_python.ids)]})
        cls.template = cls.env.ref("candidate_nurture.mail_template_invite_to_apply_personal")

    def matches(self):
        self.job.sudo(self.recruiter).action_open_talent_matches()
        return self.job.talent_match_ids

    def match_of(self, talent):
        return self.matches().filtered(lambda match: match.talent_id == talent)

    def test_matches_are_named_talent_and_job(self):
        match = self.match_of(self.ann).sudo(self.recruiter)
        self.assertEqual(match.display_name, "Ann Match \u2013 T Platform Engineer")
        self.assertEqual(match.name_get(), [(match.id, "Ann Match \u2013 T Platform Engineer")])
        found = self.env["hr.talent.match"].sudo(self.recruiter).name_search("Ann Match")
        self.assertIn(match.id, [match_id for match_id, _name in found])

    def test_matching_talents_are_counted_before_the_click(self):
        job = self.job.sudo(self.recruiter)
        self.assertFalse(job.talent_match_ids, "never ranked")
        self.assertEqual(job.talent_match_count, 2, "the count is right before the click")
        action = job.action_open_talent_matches()
        self.assertEqual(self.env["hr.talent.match"].search_count(action["domain"]), 2)
        # a talent who joins the pool afterwards is counted before the next click
        self.applicant("Cleo Later", "cleo@example.org",
                       categ_ids=[(6, 0, self.tag_python.ids)])
        job.invalidate_cache()
        self.assertEqual(len(job.talent_match_ids), 2)
        self.assertEqual(job.talent_match_count, 3)
        job.action_open_talent_matches()
        self.assertEqual(len(job.talent_match_ids), 3)
        # the limit applies to the count as to the ranking
        self.env["ir.config_parameter"].sudo().set_param(
            "candidate_nurture.talent_match_limit", "1")
        job.invalidate_cache()
        self.assertEqual(job.talent_match_count, 1)

    def test_the_count_is_for_recruiters(self):
        officer = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "T HR Officer", "login": "t_hr_officer_screens",
            "groups_id": [(6, 0, [self.env.ref("hr.group_hr_user").id])]})
        with self.assertRaises(AccessError):
            self.job.sudo(officer).read(["talent_match_count"])
        self.job.sudo(officer).read(["name"])  # the job form still opens

    def test_open_the_talent_and_add_to_pool_from_a_match(self):
        match = self.match_of(self.ann).sudo(self.recruiter)
        action = match.action_open_talent()
        self.assertEqual((action["res_model"], action["res_id"]), ("hr.talent", self.ann.id))
        action = match.action_add_to_pool()
        self.assertEqual(action["res_model"], "hr.talent.pool.add.wizard")
        pool = self.env["hr.talent.pool"].create({"name": "T Platform pool"})
        wizard = self.env[action["res_model"]].sudo(self.recruiter).with_context(
            **action["context"]).create({"pool_id": pool.id})
        wizard.action_add()
        self.assertIn(pool, self.ann.pool_ids)

    def compose(self, match, user=None):
        """What the web client does with the action: the composer, its template
        rendered for the talent (onchange), saved."""
        action = match.sudo(user or self.recruiter).action_invite_to_apply()
        self.assertEqual(action["res_model"], "mail.compose.message")
        Composer = self.env["mail.compose.message"].sudo(user or self.recruiter).with_context(
            **action["context"])
        values = Composer.onchange_template_id(
            self.template.id, "comment", "hr.talent", match.talent_id.id)["value"]
        return Composer.create(values)

    def mails(self, talent):
        return self.env["mail.mail"].sudo().search(
            [("model", "=", "hr.talent"), ("res_id", "=", talent.id),
             ("id", ">", self.mail_watermark)])

    def test_invite_to_apply_is_a_personal_email_written_in_the_composer(self):
        match = self.match_of(self.ann)
        partners = self.env["res.partner"].search_count([])
        composer = self.compose(match)
        self.assertEqual(composer.nurture_email_to, "ann.match@example.org")
        self.assertIn("Dear Ann Match", composer.body)
        self.assertIn("T Recruiter", composer.body, "signed by who writes")
        apply_url = "%s/candidate/job/%s/%d?page=apply" % (
            BASE_URL, self.ann._nurture_token(JOB_TOKEN_PURPOSE), self.job.id)
        self.assertIn(apply_url, composer.body)
        # the recruiter makes it personal, then sends
        composer.body = composer.body.replace(
            "Dear Ann Match,</p>",
            "Dear Ann Match,</p><p>Your migration of the billing queues stayed with me.</p>")
        composer.send_mail_action()
        self.assertEqual(self.env["res.partner"].search_count([]), partners,
                         "no contact is made of the address")
        mail = self.mails(self.ann)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "ann.match@example.org")
        self.assertFalse(mail.recipient_ids, "nobody else: no follower is notified")
        self.assertIn("recruiter@example.com", mail.email_from)
        self.assertEqual(mail.author_id, self.recruiter.partner_id)
        self.assertIn(mail.mail_message_id, self.ann.message_ids, "logged in the chatter")
        self.assertTrue(match.invited_date)
        self.assertIn(self.ann.get_stop_url(), mail.headers)

        self.deliver_mail()
        received = self.sink.received_by("ann.match@example.org")
        self.assertEqual(len(received), 1)
        message = received[0]["message"]
        self.assertEqual(message["Subject"],
                         "T Platform Engineer at %s: would you apply?" % self.company.name)
        self.assertEqual(message["List-Unsubscribe"], "<%s>" % self.ann.get_stop_url())
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        body = self.sink.body_text(message)
        self.assertIn("billing queues stayed with me", body)
        self.assertIn(apply_url, body)
        # invited once: the button is gone and the method refuses
        with self.assertRaises(UserError):
            match.sudo(self.recruiter).action_invite_to_apply()

    def test_no_invitation_without_consent_a_published_job_or_against_an_opt_out(self):
        with self.assertRaises(UserError):  # Ben never gave consent
            self.match_of(self.ben).sudo(self.recruiter).action_invite_to_apply()
        # a job no longer on the careers page
        self.job.website_published = False
        with self.assertRaises(UserError):
            self.match_of(self.ann).sudo(self.recruiter).action_invite_to_apply()
        self.job.website_published = True
        # a contact who opted out of emails
        cleo = self.applicant("Cleo Optout", "cleo.optout@example.org",
                              categ_ids=[(6, 0, self.tag_python.ids)]).talent_id
        cleo._nurture_set_consent("given", "recruiter")
        cleo.partner_id = self.env["res.partner"].create({
            "name": "Cleo Optout", "email": "cleo.optout@example.org", "opt_out": True})
        with self.assertRaises(UserError):
            self.match_of(cleo).sudo(self.recruiter).action_invite_to_apply()
        # consent withdrawn while the composer was open: nothing is sent
        composer = self.compose(self.match_of(self.ann))
        self.ann._nurture_set_consent("withdrawn", "candidate_page")
        with self.assertRaises(UserError):
            composer.send_mail_action()
        self.assertFalse(self.mails(self.ann))

    def test_attackers_get_access_errors(self):
        match = self.match_of(self.ann)
        officer_b = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "T Officer B", "login": "t_officer_b_screens",
            "company_id": self.company_b.id, "company_ids": [(6, 0, self.company_b.ids)],
            "groups_id": [(6, 0, [self.env.ref(
                "hr_recruitment.group_hr_recruitment_user").id])]})
        for attacker in (self.portal, officer_b):
            for method in ("action_open_talent", "action_add_to_pool", "action_invite_to_apply"):
                with self.assertRaises(AccessError):
                    getattr(match.sudo(attacker), method)()
            # the composer's send, with the match named in the context
            with self.assertRaises(AccessError):
                composer = self.env["mail.compose.message"].sudo(attacker).with_context(
                    nurture_invite_match_id=match.id).create({
                        "composition_mode": "comment", "model": "hr.talent",
                        "res_id": self.ann.id, "subject": "Hi", "body": "<p>Apply</p>",
                        "email_from": attacker.email})
                composer.send_mail_action()
        self.assertFalse(self.mails(self.ann))
        self.assertFalse(match.invited_date)
