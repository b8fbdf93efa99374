import datetime

from freezegun import freeze_time

from ..lib import talent as talent_lib
from .talent_common import TalentCase


class TestScore(TalentCase):
    """The pure scoring function: parts that explain the total."""

    def test_parts_and_total(self):
        today = datetime.date(2026, 6, 1)
        job = {"id": 7, "department_id": 3, "category_ids": {1, 2, 9}}
        talent = {"category_ids": {1, 2, 5}, "department_ids": {3}, "furthest_job_id": 7,
                  "furthest_job_department_id": 3, "stage_ratio": 0.5, "rating": 2,
                  "reason_pool_eligible": True, "last_date": datetime.date(2026, 5, 1)}
        result = talent_lib.match_score(job, talent, today)
        self.assertEqual(result["parts"], {"tags": 20.0, "department": 20.0, "stage": 10.0,
                                           "rating": 10.0, "reason": 10.0, "recency": 10.0})
        self.assertEqual(result["total"], 80.0)
        self.assertIn("Shared tags: +20 (2 shared)", talent_lib.explain(result))
        # a similar job (same department) counts half; an old contact fades out
        talent.update(furthest_job_id=8, last_date=datetime.date(2024, 1, 1))
        result = talent_lib.match_score(job, talent, today)
        self.assertEqual(result["parts"]["stage"], 5.0)
        self.assertEqual(result["parts"]["recency"], 0.0)

    def test_cooloff_end(self):
        self.assertEqual(talent_lib.cooloff_end("2026-01-10 09:00:00", 30),
                         datetime.date(2026, 2, 9))
        self.assertIsNone(talent_lib.cooloff_end(False, 30))


@freeze_time("2026-06-01 10:00:00")
class TestRediscovery(TalentCase):

    @classmethod
    def setUpClass(cls):
        super(TestRediscovery, cls).setUpClass()
        cls.job_new = cls.env["hr.job"].create({
            "name": "T Senior Backend", "department_id": cls.dep_eng.id,
            "user_id": cls.recruiter.id, "state": "open",
            "talent_category_ids": [(6, 0, (cls.tag_python | cls.tag_sql).ids)]})
        tags = [(6, 0, (cls.tag_python | cls.tag_sql).ids)]
        # strong: both tags, same department, reached the offer on a similar job,
        # refused for a pool-eligible reason 100 days ago (cool-off 30 days: over)
        cls.strong = cls.refuse(cls.applicant(
            "Strong", "strong@example.org", stage_id=cls.stage_offer.id, priority="3",
            categ_ids=tags), cls.reason_filled, "2026-02-21 10:00:00")
        # weaker: one tag, other department
        cls.weaker = cls.applicant("Weaker", "weaker@example.org", job=cls.job_sales,
                                   categ_ids=[(6, 0, cls.tag_python.ids)])
        # excluded: still cooling off (refused 10 days ago, 180 days cool-off)
        cls.cooling = cls.refuse(cls.applicant(
            "Cooling", "cooling@example.org", priority="3", categ_ids=tags),
            cls.reason_skills, "2026-05-22 10:00:00")
        # excluded: withdrew their consent (never asked is ranked: test_new_openings)
        cls.silent = cls.applicant("Silent", "silent@example.org", categ_ids=tags)
        cls.silent.talent_id._nurture_set_consent("declined", "recruiter")
        # not a candidate: nothing in common with the job
        cls.unrelated = cls.applicant("Unrelated", "unrelated@example.org", job=cls.job_sales,
                                      categ_ids=[(6, 0, cls.tag_sales.ids)])
        # only talents who agreed to be contacted are rediscovered (consent, issue 5)
        (cls.strong | cls.weaker | cls.cooling | cls.unrelated).mapped(
            "talent_id")._nurture_set_consent("given", "recruiter")

    def test_ranking_with_explained_parts(self):
        matches = self.job_new._nurture_compute_talent_matches()
        self.assertEqual(matches.sorted("rank").mapped("talent_id"),
                         self.strong.talent_id | self.weaker.talent_id)
        best = matches.filtered(lambda m: m.rank == 1)
        self.assertEqual(best.talent_id, self.strong.talent_id)
        self.assertEqual(best.score_tags, 20.0)
        self.assertEqual(best.score_department, 20.0)
        self.assertEqual(best.score_stage, 10.0, "offer stage on a similar job: half of 20")
        self.assertEqual(best.score_rating, 15.0)
        self.assertEqual(best.score_reason, 10.0)
        self.assertEqual(best.score_recency, 10.0)
        self.assertEqual(best.score, 85.0)
        self.assertIn("Refusal reason: +10 (pool-eligible)", best.explanation)
        second = matches.filtered(lambda m: m.rank == 2)
        self.assertEqual((second.score_tags, second.score_department), (10.0, 0.0))
        # rebuilt on demand, not duplicated
        action = self.job_new.sudo(self.recruiter).action_open_talent_matches()
        self.assertEqual(self.env["hr.talent.match"].search_count(action["domain"]), 2)
        self.assertEqual(self.job_new.talent_match_count, 2)

    def test_cooloff_ends_later(self):
        with freeze_time("2026-12-01 10:00:00"):
            ranked = [tid for tid, dummy in self.job_new._nurture_rank_talents()]
        self.assertIn(self.cooling.talent_id.id, ranked)
        self.assertNotIn(self.silent.talent_id.id, ranked)

    def test_start_recruitment_notifies_the_recruiter(self):
        self.job_new.sudo(self.recruiter).set_recruit()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "hr.job"), ("res_id", "=", self.job_new.id)])
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.recruiter)
        self.assertIn("Strong", activities.note)
        self.assertLess(activities.note.index("Strong"), activities.note.index("Weaker"))
        # already recruiting: no second activity
        self.job_new.set_recruit()
        self.assertEqual(self.env["mail.activity"].search_count(
            [("res_model", "=", "hr.job"), ("res_id", "=", self.job_new.id)]), 1)
