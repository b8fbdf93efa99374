# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from ..lib import ids as id_lib
from .hr_applicant_refuse_wizard import _valid_email

RENDER_BATCH = 500
MAIL_FIELDS = ["subject", "body_html", "email_from", "email_to", "partner_to", "email_cc",
               "reply_to"]


class HrTalentInviteWizard(models.TransientModel):
    """Invite talents to an event: pick the event and the email, preview, send."""

    _name = "hr.talent.invite.wizard"
    _description = "Invite Talents to an Event"

    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    event_id = fields.Many2one(
        "event.event", "Event", required=True, ondelete="cascade",
        domain="[('state', 'in', ('draft', 'confirm'))]")
    template_id = fields.Many2one(
        "mail.template", "Email Template", required=True, ondelete="cascade",
        domain="[('model', '=', 'hr.talent')]",
        default=lambda self: self.env.ref(
            "candidate_nurture.mail_template_event_invitation", raise_if_not_found=False))
    pool_id = fields.Many2one(
        "hr.talent.pool", "Pool",
        help="Invite the talents of this pool; its owner follows up after the event.")
    talent_ids = fields.Many2many("hr.talent", string="Talents")
    invite_ids = fields.Many2many(
        "hr.talent", compute="_compute_plan", string="Will Be Invited")
    skip_consent_ids = fields.Many2many(
        "hr.talent", compute="_compute_plan", string="Skipped: May Not Be Contacted")
    skip_email_ids = fields.Many2many(
        "hr.talent", compute="_compute_plan", string="Skipped: No Valid Email")
    skip_invited_ids = fields.Many2many(
        "hr.talent", compute="_compute_plan", string="Skipped: Already Invited")
    invite_count = fields.Integer(compute="_compute_plan")
    skip_count = fields.Integer(compute="_compute_plan")
    preview_talent_id = fields.Many2one(
        "hr.talent", "Preview For", domain="[('id', 'in', invite_ids)]",
        help="Whose invitation the preview shows: any talent who will be invited.")
    preview_subject = fields.Char(compute="_compute_preview")
    preview_body = fields.Html(compute="_compute_preview", sanitize=False)
    result_html = fields.Html(readonly=True, sanitize=False)

    @api.model
    def default_get(self, field_names):
        res = super(HrTalentInviteWizard, self).default_get(field_names)
        ctx = self.env.context
        if not res.get("talent_ids") and ctx.get("active_model") == "hr.talent" \
                and ctx.get("active_ids"):
            res["talent_ids"] = [(6, 0, ctx["active_ids"])]
        if not res.get("pool_id") and ctx.get("active_model") == "hr.talent.pool" \
                and ctx.get("active_id"):
            res["pool_id"] = ctx["active_id"]
        if res.get("pool_id") and not res.get("talent_ids"):
            pool = self.env["hr.talent.pool"].browse(res["pool_id"])
            res["talent_ids"] = [(6, 0, pool.talent_ids.ids)]
        return res

    @api.onchange("pool_id")
    def _onchange_pool_id(self):
        if self.pool_id:
            self.talent_ids |= self.pool_id.talent_ids

    # ------------------------------------------------------------------
    # Who is invited, who is skipped and why
    # ------------------------------------------------------------------
    def _plan(self, companies=None):
        """(to invite, no consent, no email, already invited): lists of talent ids.

        companies, when given, is filled with each talent's company id.

        Reads the batch once (talents in one read, existing invitations in one query).
        """
        talents = self.talent_ids
        if not talents:
            return [], [], [], []
        invited = set()
        if self.event_id:
            self.env.cr.execute(
                "SELECT talent_id FROM hr_talent_invitation WHERE event_id = %s "
                "AND talent_id IN %s", (self.event_id.id, tuple(talents.ids)))
            invited = set(row[0] for row in self.env.cr.fetchall())
        invite, consent, email, already = [], [], [], []
        for row in talents.read(["email", "is_contactable", "company_id"]):
            if companies is not None:
                companies[row["id"]] = row["company_id"] and row["company_id"][0]
            if row["id"] in invited:
                already.append(row["id"])
            elif not row["is_contactable"]:
                consent.append(row["id"])
            elif not _valid_email(row["email"]):
                email.append(row["id"])
            else:
                invite.append(row["id"])
        return invite, consent, email, already

    @api.depends("talent_ids", "event_id")
    def _compute_plan(self):
        for wizard in self:
            invite, consent, email, already = wizard._plan()
            wizard.invite_ids = [(6, 0, invite)]
            wizard.skip_consent_ids = [(6, 0, consent)]
            wizard.skip_email_ids = [(6, 0, email)]
            wizard.skip_invited_ids = [(6, 0, already)]
            wizard.invite_count = len(invite)
            wizard.skip_count = len(consent) + len(email) + len(already)

    @api.depends("template_id", "event_id", "preview_talent_id", "talent_ids")
    def _compute_preview(self):
        for wizard in self:
            talent = wizard.preview_talent_id
            if talent not in wizard.invite_ids:
                # only invitees get this email: the first of them by default
                talent = wizard.invite_ids[:1]
            if not (wizard.template_id and wizard.event_id and talent):
                wizard.preview_subject = False
                wizard.preview_body = False
                continue
            values = wizard._render_emails([talent.id], {})[talent.id]
            if not talent.sudo().anonymized_date:
                # as it will be sent: with the stop link (a footer if the template lacks it)
                talent.sudo()._nurture_unsubscribe_values(values)
            wizard.preview_subject = values.get("subject")
            wizard.preview_body = values.get("body_html")

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _check_event(self):
        event = self.event_id
        if not event:
            raise UserError(_("Choose the event to invite the talents to."))
        if event.state == "cancel":
            raise UserError(_("The event %s is cancelled: nobody can be invited to it.")
                            % event.name)
        if event.state == "done" or event.date_end < fields.Datetime.now():
            raise UserError(_("The event %s is over: invite talents to an upcoming event.")
                            % event.name)
        if not self.template_id:
            raise UserError(_("Choose the email template of the invitation."))

    def _render_emails(self, talent_ids, tokens_by_talent):
        """Email values per talent id, rendered as they will be sent."""
        template = self.template_id.with_context(
            nurture_invite_event_id=self.event_id.id, nurture_invite_tokens=tokens_by_talent)
        return template.generate_email(talent_ids, fields=MAIL_FIELDS)

    @api.multi
    def action_send(self):
        self = self.browse(id_lib.unique(self.ids))  # named twice (RPC): acts once
        self.ensure_one()
        self._check_event()
        companies = {}
        invite, consent, email, already = self._plan(companies)
        Run = self.env["hr.recruitment.background.run"]
        if Run._nurture_goes_background(len(invite)):
            return self._nurture_send_in_background(invite, consent, email, already)
        now = fields.Datetime.now()
        event_id, pool_id = self.event_id.id, self.pool_id.id
        Invitation = self.env["hr.talent.invitation"].with_context(
            tracking_disable=True, mail_create_nolog=True)
        Mail = self.env["mail.mail"]
        Talent = self.env["hr.talent"].sudo()
        # 1. the invitations, each with its own nonce (default) signing its links
        tokens_by_talent = {}
        # (everything the loop needs was read above, for the whole batch)
        for talent_id in invite:
            invitation = Invitation.create({
                "talent_id": talent_id, "event_id": event_id, "pool_id": pool_id,
                "company_id": companies[talent_id], "state": "invited", "sent_date": now,
            })
            tokens_by_talent[talent_id] = invitation._answer_token()
        # 2. the emails, rendered in batches and queued in Odoo's mail queue, each
        # with the event's calendar file (one attachment shared by the batch)
        ics = self.event_id._nurture_ics_attachment() if invite else None
        for start in range(0, len(invite), RENDER_BATCH):
            chunk = invite[start:start + RENDER_BATCH]
            stop_urls = Talent.browse(chunk)._nurture_stop_urls()
            rendered = self._render_emails(chunk, tokens_by_talent)
            for talent_id in chunk:
                values = rendered[talent_id]
                values.pop("attachment_ids", None)
                values.pop("attachments", None)
                values["recipient_ids"] = [(4, pid) for pid in values.pop("partner_ids", [])]
                if not values.get("email_from"):
                    values.pop("email_from", None)
                values.update({"auto_delete": False, "message_type": "email",
                               "model": "hr.talent", "res_id": talent_id,
                               "attachment_ids": [(4, ics.id)]})
                # the stop link and its List-Unsubscribe headers
                Talent.browse(talent_id)._nurture_unsubscribe_values(values, stop_urls[talent_id])
                Mail.create(values)
        if invite:
            self.env["hr.talent"].browse(invite).write({"last_contact_date": now[:10]})
        self.write({"state": "done", "result_html": self._result_html(
            invite, consent, email, already)})
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "target": "new", "name": _("Invitations sent"),
        }

    def _nurture_send_in_background(self, invite, consent, email, already):
        """Many invitations: background batches (queue_job) invite and email."""
        run = self.env["hr.recruitment.background.run"]._nurture_start(
            "invitation", "hr.talent", invite, {
                "event_id": self.event_id.id, "template_id": self.template_id.id,
                "pool_id": self.pool_id.id},
            _("Invitation of %(count)d talents to %(event)s") % {
                "count": len(invite), "event": self.event_id.name})
        result = self._result_html([], consent, email, already)
        self.write({"state": "done", "result_html": "<p>%s</p><p>%s</p>%s" % (
            html_escape(_("%d talents are being invited in the background. You will be "
                          "notified when it is done; follow it here:") % len(invite)),
            run._nurture_result_link(), result)})
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "target": "new", "name": _("Invitations in progress"),
        }

    def _result_html(self, invite, consent, email, already):
        Talent = self.env["hr.talent"]
        rows = [_("%(count)d invitation(s) to %(event)s queued for sending.") % {
            "count": len(invite), "event": self.event_id.name}]
        for label, ids in ((_("Skipped, they may not be contacted: %s"), consent),
                           (_("Skipped, no valid email address: %s"), email),
                           (_("Skipped, already invited to this event: %s"), already)):
            if ids:
                rows.append(label % ", ".join(sorted(Talent.browse(ids).mapped("name"))))
        return "<ul>%s</ul>" % "".join("<li>%s</li>" % html_escape(r) for r in rows)
