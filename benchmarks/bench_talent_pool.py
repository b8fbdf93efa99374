"""Talent pool at scale: time and SQL query count of what managers do most.

    .venv/bin/python benchmarks/bench_talent_pool.py --talents 100000
    .venv/bin/python benchmarks/bench_talent_pool.py --talents 10000

Creates (once) a database ``talent_bench_<N>`` with candidate_nurture installed
(no demo), fills it with N talents and 3*N applicants through fast parameterised
bulk inserts, then measures, as a recruitment manager:

1. the pool list, first page, with a typical filter (silver medalists,
   contactable, one department): ``search_read(limit=80)`` + ``search_count``;
2. the pool grouped by department (``read_group`` on the many2many);
3. rediscovery: ranking the matches of one job and storing them;
4. announcing a new opening of that job as the system does when it opens
   (rediscovery, the recruiter's activity, the notice queued for every
   interested talent, a note on the job).

Each figure is the median of 5 runs, with the query count of one run
(``env.cr.sql_log_count``). Run it at two sizes to see that the query count does
not grow with the number of talents.
"""
import argparse
import datetime
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from odoo_env import median_of_runs  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(ROOT, "runtime")

N_DEPARTMENTS = 20
N_JOBS = 60
N_TAGS = 40
N_POOLS = 30
APPLICATIONS_PER_TALENT = 3
LIST_FIELDS = ["name", "email", "phone", "category_ids", "furthest_stage_id", "furthest_job_id",
               "best_priority", "silver_medalist", "pool_ids", "availability",
               "last_contact_date", "next_followup_date", "is_contactable", "company_id"]


def pg_options():
    out = subprocess.check_output([os.path.join(RUNTIME, "pg.sh")], universal_newlines=True)
    return [line for line in out.splitlines() if line.strip()]


def ensure_database(db):
    exists = subprocess.call([os.path.join(RUNTIME, "db.sh"), "exists", db]) == 0
    if exists:
        return
    print("[bench] creating %s with candidate_nurture (no demo)..." % db, flush=True)
    subprocess.check_call([os.path.join(RUNTIME, "odoo"), "-d", db, "-i", "candidate_nurture",
                           "--stop-after-init", "--without-demo=all", "--workers=0",
                           "--max-cron-threads=0", "--no-http", "--log-level=warn"])


def connect(db):
    import odoo
    site = os.path.dirname(os.path.dirname(odoo.__file__))
    odoo.tools.config.parse_config(
        ["-d", db, "--addons-path=%s,%s" % (os.path.join(site, "odoo", "addons"), ROOT),
         "--log-level=warn"] + pg_options())
    return odoo, odoo.registry(db)


def generate(env, n_talents, seed=42):
    """Bulk-insert the fixtures. Values always go through query parameters."""
    from psycopg2.extras import execute_values
    rnd = random.Random(seed)
    cr = env.cr
    raw = cr._obj  # the psycopg2 cursor, for execute_values
    uid = env.uid
    company = env.user.company_id.id
    now = "2026-06-01 10:00:00"

    Stage = env["hr.recruitment.stage"]
    stages = Stage.search([("job_id", "=", False)], order="sequence, id")
    if len(stages) < 4:
        for seq, name in enumerate(["New", "Screening", "Interview", "Offer", "Signed"]):
            stages |= Stage.create({"name": "Bench %s" % name, "sequence": seq})
    stage_ids = stages.ids
    departments = [env["hr.department"].create({"name": "Bench Dept %02d" % i}).id
                   for i in range(N_DEPARTMENTS)]
    tags = [env["hr.applicant.category"].create({"name": "bench-skill-%02d" % i}).id
            for i in range(N_TAGS)]
    Job = env["hr.job"].with_context(nurture_no_rediscovery=True)
    jobs = []
    job_department = {}
    for i in range(N_JOBS):
        dep = departments[i % N_DEPARTMENTS]
        job = Job.create({"name": "Bench Job %02d" % i, "department_id": dep,
                          "talent_category_ids": [(6, 0, rnd.sample(tags, 3))]})
        jobs.append(job.id)
        job_department[job.id] = dep
    pools = [env["hr.talent.pool"].create({"name": "Bench Pool %02d" % i}).id
             for i in range(N_POOLS)]
    reasons = env["hr.applicant.refuse.reason"].search([])
    reason_ids = reasons.ids
    cooloff = dict((r.id, r.cooloff_days) for r in reasons)
    eligible = set(reasons.filtered("is_pool_eligible").ids)

    talent_rows = []
    plans = []
    for i in range(n_talents):
        talent_jobs = rnd.sample(jobs, APPLICATIONS_PER_TALENT)
        app_stages = [rnd.choice(stage_ids) for _ in talent_jobs]
        furthest = max(range(len(talent_jobs)), key=lambda k: stage_ids.index(app_stages[k]))
        prios = [str(rnd.randint(0, 3)) for _ in talent_jobs]
        days_ago = rnd.randint(0, 900)
        refused = rnd.random() < 0.7
        reason = rnd.choice(reason_ids) if refused else None
        refuse_date = "2026-%02d-%02d 09:00:00" % (rnd.randint(1, 5), rnd.randint(1, 28)) \
            if refused else None
        cool_end = None
        if refused:
            cool_end = (datetime.date(int(refuse_date[:4]), int(refuse_date[5:7]),
                                      int(refuse_date[8:10]))
                        + datetime.timedelta(days=cooloff[reason])).isoformat()
        silver = bool(refused and (reason in eligible or max(prios) >= "2"))
        email = "talent%07d@bench.example.org" % i
        last_app = "2026-%02d-%02d 08:00:00" % (max(1, 6 - days_ago // 150), rnd.randint(1, 28))
        contactable = rnd.random() < 0.9
        talent_rows.append((
            "Bench Talent %07d" % i, email, email, company, True, contactable,
            "given" if contactable else "withdrawn", "2028-01-01",
            stage_ids and app_stages[furthest], talent_jobs[furthest], max(prios), reason,
            refuse_date, cool_end, last_app, silver, silver, APPLICATIONS_PER_TALENT,
            last_app[:10], uid, uid, uid, now, now))
        plans.append((talent_jobs, app_stages, prios, reason, refuse_date))
    print("[bench] inserting %d talents..." % n_talents, flush=True)
    ids = execute_values(raw, """
        INSERT INTO hr_talent (name, email, email_normalized, company_id, active,
            is_contactable, consent_state, consent_expiry_date,
            furthest_stage_id, furthest_job_id, best_priority,
            last_refuse_reason_id, last_refuse_date, cooloff_end_date,
            last_application_date, silver_auto, silver_medalist, application_count,
            last_contact_date, user_id, create_uid, write_uid, create_date, write_date)
        VALUES %s RETURNING id""", talent_rows, page_size=5000, fetch=True)
    talent_ids = [row[0] for row in ids]

    applicant_rows, cat_rows, dep_rows, job_rows, pool_rows, reason_rows = [], [], [], [], [], []
    for tid, (talent_jobs, app_stages, prios, reason, refuse_date) in zip(talent_ids, plans):
        deps = set()
        for k, job in enumerate(talent_jobs):
            last = k == len(talent_jobs) - 1
            applicant_rows.append((
                "Bench Job application", "Talent %d" % tid, "talent-%d@bench.example.org" % tid,
                job, job_department[job], app_stages[k], prios[k], company,
                not (last and reason), tid, reason if last else None,
                refuse_date if last else None, now, now, now, uid, uid, uid))
            deps.add(job_department[job])
            job_rows.append((tid, job))
        for dep in deps:
            dep_rows.append((tid, dep))
        for tag in rnd.sample(tags, rnd.randint(2, 4)):
            cat_rows.append((tid, tag))
        if rnd.random() < 0.3:
            pool_rows.append((tid, rnd.choice(pools)))
        if reason:
            reason_rows.append((tid, reason))
    print("[bench] inserting %d applicants and the relations..." % len(applicant_rows), flush=True)
    execute_values(raw, """
        INSERT INTO hr_applicant (name, partner_name, email_from, job_id, department_id,
            stage_id, priority, company_id, active, talent_id, refuse_reason_id, refuse_date,
            create_date, write_date, date_last_stage_update, user_id, create_uid, write_uid)
        VALUES %s""", applicant_rows, page_size=5000)
    for query, rows in (
            ("INSERT INTO hr_talent_category_rel (talent_id, category_id) VALUES %s", cat_rows),
            ("INSERT INTO hr_talent_department_rel (talent_id, department_id) VALUES %s",
             dep_rows),
            ("INSERT INTO hr_talent_job_rel (talent_id, job_id) VALUES %s", set(job_rows)),
            ("INSERT INTO hr_talent_pool_rel (talent_id, pool_id) VALUES %s", pool_rows),
            ("INSERT INTO hr_talent_refuse_reason_rel (talent_id, reason_id) VALUES %s",
             reason_rows)):
        execute_values(raw, query, list(rows), page_size=10000)
    cr.execute("ANALYZE")


def measure(env, label, func):
    return median_of_runs(env, label, func, width=52)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talents", type=int, default=100000)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    db = args.db or "talent_bench_%d" % args.talents
    ensure_database(db)
    odoo, registry = connect(db)
    from odoo import SUPERUSER_ID, api

    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        count = env["hr.talent"].search_count([])
        if count < args.talents:
            start = time.time()
            generate(env, args.talents - count)
            cr.commit()
            print("[bench] data generated in %.0f s" % (time.time() - start), flush=True)
        manager = env["res.users"].search([("login", "=", "bench_manager")])
        if not manager:
            manager = env["res.users"].with_context(no_reset_password=True).create({
                "name": "Bench Manager", "login": "bench_manager",
                "groups_id": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_manager").id])]})
            cr.commit()
        n_talents = env["hr.talent"].search_count([])
        n_applicants = env["hr.applicant"].with_context(active_test=False).search_count([])
        print("[bench] %s: %d talents, %d applicants" % (db, n_talents, n_applicants))

        menv = api.Environment(cr, manager.id, {"lang": "en_US", "tz": "UTC"})
        Talent = menv["hr.talent"]
        department = menv["hr.department"].search([("name", "=", "Bench Dept 03")], limit=1)
        job = menv["hr.job"].search([("name", "=", "Bench Job 07")], limit=1)
        domain = [("silver_medalist", "=", True), ("is_contactable", "=", True),
                  ("department_ids", "=", department.id)]

        def pool_list():
            rows = Talent.search_read(domain, LIST_FIELDS, limit=80)
            total = Talent.search_count(domain)
            assert len(rows) == 80 and total >= 80, (len(rows), total)

        def group_by_department():
            groups = Talent.read_group([("is_contactable", "=", True)], LIST_FIELDS,
                                       ["department_ids"])
            assert len(groups) >= N_DEPARTMENTS

        def rediscovery():
            matches = job._nurture_compute_talent_matches()
            assert matches

        def announce():
            job.sudo()._nurture_announce_opening(acting_user=manager)

        measure(menv, "pool list, first page (filter + count)", pool_list)
        measure(menv, "read_group by department", group_by_department)
        measure(menv, "rediscovery: rank and store matches for one job", rediscovery)
        measure(menv, "new opening announced (rediscovery, activity, notices)", announce)
        cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
