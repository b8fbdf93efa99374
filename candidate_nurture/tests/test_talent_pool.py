from odoo.exceptions import AccessError, UserError

from ..lib.talent import normalize_email
from .talent_common import TalentCase


class TestTalentMatching(TalentCase):
    """One talent per person across applications."""

    def test_email_variants_make_one_talent(self):
        first = self.applicant("Ann Bell", "Ann.Bell@Example.org")
        second = self.applicant("Ann Bell", "  ann.bell@example.ORG ", job=self.job_data)
        third = self.applicant("Ann B.", "Ann Bell <ANN.BELL@example.org>", job=self.job_sales)
        talent = first.talent_id
        self.assertTrue(talent)
        self.assertEqual(second.talent_id, talent)
        self.assertEqual(third.talent_id, talent)
        self.assertEqual(talent.email_normalized, "ann.bell@example.org")
        self.assertEqual(talent.application_count, 3)
        self.assertEqual(talent.job_ids, self.job_backend | self.job_data | self.job_sales)
        self.assertEqual(talent.department_ids, self.dep_eng | self.dep_sales)

    def test_no_email_never_merged_by_guess(self):
        first = self.applicant("Sam Doe")
        second = self.applicant("Sam Doe")
        not_an_email = self.applicant("Sam Doe", "sam doe")
        self.assertTrue(first.talent_id and second.talent_id and not_an_email.talent_id)
        self.assertEqual(len(first.talent_id | second.talent_id | not_an_email.talent_id), 3)

    def test_same_partner_makes_one_talent(self):
        partner = self.env["res.partner"].create({"name": "Kim Lee"})
        first = self.applicant("Kim Lee", partner_id=partner.id)
        second = self.applicant("Kim Lee", partner_id=partner.id, job=self.job_data)
        self.assertEqual(first.talent_id, second.talent_id)
        self.assertEqual(first.talent_id.partner_id, partner)

    def test_applicant_getting_an_email_joins_the_talent(self):
        known = self.applicant("Eve Stone", "eve@example.org")
        later = self.applicant("Eve Stone")
        orphan = later.talent_id
        self.assertNotEqual(orphan, known.talent_id)
        later.email_from = "EVE@example.org"
        self.assertEqual(later.talent_id, known.talent_id)
        self.assertFalse(orphan.active, "the empty talent left behind is archived")
        # an applicant alone that gets its first email keeps its talent
        alone = self.applicant("Zed Alone")
        talent = alone.talent_id
        alone.email_from = "zed@example.org"
        self.assertEqual(alone.talent_id, talent)
        self.assertEqual(talent.email_normalized, "zed@example.org")

    def test_track_record_is_aggregated(self):
        first = self.applicant("Rob Roy", "rob@example.org", stage_id=self.stage_offer.id,
                               priority="1", categ_ids=[(6, 0, [self.tag_python.id])])
        self.applicant("Rob Roy", "rob@example.org", job=self.job_data, priority="3",
                       stage_id=self.stage_screen.id, categ_ids=[(6, 0, [self.tag_sql.id])])
        talent = first.talent_id
        self.assertEqual(talent.furthest_stage_id, self.stage_offer)
        self.assertEqual(talent.furthest_job_id, self.job_backend)
        self.assertEqual(talent.best_priority, "3")
        self.assertEqual(talent.category_ids, self.tag_python | self.tag_sql)
        self.refuse(first, self.reason_filled, "2026-01-10 09:00:00")
        self.assertEqual(talent.application_count, 2, "refused (archived) applications count")
        self.assertEqual(talent.refuse_reason_ids, self.reason_filled)
        self.assertEqual(talent.cooloff_end_date, "2026-02-09")

    def test_existing_applicants_synced(self):
        applicant = self.env["hr.applicant"].with_context(nurture_no_talent_sync=True).create(
            {"name": "Old", "partner_name": "Old Timer", "email_from": "old@example.org"})
        self.assertFalse(applicant.talent_id)
        self.env["hr.applicant"]._nurture_sync_missing_talents()
        self.assertEqual(applicant.talent_id.email_normalized, "old@example.org")

    def test_normalize_email(self):
        self.assertEqual(normalize_email("  A.B@X.ORG "), "a.b@x.org")
        self.assertEqual(normalize_email('"Ann" <Ann@X.org>'), "ann@x.org")
        self.assertEqual(normalize_email(""), "")
        self.assertEqual(normalize_email("no email"), "")


class TestSilverMedalist(TalentCase):

    def test_rule_any_criterion_suffices(self):
        by_stage = self.applicant("A", "a@example.org", stage_id=self.stage_interview.id)
        by_rating = self.applicant("B", "b@example.org", priority="2")
        by_reason = self.refuse(self.applicant("C", "c@example.org"), self.reason_filled,
                                "2026-01-10 09:00:00")
        nothing = self.refuse(self.applicant("D", "d@example.org", priority="1",
                                             stage_id=self.stage_screen.id),
                              self.reason_skills, "2026-01-10 09:00:00")
        self.assertEqual(by_stage._nurture_silver_criteria(), ["stage"])
        self.assertEqual(by_rating._nurture_silver_criteria(), ["rating"])
        self.assertEqual(by_reason._nurture_silver_criteria(), ["reason"])
        self.assertTrue(by_stage._nurture_is_silver_medalist())
        self.assertFalse(nothing._nurture_is_silver_medalist())
        # criteria can be switched off
        self.company.write({"nurture_silver_stage_id": False,
                            "nurture_silver_min_priority": False,
                            "nurture_silver_use_reason": False})
        self.assertFalse(by_stage._nurture_is_silver_medalist())
        self.assertFalse(by_rating._nurture_is_silver_medalist())
        self.assertFalse(by_reason._nurture_is_silver_medalist())

    def test_flag_keeps_evidence_and_manual_override(self):
        applicant = self.applicant("Ida Vale", "ida@example.org", priority="3",
                                   stage_id=self.stage_offer.id)
        self.refuse(applicant, self.reason_filled, "2026-01-10 09:00:00")
        other = self.refuse(self.applicant("Nope", "nope@example.org"), self.reason_skills,
                            "2026-01-10 09:00:00")
        applicants = applicant | other
        applicants._nurture_sync_talent()
        flagged = applicants._nurture_flag_silver_medalist()
        talent = applicant.talent_id
        self.assertEqual(flagged, talent)
        self.assertTrue(talent.silver_medalist)
        self.assertFalse(other.talent_id.silver_medalist)
        self.assertEqual(talent.silver_job_id, self.job_backend)
        self.assertEqual(talent.silver_stage_id, self.stage_offer)
        self.assertEqual(talent.silver_priority, "3")
        self.assertEqual(talent.silver_reason_id, self.reason_filled)
        self.assertEqual(talent.silver_criteria,
                         "Stage reached, Rating, Pool-eligible refusal reason")
        talent.sudo(self.recruiter).action_unflag_silver()
        self.assertFalse(talent.silver_medalist)
        applicant._nurture_flag_silver_medalist()
        self.assertFalse(talent.silver_medalist, "the recruiter's unflag wins over the rule")
        talent.action_reset_silver()
        self.assertTrue(talent.silver_medalist)
        other.talent_id.sudo(self.recruiter).action_flag_silver()
        self.assertTrue(other.talent_id.silver_medalist)


class TestPoolsMergeApply(TalentCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolsMergeApply, cls).setUpClass()
        cls.pool = cls.env["hr.talent.pool"].create({"name": "T Silver 2026",
                                                     "department_id": cls.dep_eng.id})
        cls.app_a = cls.applicant("Pia One", "pia@example.org")
        cls.app_b = cls.applicant("Tom Two", "tom@example.org")

    def test_pool_wizard_bulk_from_applicant_list(self):
        wizard = self.env["hr.talent.pool.add.wizard"].sudo(self.recruiter).with_context(
            active_model="hr.applicant", active_ids=(self.app_a | self.app_b).ids,
            default_pool_id=self.pool.id).create({})
        self.assertEqual(wizard.pool_id, self.pool, "pool pre-filled from default_pool_id")
        self.assertEqual(wizard.applicant_ids, self.app_a | self.app_b)
        wizard.action_add()
        self.assertEqual(self.pool.talent_ids, self.app_a.talent_id | self.app_b.talent_id)
        self.assertEqual(self.pool.talent_count, 2)
        groups = self.env["hr.talent"].read_group(
            [("id", "in", self.pool.talent_ids.ids)], ["name"], ["pool_ids"])
        self.assertEqual([(g["pool_ids"][0], g["pool_ids_count"]) for g in groups],
                         [(self.pool.id, 2)])

    def test_pool_wizard_from_talents_and_empty(self):
        talent = self.app_a.talent_id
        wizard = self.env["hr.talent.pool.add.wizard"].with_context(
            active_model="hr.talent", active_ids=talent.ids).create({"pool_id": self.pool.id})
        wizard.action_add()
        self.assertIn(self.pool, talent.pool_ids)
        empty = self.env["hr.talent.pool.add.wizard"].create({"pool_id": self.pool.id})
        with self.assertRaises(UserError):
            empty.action_add()

    def test_merge_keeps_applications_messages_pools(self):
        keep, dup = self.app_a.talent_id, self.app_b.talent_id
        other_pool = self.env["hr.talent.pool"].create({"name": "T Open house"})
        dup.write({"pool_ids": [(4, other_pool.id)], "linkedin_url": "https://linkedin.example/tom"})
        keep.write({"pool_ids": [(4, self.pool.id)]})
        message = dup.message_post(body="Called, interested in data roles")
        activity = self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get("hr.talent").id, "res_id": dup.id,
            "summary": "Call back", "user_id": self.recruiter.id})
        # merging deletes a talent: a recruitment manager's job (see test_talent_merge)
        wizard = self.env["hr.talent.merge.wizard"].sudo(self.manager).with_context(
            active_model="hr.talent", active_ids=[keep.id, dup.id]).create({})
        self.assertEqual(wizard.dest_talent_id, keep)
        self.assertEqual(wizard.talent_id, dup)
        wizard.action_merge()
        self.assertFalse(dup.exists())
        self.assertEqual(keep.applicant_ids, self.app_a | self.app_b)
        self.assertEqual(keep.application_count, 2)
        self.assertEqual(keep.pool_ids, self.pool | other_pool)
        self.assertEqual(message.res_id, keep.id)
        self.assertIn(message, keep.message_ids)
        self.assertEqual(activity.res_id, keep.id)
        self.assertEqual(keep.linkedin_url, "https://linkedin.example/tom")

    def test_merge_into_itself_is_an_error(self):
        talent = self.app_a.talent_id
        wizard = self.env["hr.talent.merge.wizard"].create(
            {"talent_id": talent.id, "dest_talent_id": talent.id})
        with self.assertRaises(UserError):
            wizard.action_merge()

    def test_apply_to_job(self):
        talent = self.app_a.talent_id
        talent.write({"phone": "+49 30 1234", "linkedin_url": "https://linkedin.example/pia"})
        self.app_a.write({"categ_ids": [(6, 0, [self.tag_python.id])]})
        self.env["ir.attachment"].create({
            "name": "cv.txt", "datas_fname": "cv.txt", "datas": "Q1Y=",
            "res_model": "hr.applicant", "res_id": self.app_a.id})
        wizard = self.env["hr.talent.apply.wizard"].sudo(self.recruiter).create(
            {"talent_id": talent.id, "job_id": self.job_data.id})
        action = wizard.action_apply()
        applicant = self.env["hr.applicant"].browse(action["res_id"])
        self.assertEqual(applicant.talent_id, talent)
        self.assertEqual(applicant.job_id, self.job_data)
        self.assertEqual(applicant.email_from, "pia@example.org")
        self.assertEqual(applicant.partner_phone, "+49 30 1234")
        self.assertEqual(applicant.partner_name, "Pia One")
        self.assertEqual(applicant.categ_ids, self.tag_python)
        copied = self.env["ir.attachment"].search(
            [("res_model", "=", "hr.applicant"), ("res_id", "=", applicant.id)])
        self.assertEqual(copied.mapped("name"), ["cv.txt"])
        self.assertEqual(talent.application_count, 2)

    def test_apply_to_closed_job_is_an_error(self):
        closed = self.env["hr.job"].create({"name": "T Closed", "state": "open"})
        wizard = self.env["hr.talent.apply.wizard"].create(
            {"talent_id": self.app_a.talent_id.id, "job_id": closed.id})
        with self.assertRaisesRegex(UserError, "not recruiting"):
            wizard.action_apply()


class TestTalentAccess(TalentCase):

    def test_plain_employee_sees_nothing(self):
        self.applicant("Secret", "secret@example.org")
        for model in ("hr.talent", "hr.talent.pool", "hr.talent.match"):
            with self.assertRaises(AccessError):
                self.env[model].sudo(self.employee).search([])

    def test_recruiter_reads_and_edits_managers_configure_pools(self):
        talent = self.applicant("Open", "open@example.org").talent_id
        as_recruiter = talent.sudo(self.recruiter)
        self.assertEqual(as_recruiter.name, "Open")
        as_recruiter.write({"next_followup_date": "2026-03-01"})
        with self.assertRaises(AccessError):
            self.env["hr.talent.pool"].sudo(self.recruiter).create({"name": "Nope"})
        pool = self.env["hr.talent.pool"].sudo(self.manager).create({"name": "Managers' pool"})
        self.assertEqual(pool.sudo(self.recruiter).name, "Managers' pool")

    def test_talents_follow_their_company(self):
        other = self.env["res.company"].create({"name": "T Other Co"})
        applicant = self.applicant("Far Away", "far@example.org", company_id=other.id)
        talent = applicant.talent_id
        self.assertEqual(talent.company_id, other)
        same_email_here = self.applicant("Far Away", "far@example.org")
        self.assertNotEqual(same_email_here.talent_id, talent, "one talent per company")
        visible = self.env["hr.talent"].sudo(self.recruiter).search(
            [("email_normalized", "=", "far@example.org")])
        self.assertEqual(visible, same_email_here.talent_id)
