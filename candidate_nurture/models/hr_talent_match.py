# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext


class HrTalentMatch(models.Model):
    """A talent ranked for a job by rediscovery, with the parts of the score.

    Rebuilt on demand (hr.job._nurture_compute_talent_matches), so the list
    can be sorted and filtered on each part. Named "Talent – Job".
    """

    _name = "hr.talent.match"
    _description = "Talent Matching a Job"
    _order = "job_id, rank, id"
    # searched by the talent's name; displayed "Talent – Job" (name_get)
    _rec_name = "talent_id"

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

    # ------------------------------------------------------------------
    # Name: "Talent – Job"
    # ------------------------------------------------------------------
    @api.multi
    def name_get(self):
        return [(match.id, "%s \u2013 %s" % (match.talent_id.name or "", match.job_id.name or ""))
                for match in self]

    # ------------------------------------------------------------------
    # Actions from a match: open the talent, add to pool, invite to apply
    # ------------------------------------------------------------------
    @api.multi
    def action_open_talent(self):
        """The talent's form."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        return {
            "type": "ir.actions.act_window",
            "name": _("Talent"),
            "res_model": "hr.talent",
            "res_id": self.talent_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.multi
    def action_add_to_pool(self):
        """The Add to Pool wizard, with the talents of these matches."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        return self.mapped("talent_id").action_add_to_pool()

    @api.multi
    def action_invite_to_apply(self):
        """Write to the talent, personally, to invite them to apply: opens the
        email composer with the "personal invitation to apply" template,
        rendered for the talent and the job (links to its public page and apply
        form, signed for the talent), for the recruiter to edit before sending.

        Everything is checked first: a job not on the careers page, a talent
        who may not be emailed or was already invited open nothing."""
        self.ensure_one()
        self._nurture_check_invitable()
        template = self.env.ref("candidate_nurture.mail_template_invite_to_apply_personal")
        view = self.env.ref("candidate_nurture.mail_compose_message_view_form_invite_to_apply")
        return {
            "type": "ir.actions.act_window",
            "name": _("Invite %s to apply") % self.talent_id.name,
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(view.id, "form")],
            "target": "new",
            "context": {
                "default_model": self.talent_id._name,
                "default_res_id": self.talent_id.id,
                "default_composition_mode": "comment",
                "default_template_id": template.id,
                # the template reads the job from the context; the composer
                # sends through _nurture_send_invitation
                "nurture_invite_job_id": self.job_id.id,
                "nurture_invite_match_id": self.id,
            },
        }

    # ------------------------------------------------------------------
    # Invitation to apply: checks and sending
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_check_invitable(self):
        """Raise unless the caller may invite these talents to apply to these
        jobs now: recruiter rights on the matches (AccessError), jobs on the
        careers page, talents who may be emailed (consent given and not
        expired, an email address, not opted out of emails, not anonymised),
        not invited to this job yet (UserError)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        unpublished = self.mapped("job_id").filtered(lambda job: not job.website_published)
        if unpublished:
            raise UserError(_(
                "Publish these jobs on the careers page first (the invitation links to "
                "their public page and apply form): %s") % ", ".join(unpublished.mapped("name")))
        not_emailable = self.mapped("talent_id").filtered(
            lambda talent: not talent.is_contactable or not talent.email
            or talent.anonymized_date or not talent.active or talent.partner_id.opt_out)
        if not_emailable:
            raise UserError(_(
                "These talents may not be emailed (no consent to be contacted, no email "
                "address, or they opted out of emails): %s. Ask them for consent first.") % (
                    ", ".join(not_emailable.mapped("name"))))
        already = self.filtered("invited_date")
        if already:
            raise UserError(_(
                "Already invited to apply to this job: %s.") % ", ".join(
                    "%s (%s)" % (match.talent_id.name, match.invited_date) for match in already))

    @api.multi
    def _nurture_send_invitation(self, composer):
        """Queue the invitation written in composer (mail.compose.message) to
        this match's talent: to their own address, with their stop link (body
        and List-Unsubscribe headers), logged in their chatter. Checked again
        here: the composer may have stayed open while consent changed."""
        self.ensure_one()
        self._nurture_check_invitable()
        talent = self.talent_id
        if composer.model != talent._name or composer.res_id != talent.id:
            raise UserError(_("This email is not addressed to %s.") % talent.name)
        body = composer.body or ""
        if not html2plaintext(body).strip():
            raise UserError(_("Write the invitation before sending it."))
        values = {
            "subject": composer.subject or _("%s: we thought of you") % self.job_id.name,
            "body_html": body,
            "body": body,
            "email_to": talent.email,
            "email_from": composer.email_from or self.env.user.email_formatted,
            "author_id": composer.author_id.id or self.env.user.partner_id.id,
            "model": talent._name,
            "res_id": talent.id,
            "record_name": talent.display_name,
            "message_type": "email",
            "subtype_id": self.env.ref("mail.mt_comment").id,
            "auto_delete": False,
        }
        talent._nurture_ensure_nonce()
        values = talent._nurture_unsubscribe_values(values)
        # the composer's context carries default_* keys of the composer: they
        # must not become defaults of the email
        no_defaults = dict((key, False) for key in self.env.context if key.startswith("default_"))
        mail = self.env["mail.mail"].sudo().with_context(**no_defaults).create(values)
        self.write({"invited_date": fields.Datetime.now()})
        return mail
