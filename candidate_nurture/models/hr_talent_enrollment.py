# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import logging
import zlib

from psycopg2 import sql

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from odoo.addons.queue_job.job import Job, job

from ..lib import followup as fu

_logger = logging.getLogger(__name__)

ENROLLMENT_STATES = [("running", "Running"), ("done", "Done"), ("stopped", "Stopped")]
STOP_REASONS = [
    ("replied", "Replied by email"),
    ("consent_withdrawn", "Consent withdrawn"),
    ("consent_expired", "Consent expired"),
    ("applied", "Applied again"),
    ("hired", "Hired"),
    ("bounced", "Email bounced"),
    ("failed", "Step failed too often"),
    ("anonymized", "Anonymised"),
    ("manual", "Stopped by a recruiter"),
    ("merged", "Merged into another talent's follow-up"),
]
# enrolments per follow-up job (system parameter candidate_nurture.followup_job_size)
BATCH_SIZE = 500
FOLLOWUP_CHANNEL = "root.candidate_nurture.followup"
# a running follow-up job holds the advisory lock (JOB_LOCK_CLASS, its queue.job id)
JOB_LOCK_CLASS = zlib.crc32(b"candidate_nurture.followup_job") & 0x7fffffff
DEAD_JOB_GRACE = 60  # seconds a started job may go without its lock
# a step that failed for one talent (its template did not render) is tried again
# this much later, up to the company's Follow-up Step Attempts
RETRY_DELAY = datetime.timedelta(hours=1)


class HrTalentEnrollment(models.Model):
    """A talent running through a follow-up sequence: the next step and when."""

    _name = "hr.talent.enrollment"
    _description = "Talent Follow-up Enrolment"
    _order = "next_date, id"
    _rec_name = "talent_id"

    talent_id = fields.Many2one("hr.talent", "Talent", required=True, ondelete="cascade",
                                index=True)
    sequence_id = fields.Many2one("hr.talent.sequence", "Follow-up Sequence", required=True,
                                  ondelete="cascade", index=True)
    step_id = fields.Many2one("hr.talent.sequence.step", "Next Step", ondelete="set null")
    next_date = fields.Datetime("Next Step On", index=True)
    state = fields.Selection(ENROLLMENT_STATES, default="running", required=True, index=True)
    stop_reason = fields.Selection(STOP_REASONS, readonly=True)
    stop_date = fields.Datetime(readonly=True)
    attempts = fields.Integer("Failed Attempts", readonly=True)
    last_error = fields.Text(readonly=True)
    last_step_id = fields.Many2one("hr.talent.sequence.step", "Last Step Done", readonly=True,
                                   ondelete="set null")
    last_step_date = fields.Datetime("Last Step Done On", readonly=True)
    steps_done = fields.Integer(readonly=True)
    is_contactable = fields.Boolean(related="talent_id.is_contactable", readonly=True)
    # the talent's company, always (the multi-company record rule reads it)
    company_id = fields.Many2one(related="talent_id.company_id", store=True, readonly=True)
    job_id = fields.Many2one(
        "queue.job", "Follow-up Job", readonly=True, index=True, copy=False,
        ondelete="set null",
        help="The background job queued to run the due step; it is not queued again "
             "until this job is over.")

    @api.model
    def create(self, vals):
        # company_id is the talent's: a value passed by the caller is ignored
        vals = dict((key, value) for key, value in vals.items() if key != "company_id")
        if "step_id" not in vals and vals.get("sequence_id"):
            sequence = self.env["hr.talent.sequence"].browse(vals["sequence_id"])
            first = sequence.step_ids.sorted(lambda s: (s.sequence, s.id))[:1]
            vals["step_id"] = first.id
            now = fields.Datetime.from_string(fields.Datetime.now())
            vals.setdefault("next_date", fields.Datetime.to_string(
                fu.step_due(now, first.delay_days)))
        return super(HrTalentEnrollment, self).create(vals)

    @api.multi
    def write(self, vals):
        # an enrolment stays with its talent (and so in its company); only the
        # system moves one, when merging two talents
        if "talent_id" in vals and self.env.uid != SUPERUSER_ID and any(
                enrollment.talent_id.id != vals["talent_id"] for enrollment in self):
            raise UserError(_("A follow-up enrolment cannot be moved to another talent: "
                              "stop it and enrol the other talent."))
        vals = dict((key, value) for key, value in vals.items() if key != "company_id")
        return super(HrTalentEnrollment, self).write(vals)

    @api.multi
    def action_stop(self):
        self.filtered(lambda e: e.state == "running")._nurture_stop("manual")
        return True

    @api.multi
    def _nurture_stop(self, reason):
        """End these enrolments for reason, say so on the talent, cancel their queued mail."""
        running = self.filtered(lambda e: e.state == "running")
        if not running:
            return
        running.write({"state": "stopped", "stop_reason": reason,
                       "stop_date": fields.Datetime.now(), "next_date": False})
        mails = self.env["mail.mail"].sudo().search([
            ("nurture_enrollment_id", "in", running.ids), ("state", "=", "outgoing")])
        if mails:
            mails.cancel()
        label = dict(STOP_REASONS)[reason]
        for enrollment in running:
            enrollment.talent_id.message_post(
                body=_("Follow-up \"%(seq)s\" stopped: %(reason)s.") % {
                    "seq": html_escape(enrollment.sequence_id.name), "reason": _(label)},
                subtype="mail.mt_note")

    # ------------------------------------------------------------------
    # Scheduler: a thin cron queues jobs, queue_job runs them anywhere
    # ------------------------------------------------------------------
    @api.model
    def _get_due_domain(self, now):
        """What the scheduler advances: running, due, talent contactable and active."""
        return [("state", "=", "running"), ("next_date", "<=", now), ("step_id", "!=", False),
                ("talent_id.is_contactable", "=", True), ("talent_id.active", "=", True)]

    @api.model
    def _get_unqueued_domain(self):
        """Not waiting for a follow-up job already (none, or it is over)."""
        return ["|", ("job_id", "=", False), ("job_id.state", "in", ("done", "failed"))]

    @api.model
    def _nurture_lock_due(self, domain=None):
        """Ids of due enrolments (and matching domain) locked for this transaction,
        most overdue first; rows another transaction holds are skipped
        (FOR UPDATE SKIP LOCKED): that one is queueing or running them."""
        query = self._where_calc(self._get_due_domain(fields.Datetime.now()) + (domain or []))
        from_clause, where_clause, params = query.get_sql()
        # from_clause and where_clause are built by the ORM from our domain, with
        # every value in params
        self.env.cr.execute(sql.SQL(
            "SELECT hr_talent_enrollment.id FROM {from_} WHERE {where} "
            "ORDER BY hr_talent_enrollment.next_date, hr_talent_enrollment.id "
            "FOR UPDATE OF hr_talent_enrollment SKIP LOCKED").format(
                from_=sql.SQL(from_clause), where=sql.SQL(where_clause or "TRUE")),
            params)
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _nurture_job_size(self):
        size = self.env["ir.config_parameter"].sudo().get_param(
            "candidate_nurture.followup_job_size", "")
        try:
            return max(int(size), 1) if size else BATCH_SIZE
        except ValueError:
            return BATCH_SIZE

    @api.model
    def _cron_advance(self):
        """Queue one follow-up job per batch of due enrolments; returns how many jobs.

        The jobs (channel root.candidate_nurture.followup) run on whichever
        worker of whichever server queue_job's runner sends them to, as many at
        once as the channel's capacity allows. An enrolment waiting for a job
        is marked with it and not queued again until that job is over.
        """
        self._nurture_requeue_dead_jobs()
        ids = self._nurture_lock_due(self._get_unqueued_domain())
        size = self._nurture_job_size()
        count = 0
        for start in range(0, len(ids), size):
            batch = self.browse(ids[start:start + size])
            queued = batch.with_delay(description=_(
                "Follow-ups: run the due step of %d enrolments") % len(batch)
            )._nurture_job_advance()
            count += 1
            if isinstance(queued, Job):  # not run at once (test_queue_job_no_delay)
                self.env.cr.execute(
                    "UPDATE hr_talent_enrollment SET job_id = "
                    "(SELECT id FROM queue_job WHERE uuid = %s) WHERE id IN %s",
                    (queued.uuid, tuple(batch.ids)))
        if ids:
            self.invalidate_cache(["job_id"], ids)
            _logger.info("Follow-ups: %d due enrolments queued in %d jobs", len(ids), count)
        return count

    @api.multi
    @job(default_channel=FOLLOWUP_CHANNEL)
    def _nurture_job_advance(self):
        """Follow-ups: run the due step of a batch of enrolments.

        Runs in one transaction, committed by queue_job: each step's mail
        (unique per enrolment and step in the database) and the enrolment's
        advance are kept together or not at all. Only what is still due is
        run, so a stop, a reply, an opt-out or a new application after the
        job was queued sends nothing, and running a job twice (retried after
        its worker died, queued twice) sends nothing more.
        """
        job_id = self._nurture_job_claim()
        if job_id is False:
            return _("Already running in another worker: nothing done.")
        _logger.info("Follow-up job %s: running the due steps of %d enrolments",
                     self.env.context.get("job_uuid"), len(self))
        ids = self._nurture_lock_due([("id", "in", self.ids)])
        self.browse(ids)._nurture_run_due_steps()
        if job_id:
            self.env.cr.execute(
                "UPDATE hr_talent_enrollment SET job_id = NULL WHERE id IN %s AND job_id = %s",
                (tuple(self.ids), job_id))
            self.invalidate_cache(["job_id"], self.ids)
        _logger.info("Follow-up job %s: %d of %d enrolments advanced",
                     self.env.context.get("job_uuid"), len(ids), len(self))
        return _("%(done)d of %(total)d enrolments advanced (the others were no longer "
                 "due).") % {"done": len(ids), "total": len(self)}

    @api.model
    def _nurture_job_claim(self):
        """Hold this job's advisory lock until its transaction ends.

        Returns the queue.job id, None outside a job, False when another
        worker runs the same job. PostgreSQL releases the lock when the
        worker's connection closes, however the worker died: a started job
        whose lock is free is not running (see _nurture_requeue_dead_jobs).
        """
        uuid = self.env.context.get("job_uuid")
        if not uuid:
            return None
        self.env.cr.execute("SELECT id FROM queue_job WHERE uuid = %s", (uuid,))
        row = self.env.cr.fetchone()
        if not row:
            return None
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (JOB_LOCK_CLASS, row[0]))
        return row[0] if self.env.cr.fetchone()[0] else False

    @api.model
    def _nurture_requeue_dead_jobs(self):
        """Follow-up jobs left 'started' by a worker that died go back to pending.

        queue_job 11 never requeues a started job itself (its garbage collector
        only requeues 'enqueued' ones, and the runner counts a started job as
        running, taking a slot of its channel for ever). A follow-up job whose
        advisory lock is free is not running anywhere; the grace period
        (system parameter candidate_nurture.followup_dead_job_seconds, default
        60) covers the instant between its start and its lock, and clock
        differences between servers. Returns the requeued jobs.
        """
        try:
            grace = int(self.env["ir.config_parameter"].sudo().get_param(
                "candidate_nurture.followup_dead_job_seconds", DEAD_JOB_GRACE))
        except ValueError:
            grace = DEAD_JOB_GRACE
        started_before = fields.Datetime.from_string(fields.Datetime.now()) - \
            datetime.timedelta(seconds=max(grace, 0))
        self.env.cr.execute(
            "SELECT id FROM queue_job WHERE state = 'started' AND model_name = %s "
            "AND method_name = %s AND date_started <= %s ORDER BY id",
            (self._name, "_nurture_job_advance", fields.Datetime.to_string(started_before)))
        started = self.env["queue.job"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        return started._nurture_requeue_dead(JOB_LOCK_CLASS, "follow-up")

    @api.multi
    def _nurture_run_due_steps(self):
        """Run the due step of these (locked, due) enrolments, grouped by step."""
        by_step = {}
        for enrollment in self:
            by_step.setdefault(enrollment.step_id, self.browse())
            by_step[enrollment.step_id] |= enrollment
        for step in sorted(by_step, key=lambda s: s.id):
            if step.action == "mail":
                by_step[step]._nurture_run_mail_step(step)
            else:
                by_step[step]._nurture_run_activity_step(step)

    @api.multi
    def _nurture_run_mail_step(self, step):
        if not step.template_id:  # its template was deleted: nothing to send
            for enrollment in self:
                enrollment._nurture_step_failed(step, ValueError(_("The step has no template.")))
            return
        with_email = self.filtered(lambda e: e.talent_id.email)
        # no email address: the step is skipped, never sent
        done = self - with_email
        failed = self.browse()
        values = {}
        if with_email:
            talents = with_email.mapped("talent_id")
            try:
                with self.env.cr.savepoint():
                    values = talents._nurture_mail_values(step.template_id)
            except Exception:  # one talent's data broke the batch render: one by one
                for enrollment in with_email:
                    try:
                        with self.env.cr.savepoint():
                            values.update(enrollment.talent_id._nurture_mail_values(
                                step.template_id))
                    except Exception as exc:  # pylint: disable=broad-except
                        enrollment._nurture_step_failed(step, exc)
                        failed |= enrollment
        Mail = self.env["mail.mail"].sudo()
        # read the batch first, then create: each mail.mail create invalidates the
        # cache, and reading enrollment.talent_id inside the loop would re-read
        # the whole prefetched batch after every create
        to_send = [(enrollment.id, enrollment.talent_id.id) for enrollment in with_email - failed]
        for enrollment_id, talent_id in to_send:
            Mail.create(dict(values[talent_id], nurture_enrollment_id=enrollment_id,
                             nurture_step_id=step.id))
        sent = self.browse([enrollment_id for enrollment_id, _talent_id in to_send])
        done |= sent
        contacted = self.env["hr.talent"].browse([talent_id for _enr, talent_id in to_send])
        if contacted:
            contacted.write({"last_contact_date": fields.Date.context_today(self)})
        done._nurture_advance(step)

    @api.multi
    def _nurture_run_activity_step(self, step):
        Activity = self.env["mail.activity"].sudo()
        model_id = self.env["ir.model"]._get("hr.talent").id
        activity_type = step.activity_type_id or self.env.ref("mail.mail_activity_data_todo")
        today = fields.Date.context_today(self)
        for enrollment in self:
            talent = enrollment.talent_id
            note = step.activity_note or ""
            if talent.linkedin_url:
                note += "<p>%s <a href=\"%s\">%s</a></p>" % (
                    _("LinkedIn:"), html_escape(talent.linkedin_url), html_escape(talent.linkedin_url))
            if not talent.email:
                note += "<p>%s</p>" % _("This talent has no email address.")
            Activity.create({
                "res_model_id": model_id, "res_id": talent.id,
                "activity_type_id": activity_type.id,
                "summary": step.activity_summary or step.name, "note": note,
                "date_deadline": today,
                "user_id": (talent.user_id or enrollment.sequence_id.user_id
                            or self.env.user).id,
            })
        self._nurture_advance(step)

    @api.multi
    def _nurture_advance(self, step):
        """Record step as done and point at the next one (a few writes per batch)."""
        if not self:
            return
        now = fields.Datetime.from_string(fields.Datetime.now())
        following = step._next_step()
        vals = {"last_step_id": step.id, "last_step_date": fields.Datetime.to_string(now),
                "attempts": 0, "last_error": False}
        if following:
            vals.update(step_id=following.id, next_date=fields.Datetime.to_string(
                fu.step_due(now, following.delay_days)))
        else:
            vals.update(step_id=False, next_date=False, state="done")
        self.write(vals)
        # steps_done in one statement for the whole group
        self.env.cr.execute(
            "UPDATE hr_talent_enrollment SET steps_done = COALESCE(steps_done, 0) + 1 "
            "WHERE id IN %s", (tuple(self.ids),))
        self.invalidate_cache(["steps_done"], self.ids)

    @api.multi
    def _nurture_step_failed(self, step, exc):
        self.ensure_one()
        company = self.talent_id.company_id or self.env.user.company_id
        attempts = self.attempts + 1
        error = "%s: %s" % (type(exc).__name__, exc)
        _logger.info("Follow-up step %s failed for talent %s (attempt %d): %s",
                     step.id, self.talent_id.id, attempts, error)
        now = fields.Datetime.from_string(fields.Datetime.now())
        self.write({"attempts": attempts, "last_error": error,
                    "next_date": fields.Datetime.to_string(now + RETRY_DELAY)})
        self.talent_id.message_post(body=_(
            "Follow-up step \"%(step)s\" failed (attempt %(n)d): %(error)s") % {
                "step": html_escape(step.name), "n": attempts, "error": html_escape(error)},
            subtype="mail.mt_note")
        if attempts >= max(company.nurture_followup_max_attempts, 1):
            self._nurture_stop("failed")
