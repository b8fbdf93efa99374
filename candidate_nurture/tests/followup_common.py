"""Shared set-up of the consent and follow-up tests: own department, jobs, users, sequences."""
from .common import NurtureCase


class FollowupCase(NurtureCase):

    @classmethod
    def setUpClass(cls):
        super(FollowupCase, cls).setUpClass()
        env = cls.env
        cls.company = env.user.company_id
        cls.company.write({"nurture_consent_months": 24, "nurture_consent_renewal_days": 30,
                           "nurture_opening_digest_days": 14, "nurture_retention_days": 365,
                           "nurture_followup_max_attempts": 2})
        env["ir.config_parameter"].sudo().set_param("web.base.url", "http://nurture.example")
        cls.department = env["hr.department"].create({"name": "F Platform",
                                                      "nurture_public": True})
        cls.stage = env["hr.recruitment.stage"].create({"name": "F New", "sequence": 1})
        cls.company.nurture_personal_stage_id = env["hr.recruitment.stage"].create(
            {"name": "F Interview", "sequence": 999})
        Job = env["hr.job"].with_context(nurture_no_rediscovery=True)
        cls.job = Job.create({"name": "F Backend", "department_id": cls.department.id})
        Users = env["res.users"].with_context(no_reset_password=True)
        cls.recruiter = Users.create({
            "name": "F Recruiter", "login": "f_recruiter", "email": "f.recruiter@company.example",
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
        cls.manager = Users.create({
            "name": "F Manager", "login": "f_manager", "email": "f.manager@company.example",
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_manager").id])]})
        cls.tpl_checkin = env.ref("candidate_nurture.mail_template_followup_checkin")
        cls.tpl_news = env.ref("candidate_nurture.mail_template_followup_news")
        cls.sequence = env["hr.talent.sequence"].create({
            "name": "F Rhythm", "user_id": cls.recruiter.id,
            "step_ids": [
                (0, 0, {"sequence": 1, "name": "Check-in", "delay_days": 30, "action": "mail",
                        "template_id": cls.tpl_checkin.id}),
                (0, 0, {"sequence": 2, "name": "Personal call", "delay_days": 60,
                        "action": "activity", "activity_summary": "Personal check-in"}),
                (0, 0, {"sequence": 3, "name": "News", "delay_days": 90, "action": "mail",
                        "template_id": cls.tpl_news.id}),
            ]})
        cls.Enrollment = env["hr.talent.enrollment"]

    @classmethod
    def talent(cls, name, email="__auto__", consent=None, **values):
        if email == "__auto__":
            email = "%s@candidates.example" % name.lower().replace(" ", ".")
        vals = {"name": name, "email": email, "user_id": cls.recruiter.id}
        vals.update(values)
        talent = cls.env["hr.talent"].create(vals)
        if consent:
            talent._nurture_set_consent(consent, "recruiter")
        return talent

    def mails_of(self, talents):
        return self.env["mail.mail"].sudo().search([
            ("model", "=", "hr.talent"), ("res_id", "in", talents.ids),
            ("id", ">", self.mail_watermark)])

    def run_cron(self):
        return self.Enrollment._cron_advance()
