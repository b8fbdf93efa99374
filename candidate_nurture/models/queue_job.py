# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""OCA queue_job's job, as the addon's background work watches it."""
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class QueueJob(models.Model):
    _inherit = "queue.job"

    @api.multi
    def _nurture_requeue_dead(self, lock_class, what):
        """Requeue those of these 'started' jobs whose worker died (kill -9, out of
        memory, a server crash): queue_job 11 leaves such a job started forever,
        holding a slot of its channel. A live job of the addon holds the advisory
        lock (lock_class, its id) for its transaction; a free lock means its worker
        is gone and its transaction rolled back, so running it again redoes only
        what was not committed. Returns the requeued jobs."""
        cr = self.env.cr
        dead = self.browse()
        for job in self:
            cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (lock_class, job.id))
            if cr.fetchone()[0]:
                dead |= job
        if dead:
            _logger.warning("Requeued %d %s job(s) whose worker died: %s",
                            len(dead), what, ", ".join(dead.mapped("uuid")))
            dead.sudo().requeue()
        return dead
