"""Re-engagement funnel and candidate-experience reports on a known scenario.

Company A: five refusals walked through every step of the funnel (Ana goes all
the way to a hire), one archived applicant nobody wrote to, one talent
anonymised, one job deleted. Company B: one refusal of its own. The reports
must give exact counts and rates per slice, each company seeing only its own.
"""
import re

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval

from .common import NurtureCase
from .followup_common import run_followups

CLICK = re.compile(r'href="(http://nurture\.example/r/([A-Za-z0-9]+)/n/([0-9]+-[A-Za-z0-9_-]+))"')
REPLY = """From: {sender}
To: followup@company.example
Subject: Re: {subject}
Message-ID: <funnel-reply-{tag}@candidates.example>
In-Reply-To: {in_reply_to}
References: {in_reply_to}
Content-Type: text/plain; charset="utf-8"

Thanks! I would love to hear about the new roles.
"""
PERSONAL = ("Your walkthrough of the billing incident was the clearest we heard; the team "
            "still quotes your idea of a replayable event log.")


class FunnelCase(NurtureCase):

    @classmethod
    def setUpClass(cls):
        super(FunnelCase, cls).setUpClass()
        try:
            cls._build_fixtures()
            cls._walk_the_scenario()
        except Exception:
            # unittest skips tearDownClass when setUpClass fails: release the cursor
            # (and its locks) here, or every later test class would wait for them
            cls.tearDownClass()
            raise

    @classmethod
    def _build_fixtures(cls):
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("web.base.url", "http://nurture.example")
        Company = env["res.company"]
        cls.company_a = Company.create({"name": "R Company A", "email": "jobs@a.example"})
        cls.company_b = Company.create({"name": "R Company B", "email": "jobs@b.example"})
        Stage = env["hr.recruitment.stage"]
        cls.stage_new = Stage.create({"name": "R New", "sequence": 801})
        cls.stage_screen = Stage.create({"name": "R Screening", "sequence": 802})
        cls.stage_interview = Stage.create({"name": "R Interview", "sequence": 803})
        for company in (cls.company_a, cls.company_b):
            company.write({"nurture_personal_stage_id": cls.stage_interview.id,
                           "nurture_silver_stage_id": cls.stage_interview.id,
                           "nurture_silver_min_priority": False,
                           "nurture_silver_use_reason": True,
                           "nurture_consent_months": 24, "nurture_consent_renewal_days": 30})
        Users = env["res.users"].with_context(no_reset_password=True)
        user_group = env.ref("hr_recruitment.group_hr_recruitment_user")
        manager_group = env.ref("hr_recruitment.group_hr_recruitment_manager")

        def user(login, name, company, group):
            return Users.create({
                "name": name, "login": login, "email": "%s@company.example" % login,
                "company_id": company.id, "company_ids": [(6, 0, company.ids)], "tz": "UTC",
                "groups_id": [(6, 0, [group.id])]})
        cls.r1 = user("r_rita", "Rita Recruiter", cls.company_a, user_group)
        cls.r2 = user("r_raj", "Raj Recruiter", cls.company_a, user_group)
        cls.manager_a = user("r_mona", "Mona Manager", cls.company_a, manager_group)
        cls.employee_a = user("r_emil", "Emil Employee", cls.company_a,
                              env.ref("base.group_user"))
        cls.recruiter_b = user("r_bert", "Bert Recruiter", cls.company_b, user_group)
        cls.manager_b = user("r_bea", "Bea Manager", cls.company_b, manager_group)

        cls.dep_eng = env["hr.department"].create({"name": "R Engineering",
                                                   "company_id": cls.company_a.id})
        cls.dep_sales = env["hr.department"].create({"name": "R Sales",
                                                     "company_id": cls.company_a.id})
        Job = env["hr.job"].with_context(nurture_no_rediscovery=True)
        cls.job_dev = Job.create({"name": "R Developer", "department_id": cls.dep_eng.id,
                                  "company_id": cls.company_a.id})
        cls.job_sales = Job.create({"name": "R Account Manager", "company_id": cls.company_a.id,
                                    "department_id": cls.dep_sales.id})
        cls.job_temp = Job.create({"name": "R Temporary Role", "company_id": cls.company_a.id,
                                   "department_id": cls.dep_sales.id})
        cls.job_b = Job.create({"name": "R B Developer", "company_id": cls.company_b.id})
        Reason = env["hr.applicant.refuse.reason"]
        cls.reason_filled = Reason.create({"name": "R Position filled",
                                           "is_pool_eligible": True, "cooloff_days": 30})
        cls.reason_skills = Reason.create({"name": "R Skills gap", "cooloff_days": 90})
        cls.pool = env["hr.talent.pool"].create({"name": "R Silver pool", "user_id": cls.r1.id})
        model_talent = env["ir.model"]._get("hr.talent").id
        cls.tpl_step1 = env["mail.template"].create({
            "name": "R openings", "model_id": model_talent,
            "subject": "Openings for you, ${object.name}",
            "email_from": "jobs@a.example", "email_to": "${object.email | safe}",
            "auto_delete": False,
            "body_html": '<p>Dear ${object.name}, see <a href="http://nurture.example/jobs/'
                         'detail/7?utm_source=nurture">our openings</a> or '
                         '<a href="${object.get_candidate_page_url()}">your page</a>.</p>'})
        cls.sequence = env["hr.talent.sequence"].create({
            "name": "R Keep in touch", "audience": "all",
            "refuse_reason_ids": [(6, 0, (cls.reason_filled | cls.reason_skills).ids)],
            "step_ids": [
                (0, 0, {"sequence": 1, "name": "R Openings", "delay_days": 30, "action": "mail",
                        "template_id": cls.tpl_step1.id}),
                (0, 0, {"sequence": 2, "name": "R News", "delay_days": 60, "action": "mail",
                        "template_id": env.ref(
                            "candidate_nurture.mail_template_followup_news").id})]})
        cls.template = env.ref("candidate_nurture.mail_template_refuse_feedback")

    # ------------------------------------------------------------------
    # The scenario
    # ------------------------------------------------------------------
    @classmethod
    def applicant(cls, name, job, stage, user, last_stage, company=None, **values):
        vals = {"name": "%s for %s" % (name, job.name), "partner_name": name,
                "email_from": "%s@candidates.example" % name.split()[0].lower(),
                "job_id": job.id, "stage_id": stage.id, "user_id": user.id,
                "company_id": (company or cls.company_a).id}
        vals.update(values)
        applicant = cls.env["hr.applicant"].create(vals)
        applicant.date_last_stage_update = last_stage
        return applicant

    @classmethod
    def refuse(cls, applicants, user, reason, **values):
        Wizard = cls.env["hr.applicant.refuse.wizard"].sudo(user).with_context(
            active_model="hr.applicant", active_ids=applicants.ids)
        values.update(refuse_reason_id=reason.id, template_id=cls.template.id)
        wizard = Wizard.create(values)
        wizard.action_refuse()
        return wizard

    @classmethod
    def _walk_the_scenario(cls):
        env = cls.env
        with freeze_time("2026-01-05 09:00:00"):
            cls.ana = cls.applicant("Ana Alvarez", cls.job_dev, cls.stage_interview, cls.r1,
                                    "2026-01-03 09:00:00")
            cls.ben = cls.applicant("Ben Baker", cls.job_dev, cls.stage_screen, cls.r1,
                                    "2026-01-08 09:00:00")
        with freeze_time("2026-01-10 09:00:00"):
            cls.refuse(cls.ana, cls.r1, cls.reason_filled, pool_id=cls.pool.id,
                       personal_message=PERSONAL, strengths="Calm, structured incident analysis")
            cls.refuse(cls.ben, cls.r1, cls.reason_skills, strengths="Friendly, quick replies")
        cls.t_ana = cls.ana.talent_id
        cls.t_ben = cls.ben.talent_id
        with freeze_time("2026-01-11 09:00:00"):
            # Ana answers "was this helpful?" (what the public page does) and gives
            # her consent on her candidate page
            cls.ana.sudo().write({"refuse_feedback_helpful": "yes",
                                  "refuse_feedback_date": "2026-01-11 09:00:00"})
            cls.t_ana._nurture_engaged("feedback")
            cls.t_ana._nurture_set_consent("given", "candidate_page")
        with freeze_time("2026-01-12 09:00:00"):
            env["hr.talent.consent.wizard"].sudo(cls.r1).create({
                "talent_ids": [(6, 0, cls.t_ben.ids)], "state": "given",
                "note": "Said yes on the phone."}).action_record()
        with freeze_time("2026-01-20 09:00:00"):
            cls.finn = cls.applicant("Finn Becker", cls.job_b, cls.stage_new, cls.recruiter_b,
                                     "2026-01-19 09:00:00", company=cls.company_b)
            cls.refuse(cls.finn, cls.recruiter_b, cls.reason_filled)
        with freeze_time("2026-02-03 10:00:00"):
            cls.cleo = cls.applicant("Cleo Costa", cls.job_sales, cls.stage_interview, cls.r2,
                                     "2026-02-01 10:00:00")
            cls.dan = cls.applicant("Dan Dorsey", cls.job_temp, cls.stage_new, cls.r2,
                                    "2026-02-03 10:00:00")
            cls.eve = cls.applicant("Eve Evans", cls.job_dev, cls.stage_interview, cls.r1,
                                    "2026-02-02 10:00:00")
            cls.gus = cls.applicant("Gus Gray", cls.job_sales, cls.stage_new, cls.r2,
                                    "2026-02-02 10:00:00")
        with freeze_time("2026-02-05 10:00:00"):
            cls.refuse(cls.cleo, cls.r2, cls.reason_filled, personal_message=PERSONAL,
                       improvements="Quantify the results of your last two deals")
            cls.refuse(cls.dan, cls.r2, cls.reason_skills)
        with freeze_time("2026-02-06 10:00:00"):
            # refused without the wizard and without a reason, then picked up by
            # the backfill; Gus is archived the Odoo 11 way, no message at all
            cls.eve.write({"refuse_date": "2026-02-06 10:00:00", "active": False})
            env["hr.talent.funnel"]._nurture_backfill()
            cls.gus.write({"active": False})
        with freeze_time("2026-02-07 10:00:00"):
            cls.cleo.sudo().write({"refuse_feedback_helpful": "no",
                                   "refuse_feedback_comment": "Too generic, sorry",
                                   "refuse_feedback_date": "2026-02-07 10:00:00"})
            cls.cleo.talent_id._nurture_engaged("feedback")
        with freeze_time("2026-02-10 10:00:00"):
            # step 1 of the follow-up is due for Ana and Ben (30 days), who agreed
            run_followups(env)
            cls.step_mails = env["mail.mail"].sudo().search([
                ("nurture_enrollment_id.talent_id", "in", (cls.t_ana | cls.t_ben).ids)])
            cls.sink.clear()
            cls._deliver_class_mail()
            cls.ana_body = [cls.sink.body_text(m["message"])
                            for m in cls.sink.received_by("ana@candidates.example")
                            if m["message"]["Subject"].startswith("Openings")][0]
            # Ana clicks the openings link of her email; Ben replies to his
            link = CLICK.search(cls.ana_body)
            assert link, cls.ana_body
            cls.click_code, cls.click_token = link.group(2), link.group(3)
            cls.click_target = env["link.tracker.click"]._nurture_click(
                cls.click_code, cls.click_token)
            ben_mail = cls.step_mails.filtered(
                lambda m: m.nurture_enrollment_id.talent_id == cls.t_ben)
            env["mail.thread"].message_process(False, REPLY.format(
                sender="Ben Baker <ben@candidates.example>", subject=ben_mail.subject,
                tag=cls.t_ben.id, in_reply_to=ben_mail.message_id))
        with freeze_time("2026-02-15 10:00:00"):
            cls.event = env["event.event"].create({
                "name": "R Open House", "date_begin": "2026-02-20 16:00:00",
                "date_end": "2026-02-20 19:00:00", "seats_availability": "unlimited",
                "company_id": cls.company_a.id})
            cls.event.button_confirm()
            invitation = env["hr.talent.invitation"].create(
                {"talent_id": cls.t_ana.id, "event_id": cls.event.id})
            invitation._nurture_answer("accept")
        with freeze_time("2026-02-20 17:00:00"):
            invitation.registration_id.button_reg_close()
            cls.dan.talent_id._nurture_anonymize("test")
        with freeze_time("2026-03-15 09:00:00"):
            cls.ana_again = cls.applicant("Ana Alvarez", cls.job_sales, cls.stage_new, cls.r2,
                                          "2026-03-15 09:00:00")
        with freeze_time("2026-04-15 09:00:00"):
            cls.ana_again.emp_id = env["hr.employee"].create({"name": "Ana Alvarez"})
        cls.job_temp.unlink()

    @classmethod
    def _deliver_class_mail(cls):
        mails = cls.env["mail.mail"].sudo().search([
            ("id", ">", cls.mail_watermark), ("state", "=", "outgoing")])
        import threading
        thread = threading.current_thread()
        testing = getattr(thread, "testing", False)
        thread.testing = False
        try:
            mails.send(auto_commit=False)
        finally:
            thread.testing = testing

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def groups(self, model, groupby, measures, user=None, domain=None):
        """{group value: row} of a report read as user (the recruiter by default)."""
        Report = self.env[model].sudo(user or self.r1).with_context(tz="UTC")
        if domain is None:
            domain = [("company_id", "=", self.company_a.id)]
        rows = Report.read_group(domain, measures + [groupby.split(":")[0]], [groupby],
                                 lazy=False)
        result = {}
        for row in rows:
            value = row[groupby]
            result[value[1] if isinstance(value, tuple) else value] = row
        return result


class TestFunnelReport(FunnelCase):

    STEP_MEASURES = ["refused_count", "consent_count", "contacted_count", "engaged_count",
                     "event_count", "applied_count", "hired_count"]
    RATES = ["consent_rate", "contacted_rate", "engaged_rate", "event_rate", "applied_rate",
             "hired_rate"]

    def counts(self, row):
        return tuple(row[m] for m in self.STEP_MEASURES)

    def rates(self, row):
        return tuple(round(row[m], 2) for m in self.RATES)

    def test_each_talent_walked_the_steps_it_did(self):
        ana = self.t_ana.funnel_ids
        self.assertEqual(len(ana), 1, "one row per refusal")
        self.assertEqual(
            (ana.refuse_date, ana.consent_date, ana.contacted_date, ana.engaged_date,
             ana.engaged_kind, ana.event_date, ana.applied_date, ana.hired_date),
            ("2026-01-10 09:00:00", "2026-01-11 09:00:00", "2026-02-10 10:00:00",
             "2026-01-11 09:00:00", "feedback", "2026-02-20 17:00:00", "2026-03-15 09:00:00",
             "2026-04-15 09:00:00"))
        self.assertEqual((ana.pool_id, ana.sequence_id, ana.silver_medalist, ana.user_id),
                         (self.pool, self.sequence, True, self.r1))
        ben = self.t_ben.funnel_ids
        self.assertEqual((ben.consent_date, ben.contacted_date, ben.engaged_date,
                          ben.engaged_kind, ben.event_date, ben.applied_date),
                         ("2026-01-12 09:00:00", "2026-02-10 10:00:00", "2026-02-10 10:00:00",
                          "replied", False, False))
        eve = self.eve.talent_id.funnel_ids
        self.assertEqual((eve.refuse_date, eve.reason_id.id, eve.sequence_id.id),
                         ("2026-02-06 10:00:00", False, False))
        dan = self.env["hr.talent.funnel"].search([("applicant_id", "=", self.dan.id)])
        self.assertFalse(dan.job_id, "the job was deleted, the refusal still counts")
        self.assertEqual(dan.department_id, self.dep_sales)

    def test_steps_are_reached_once(self):
        ana = self.t_ana.funnel_ids
        with freeze_time("2026-06-01 09:00:00"):
            self.t_ana._nurture_set_consent("given", "recruiter")
            self.t_ana._nurture_engaged("replied")
            self.t_ana._nurture_funnel_reach("hired")
        ana.invalidate_cache()
        self.assertEqual((ana.consent_date, ana.engaged_date, ana.engaged_kind, ana.hired_date),
                         ("2026-01-11 09:00:00", "2026-01-11 09:00:00", "feedback",
                          "2026-04-15 09:00:00"))

    def test_funnel_by_reason(self):
        by_reason = self.groups("hr.talent.funnel.report", "reason_id",
                                self.STEP_MEASURES + self.RATES)
        self.assertEqual(sorted(by_reason, key=str), sorted(
            ["R Position filled", "R Skills gap", False], key=str))
        filled, skills = by_reason["R Position filled"], by_reason["R Skills gap"]
        self.assertEqual(self.counts(filled), (2, 1, 1, 2, 1, 1, 1))
        self.assertEqual(self.rates(filled), (50.0, 50.0, 100.0, 50.0, 50.0, 50.0))
        self.assertEqual(self.counts(skills), (2, 1, 1, 1, 0, 0, 0))
        self.assertEqual(self.rates(skills), (50.0, 50.0, 50.0, 0.0, 0.0, 0.0))
        self.assertEqual(self.counts(by_reason[False]), (1, 0, 0, 0, 0, 0, 0),
                         "a refusal without a reason is counted under None")

    def test_funnel_by_month_cohort(self):
        by_month = self.groups("hr.talent.funnel.report", "refuse_date:month",
                               self.STEP_MEASURES + self.RATES)
        self.assertEqual(set(by_month), {"January 2026", "February 2026"})
        self.assertEqual(self.counts(by_month["January 2026"]), (2, 2, 2, 2, 1, 1, 1))
        self.assertEqual(self.rates(by_month["January 2026"]),
                         (100.0, 100.0, 100.0, 50.0, 50.0, 50.0))
        self.assertEqual(self.counts(by_month["February 2026"]), (3, 0, 0, 1, 0, 0, 0))
        self.assertEqual(round(by_month["February 2026"]["engaged_rate"], 2), 33.33)

    def test_funnel_by_job_department_recruiter_pool_sequence(self):
        Report = "hr.talent.funnel.report"
        refused = lambda groups: dict((k, v["refused_count"]) for k, v in groups.items())  # noqa: E731
        self.assertEqual(refused(self.groups(Report, "job_id", ["refused_count"])),
                         {"R Developer": 3, "R Account Manager": 1, False: 1})
        self.assertEqual(refused(self.groups(Report, "department_id", ["refused_count"])),
                         {"R Engineering": 3, "R Sales": 2})
        self.assertEqual(refused(self.groups(Report, "user_id", ["refused_count"])),
                         {"Rita Recruiter": 3, "Raj Recruiter": 2})
        self.assertEqual(refused(self.groups(Report, "pool_id", ["refused_count"])),
                         {"R Silver pool": 1, False: 4})
        by_sequence = self.groups(Report, "sequence_id", self.STEP_MEASURES)
        self.assertEqual(self.counts(by_sequence["R Keep in touch"]), (4, 2, 2, 3, 1, 1, 1))
        self.assertEqual(self.counts(by_sequence[False]), (1, 0, 0, 0, 0, 0, 0))

    def test_funnel_graph_counts_each_step(self):
        by_step = self.groups("hr.talent.funnel.step.report", "step", ["nbr"])
        self.assertEqual(dict((k, v["nbr"]) for k, v in by_step.items()), {
            "1_refused": 5, "2_consent": 2, "3_contacted": 2, "4_engaged": 3, "5_event": 1,
            "6_applied": 1, "7_hired": 1})
        rows = self.env["hr.talent.funnel.step.report"].sudo(self.r1).read_group(
            [("company_id", "=", self.company_a.id)], ["nbr", "step", "reason_id"],
            ["step", "reason_id"], lazy=False)
        engaged_filled = [r for r in rows if r["step"] == "4_engaged"
                          and r["reason_id"] and r["reason_id"][1] == "R Position filled"]
        self.assertEqual(engaged_filled[0]["nbr"], 2)

    def test_silver_medalists_hired_later(self):
        action = self.env.ref("candidate_nurture.hr_talent_funnel_report_action_silver")
        domain = safe_eval(action.domain) + [("company_id", "=", self.company_a.id)]
        rows = self.env["hr.talent.funnel.report"].sudo(self.r1).search_read(
            domain, ["talent_id", "hired_days", "job_id"])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["talent_id"][0], self.t_ana.id)
        self.assertEqual(rows[0]["hired_days"], 95.0)
        self.assertEqual(rows[0]["job_id"][1], "R Developer")

    def test_anonymised_talents_are_counted_never_named(self):
        by_anon = self.groups("hr.talent.funnel.report", "is_anonymized", ["refused_count"])
        self.assertEqual(by_anon[True]["refused_count"], 1)
        self.assertEqual(by_anon[False]["refused_count"], 4)
        for model in ("hr.talent.funnel.report", "hr.talent.funnel.step.report",
                      "hr.applicant.experience.report", "hr.talent.followup.report"):
            Report = self.env[model].sudo(self.r1)
            records = Report.search([("company_id", "=", self.company_a.id)])
            fields = [f for f in ("talent_id", "applicant_id", "feedback_comment")
                      if f in Report._fields]
            text = repr(records.read(fields))
            self.assertNotIn("Dorsey", text, "%s names an anonymised talent" % model)
            self.assertIn("Alvarez", text)

    def test_each_company_sees_its_own(self):
        mine = self.env["hr.talent.funnel.report"].sudo(self.recruiter_b).search([])
        self.assertEqual(mine.mapped("applicant_id"), self.finn)
        self.assertEqual(self.groups("hr.talent.funnel.report", "reason_id", ["refused_count"],
                                     user=self.recruiter_b, domain=[])
                         ["R Position filled"]["refused_count"], 1)
        theirs = self.env["hr.talent.funnel.report"].sudo(self.r1).search([])
        self.assertNotIn(self.finn, theirs.mapped("applicant_id"))
        self.assertEqual(len(theirs), 5)
        for model in ("hr.talent.funnel", "hr.talent.engagement", "hr.talent.funnel.step.report",
                      "hr.applicant.experience.report", "hr.talent.followup.report"):
            theirs = self.env[model].sudo(self.recruiter_b).search([]).mapped("company_id")
            self.assertFalse(theirs - self.company_b, model)
            mine = self.env[model].sudo(self.r1).search([]).mapped("company_id")
            self.assertEqual(mine, self.company_a, model)

    def test_only_recruitment_users_read_reports(self):
        for model in ("hr.talent.funnel", "hr.talent.engagement", "hr.talent.funnel.report",
                      "hr.talent.funnel.step.report", "hr.applicant.experience.report",
                      "hr.talent.followup.report"):
            with self.assertRaises(AccessError):
                self.env[model].sudo(self.employee_a).read_group([], ["company_id"],
                                                                 ["company_id"])
            with self.assertRaises(AccessError):
                self.env[model].sudo(self.r1).create({"company_id": self.company_a.id})

    def test_merging_talents_keeps_their_funnel(self):
        keep = self.env["hr.talent"].create({"name": "Ben B.", "company_id": self.company_a.id})
        row = self.t_ben.funnel_ids
        engagements = self.env["hr.talent.engagement"].search([("talent_id", "=", self.t_ben.id)])
        self.assertTrue(row and engagements)
        keep._nurture_merge(self.t_ben)
        self.assertEqual(keep.funnel_ids, row)
        self.assertEqual(engagements.mapped("talent_id"), keep)
        by_reason = self.groups("hr.talent.funnel.report", "reason_id", ["refused_count"])
        self.assertEqual(by_reason["R Skills gap"]["refused_count"], 2, "still counted once")

    def test_restoring_a_refusal_removes_it_from_the_funnel(self):
        self.assertTrue(self.env["hr.talent.funnel"].search([("applicant_id", "=", self.ben.id)]))
        self.ben.reset_applicant()
        self.assertFalse(self.env["hr.talent.funnel"].search(
            [("applicant_id", "=", self.ben.id)]))


class TestExperienceReport(FunnelCase):

    MEASURES = ["closed_count", "interviewed_count", "personal_count", "personal_rate",
                "email_days", "ghosted_count", "ghosted_rate", "answered_count",
                "helpful_count", "not_helpful_count", "helpful_rate"]

    def test_totals_of_the_company(self):
        rows = self.env["hr.applicant.experience.report"].sudo(self.r1).read_group(
            [("company_id", "=", self.company_a.id)], self.MEASURES, [])
        total = rows[0]
        self.assertEqual((total["closed_count"], total["interviewed_count"],
                          total["personal_count"], total["ghosted_count"],
                          total["answered_count"]), (6, 3, 2, 2, 2),
                         "Ana, Ben, Cleo, Dan, Eve refused, Gus archived; Ana's hire is not closed")
        self.assertEqual(round(total["personal_rate"], 2), 66.67,
                         "Eve was interviewed and got no feedback at all")
        self.assertEqual(round(total["ghosted_rate"], 2), 33.33)
        # days from the last stage change to the refusal email: 7, 2, 4, 2
        self.assertEqual(round(total["email_days"], 2), 3.75)
        self.assertEqual(total["helpful_rate"], 50.0)

    def test_ghosted_per_recruiter_and_department(self):
        by_user = self.groups("hr.applicant.experience.report", "user_id", self.MEASURES)
        self.assertEqual(by_user["Rita Recruiter"]["ghosted_count"], 1)  # Eve
        self.assertEqual(by_user["Raj Recruiter"]["ghosted_count"], 1)  # Gus
        self.assertEqual(round(by_user["Rita Recruiter"]["ghosted_rate"], 2), 33.33)
        self.assertEqual(by_user["Raj Recruiter"]["personal_rate"], 100.0)
        self.assertEqual(by_user["Rita Recruiter"]["personal_rate"], 50.0)
        by_dep = self.groups("hr.applicant.experience.report", "department_id", self.MEASURES)
        self.assertEqual((by_dep["R Engineering"]["closed_count"],
                          by_dep["R Engineering"]["ghosted_count"]), (3, 1))
        self.assertEqual((by_dep["R Sales"]["closed_count"],
                          by_dep["R Sales"]["ghosted_count"]), (3, 1))
        ghosted = self.env["hr.applicant.experience.report"].sudo(self.r1).search(
            [("company_id", "=", self.company_a.id), ("is_ghosted", "=", True)])
        self.assertEqual(ghosted.mapped("applicant_id"), self.eve | self.gus)

    def test_helpful_rate_per_reason_and_recruiter_with_comments(self):
        by_reason = self.groups("hr.applicant.experience.report", "reason_id", self.MEASURES)
        self.assertEqual((by_reason["R Position filled"]["answered_count"],
                          by_reason["R Position filled"]["helpful_rate"]), (2, 50.0))
        self.assertFalse(by_reason["R Skills gap"]["helpful_rate"], "nobody answered")
        by_user = self.groups("hr.applicant.experience.report", "user_id", self.MEASURES)
        self.assertEqual(by_user["Rita Recruiter"]["helpful_rate"], 100.0)
        self.assertEqual(by_user["Raj Recruiter"]["helpful_rate"], 0.0)
        # a click on the "Raj / not helpful" cell lists the comments
        action = self.env.ref("candidate_nurture.hr_applicant_experience_report_action_feedback")
        lines = self.env["hr.applicant.experience.report"].sudo(self.r2).search_read(
            safe_eval(action.domain) + [("user_id", "=", self.r2.id)],
            ["feedback_comment", "feedback_helpful"])
        self.assertEqual([(line["feedback_helpful"], line["feedback_comment"]) for line in lines],
                         [("no", "Too generic, sorry")])
        opened = self.env["hr.applicant.experience.report"].sudo(self.r2).browse(
            self.cleo.id).action_open_applicant()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("hr.applicant", self.cleo.id))


class TestFollowupReport(FunnelCase):

    def test_sent_engaged_stopped_per_step(self):
        by_step = self.groups("hr.talent.followup.report", "step_id",
                              ["done_count", "sent_count", "engaged_count", "clicked_count",
                               "stopped_count", "engaged_rate"])
        step1 = by_step["R Openings"]
        self.assertEqual((step1["done_count"], step1["sent_count"], step1["engaged_count"],
                          step1["clicked_count"], step1["stopped_count"], step1["engaged_rate"]),
                         (2, 2, 2, 1, 2, 100.0))
        self.assertEqual((by_step[False]["done_count"], by_step[False]["stopped_count"]), (0, 1),
                         "Dan's follow-up stopped before its first step")
        self.assertNotIn("R News", by_step, "nobody reached the second step")

    def test_stopped_and_why(self):
        by_reason = self.groups("hr.talent.followup.report", "stop_reason", ["stopped_count"])
        self.assertEqual(dict((k, v["stopped_count"]) for k, v in by_reason.items() if k),
                         {"applied": 1, "replied": 1, "anonymized": 1})


class TestClickTracking(FunnelCase):

    def test_click_is_counted_once_and_credited_to_the_step(self):
        self.assertNotIn('href="http://nurture.example/jobs/', self.ana_body,
                         "our job link goes through link_tracker")
        self.assertIn("/candidate/me/%d-" % self.t_ana.id, self.ana_body,
                      "the signed candidate page link is left alone")
        self.assertEqual(self.click_target,
                         "http://nurture.example/jobs/detail/7?utm_source=nurture")
        link = self.env["link.tracker.code"].search([("code", "=", self.click_code)]).link_id
        click = self.env["link.tracker.click"].search([("link_id", "=", link.id)])
        self.assertEqual(len(click), 1)
        self.assertFalse(click.ip, "no IP address is stored")
        self.assertEqual(click.link_id.count, 1)
        engagement = self.env["hr.talent.engagement"].search(
            [("talent_id", "=", self.t_ana.id), ("kind", "=", "clicked")])
        self.assertEqual((engagement.step_id.name, engagement.sequence_id), ("R Openings",
                                                                             self.sequence))
        # a second click, a forged token, an unknown code
        self.env["link.tracker.click"]._nurture_click(self.click_code, self.click_token)
        self.assertEqual(click.link_id.count, 1, "counted once per email")
        forged = self.click_token[:-2] + ("AA" if not self.click_token.endswith("AA") else "BB")
        self.assertEqual(self.env["link.tracker.click"]._nurture_click(self.click_code, forged),
                         self.click_target, "a forged token still gets the page")
        self.assertEqual(self.env["hr.talent.engagement"].search_count(
            [("talent_id", "=", self.t_ana.id), ("kind", "=", "clicked")]), 1,
            "and counts nothing")
        self.assertIsNone(self.env["link.tracker.click"]._nurture_click("nope", self.click_token))

    def test_no_open_pixel_unless_the_company_asks(self):
        self.assertNotIn("<img", self.ana_body)
        mail = self.step_mails.filtered(lambda m: m.res_id == self.t_ana.id)
        self.assertEqual(mail._get_tracking_url(), "",
                         "Odoo's newsletter pixel is removed for talents by default")
        self.company_a.nurture_open_tracking = True
        self.assertIn("/mail/track/", mail._get_tracking_url())
        body = mail.send_get_mail_body()
        pixel = re.search(r'/nurture/open/([0-9]+-[A-Za-z0-9_-]+)/blank\.gif', body)
        self.assertTrue(pixel)
        self.assertEqual(self.env["mail.mail"]._nurture_from_click_token(pixel.group(1)), mail)


class TestWeeklySummary(FunnelCase):

    @classmethod
    def _walk_the_scenario(cls):
        result = super(TestWeeklySummary, cls)._walk_the_scenario()
        cls.t_ben.sudo().consent_expiry_date = "2026-02-20"
        cls.env["mail.activity"].create({
            "res_model_id": cls.env["ir.model"]._get("hr.talent").id, "res_id": cls.t_ben.id,
            "activity_type_id": cls.env.ref("mail.mail_activity_data_todo").id,
            "summary": "Call Ben", "user_id": cls.r1.id, "date_deadline": "2026-02-01"})
        return result

    def summary_mails(self, company):
        return self.env["mail.mail"].sudo().search([
            ("id", ">", self.mail_watermark), ("subject", "like", company.name + ":")])

    def test_managers_get_their_company_figures(self):
        values = self.env["hr.talent.funnel"]._nurture_summary_values(
            self.company_a, now="2026-02-11 08:00:00")
        week = dict((step["label"], step["week"]) for step in values["steps"])
        self.assertEqual(week, {"Refused": 3, "Consent Given": 0, "Contacted": 2, "Engaged": 2,
                                "Attended an Event": 0, "Applied Again": 0, "Hired": 0})
        self.assertEqual((values["expiring_count"], values["overdue_count"],
                          values["not_helpful_count"]), (1, 1, 1))
        with freeze_time("2026-02-11 08:00:00"):
            self.env["hr.talent.funnel"]._cron_weekly_summary()
        mails = self.summary_mails(self.company_a)
        self.assertEqual(mails.mapped("recipient_ids"), self.manager_a.partner_id,
                         "the company's recruitment managers, nobody else")
        self.assertIn("Too generic, sorry", mails.body_html)
        self.assertIn("Ben Baker", mails.body_html)
        self.assertIn("Rita Recruiter: 1", mails.body_html)
        other = self.summary_mails(self.company_b)
        self.assertEqual(other.mapped("recipient_ids"), self.manager_b.partner_id)
        self.assertNotIn("Too generic", other.body_html)
        self.assertNotIn("Ben Baker", other.body_html)
        self.sink.clear()
        self.deliver_mail()
        received = self.sink.received_by("r_mona@company.example")
        self.assertEqual(len(received), 1)
        self.assertIn("Re-engagement this week", self.sink.body_text(received[0]["message"]))

    def test_recipients_and_switch(self):
        self.company_a.nurture_summary_user_ids = self.r1 | self.manager_a
        self.assertEqual(self.env["hr.talent.funnel"]._nurture_summary_recipients(
            self.company_a), self.manager_a, "only managers receive it, whoever is chosen")
        self.company_a.nurture_summary_active = False
        with freeze_time("2026-02-11 08:00:00"):
            self.env["hr.talent.funnel"]._cron_weekly_summary()
        self.assertFalse(self.summary_mails(self.company_a))
        self.company_a.nurture_summary_active = True
        # "Send the Summary Now" in the settings (which only administrators open)
        system = self.env.ref("base.group_system")
        admin_only = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "R Admin", "login": "r_admin", "company_id": self.company_a.id,
            "company_ids": [(6, 0, self.company_a.ids)], "groups_id": [(6, 0, system.ids)]})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].sudo(admin_only).create(
                {}).action_nurture_send_summary()
        self.manager_a.groups_id = [(4, system.id)]
        self.env["res.config.settings"].sudo(self.manager_a).create(
            {}).action_nurture_send_summary()
        self.assertEqual(len(self.summary_mails(self.company_a)), 1, "sent on demand")
