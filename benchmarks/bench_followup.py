"""One full pass of the follow-up scheduler beside Odoo 11's own mass mailing.

    .venv/bin/python benchmarks/bench_followup.py                 # 100,000 talents
    .venv/bin/python benchmarks/bench_followup.py --count 10000
    .venv/bin/python benchmarks/bench_followup.py --count 100000 --no-core

N talents with valid consent and an email, each enrolled in a one-step sequence
whose email step is due, are generated with parameterised bulk SQL
(INSERT ... SELECT generate_series) in a dedicated database.

1. Odoo core: a mail.mass_mailing on model hr.talent with the follow-up step's
   subject and body, ``send_mail()`` to the same N talents. Odoo 11 sends a
   mass mailing's emails at once; the thread's ``testing`` flag (Odoo's own
   switch, nothing is patched) makes ir.mail_server skip the SMTP connection
   and keeps send_mail from committing, so core's figure is: render, queue
   (mail.mail + statistics) and build each MIME message, without network. Its
   transaction is rolled back.
2. The follow-up cron: ``hr.talent.enrollment._cron_advance()`` in this
   process, exactly as the scheduler runs it: batches of 500 locked with
   FOR UPDATE SKIP LOCKED and one commit per batch. Those commits are real,
   so the pass runs in a throw-away copy of the database: it is created from
   a template database (``<prefix>_base``, candidate_nurture installed, no
   demo, created once) and dropped at the end (``--keep`` keeps it).

Printed per run: wall time, SQL queries per talent and mails queued per second,
then the ratio of the cron's time per recipient to core's.
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


def run_cron(db, profile=None):
    """One full pass of the follow-up scheduler, committing per batch as in production."""
    with open_env(db, commit=True) as env:
        env.cr.execute("SELECT count(*) FROM mail_mail")
        before = env.cr.fetchone()[0]
        Enrollment = env["hr.talent.enrollment"]
        profiler = None
        if profile:
            import cProfile
            profiler = cProfile.Profile()
            profiler.enable()
        with Measure(env.cr) as cron:
            advanced = Enrollment._cron_advance(time_budget=3600)
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        env.cr.execute("SELECT count(*) FROM mail_mail")
        mails = env.cr.fetchone()[0] - before
        env.cr.execute("SELECT count(*) FROM hr_talent_enrollment WHERE state = 'running'")
        left = env.cr.fetchone()[0]
        return cron.seconds, cron.queries, mails, advanced, left


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--prefix", default="mailing_bench")
    parser.add_argument("--no-core", action="store_true", help="skip Odoo's mass mailing")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the cron pass into FILE")
    args = parser.parse_args()
    base = "%s_base" % args.prefix
    db = "%s_%d" % (args.prefix, args.count)
    ensure_database(base)
    configure(db)
    copy_database(base, db)
    print("[bench] %d enrolled talents with a due email step in %s" % (args.count, db),
          flush=True)
    try:
        with open_env(db, commit=True) as env:
            template = make_data(env, args.count)
            template_id = template.id
        core = None
        if not args.no_core:
            core = run_core(db, args.count, template_id)
            line("Odoo core mass mailing send_mail()", core[0], core[1], core[2], args.count)
        seconds, queries, mails, advanced, left = run_cron(db, args.profile)
        line("follow-up cron, one full pass", seconds, queries, mails, args.count)
        print("[bench] cron: %d enrolments advanced, %d still running" % (advanced, left))
        if core:
            ratio = (seconds / max(mails, 1)) / (core[0] / max(core[2], 1))
            print("ratio per recipient (cron / core): %.2f  (goal: <= 1.00)" % ratio, flush=True)
    finally:
        if not args.keep:
            drop_database(db)
            print("[bench] dropped %s" % db)


if __name__ == "__main__":
    main()
