"""Shared set-up of the talent pool tests: own stages, jobs, tags, reasons, users."""
from odoo.tests.common import SavepointCase, at_install, post_install


# Odoo 11 runs at-install tests only when demo data is loaded, and `make test`
# installs without demo: run after install instead, as Odoo 11 always does.
@at_install(False)
@post_install(True)
class TalentCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TalentCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nolog=True, no_reset_password=True))
        env = cls.env
        cls.company = env.user.company_id
        Stage = env["hr.recruitment.stage"]
        cls.stage_new = Stage.create({"name": "T New", "sequence": 901})
        cls.stage_screen = Stage.create({"name": "T Screening", "sequence": 902})
        cls.stage_interview = Stage.create({"name": "T Interview", "sequence": 903})
        cls.stage_offer = Stage.create({"name": "T Offer", "sequence": 904})
        cls.dep_eng = env["hr.department"].create({"name": "T Engineering"})
        cls.dep_sales = env["hr.department"].create({"name": "T Sales"})
        Tag = env["hr.applicant.category"]
        cls.tag_python = Tag.create({"name": "T Python"})
        cls.tag_sql = Tag.create({"name": "T SQL"})
        cls.tag_sales = Tag.create({"name": "T Negotiation"})
        Job = env["hr.job"].with_context(nurture_no_rediscovery=True)
        cls.job_backend = Job.create({"name": "T Backend", "department_id": cls.dep_eng.id})
        cls.job_data = Job.create({"name": "T Data Engineer", "department_id": cls.dep_eng.id})
        cls.job_sales = Job.create({"name": "T Account Executive",
                                    "department_id": cls.dep_sales.id})
        Reason = env["hr.applicant.refuse.reason"]
        cls.reason_filled = Reason.create({"name": "T Position filled", "is_pool_eligible": True,
                                           "cooloff_days": 30})
        cls.reason_skills = Reason.create({"name": "T Skills gap", "cooloff_days": 180})
        Users = env["res.users"]
        cls.recruiter = Users.create({
            "name": "T Recruiter", "login": "t_recruiter", "email": "recruiter@example.com",
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
        cls.manager = Users.create({
            "name": "T Recruitment Manager", "login": "t_rec_manager",
            "email": "rec.manager@example.com",
            "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_manager").id])]})
        cls.employee = Users.create({
            "name": "T Employee", "login": "t_employee", "email": "employee@example.com",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
        # the rule under test: stage "T Interview" or later, 2 stars, pool-eligible reason
        cls.company.write({"nurture_silver_stage_id": cls.stage_interview.id,
                           "nurture_silver_min_priority": "2",
                           "nurture_silver_use_reason": True})

    @classmethod
    def applicant(cls, name, email=False, job=None, **values):
        job = job or cls.job_backend
        vals = {"name": job.name, "partner_name": name, "email_from": email,
                "job_id": job.id, "department_id": job.department_id.id,
                "stage_id": cls.stage_new.id}
        vals.update(values)
        return cls.env["hr.applicant"].create(vals)

    @staticmethod
    def refuse(applicant, reason, date):
        """What the refusal wizard does to an applicant (refusal fields, archive)."""
        applicant.write({"refuse_reason_id": reason.id, "refuse_date": date, "active": False})
        return applicant
