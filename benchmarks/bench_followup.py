"""A follow-up backlog drained through queue_job by 1, 2 and 4 prefork workers,
beside Odoo 11's own mass mailing.

    .venv/bin/python benchmarks/bench_followup.py                       # 100,000 talents, 1 2 4 workers
    .venv/bin/python benchmarks/bench_followup.py --talents 20000 --workers 1 2
    .venv/bin/python benchmarks/bench_followup.py --talents 100000 --workers 4 --no-core

N talents with valid consent and an email, each enrolled in a one-step sequence
whose email step is due, are generated with parameterised bulk SQL
(INSERT ... SELECT generate_series) in a throw-away copy of a template database
(``<prefix>_base``, candidate_nurture installed, no demo, created once), one
copy per worker count, dropped at the end (``--keep`` keeps them).

1. Odoo core: a mail.mass_mailing on model hr.talent with the follow-up step's
   subject and body, ``send_mail()`` to ``--core-talents`` of them (default
   10,000: 100,000 would take a quarter of an hour) in this process. Odoo 11
   sends a mass mailing's emails at once; the thread's ``testing`` flag
   (Odoo's own switch, nothing is patched) makes ir.mail_server skip the SMTP
   connection and keeps send_mail from committing, so core's figure is:
   render, queue (mail.mail + statistics) and build each MIME message, without
   network. Its transaction is rolled back.
2. For each worker count W: Odoo in prefork mode (``--workers=W``, no cron
   thread) with queue_job's runner (channels ``root:W``), tests/odoo_server.py's
   harness. The follow-up cron (``_cron_advance()``, in this process) queues
   one job per 500 enrolments on root.candidate_nurture.followup; the runner
   hands them to the W HTTP workers. Timed from the cron's start to the last
   job done. The jobs queue the emails in Odoo's mail queue (``mail.mail``,
   outgoing), as the scheduler does; the mail queue's SMTP sending is not part
   of either figure.

Checked in the database after each run: one ``mail.mail`` per enrolment and
step, every enrolment advanced once, every job done. Printed per run: wall
time, mails queued per second, jobs run per worker pid (from queue.job and the
server log), and the time per recipient against core's.
"""
import argparse
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("VENV", sys.prefix)
from odoo_env import Measure, configure, ensure_database, open_env  # noqa: E402

EMAIL_DOMAIN = "bench.example"


def copy_database(template, name):
    """Drop name and create it as a copy of template (identifiers quoted by psycopg2)."""
    import odoo
    from psycopg2 import sql
    db = odoo.sql_db.db_connect("postgres")
    with db.cursor() as cr:
        cr.autocommit(True)
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cr.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)))


def drop_database(name):
    import odoo
    from psycopg2 import sql
    odoo.sql_db.close_db(name)
    db = odoo.sql_db.db_connect("postgres")
    with db.cursor() as cr:
        cr.autocommit(True)
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def make_data(env, count):
    """count contactable talents, each with a running enrolment whose email step is due."""
    cr = env.cr
    template = env.ref("candidate_nurture.mail_template_followup_checkin")
    sequence = env["hr.talent.sequence"].create({
        "name": "Bench rhythm",
        "step_ids": [(0, 0, {"sequence": 1, "name": "Check-in", "delay_days": 0,
                             "action": "mail", "template_id": template.id})]})
    step = sequence.step_ids
    company = env.user.company_id
    cr.execute("""
        INSERT INTO hr_talent (name, email, email_normalized, company_id, user_id, active,
                               color, engagement_score, consent_state, consent_date,
                               consent_source, consent_expiry_date, is_contactable,
                               nurture_token_nonce, create_uid, write_uid, create_date,
                               write_date)
        SELECT 'Bench Talent ' || g, 'talent' || g || '@' || %(domain)s,
               'talent' || g || '@' || %(domain)s, %(company)s, %(uid)s, TRUE, 0, 0,
               'given', now() at time zone 'UTC', 'recruiter',
               (now() + interval '2 years')::date, TRUE, md5('bench' || g::text),
               %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM generate_series(1, %(count)s) AS g
    """, {"domain": EMAIL_DOMAIN, "company": company.id, "uid": env.uid, "count": count})
    cr.execute("""
        INSERT INTO hr_talent_enrollment (talent_id, sequence_id, step_id, next_date, state,
                                          attempts, steps_done, company_id, create_uid,
                                          write_uid, create_date, write_date)
        SELECT t.id, %(sequence)s, %(step)s, now() at time zone 'UTC' - interval '1 day',
               'running', 0, 0, t.company_id, %(uid)s, %(uid)s, now() at time zone 'UTC',
               now() at time zone 'UTC'
          FROM hr_talent t
         WHERE t.email LIKE %(pattern)s
    """, {"sequence": sequence.id, "step": step.id, "uid": env.uid,
          "pattern": "%@" + EMAIL_DOMAIN})
    cr.execute("ANALYZE hr_talent")
    cr.execute("ANALYZE hr_talent_enrollment")
    return template


def line(label, seconds, queries, mails, count):
    per_second = mails / seconds if seconds else 0.0
    print("%-44s %8.1f s  %6.2f queries/talent  %8.0f mails queued/s  (%d mails)" % (
        label, seconds, queries / float(count), per_second, mails), flush=True)


def run_core(db, count, template_id):
    """Odoo 11's mass mailing, one template to the same talents; rolled back."""
    thread = threading.current_thread()
    thread.testing = True  # Odoo's own switch: no SMTP connection, no auto-commit
    try:
        with open_env(db) as env:
            template = env["mail.template"].browse(template_id)
            Mailing = env["mail.mass_mailing"]
            mailing = Mailing.create({
                "name": template.subject, "body_html": template.body_html,
                "mailing_model_id": env["ir.model"]._get("hr.talent").id,
                "mailing_domain": repr([("email", "=like", "%@" + EMAIL_DOMAIN)]),
                "reply_to_mode": "thread", "keep_archives": True,
            })
            env.cr.execute("SELECT count(*) FROM mail_mail")
            before = env.cr.fetchone()[0]
            with Measure(env.cr) as core:
                mailing.send_mail()
            env.cr.execute("SELECT count(*) FROM mail_mail WHERE mailing_id = %s", (mailing.id,))
            mails = env.cr.fetchone()[0]
            env.cr.execute("SELECT count(*) FROM mail_mail")
            assert env.cr.fetchone()[0] - before == mails
            return core.seconds, core.queries, mails
    finally:
        thread.testing = False


def queue_and_drain(db, workers, count, base_dir):
    """Start prefork Odoo with W workers and the runner, queue the backlog, wait
    for every job; returns the figures and checks of the run."""
    import time
    sys.path.insert(0, os.path.join(base_dir, "tests"))
    from odoo_server import OdooServer
    server = OdooServer(db, workers=workers, queue_channels="root:%d" % workers,
                        log_name="bench-followup-%s-w%d" % (db, workers))
    if os.path.exists(server.log):
        os.remove(server.log)
    server.start(timeout=300)
    try:
        deadline = time.time() + 60
        while "queue job runner ready for db %s" % db not in open(server.log).read():
            if time.time() > deadline:
                raise RuntimeError("queue_job's runner did not start, see %s" % server.log)
            time.sleep(0.5)
        with open_env(db, commit=True) as env:
            started = time.time()
            jobs = env["hr.talent.enrollment"]._cron_advance()
        queued = time.time() - started
        with open_env(db) as env:
            while True:
                env.cr.execute("SELECT state, count(*) FROM queue_job GROUP BY state")
                states = dict(env.cr.fetchall())
                env.cr.rollback()
                if states.get("failed"):
                    raise RuntimeError("%d jobs failed, see %s" % (states["failed"], server.log))
                if states.get("done", 0) >= jobs:
                    break
                time.sleep(0.25)
            seconds = time.time() - started
            cr = env.cr
            cr.execute("SELECT count(*), count(DISTINCT (nurture_enrollment_id, nurture_step_id)) "
                       "FROM mail_mail WHERE nurture_enrollment_id IS NOT NULL")
            mails, distinct = cr.fetchone()
            cr.execute("SELECT count(*) FROM hr_talent_enrollment WHERE steps_done = 1 "
                       "AND state = 'done' AND job_id IS NULL")
            advanced = cr.fetchone()[0]
        pids = {}
        with open(server.log) as log:
            for line in log:
                if ": Follow-up job " in line and " enrolments advanced" in line:
                    pid = line.split()[2]
                    pids[pid] = pids.get(pid, 0) + 1
        return {"seconds": seconds, "queued": queued, "jobs": jobs, "mails": mails,
                "distinct": distinct, "advanced": advanced, "pids": pids}
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talents", type=int, default=100000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4],
                        help="prefork worker counts to run (channel capacity = workers)")
    parser.add_argument("--core-talents", type=int, default=10000,
                        help="recipients of core's mass mailing (at most --talents)")
    parser.add_argument("--prefix", default="mailing_bench")
    parser.add_argument("--no-core", action="store_true", help="skip Odoo's mass mailing")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()
    base_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    base = "%s_base" % args.prefix
    ensure_database(base)
    core = None
    if not args.no_core:
        count = min(args.core_talents, args.talents)
        db = "%s_core_%d" % (args.prefix, count)
        configure(db)
        copy_database(base, db)
        try:
            with open_env(db, commit=True) as env:
                template_id = make_data(env, count).id
            core = run_core(db, count, template_id)
            line("Odoo core mass mailing send_mail()", core[0], core[1], core[2], count)
        finally:
            if not args.keep:
                drop_database(db)
    for workers in args.workers:
        db = "%s_%d_w%d" % (args.prefix, args.talents, workers)
        configure(db)
        copy_database(base, db)
        try:
            with open_env(db, commit=True) as env:
                make_data(env, args.talents)
            print("[bench] %d enrolled talents with a due email step in %s" % (
                args.talents, db), flush=True)
            run = queue_and_drain(db, workers, args.talents, base_dir)
            per_second = run["mails"] / run["seconds"]
            print("%-44s %8.1f s  %8.0f mails queued/s  (%d mails, %d jobs, cron %.1f s)" % (
                "follow-up jobs, %d worker%s" % (workers, "s" if workers > 1 else ""),
                run["seconds"], per_second, run["mails"], run["jobs"], run["queued"]),
                flush=True)
            print("[bench]   exactly once: %d mails for %d (enrolment, step) pairs, "
                  "%d of %d enrolments advanced once; jobs per worker pid: %s" % (
                      run["mails"], run["distinct"], run["advanced"], args.talents,
                      ", ".join("%s: %d" % item for item in sorted(run["pids"].items()))),
                  flush=True)
            assert run["mails"] == run["distinct"] == run["advanced"] == args.talents
            if core:
                ratio = (run["seconds"] / max(run["mails"], 1)) / (core[0] / max(core[2], 1))
                print("[bench]   time per recipient (jobs / core): %.2f" % ratio, flush=True)
        finally:
            if not args.keep:
                drop_database(db)
                print("[bench] dropped %s" % db, flush=True)


if __name__ == "__main__":
    main()
