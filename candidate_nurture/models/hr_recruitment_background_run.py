# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A refusal, an invitation or an anonymisation too big for one request.

Above the company's threshold (Recruitment > Configuration > Settings >
Background Runs), the wizard validates everything synchronously, then creates
one run and one queue_job job per batch of records (channel
root.candidate_nurture). Each job does in its own transaction what the wizard
does for a small selection; a record that fails is listed on the run with its
error and the others go on. The user follows the progress on the run and is
notified in Odoo when it ends.

Exactly once: a job only handles the records this run has not handled yet
(refused with the run's nonce, already invited to the event, already
anonymised), so a job that runs twice, or again after its worker died
half-way (its transaction rolled back), never emails anyone twice.
"""
import json
import logging
import os
from datetime import datetime, timedelta

from psycopg2 import OperationalError
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import html_escape

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job, related_action

_logger = logging.getLogger(__name__)

CHANNEL = "root.candidate_nurture"
# the first key of the advisory lock a running batch job holds (the second is
# its queue_job id): the watchdog knows a started job whose lock is free is dead
LOCK_CLASS = 70713
# a started job is only suspected dead this long after it started (it takes
# its lock a few milliseconds after being marked started)
DEAD_AFTER_SECONDS = 10


class HrRecruitmentBackgroundRun(models.Model):
    """One background run: its batches (queue jobs), progress and failures."""

    _name = "hr.recruitment.background.run"
    _inherit = ["mail.thread"]
    _description = "Background Run"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    kind = fields.Selection([
        ("refusal", "Refusal"),
        ("invitation", "Event Invitation"),
        ("anonymisation", "Anonymisation"),
    ], required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", "Started By", required=True, readonly=True, index=True,
        default=lambda self: self.env.user)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        default=lambda self: self.env.user.company_id)
    state = fields.Selection([
        ("running", "Running"),
        ("done", "Done"),
        ("failed", "Done With Failures"),
    ], default="running", required=True, readonly=True, index=True,
        track_visibility="onchange")
    res_model = fields.Char("Records Of", required=True, readonly=True)
    total = fields.Integer(readonly=True, help="Records this run handles.")
    done_count = fields.Integer(
        "Done", readonly=True,
        help="Records handled so far (counted when a batch ends).")
    failed_count = fields.Integer(
        "Failed", readonly=True,
        help="Records that failed, listed below with their error, plus those of "
             "batches that failed as a whole. Retry Failed runs them again.")
    progress = fields.Float(
        compute="_compute_progress", help="Done out of total, in percent.")
    date_done = fields.Datetime("Finished On", readonly=True)
    payload = fields.Text(
        readonly=True, groups="base.group_system",
        help="What the wizard decided (reason, feedback, event...), as JSON: "
             "each batch applies it to its records.")
    job_ids = fields.Many2many(
        "queue.job", "hr_recruitment_background_run_queue_job_rel", "run_id", "job_id",
        string="Batches", readonly=True, copy=False)
    failure_ids = fields.One2many(
        "hr.recruitment.background.run.failure", "run_id", "Failures", readonly=True)

    @api.depends("total", "done_count")
    def _compute_progress(self):
        for run in self:
            run.progress = 100.0 * run.done_count / run.total if run.total else 100.0

    # ------------------------------------------------------------------
    # Starting a run (called by the wizards, after their checks)
    # ------------------------------------------------------------------
    @api.model
    def _nurture_threshold(self, company=None):
        """(threshold, batch size) of the company: above the threshold, in the
        background; a threshold of 0 keeps everything synchronous."""
        company = (company or self.env.user.company_id).sudo()
        return company.nurture_background_threshold, max(
            company.nurture_background_batch_size, 1)

    @api.model
    def _nurture_goes_background(self, count):
        if self.env.context.get("nurture_background_run"):
            return False  # a batch of a run: synchronous by definition
        threshold = self._nurture_threshold()[0]
        return bool(threshold) and count > threshold

    @api.model
    def _nurture_start(self, kind, res_model, record_ids, payload, name):
        """Create the run and enqueue one job per batch of record_ids."""
        record_ids = list(record_ids)
        # users only read runs: the system creates them, for the user and their
        # company (never from values a caller passes)
        created = self.sudo().create({
            "name": name, "kind": kind, "res_model": res_model, "total": len(record_ids),
            "user_id": self.env.uid, "company_id": self.env.user.company_id.id,
            "payload": json.dumps(payload, sort_keys=True),
        })
        # the jobs run as this user, with their rights
        run = self.browse(created.id)
        size = self._nurture_threshold(run.company_id)[1]
        for start in range(0, len(record_ids), size):
            run._nurture_enqueue(record_ids[start:start + size])
        created.message_post(body=_("%(count)d record(s) to handle in %(batches)d batch(es).") % {
            "count": len(record_ids), "batches": len(created.job_ids)}, subtype="mail.mt_note")
        return run

    def _nurture_enqueue(self, record_ids):
        self.ensure_one()
        delayed = self.with_delay(
            channel=CHANNEL, description=_("%(run)s: batch of %(count)d") % {
                "run": self.name, "count": len(record_ids)})._nurture_run_batch(record_ids)
        self.sudo().job_ids = [(4, delayed.db_record().id)]

    def _nurture_result_link(self):
        """An HTML link to the run's form, for the wizards' result dialogs."""
        self.ensure_one()
        return '<a href="/web#id=%d&amp;model=%s&amp;view_type=form">%s</a>' % (
            self.id, self._name, html_escape(self.name))

    def _nurture_open_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "name": self.name,
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _nurture_check_rights(self, operation="read"):
        """Public methods run for any logged-in user over RPC: check first."""
        self.check_access_rights(operation)
        self.check_access_rule(operation)

    @api.multi
    def action_retry_failed(self):
        """Run the failed records and batches again (one job per batch), as the
        user who started the run. Theirs to retry, or a recruitment manager's."""
        self._nurture_check_rights()
        manager = self.env.user.has_group("hr_recruitment.group_hr_recruitment_manager")
        if not manager and self.filtered(lambda r: r.user_id != self.env.user):
            raise AccessError(_("Only the user who started a background run, or a "
                                "recruitment manager, may retry it."))
        for run in self:
            jobs = run.sudo().job_ids.filtered(lambda j: j.state == "failed")
            if jobs:
                jobs.requeue()
            failures = run.sudo().failure_ids
            ids = failures.mapped("res_id")
            failures.unlink()
            size = self._nurture_threshold(run.company_id)[1]
            as_owner = run.sudo(run.user_id)
            for start in range(0, len(ids), size):
                as_owner._nurture_enqueue(ids[start:start + size])
            if jobs or ids:
                count = run.failed_count
                run.sudo().write({"state": "running", "date_done": False})
                run.sudo()._nurture_refresh()
                run.sudo().message_post(body=_("Retry of %(count)d failed record(s) requested by "
                                        "%(user)s.") % {
                    "count": count, "user": html_escape(self.env.user.name)},
                    subtype="mail.mt_note")
        return True

    @api.multi
    def action_refresh(self):
        """Count what the batches did so far (the form shows it)."""
        self._nurture_check_rights("read")
        self.sudo()._nurture_refresh()
        return True

    @api.multi
    def action_open_records(self):
        """The records of the run (refused applicants, invitations, talents)."""
        self._nurture_check_rights("read")
        self.ensure_one()
        ids = set()
        for row in self.sudo().job_ids.read(["args"]):
            ids.update(row["args"][0] if row["args"] else [])
        return {
            "type": "ir.actions.act_window", "res_model": self.res_model,
            "name": self.name, "view_mode": "tree,form",
            "domain": [("id", "in", sorted(ids))],
            "context": {"active_test": False},
        }

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    # Queue > Jobs > Related opens the run (queue_job's open-record action)
    @job(default_channel=CHANNEL)
    @related_action(action="related_action_open_record")
    def _nurture_run_batch(self, record_ids):
        """One batch: the records this run has not handled yet, in one go; when
        that fails, one by one, listing those that fail with their error."""
        self.ensure_one()
        self._nurture_lock_job()
        payload = json.loads(self.sudo().payload or "{}")
        process = getattr(self, "_nurture_process_%s" % self.kind)
        self._nurture_lock_records(record_ids)
        todo = self._nurture_todo(record_ids, payload)
        if todo:
            try:
                with self.env.cr.savepoint():
                    process(todo, payload)
            except Exception as err:  # noqa: BLE001 - isolated below, record by record
                self._nurture_reraise_concurrency(err)
                self.env.clear()
                _logger.info("Run %s: a batch of %d failed (%s), one by one now",
                             self.id, len(todo), err)
                for record_id in todo:
                    try:
                        with self.env.cr.savepoint():
                            process([record_id], payload)
                    except Exception as record_err:  # noqa: BLE001 - listed on the run
                        self._nurture_reraise_concurrency(record_err)
                        self.env.clear()
                        self._nurture_fail(record_id, self._nurture_error_text(record_err))
        # counting and the final notification happen in a job of their own,
        # once this transaction is committed (so it sees this batch done)
        self.with_delay(
            channel=CHANNEL, identity_key="candidate_nurture_run_finish_%d" % self.id,
            description=_("%s: progress") % self.name)._nurture_finish()
        return _("%(todo)d of %(count)d record(s) handled") % {
            "todo": len(todo), "count": len(record_ids)}

    @job(default_channel=CHANNEL)
    @related_action(action="related_action_open_record")
    def _nurture_finish(self):
        """Count the batches' work; when all ended, notify the user."""
        self.sudo()._nurture_refresh()
        return True

    def _nurture_lock_job(self):
        """Hold the job's advisory lock for its transaction: a second copy of the
        job does not run beside it, and the watchdog sees it alive."""
        job_id = self._nurture_current_job_id()
        if not job_id:
            return
        # who runs which batch, for whoever looks at pg_stat_activity (the
        # end-to-end test finds the worker to kill this way); reset at the end
        # of the transaction
        self.env.cr.execute("SET LOCAL application_name = %s",
                            ("candidate_nurture job %d pid %d" % (job_id, os.getpid()),))
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_CLASS, job_id))
        if not self.env.cr.fetchone()[0]:
            raise RetryableJobError(_("This batch is already running elsewhere."),
                                    seconds=10, ignore_retry=True)

    def _nurture_current_job_id(self):
        uuid = self.env.context.get("job_uuid")
        if not uuid:
            return None
        self.env.cr.execute("SELECT id FROM queue_job WHERE uuid = %s", (uuid,))
        row = self.env.cr.fetchone()
        return row and row[0]

    def _nurture_lock_records(self, record_ids):
        """Lock the batch's rows (another transaction on them: retried later)."""
        table = self.env[self.res_model]._table
        # the table name comes from the registry, never from the caller
        self.env.cr.execute(
            'SELECT id FROM "%s" WHERE id IN %%s FOR UPDATE NOWAIT' % table,  # noqa: S608
            (tuple(record_ids),))

    @staticmethod
    def _nurture_reraise_concurrency(err):
        """Lock and serialization conflicts are not the record's fault: the whole
        job is retried by queue_job (its transaction rolled back)."""
        if isinstance(err, OperationalError) and err.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY:
            raise err

    @staticmethod
    def _nurture_error_text(err):
        if isinstance(err, (UserError, AccessError)):
            return err.name
        return "%s: %s" % (type(err).__name__, err)

    def _nurture_todo(self, record_ids, payload):
        """The ids of record_ids this run still has to handle."""
        return getattr(self, "_nurture_todo_%s" % self.kind)(record_ids, payload)

    # ------------------------------------------------------------------
    # Counting and the end of a run
    # ------------------------------------------------------------------
    def _nurture_refresh(self):
        """Done / failed from the batches (as superuser, called by the system and
        by actions that checked the rights)."""
        for run in self:
            batches = run.job_ids.read(["state", "args"])
            failed_ids = set(run.failure_ids.mapped("res_id"))
            done_ids, failed_jobs_ids = set(), set()
            for batch in batches:
                ids = set(batch["args"][0] if batch["args"] else [])
                if batch["state"] == "done":
                    done_ids |= ids
                elif batch["state"] == "failed":
                    failed_jobs_ids |= ids
            failed_ids |= failed_jobs_ids - done_ids
            done = len(done_ids - failed_ids)
            vals = {"done_count": done, "failed_count": len(failed_ids)}
            ended = all(batch["state"] in ("done", "failed") for batch in batches)
            if ended and run.state == "running":
                vals.update(state="failed" if failed_ids else "done",
                            date_done=fields.Datetime.now())
            run.write(vals)
            if "state" in vals:
                run._nurture_notify_end()

    def _nurture_notify_end(self):
        """The user who started the run gets the summary in their Inbox."""
        self.ensure_one()
        if self.state == "done":
            body = _("%(name)s is finished: %(done)d of %(total)d done.") % {
                "name": self.name, "done": self.done_count, "total": self.total}
        else:
            body = _("%(name)s is finished: %(done)d of %(total)d done, %(failed)d failed. "
                     "Open the run to see their errors and retry them.") % {
                "name": self.name, "done": self.done_count, "total": self.total,
                "failed": self.failed_count}
        # posted by the system: the user is notified even when they are its
        # author (e.g. the administrator, whom Odoo 11's superuser is)
        self.with_context(mail_notify_author=True).message_post(
            body=html_escape(body), subtype="mail.mt_comment",
            partner_ids=[(4, self.user_id.partner_id.id)])

    @api.model
    def _nurture_requeue_dead_jobs(self):
        """Batches left 'started' by a worker that died (kill -9, OOM, a server
        crash): queue_job 11 leaves them so forever. A live batch holds its
        advisory lock; one whose lock is free is dead: requeued, it redoes
        what its rolled-back transaction did not commit."""
        limit = fields.Datetime.to_string(
            datetime.now() - timedelta(seconds=DEAD_AFTER_SECONDS))
        runs = self.sudo().search([("state", "=", "running")])
        jobs = runs.mapped("job_ids").filtered(
            lambda j: j.state == "started" and j.date_started and j.date_started <= limit)
        return jobs._nurture_requeue_dead(LOCK_CLASS, "background batch")

    @api.model
    def _cron_watch(self):
        """Requeue the batches of dead workers; count and close ended runs."""
        self._nurture_requeue_dead_jobs()
        self.sudo().search([("state", "=", "running")])._nurture_refresh()
        return True

    # ------------------------------------------------------------------
    # Refusal
    # ------------------------------------------------------------------
    def _nurture_todo_refusal(self, record_ids, payload):
        """Applicants not refused yet (those this run refused are skipped; those
        someone else refused meanwhile fail, nothing is sent to them again)."""
        self.env.cr.execute(
            "SELECT id, refuse_date IS NOT NULL, refuse_token_nonce = %s "
            "FROM hr_applicant WHERE id IN %s",
            (payload["wizard"]["token_nonce"], tuple(record_ids)))
        rows = dict((row[0], row[1:]) for row in self.env.cr.fetchall())
        todo = []
        for record_id in record_ids:
            refused, by_us = rows.get(record_id, (None, None))
            if refused is None:
                self._nurture_fail(record_id, _("The applicant no longer exists."))
            elif refused and not by_us:
                self._nurture_fail(record_id, _(
                    "Already refused by another refusal: nothing was sent again."))
            elif not refused:
                todo.append(record_id)
        return todo

    def _nurture_fail(self, record_id, error):
        Failure = self.env["hr.recruitment.background.run.failure"].sudo()
        if not Failure.search_count([("run_id", "=", self.id), ("res_id", "=", record_id)]):
            Failure.create({"run_id": self.id, "res_id": record_id, "error": error})

    def _nurture_process_refusal(self, applicant_ids, payload):
        """The refusal wizard, as the user filled it, on these applicants."""
        values = dict(payload["wizard"])
        lines = payload.get("lines", {})
        values.update({
            "applicant_ids": [(6, 0, applicant_ids)],
            "resource_ids": [(6, 0, values.get("resource_ids") or [])],
            "line_ids": [(0, 0, dict(lines.get(str(aid), {}), applicant_id=aid))
                         for aid in applicant_ids],
        })
        wizard = self.env["hr.applicant.refuse.wizard"].with_context(
            nurture_background_run=self.id).create(values)
        wizard.action_refuse()

    # ------------------------------------------------------------------
    # Event invitation
    # ------------------------------------------------------------------
    def _nurture_todo_invitation(self, record_ids, payload):
        """Talents not invited to the event yet (the wizard skips the others too)."""
        self.env.cr.execute(
            "SELECT talent_id FROM hr_talent_invitation WHERE event_id = %s "
            "AND talent_id IN %s", (payload["event_id"], tuple(record_ids)))
        invited = set(row[0] for row in self.env.cr.fetchall())
        return [rid for rid in record_ids if rid not in invited]

    def _nurture_process_invitation(self, talent_ids, payload):
        wizard = self.env["hr.talent.invite.wizard"].with_context(
            nurture_background_run=self.id).create({
                "event_id": payload["event_id"], "template_id": payload["template_id"],
                "pool_id": payload.get("pool_id") or False,
                "talent_ids": [(6, 0, talent_ids)],
            })
        wizard.action_send()

    # ------------------------------------------------------------------
    # Anonymisation
    # ------------------------------------------------------------------
    def _nurture_todo_anonymisation(self, record_ids, payload):
        self.env.cr.execute(
            "SELECT id FROM hr_talent WHERE id IN %s AND anonymized_date IS NULL",
            (tuple(record_ids),))
        todo = set(row[0] for row in self.env.cr.fetchall())
        return [rid for rid in record_ids if rid in todo]

    def _nurture_process_anonymisation(self, talent_ids, payload):
        self.env["hr.talent"].browse(talent_ids).sudo()._nurture_anonymize(payload["why"])
