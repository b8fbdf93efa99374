# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape


class HrTalentMatch(models.Model):
    """A talent ranked for a job by rediscovery, with the parts of the score.

    Rebuilt on demand (hr.job._nurture_compute_talent_matches), so the list
    can be sorted and filtered on each part.
    """

    _name = "hr.talent.match"
    _description = "Talent Matching a Job"
    _order = "job_id, rank, id"

    job_id = fields.Many2one("hr.job", "Job", required=True, index=True, ondelete="cascade")
    talent_id = fields.Many2one("hr.talent", "Talent", required=True, index=True,
                                ondelete="cascade")
    rank = fields.Integer(index=True)
    score = fields.Float(digits=(16, 2))
    score_tags = fields.Float("Shared Tags", digits=(16, 2))
    score_department = fields.Float("Department", digits=(16, 2))
    score_stage = fields.Float("Furthest Stage", digits=(16, 2))
    score_rating = fields.Float("Rating", digits=(16, 2))
    score_reason = fields.Float("Refusal Reason", digits=(16, 2))
    score_recency = fields.Float("Recency", digits=(16, 2))
    explanation = fields.Text("Why")
    company_id = fields.Many2one(related="talent_id.company_id", store=True, readonly=True)
    email = fields.Char(related="talent_id.email", readonly=True)
    furthest_stage_id = fields.Many2one(related="talent_id.furthest_stage_id", readonly=True)
    furthest_job_id = fields.Many2one(related="talent_id.furthest_job_id", readonly=True)
    silver_medalist = fields.Boolean(related="talent_id.silver_medalist", readonly=True)
    is_contactable = fields.Boolean(
        related="talent_id.is_contactable", readonly=True, string="May Be Emailed",
        help="Consent given and not expired: only these talents get emails. Others are "
             "ranked so that you may ask them for consent.")
    invited_date = fields.Datetime(
        "Invited to Apply On", readonly=True, copy=False,
        help="When this talent was last emailed an invitation to apply to this job.")

    _sql_constraints = [
        ("job_talent_uniq", "unique(job_id, talent_id)", "A talent is ranked once per job."),
    ]

    # company_id is the talent's (the multi-company record rule reads it): a
    # value passed by the caller is ignored, and a match stays with its talent
    @api.model
    def create(self, vals):
        vals = dict((key, value) for key, value in vals.items() if key != "company_id")
        return super(HrTalentMatch, self).create(vals)

    @api.multi
    def write(self, vals):
        if "talent_id" in vals and self.env.uid != SUPERUSER_ID and any(
                match.talent_id.id != vals["talent_id"] for match in self):
            raise UserError(_("A job match cannot be moved to another talent."))
        vals = dict((key, value) for key, value in vals.items() if key != "company_id")
        return super(HrTalentMatch, self).write(vals)

    @api.multi
    def action_invite_to_apply(self):
        """Email each talent an invitation to apply to the job, with the links to
        its public page and apply form. Everything is checked before anything is
        sent: a job not on the careers page, or a talent who may not be emailed,
        stops the whole batch with a clear message."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        unpublished = self.mapped("job_id").filtered(lambda job: not job.website_published)
        if unpublished:
            raise UserError(_(
                "Publish these jobs on the careers page first (the invitation links to "
                "their public page and apply form): %s") % ", ".join(unpublished.mapped("name")))
        not_emailable = self.mapped("talent_id").filtered(
            lambda talent: not talent.is_contactable or not talent.email)
        if not_emailable:
            raise UserError(_(
                "These talents may not be emailed (no consent to be contacted, or no email "
                "address): %s. Ask them for consent first.") % ", ".join(
                    not_emailable.mapped("name")))
        already = self.filtered("invited_date")
        if already:
            raise UserError(_(
                "Already invited to apply to this job: %s.") % ", ".join(
                    "%s (%s)" % (match.talent_id.name, match.invited_date) for match in already))
        template = self.env.ref("candidate_nurture.mail_template_invite_to_apply")
        now = fields.Datetime.now()
        for job in self.mapped("job_id"):
            matches = self.filtered(lambda match, job=job: match.job_id == job)
            talents = matches.mapped("talent_id")
            # the template renders in its own environment: the job goes in its context
            talents._nurture_queue_template(template.with_context(nurture_invite_job_id=job.id))
            for talent in talents:
                talent.message_post(body=_("Invited to apply to %s.") % html_escape(job.name),
                                    subtype="mail.mt_note")
            matches.write({"invited_date": now})
        return True
