"""Observation 7: the retention scheduler applies each talent's company's own
retention period, not the one of the user running it."""
from freezegun import freeze_time

from .followup_common import FollowupCase


class TestRetention(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestRetention, cls).setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "RT Company B"})
        # the cron runs as a user of company A (30 days); B keeps people a year
        cls.company.nurture_retention_days = 30
        cls.company_b.nurture_retention_days = 365

    def test_each_company_keeps_its_own_retention_period(self):
        # asked, never answered: no valid consent since the request
        # (create_date comes from PostgreSQL's clock, consent_date from Odoo's)
        with freeze_time("2025-01-01 10:00:00"):
            old_b = self.talent("Olga Old B", consent="asked", company_id=self.company_b.id)
        with freeze_time("2026-01-01 10:00:00"):
            recent_a = self.talent("Rita Recent A", consent="asked", company_id=self.company.id)
            recent_b = self.talent("Rob Recent B", consent="asked",
                                   company_id=self.company_b.id)
            nocompany = self.talent("Nico Nocompany", consent="asked", company_id=False)
        self.assertEqual(self.env.user.company_id, self.company)
        with freeze_time("2026-03-01 10:00:00"):
            self.env["hr.talent"]._cron_anonymize()
        self.assertTrue(recent_a.anonymized_date, "A: 59 days without consent > 30")
        self.assertFalse(recent_b.anonymized_date, "B keeps people 365 days, whoever runs it")
        self.assertTrue(old_b.anonymized_date, "B: 424 days > 365")
        self.assertTrue(nocompany.anonymized_date,
                        "without a company: the company of the user running the cron")
        # a company that keeps nobody's data automatically
        self.company_b.nurture_retention_days = 0
        with freeze_time("2028-01-01 10:00:00"):
            self.env["hr.talent"]._cron_anonymize()
        self.assertFalse(recent_b.anonymized_date)
