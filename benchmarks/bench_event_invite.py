"""Inviting N talents to one event with the "Invite to Event" wizard.

The talents are generated with one parameterised bulk insert (a few of them may
not be contacted or have no valid email, to exercise the skips). The wizard then
creates one invitation per talent, renders the invitation email for each (in
batches) and queues it in Odoo's mail queue. For comparison, Odoo core's own way
to email a template to records one by one (mail.template.send_mail without
sending) runs on a sample. Everything runs in one transaction, rolled back.

    .venv/bin/python benchmarks/bench_event_invite.py [N] [--baseline 1000] [--db events_bench]

Large-batch mode (issue 13): ``--background`` invites N (default 20,000) through
the background path, as the web client does above the threshold: the wizard
plans and enqueues one queue_job job per batch (``--batch``, default 500), then
the jobs run one after the other in this process, as a queue_job worker runs them.

    .venv/bin/python benchmarks/bench_event_invite.py --background [N] [--batch 500]
"""
import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from odoo_env import Measure, open_env, run_background  # noqa: E402


def make_talents(env, count, prefix):
    """count talents in one INSERT; every 50th may not be contacted, every 100th has no email."""
    cr = env.cr
    rows = []
    for i in range(count):
        email = None if i % 100 == 99 else "%s.talent%d@bench.example" % (prefix, i)
        rows.append(("%s Talent %d" % (prefix, i), email, email, i % 50 != 49))
    # consent given (valid two years) or withdrawn, as the consent feature would store it
    columns = "name, email, email_normalized, company_id, user_id, active, color, " \
              "engagement_score, create_uid, write_uid, create_date, write_date, " \
              "is_contactable, consent_state, consent_expiry_date"
    values = "%s, %s, %s, %s, %s, TRUE, 0, 0, %s, %s, now() at time zone 'UTC', " \
             "now() at time zone 'UTC', %s, %s, (now() + interval '2 years')::date"
    args = []
    for name, email, normalized, contactable in rows:
        args.extend([name, email, normalized, env.user.company_id.id, env.uid, env.uid, env.uid,
                     contactable, "given" if contactable else "withdrawn"])
    per_row = "(" + values + ")"
    cr.execute("INSERT INTO hr_talent (" + columns + ") VALUES "
               + ", ".join([per_row] * count) + " RETURNING id", args)
    return env["hr.talent"].browse(sorted(r[0] for r in cr.fetchall()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int)
    parser.add_argument("--baseline", type=int, default=1000,
                        help="talents emailed one by one with Odoo core's send_mail")
    parser.add_argument("--db", default="events_bench")
    parser.add_argument("--background", action="store_true",
                        help="through queue_job batches, as above the threshold")
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    args.count = args.count or (20000 if args.background else 10000)
    with open_env(args.db) as env:
        if args.background:
            env.user.company_id.write({"nurture_background_threshold": 200,
                                       "nurture_background_batch_size": args.batch})
        now = datetime.datetime.utcnow()
        event = env["event.event"].create({
            "name": "Bench open house", "seats_availability": "unlimited",
            "date_begin": (now + datetime.timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S"),
            "date_end": (now + datetime.timedelta(days=10, hours=3)).strftime("%Y-%m-%d %H:%M:%S")})
        event.button_confirm()
        template = env.ref("candidate_nurture.mail_template_event_invitation")
        talents = make_talents(env, args.count, "Nurture")
        sample = make_talents(env, args.baseline, "Core") if args.baseline else None
        env["hr.talent"].invalidate_cache()
        mails_before = env["mail.mail"].search_count([])

        core = None
        if sample:
            with Measure(env.cr) as core:
                for talent in sample:
                    template.with_context(nurture_invite_event_id=event.id).send_mail(talent.id)
            mails_before = env["mail.mail"].search_count([])

        with Measure(env.cr) as ours:
            wizard = env["hr.talent.invite.wizard"].with_context(
                active_model="hr.talent", active_ids=talents.ids).create(
                {"event_id": event.id, "template_id": template.id})
            wizard.action_send()
        work = None
        if args.background:
            run = env["hr.recruitment.background.run"].search([], order="id desc", limit=1)
            with Measure(env.cr) as work:
                jobs = run_background(env, run)
            print("background: %d batches of %d (%d jobs with the progress ones); "
                  "run %s, %d/%d done, %d failed" % (
                      len(run.sudo().job_ids), args.batch, jobs, run.state, run.done_count,
                      run.total, run.failed_count))
            print("%-46s %10.2f %12.2f %14.1f" % (
                "wizard: plan + enqueue (the request)", ours.seconds,
                1000.0 * ours.seconds / args.count, float(ours.queries) / args.count))
            print("%-46s %10.2f %12.2f %14.1f" % (
                "jobs: invite + email (the workers)", work.seconds,
                1000.0 * work.seconds / args.count, float(work.queries) / args.count))
            ours.seconds += work.seconds
            ours.queries += work.queries
        queued = env["mail.mail"].search_count([]) - mails_before
        invited = env["hr.talent.invitation"].search_count([("event_id", "=", event.id)])

        n = args.count
        print("inviting %d talents to one event" % n)
        print("%-46s %10s %12s %14s" % ("", "wall (s)", "ms/talent", "queries/talent"))
        if core:
            m = args.baseline
            print("%-46s %10.2f %12.2f %14.1f" % (
                "Odoo core: send_mail one by one (%d)" % m, core.seconds,
                1000.0 * core.seconds / m, float(core.queries) / m))
        print("%-46s %10.2f %12.2f %14.1f" % (
            "candidate_nurture: invite wizard%s (%d)" % (
                ", total" if work else "", n), ours.seconds,
            1000.0 * ours.seconds / n, float(ours.queries) / n))
        print("invitations created: %d   mails queued: %d   skipped: %d" % (
            invited, queued, n - invited))
        if invited:
            print("per invitation: %.2f ms, %.1f queries" % (
                1000.0 * ours.seconds / invited, float(ours.queries) / invited))


if __name__ == "__main__":
    main()
