"""Refusing N applicants with feedback in one wizard run, beside Odoo's own refusal.

Odoo 11's own "Refuse" archives the applicant; with a chatter note to say why, that is
the baseline: write({'active': False}) + message_post() per applicant. Ours refuses the
same number in one wizard run: reason, feedback, resources, a rendered email queued in
Odoo's mail queue for each, a chatter note each. Both run in the same process and
transaction, which is rolled back at the end.

    .venv/bin/python benchmarks/bench_refuse.py [N] [--db nurture_bench] [--runs R]

Large-batch mode (issue 13): ``--background`` refuses N (default 5,000) through
the background path, as the web client does above the threshold: the wizard
validates and enqueues one queue_job job per batch (``--batch``, default 200),
then the jobs run one after the other in this process, as a queue_job worker
runs them. The core baseline runs on ``--baseline`` applicants (default 1,000).

    .venv/bin/python benchmarks/bench_refuse.py --background [N] [--batch 200]
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from odoo_env import Measure, open_env, run_background  # noqa: E402


def make_applicants(env, job, stage, count, prefix):
    Applicant = env["hr.applicant"].with_context(tracking_disable=True, mail_create_nolog=True)
    vals = [{"name": "%s application %d" % (prefix, i), "partner_name": "%s Candidate %d" % (prefix, i),
             "email_from": "%s.candidate%d@bench.example" % (prefix.lower(), i),
             "job_id": job.id, "stage_id": stage.id} for i in range(count)]
    return Applicant.browse([Applicant.create(v).id for v in vals])


def prepare(env, company_values=None):
    """The bench's stages (personal feedback from the second), job and resource."""
    stage = env["hr.recruitment.stage"].create({"name": "Bench screening", "sequence": 0})
    values = {"nurture_personal_stage_id": env["hr.recruitment.stage"].create(
        {"name": "Bench interview", "sequence": 50}).id}
    values.update(company_values or {})
    env.user.company_id.write(values)
    job = env["hr.job"].create({"name": "Bench Engineer"})
    resource = env["hr.recruitment.resource"].create({
        "name": "Bench book", "resource_type": "book", "url": "https://example.com/book"})
    return stage, job, resource


def core_refusal(applicants):
    """Odoo 11 core's refusal, measured: archive and a chatter note each."""
    with Measure(applicants.env.cr) as core:
        for applicant in applicants:
            applicant.write({"active": False})
            applicant.message_post(body="Refused: position filled", subtype="mail.mt_note")
    return core


def refuse_wizard(env, applicants, resource):
    """The refusal wizard on these applicants, shared feedback filled in."""
    return env["hr.applicant.refuse.wizard"].with_context(
        active_model="hr.applicant", active_ids=applicants.ids).create({
            "refuse_reason_id": env.ref("candidate_nurture.refuse_reason_position_filled").id,
            "template_id": env.ref("candidate_nurture.mail_template_refuse_feedback").id,
            "strengths": "Clear and well structured answers\nGreat questions about the team",
            "improvements": "Practise the system design exercise",
            "resource_ids": [(6, 0, resource.ids)],
        })


def refuse_once(env, count):
    """One measured run: core's refusal of count applicants, then ours."""
    # the wizard in the request whatever N (0: no background threshold); --background
    # measures the other path
    stage, job, resource = prepare(env, {"nurture_background_threshold": 0})
    baseline = make_applicants(env, job, stage, count, "Core")
    ours = make_applicants(env, job, stage, count, "Nurture")
    env.cr.flush() if hasattr(env.cr, "flush") else None
    mails_before = env["mail.mail"].search_count([])

    core = core_refusal(baseline)
    wizard = refuse_wizard(env, ours, resource)
    with Measure(env.cr) as nurture:
        wizard.action_refuse()
    queued = env["mail.mail"].search_count([]) - mails_before
    refused = env["hr.applicant"].with_context(active_test=False).search_count(
        [("id", "in", ours.ids), ("active", "=", False), ("refuse_reason_id", "!=", False)])
    return core, nurture, queued, refused


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int)
    parser.add_argument("--db", default="nurture_bench")
    parser.add_argument("--runs", type=int, default=1,
                        help="repeat the measure (each run rolled back); the median ratio is printed")
    parser.add_argument("--background", action="store_true",
                        help="through queue_job batches, as above the threshold")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=1000,
                        help="core baseline size in --background mode")
    args = parser.parse_args()
    if args.background:
        return background(args)
    n = args.count = args.count or 1000
    ratios = []
    for run in range(args.runs):
        with open_env(args.db) as env:
            core, nurture, queued, refused = refuse_once(env, n)
        ratios.append(nurture.seconds / core.seconds)
        print("refusing %d applicants%s" % (n, " (run %d of %d)" % (run + 1, args.runs)
                                            if args.runs > 1 else ""))
        print("%-44s %10s %12s %14s" % ("", "wall (s)", "ms/applicant", "queries/appl."))
        print("%-44s %10.2f %12.2f %14.1f" % ("Odoo 11 core: archive + chatter note", core.seconds,
                                              1000.0 * core.seconds / n, float(core.queries) / n))
        print("%-44s %10.2f %12.2f %14.1f" % ("candidate_nurture: refusal wizard", nurture.seconds,
                                              1000.0 * nurture.seconds / n,
                                              float(nurture.queries) / n))
        print("mails queued: %d   applicants refused: %d" % (queued, refused))
        if refused != n:
            sys.exit("[bench] the wizard refused %d of %d: the figure is not a refusal's" % (refused, n))
        print("ratio per applicant (ours / core): time %.2fx, queries %.2fx  (goal: <= 1.5x)" % (
            ratios[-1], float(nurture.queries) / core.queries), flush=True)
    if args.runs > 1:
        print("median time ratio of %d runs: %.2fx  (runs: %s)" % (
            args.runs, statistics.median(ratios), ", ".join("%.2f" % r for r in ratios)))


def background(args):
    n = args.count or 5000
    with open_env(args.db) as env:
        stage, job, resource = prepare(env, {
            "nurture_background_threshold": 200, "nurture_background_batch_size": args.batch})
        baseline = make_applicants(env, job, stage, args.baseline, "Core")
        ours = make_applicants(env, job, stage, n, "Nurture")
        mails_before = env["mail.mail"].search_count([])

        core = core_refusal(baseline)
        with Measure(env.cr) as enqueue:
            refuse_wizard(env, ours, resource).action_refuse()
        run = env["hr.recruitment.background.run"].search([], order="id desc", limit=1)
        with Measure(env.cr) as work:
            jobs = run_background(env, run)
        queued = env["mail.mail"].search_count([]) - mails_before
        m = args.baseline
        total = enqueue.seconds + work.seconds
        print("refusing %d applicants in the background (%d batches of %d, %d jobs with "
              "the progress ones)" % (n, len(run.sudo().job_ids), args.batch, jobs))
        print("%-50s %10s %12s %14s" % ("", "wall (s)", "ms/applicant", "queries/appl."))
        for label, measure, count in (
                ("Odoo 11 core: archive + chatter note (%d)" % m, core, m),
                ("wizard: validate + enqueue (the request)", enqueue, n),
                ("jobs: refuse, email, note (the workers)", work, n)):
            print("%-50s %10.2f %12.2f %14.1f" % (label, measure.seconds,
                                                  1000.0 * measure.seconds / count,
                                                  float(measure.queries) / count))
        print("%-50s %10.2f %12.2f" % ("total", total, 1000.0 * total / n))
        print("run: %s, %d/%d done, %d failed; mails queued: %d" % (
            run.state, run.done_count, run.total, run.failed_count, queued))
        print("ratio per applicant (total / core): %.2fx" % (
            (total / n) / (core.seconds / m)))


if __name__ == "__main__":
    main()
