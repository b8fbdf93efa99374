"""Every new opening reaches the right past candidates, once (issue 11).

Rediscovery and the new-openings notice run once per real opening, whoever
opens the job and however; the emails link to Odoo's careers page
(website_hr_recruitment) and an application made through them is linked to
the talent and marked with Odoo's utm.
"""
import datetime

from freezegun import freeze_time

from odoo.addons.http_routing.models.ir_http import slug
from odoo.exceptions import AccessError, UserError

from ..lib import openings
from ..models.hr_talent import JOB_TOKEN_PURPOSE
from .talent_common import TalentCase

BASE_URL = "http://careers.example"


class TestOpeningLogic(TalentCase):
    """The pure decisions and links (lib/openings.py)."""

    def test_opening_decision(self):
        today = datetime.date(2026, 6, 1)
        yesterday = datetime.date(2026, 5, 31)
        self.assertTrue(openings.is_opening("recruit", 1, False))
        self.assertFalse(openings.is_opening("recruit", 0, False), "no position: not open")
        self.assertTrue(openings.is_opening("open", 0, True), "published: people can apply")
        self.assertFalse(openings.is_opening("open", 0, False))
        decide = openings.opening_decision
        self.assertEqual(decide(True, False, None, today), openings.ANNOUNCE)
        self.assertEqual(decide(True, False, yesterday, today), openings.ANNOUNCE)
        self.assertEqual(decide(True, False, today, today), openings.RESUME,
                         "closed and reopened the same day: the same opening")
        self.assertIsNone(decide(True, True, yesterday, today), "already announced")
        self.assertEqual(decide(False, True, today, today), openings.CLOSE)
        self.assertIsNone(decide(False, False, today, today))

    def test_linkedin_profile_url(self):
        url = openings.linkedin_profile_url
        self.assertEqual(url("linkedin.com/in/ann-bell/"), "https://www.linkedin.com/in/ann-bell")
        self.assertEqual(url(" http://www.linkedin.com/in/ann "), "https://www.linkedin.com/in/ann")
        for bad in ("", False, "javascript:alert(1)", "https://evil.example/in/ann",
                    "https://www.linkedin.com.evil.example/in/ann",
                    'https://www.linkedin.com/in/a"onclick="x', "https://user@linkedin.com/in/a",
                    "https://www.linkedin.com/"):
            self.assertEqual(url(bad), "", bad)

    def test_share_urls(self):
        job_url = "http://careers.example/jobs/detail/7?utm_source=LinkedIn"
        self.assertEqual(
            openings.share_url("linkedin", job_url, "Dev"),
            "https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Fcareers.example"
            "%2Fjobs%2Fdetail%2F7%3Futm_source%3DLinkedIn")
        self.assertIn("text=Dev+%26+Ops", openings.share_url("x", job_url, "Dev & Ops"))
        self.assertTrue(openings.share_url("facebook", job_url, "Dev").startswith(
            "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F"))
        self.assertEqual(openings.share_url("email", "http://a.example/j?x=1", "Dev & Ops"),
                         "mailto:?subject=Dev%20%26%20Ops&body=http%3A//a.example/j%3Fx%3D1")
        self.assertEqual(openings.share_url("myspace", job_url, "Dev"), "")


@freeze_time("2026-06-01 10:00:00")
class TestNewOpenings(TalentCase):

    @classmethod
    def setUpClass(cls):
        super(TestNewOpenings, cls).setUpClass()
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("web.base.url", BASE_URL)
        cls.company.nurture_opening_digest_days = 14
        Users = env["res.users"]
        cls.hr_officer = Users.create({
            "name": "T HR Officer", "login": "t_hr_officer", "email": "hr.officer@example.com",
            "groups_id": [(6, 0, [env.ref("hr.group_hr_user").id])]})
        tags = [(6, 0, (cls.tag_python | cls.tag_sql).ids)]
        # contactable, same department and skills: ranked and told
        cls.ann = cls.applicant("Ann Match", "ann.match@example.org", categ_ids=tags).talent_id
        cls.ann.linkedin_url = "linkedin.com/in/ann-match"
        # never asked for consent: ranked for the recruiter, never emailed
        cls.ben = cls.applicant("Ben <b>Bold</b>", "ben.noconsent@example.org",
                                categ_ids=tags).talent_id
        cls.ben.linkedin_url = "javascript:alert(1)"
        # contactable, but nothing in common with engineering jobs
        cls.cid = cls.applicant("Cid Sales", "cid.sales@example.org", job=cls.job_sales,
                                categ_ids=[(6, 0, cls.tag_sales.ids)]).talent_id
        (cls.ann | cls.cid)._nurture_set_consent("given", "recruiter")
        cls.Activity = env["mail.activity"]
        cls.Mail = env["mail.mail"].sudo()

    def activities(self, job):
        return self.Activity.search([("res_model", "=", "hr.job"), ("res_id", "=", job.id)])

    def notices(self, talents=None):
        """new-openings emails queued (by the digest cron) for these talents."""
        template = self.env.ref("candidate_nurture.mail_template_new_openings")
        talents = talents or (self.ann | self.ben | self.cid)
        return self.Mail.search([("model", "=", "hr.talent"), ("res_id", "in", talents.ids),
                                 ("subject", "=like", template.subject.split("$")[0] + "%")])

    def new_job(self, user=None, **values):
        vals = {"name": "T Platform Engineer", "department_id": self.dep_eng.id,
                "user_id": self.recruiter.id,
                "talent_category_ids": [(6, 0, self.tag_python.ids)]}
        vals.update(values)
        return self.env["hr.job"].sudo(user or self.recruiter).create(vals)

    def test_job_created_recruiting_is_announced_once(self):
        job = self.new_job()
        self.assertEqual(job.state, "recruit", "Odoo 11 creates jobs recruiting")
        self.assertEqual((job.nurture_opening_running, job.nurture_opening_count), (True, 1))
        # matches: both engineers, the one without consent too (for the recruiter)
        matches = self.env["hr.talent.match"].search([("job_id", "=", job.id)])
        self.assertEqual(matches.mapped("talent_id"), self.ann | self.ben)
        self.assertFalse(matches.filtered(lambda m: m.talent_id == self.ben).is_contactable)
        # one activity for the job's recruiter, listing them
        activity = self.activities(job)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.recruiter)
        self.assertIn("Ann Match", activity.note)
        self.assertIn('href="https://www.linkedin.com/in/ann-match"', activity.note)
        self.assertIn("Ben &lt;b&gt;Bold&lt;/b&gt;", activity.note, "names are escaped")
        self.assertNotIn("javascript:", activity.note)
        self.assertIn("no consent to be contacted yet", activity.note)
        # one queued notice per contactable talent it suits, none for the others
        self.assertEqual(job, self.ann.opening_pending_job_ids)
        self.assertFalse(self.ben.opening_pending_job_ids, "no consent, never emailed")
        self.assertFalse(self.cid.opening_pending_job_ids, "another field")
        self.env["hr.talent"]._cron_opening_digest()
        self.assertEqual(len(self.notices(self.ann)), 1)
        self.assertFalse(self.notices(self.ben | self.cid))
        self.assertIn("T Platform Engineer", self.notices(self.ann).body_html)

        # launch (already recruiting), raise positions, publish, as other users:
        # the same opening, nothing announced again
        job.sudo(self.hr_officer).set_recruit()
        job.sudo(self.manager).write({"no_of_recruitment": 3})
        job.sudo(self.manager).write({"website_published": True})
        self.assertEqual(job.nurture_opening_count, 1)
        self.assertEqual(len(self.activities(job)), 1)
        self.assertFalse(self.ann.opening_pending_job_ids)
        with freeze_time("2026-06-20 10:00:00"):  # past the digest period
            self.env["hr.talent"]._cron_opening_digest()
        self.assertEqual(len(self.notices()), 1, "no duplicate notice")

    def test_closed_and_reopened(self):
        job = self.new_job()
        # the same day: stop and launch again (as an HR officer) is the same opening
        job.sudo(self.hr_officer).set_open()
        self.assertFalse(job.nurture_opening_running)
        job.sudo(self.hr_officer).set_recruit()
        self.assertEqual((job.nurture_opening_running, job.nurture_opening_count), (True, 1))
        self.assertEqual(len(self.activities(job)), 1)
        # closed, then launched again weeks later: a new opening
        with freeze_time("2026-06-10 10:00:00"):
            job.sudo(self.recruiter).set_open()
        with freeze_time("2026-07-01 10:00:00"):
            job.sudo(self.recruiter).set_recruit()
        self.assertEqual(job.nurture_opening_count, 2)
        self.assertEqual(job.nurture_opening_date, "2026-07-01")
        self.assertEqual(len(self.activities(job)), 2)

    def test_positions_from_none_and_publishing_open_a_job(self):
        job = self.new_job(no_of_recruitment=0)
        self.assertFalse(job.nurture_opening_count, "recruiting nobody is not an opening")
        job.sudo(self.recruiter).write({"no_of_recruitment": 2})
        self.assertEqual(job.nurture_opening_count, 1)
        closed = self.new_job(name="T Closed Job", state="open")
        self.assertFalse(closed.nurture_opening_count)
        closed.sudo(self.manager).write({"website_published": True})
        self.assertTrue(closed.website_published)
        self.assertEqual(closed.nurture_opening_count, 1, "published: people can apply")
        self.assertIn(closed, self.ann.opening_pending_job_ids)

    def test_hr_officer_without_recruitment_rights_launches_recruitment(self):
        """Odoo's own hr flow (test_open2recruit2close_job) with the addon installed."""
        officer = self.hr_officer
        self.assertFalse(officer.has_group("hr_recruitment.group_hr_recruitment_user"))
        job = self.env["hr.job"].sudo(officer).create({
            "name": "T Officer Job", "department_id": self.dep_eng.id})
        job.set_open()
        with freeze_time("2026-06-02 10:00:00"):
            job.set_recruit()
        self.assertEqual((job.state, job.no_of_recruitment), ("recruit", 1))
        self.assertEqual(job.nurture_opening_count, 2)
        # the talents were ranked and told, but the officer still sees none of it
        self.assertTrue(job.sudo().talent_match_ids)
        with self.assertRaises(AccessError):
            self.env["hr.talent.match"].sudo(officer).search([("job_id", "=", job.id)])
        with self.assertRaises(AccessError):
            job.sudo(officer).action_open_talent_matches()
        # no recruiter on the job: the activities go to a recruitment manager
        users = self.activities(job).mapped("user_id")
        self.assertTrue(users)
        self.assertNotIn(officer, users)
        for user in users:
            self.assertTrue(user.has_group("hr_recruitment.group_hr_recruitment_manager"))

    def test_job_without_department_tags_or_recruiter(self):
        bare = self.new_job(name="T Bare Job", department_id=False, user_id=False,
                            talent_category_ids=[(5, 0, 0)])
        activity = self.activities(bare)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.recruiter, "who opened it, a recruiter")
        self.assertIn("No matching talents", activity.summary)
        self.assertIn("No talent in the pool matches this job yet", activity.note)
        self.assertIn("no department and no Skills Sought", activity.note)
        self.assertFalse(self.ann.opening_pending_job_ids)
        # tags alone are enough for sensible matches
        tagged = self.new_job(name="T Tagged Job", department_id=False, user_id=False)
        self.assertEqual(tagged.talent_match_ids.mapped("talent_id"), self.ann | self.ben)
        self.assertEqual(self.ann.opening_pending_job_ids, tagged,
                         "ranked and contactable: told even without a department")
        self.assertIn("Talents to contact", self.activities(tagged).summary)

    def test_declined_or_withdrawn_are_not_ranked(self):
        self.ben._nurture_set_consent("withdrawn", "recruiter")
        job = self.new_job()
        self.assertEqual(job.talent_match_ids.mapped("talent_id"), self.ann)

    def test_share_links_of_a_published_job(self):
        job = self.new_job()
        self.assertFalse(job.nurture_share_linkedin_url, "not on the careers page")
        job.website_published = True
        job.invalidate_cache()
        public = job.nurture_public_url("linkedin")
        self.assertTrue(public.startswith(
            "%s/jobs/detail/%s?utm_source=LinkedIn&utm_medium=Social+Network" % (
                BASE_URL, slug(job))))
        self.assertEqual(job.nurture_share_linkedin_url,
                         openings.share_url("linkedin", public, job.name))
        self.assertIn("x.com/intent/tweet", job.nurture_share_x_url)
        self.assertIn("utm_source%3DFacebook", job.nurture_share_facebook_url)
        self.assertTrue(job.nurture_share_email_url.startswith("mailto:?subject=T%20Platform"))

    def test_new_openings_email_links_to_the_careers_page(self):
        job = self.new_job(website_published=True)
        self.env["hr.talent"]._cron_opening_digest()
        body = self.notices(self.ann).body_html
        token = self.ann._nurture_token(JOB_TOKEN_PURPOSE)
        self.assertIn("%s/candidate/job/%s/%d?page=apply&amp;channel=talent_pool" % (
            BASE_URL, token, job.id), body)
        self.assertIn("%s/candidate/job/%s/%d?page=detail" % (BASE_URL, token, job.id), body)
        # the link to pass on carries no personal token
        self.assertIn("Pass on this link", body)
        self.assertIn("%s/jobs/detail/%s?utm_source=Talent+Referral" % (BASE_URL, slug(job)), body)

    def test_digest_drops_openings_closed_meanwhile(self):
        job = self.new_job()
        job.sudo(self.recruiter).set_open()
        self.env["hr.talent"]._cron_opening_digest()
        self.assertFalse(self.notices(), "the only opening closed: no email")
        self.assertFalse(self.ann.opening_pending_job_ids)

    def invite_to_apply(self, match, user):
        """Invite to Apply as the web client does it: the composer opened by
        the match's action, its template rendered for the talent, sent."""
        action = match.sudo(user).action_invite_to_apply()
        Composer = self.env["mail.compose.message"].sudo(user).with_context(**action["context"])
        values = Composer.onchange_template_id(
            action["context"]["default_template_id"], "comment", "hr.talent",
            match.talent_id.id)["value"]
        return Composer.create(values).send_mail_action()

    def test_invite_to_apply(self):
        job = self.new_job()
        match_ann = job.talent_match_ids.filtered(lambda m: m.talent_id == self.ann)
        match_ben = job.talent_match_ids.filtered(lambda m: m.talent_id == self.ben)
        with self.assertRaises(UserError):  # no public page to link to yet
            match_ann.sudo(self.recruiter).action_invite_to_apply()
        job.website_published = True
        with self.assertRaises(UserError):  # Ben gave no consent: nothing is sent
            match_ben.sudo(self.recruiter).action_invite_to_apply()
        self.assertFalse(self.Mail.search([("res_id", "=", self.ann.id),
                                           ("model", "=", "hr.talent")]))
        with self.assertRaises(AccessError):
            match_ann.sudo(self.employee).action_invite_to_apply()
        self.invite_to_apply(match_ann, self.recruiter)
        mail = self.Mail.search([("res_id", "=", self.ann.id), ("model", "=", "hr.talent")])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "T Platform Engineer at %s: would you apply?" % (
            self.company.name))
        self.assertEqual(mail.email_to, "ann.match@example.org")
        self.assertIn("%s/candidate/job/%s/%d?page=apply&amp;channel=talent_pool" % (
            BASE_URL, self.ann._nurture_token(JOB_TOKEN_PURPOSE), job.id), mail.body_html)
        self.assertTrue(match_ann.invited_date)
        # ranking again keeps who was invited; inviting twice is refused
        job._nurture_compute_talent_matches()
        match_ann = job.talent_match_ids.filtered(lambda m: m.talent_id == self.ann)
        self.assertTrue(match_ann.invited_date)
        with self.assertRaises(UserError):
            match_ann.sudo(self.recruiter).action_invite_to_apply()
        self.assertEqual(len(self.Mail.search([("res_id", "=", self.ann.id),
                                               ("model", "=", "hr.talent")])), 1)

    def test_apply_link_links_the_application_and_marks_its_source(self):
        job = self.new_job(website_published=True)
        Applicant = self.env["hr.applicant"].sudo()
        link = {"talent_id": self.ann.id, "job_id": job.id, "channel": "talent_pool"}
        form = {"name": "Ann Match's Application", "partner_name": "Ann Match",
                "email_from": "ANN.MATCH@example.org ",
                "job_id": job.id, "department_id": job.department_id.id}
        applicant = Applicant.create(Applicant._nurture_values_from_talent_link(link, form))
        self.assertEqual(applicant.talent_id, self.ann)
        self.assertEqual(applicant.source_id, self.env.ref(
            "candidate_nurture.utm_source_talent_pool"))
        self.assertEqual(applicant.medium_id, self.env.ref("utm.utm_medium_email"))
        self.assertEqual(applicant.campaign_id, self.env.ref("hr_recruitment.utm_campaign_job"))
        # a link passed on to someone else: their own talent, still marked
        forwarded = Applicant.create(Applicant._nurture_values_from_talent_link(
            dict(link, channel="followup"), dict(form, partner_name="Friend",
                                                 email_from="friend@example.org")))
        self.assertNotEqual(forwarded.talent_id, self.ann)
        self.assertEqual(forwarded.source_id.name, "Talent Follow-up")

    def test_message_on_linkedin(self):
        action = self.ann.sudo(self.recruiter).action_message_linkedin()
        self.assertEqual(action["url"], "https://www.linkedin.com/in/ann-match")
        with self.assertRaises(UserError):
            self.ben.sudo(self.recruiter).action_message_linkedin()
