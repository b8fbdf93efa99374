"""Re-engagement funnel reports at scale: time and SQL query count.

    .venv/bin/python benchmarks/bench_funnel_report.py                      # 10,000 and 100,000
    .venv/bin/python benchmarks/bench_funnel_report.py --talents 100000

For each size N, creates (once, kept for the next run) a database
``funnel_bench_<N>`` (``--db-prefix`` to name it otherwise) with
candidate_nurture installed (no demo), filled through parameterised bulk
inserts with N talents, 3*N applicants and one funnel row per refused talent
(70 % of them, refused over 24 months, each later step reached by a share of
the previous one). Then, as a recruitment manager (record
rules apply), it measures what the report screens ask:

1. Funnel Conversion (``hr.talent.funnel.report``) grouped by refuse reason and
   by refusal month, with every count, rate and average of the pivot;
2. Re-engagement Funnel (``hr.talent.funnel.step.report``, the graph) grouped
   by step, by step and reason, and by refusal month.

Each figure is the median of 5 runs, with the query count of one run
(``env.cr.sql_log_count``). The query count must not grow with N.
"""
import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_env import configure, ensure_database, median_of_runs  # noqa: E402

N_DEPARTMENTS = 20
N_JOBS = 60
N_POOLS = 30
N_SEQUENCES = 5
N_RECRUITERS = 10
APPLICATIONS_PER_TALENT = 3
MONTHS = 24
# share of the previous step that reaches the next one
STEP_SHARES = (("consent_date", 0.55), ("contacted_date", 0.8), ("engaged_date", 0.5),
               ("event_date", 0.3), ("applied_date", 0.5), ("hired_date", 0.3))
REPORT_MEASURES = ["refused_count", "consent_count", "contacted_count", "engaged_count",
                   "event_count", "applied_count", "hired_count", "consent_rate",
                   "contacted_rate", "engaged_rate", "event_rate", "applied_rate", "hired_rate",
                   "engaged_days", "hired_days"]


def _date(day_index, hour=9):
    """A timestamp day_index days after 2024-07-01 (the start of the 24 months)."""
    import datetime
    return (datetime.datetime(2024, 7, 1, hour) + datetime.timedelta(days=day_index)).strftime(
        "%Y-%m-%d %H:%M:%S")


def generate(env, n_talents, seed=42):
    """Bulk-insert the fixtures. Values always go through query parameters."""
    from psycopg2.extras import execute_values
    rnd = random.Random(seed)
    raw = env.cr._obj  # the psycopg2 cursor, for execute_values
    uid = env.uid
    company = env.user.company_id.id
    now = "2026-07-01 10:00:00"
    stages = env["hr.recruitment.stage"].search([("job_id", "=", False)], order="sequence, id")
    if len(stages) < 4:
        for seq, name in enumerate(["New", "Screening", "Interview", "Offer", "Signed"]):
            stages |= env["hr.recruitment.stage"].create({"name": "Bench %s" % name,
                                                          "sequence": seq})
    stage_ids = stages.ids
    departments = [env["hr.department"].create({"name": "Bench Dept %02d" % i}).id
                   for i in range(N_DEPARTMENTS)]
    Job = env["hr.job"].with_context(nurture_no_rediscovery=True)
    jobs, job_department = [], {}
    for i in range(N_JOBS):
        job = Job.create({"name": "Bench Job %02d" % i,
                          "department_id": departments[i % N_DEPARTMENTS]})
        jobs.append(job.id)
        job_department[job.id] = departments[i % N_DEPARTMENTS]
    pools = [env["hr.talent.pool"].create({"name": "Bench Pool %02d" % i}).id
             for i in range(N_POOLS)]
    template = env.ref("candidate_nurture.mail_template_followup_checkin").id
    sequences = [env["hr.talent.sequence"].create({
        "name": "Bench Sequence %d" % i,
        "step_ids": [(0, 0, {"name": "Check-in", "delay_days": 30, "action": "mail",
                             "template_id": template})]}).id for i in range(N_SEQUENCES)]
    recruiter_group = env.ref("hr_recruitment.group_hr_recruitment_user").id
    Users = env["res.users"].with_context(no_reset_password=True)
    recruiters = [Users.create({"name": "Bench Recruiter %d" % i, "login": "bench_rec_%d" % i,
                                "groups_id": [(6, 0, [recruiter_group])]}).id
                  for i in range(N_RECRUITERS)]
    reasons = env["hr.applicant.refuse.reason"].search([]).ids + [None]  # some without reason

    talent_rows, plans = [], []
    for i in range(n_talents):
        refused = rnd.random() < 0.7
        email = "talent%07d@bench.example.org" % i
        talent_rows.append(("Bench Talent %07d" % i, email, email, company, True,
                            APPLICATIONS_PER_TALENT, "given" if refused else "not_asked",
                            refused, uid, uid, uid, now, now))
        plans.append(refused)
    print("[bench] inserting %d talents..." % n_talents, flush=True)
    talent_ids = [row[0] for row in execute_values(raw, """
        INSERT INTO hr_talent (name, email, email_normalized, company_id, active,
            application_count, consent_state, is_contactable, user_id, create_uid, write_uid,
            create_date, write_date)
        VALUES %s RETURNING id""", talent_rows, page_size=5000, fetch=True)]

    applicant_rows, refusals = [], []
    for tid, refused in zip(talent_ids, plans):
        talent_jobs = rnd.sample(jobs, APPLICATIONS_PER_TALENT)
        reason = rnd.choice(reasons) if refused else None
        day = rnd.randint(0, MONTHS * 30 - 1)
        recruiter = rnd.choice(recruiters)
        for k, job in enumerate(talent_jobs):
            last = k == len(talent_jobs) - 1
            applicant_rows.append((
                "Bench application", "Talent %d" % tid, "talent-%d@bench.example.org" % tid,
                job, job_department[job], rnd.choice(stage_ids), company,
                not (last and refused), tid, reason if last else None,
                _date(day) if (last and refused) else None, recruiter, now, now, now,
                uid, uid))
        if refused:
            refusals.append((tid, talent_jobs[-1], reason, day, recruiter))
    print("[bench] inserting %d applicants..." % len(applicant_rows), flush=True)
    applicant_ids = [row[0] for row in execute_values(raw, """
        INSERT INTO hr_applicant (name, partner_name, email_from, job_id, department_id,
            stage_id, company_id, active, talent_id, refuse_reason_id, refuse_date, user_id,
            create_date, write_date, date_last_stage_update, create_uid, write_uid)
        VALUES %s RETURNING id""", applicant_rows, page_size=5000, fetch=True)]
    refused_applicant = dict(
        (applicant_rows[i][8], applicant_ids[i]) for i in range(len(applicant_rows))
        if applicant_rows[i][10])

    funnel_rows = []
    for tid, job, reason, day, recruiter in refusals:
        dates, reached, offset = [], True, day
        for _column, share in STEP_SHARES:
            reached = reached and rnd.random() < share
            offset += rnd.randint(1, 40)
            dates.append(_date(offset) if reached else None)
        engaged_kind = rnd.choice(["replied", "clicked", "feedback", "invitation"]) \
            if dates[2] else None
        funnel_rows.append((
            refused_applicant[tid], tid, company, _date(day), reason, job, job_department[job],
            recruiter, rnd.choice(pools) if rnd.random() < 0.4 else None,
            rnd.choice(sequences) if rnd.random() < 0.8 else None, rnd.random() < 0.3,
            dates[0], dates[1], dates[2], engaged_kind, dates[3], dates[4], dates[5],
            uid, uid, now, now))
    print("[bench] inserting %d funnel rows..." % len(funnel_rows), flush=True)
    execute_values(raw, """
        INSERT INTO hr_talent_funnel (applicant_id, talent_id, company_id, refuse_date,
            reason_id, job_id, department_id, user_id, pool_id, sequence_id, silver_medalist,
            consent_date, contacted_date, engaged_date, engaged_kind, event_date,
            applied_date, hired_date, create_uid, write_uid, create_date, write_date)
        VALUES %s""", funnel_rows, page_size=5000)
    env.cr.execute("ANALYZE")


def measure(env, label, func):
    return median_of_runs(env, label, func, width=58)


def bench(db, n_talents):
    import odoo
    from odoo import SUPERUSER_ID, api
    ensure_database(db)
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        count = env["hr.talent"].search_count([])
        if count < n_talents:
            start = time.time()
            generate(env, n_talents - count)
            cr.commit()
            print("[bench] data generated in %.0f s" % (time.time() - start), flush=True)
        manager = env["res.users"].search([("login", "=", "bench_manager")])
        if not manager:
            manager = env["res.users"].with_context(no_reset_password=True).create({
                "name": "Bench Manager", "login": "bench_manager", "groups_id": [
                    (6, 0, [env.ref("hr_recruitment.group_hr_recruitment_manager").id])]})
            cr.commit()
        n_applicants = env["hr.applicant"].with_context(active_test=False).search_count([])
        n_funnel = env["hr.talent.funnel"].search_count([])
        print("\n[bench] %s: %d talents, %d applicants, %d refusals in the funnel" % (
            db, env["hr.talent"].search_count([]), n_applicants, n_funnel), flush=True)
        menv = api.Environment(cr, manager.id, {"lang": "en_US", "tz": "UTC"})
        Funnel = menv["hr.talent.funnel.report"]
        Steps = menv["hr.talent.funnel.step.report"]

        def by_reason():
            rows = Funnel.read_group([], REPORT_MEASURES + ["reason_id"], ["reason_id"])
            assert sum(r["refused_count"] for r in rows) == n_funnel

        def by_month():
            rows = Funnel.read_group([], REPORT_MEASURES + ["refuse_date"],
                                     ["refuse_date:month"])
            assert len(rows) >= MONTHS - 1, len(rows)

        def graph_by_step():
            rows = Steps.read_group([], ["nbr", "step"], ["step"])
            assert len(rows) == 7

        def graph_by_step_and_reason():
            rows = Steps.read_group([], ["nbr", "step", "reason_id"], ["step", "reason_id"],
                                    lazy=False)
            assert rows

        def graph_by_month():
            rows = Steps.read_group([], ["nbr", "refuse_date"], ["refuse_date:month"])
            assert rows

        results = [
            measure(menv, "Funnel Conversion by refuse reason (15 measures)", by_reason),
            measure(menv, "Funnel Conversion by refusal month (15 measures)", by_month),
            measure(menv, "Re-engagement Funnel graph by step", graph_by_step),
            measure(menv, "Re-engagement Funnel by step and reason", graph_by_step_and_reason),
            measure(menv, "Re-engagement Funnel by refusal month", graph_by_month),
        ]
        cr.rollback()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talents", type=int, action="append",
                        help="size(s) to measure (default: 10000 and 100000)")
    parser.add_argument("--db-prefix", default="funnel_bench_",
                        help="databases are <prefix><size> (default: funnel_bench_)")
    args = parser.parse_args()
    sizes = args.talents or [10000, 100000]
    configure("%s%d" % (args.db_prefix, sizes[0]))
    figures = [(n, bench("%s%d" % (args.db_prefix, n), n)) for n in sizes]
    if len(figures) > 1:
        queries = [[q for _t, q in results] for _n, results in figures]
        print("\n[bench] query counts per size: %s (%s)" % (
            queries, "constant" if all(q == queries[0] for q in queries) else "GROWING"))
    slow = [t for _n, results in figures for t, _q in results if t >= 1]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
