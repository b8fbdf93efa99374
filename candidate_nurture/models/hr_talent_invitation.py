# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import uuid

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape

from ..lib import public
from ..lib import tokens

INVITATION_STATES = [
    ("invited", "Invited"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("attended", "Attended"),
    ("no_show", "No-show"),
]
ANSWER_TOKEN_PURPOSE = "candidate_nurture.event_invitation"
ANSWERS = ("accept", "decline")


class EventFullError(Exception):
    """The event has no seat left: accepting would overbook it."""


class HrTalentInvitation(models.Model):
    """A talent invited to an event (an open house), and what became of it."""

    _name = "hr.talent.invitation"
    _description = "Talent Event Invitation"
    _order = "sent_date desc, id desc"
    _rec_name = "talent_id"

    talent_id = fields.Many2one(
        "hr.talent", "Talent", required=True, index=True, ondelete="cascade")
    event_id = fields.Many2one(
        "event.event", "Event", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", "Company", readonly=True, index=True,
        help="The talent's company (record rule); set at creation.")
    pool_id = fields.Many2one(
        "hr.talent.pool", "Invited From Pool", index=True, ondelete="set null",
        help="The pool the invitation was sent from: its owner follows up after the event.")
    state = fields.Selection(
        INVITATION_STATES, "Status", default="invited", required=True, index=True,
        readonly=True, copy=False)
    sent_date = fields.Datetime("Sent On", readonly=True, copy=False, index=True)
    answer_date = fields.Datetime("Answered On", readonly=True, copy=False, index=True)
    attended_date = fields.Datetime("Attended On", readonly=True, copy=False, index=True)
    registration_id = fields.Many2one(
        "event.registration", "Registration", readonly=True, copy=False, index=True,
        ondelete="set null")
    followup_done = fields.Boolean(
        "After-event Follow-up Done", readonly=True, copy=False, index=True,
        help="Set once the event is over: attendees got a follow-up activity, "
             "accepted invitations without attendance became no-shows.")
    token_nonce = fields.Char(
        copy=False, groups="base.group_system", default=lambda self: uuid.uuid4().hex)
    event_date_begin = fields.Datetime(related="event_id.date_begin", readonly=True)
    event_state = fields.Selection(related="event_id.state", readonly=True)

    _sql_constraints = [
        ("talent_event_uniq", "unique(talent_id, event_id)",
         "A talent is invited only once to an event."),
    ]

    @api.model
    def create(self, vals):
        """The invitation belongs to its talent's company, whatever the caller says."""
        if vals.get("talent_id"):
            # browse() alone: its own prefetch, not the whole batch being invited
            company = self.env["hr.talent"].browse(vals["talent_id"]).company_id
            if vals.get("company_id") and vals["company_id"] != company.id:
                raise AccessError(_("An invitation belongs to the company of its talent: "
                                    "it cannot be created for another company."))
            vals = dict(vals, company_id=company.id)
        return super(HrTalentInvitation, self).create(vals)

    @api.multi
    def write(self, vals):
        # an invitation stays with its talent and its talent's company; only the
        # system moves one, when merging two talents
        if self.env.uid != SUPERUSER_ID:
            if "company_id" in vals and any(
                    inv.company_id.id != vals["company_id"] for inv in self):
                raise AccessError(_("An invitation belongs to the company of its talent."))
            if "talent_id" in vals and any(inv.talent_id.id != vals["talent_id"] for inv in self):
                raise UserError(_("An invitation cannot be moved to another talent."))
        return super(HrTalentInvitation, self).write(vals)

    # ------------------------------------------------------------------
    # Tokens for the public answer page
    # ------------------------------------------------------------------
    # Signed per invitation (own purpose and nonce); over once the event ended
    # or was cancelled (410); dead when the talent is anonymised.
    def _answer_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.multi
    def _answer_token(self):
        """The signed token of this invitation (no access check: private)."""
        self.ensure_one()
        return tokens.make_token(self._answer_secret(), ANSWER_TOKEN_PURPOSE, self.id,
                                 self.sudo().token_nonce)

    @api.model
    def _answer_url_from_token(self, token, answer=None):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return tokens.public_url(base, "event", token, answer, answers=ANSWERS)

    @api.multi
    def get_answer_url(self, answer=None):
        """Public link to answer this invitation, signed for it: only for who may
        read the invitation (AccessError otherwise)."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        return self._answer_url_from_token(self._answer_token(), answer)

    @api.model
    def _from_answer_token(self, token):
        """The invitation a token was made for (sudo, that record only), or empty."""
        record_id = tokens.parse_token(token)
        if record_id is None:
            return self.browse()
        invitation = self.sudo().browse(record_id).exists()
        if not invitation or invitation.talent_id.anonymized_date or not tokens.verify_token(
                self._answer_secret(), ANSWER_TOKEN_PURPOSE, token, invitation.token_nonce):
            return self.browse()
        return invitation

    # ------------------------------------------------------------------
    # Answers (the public page calls these on the record the token proved)
    # ------------------------------------------------------------------
    @api.multi
    def _nurture_event_open(self):
        """Whether the event can still be answered: not cancelled, not over."""
        self.ensure_one()
        event = self.event_id
        return event.state in ("draft", "confirm") and event.date_end >= fields.Datetime.now()

    @api.multi
    def _nurture_event_full(self):
        """No seat left for someone who does not hold one yet."""
        self.ensure_one()
        event = self.event_id
        holds_seat = self.registration_id.state in ("open", "done")
        return (not holds_seat and event.seats_availability == "limited"
                and event.seats_max > 0 and event.seats_available <= 0)

    @api.multi
    def _nurture_answer(self, answer):
        """Record the talent's answer; accept registers them to the event.

        Answering again changes the answer and never duplicates the
        registration. Raises EventFullError when accepting would overbook.
        """
        self.ensure_one()
        if answer not in ANSWERS:
            raise ValueError(answer)
        # one answer at a time per invitation, one seat count at a time per event:
        # a concurrent answer waits here, then retries on a fresh snapshot
        self.env.cr.execute("SELECT id FROM hr_talent_invitation WHERE id = %s FOR UPDATE",
                            (self.id,))
        self.env.cr.execute("SELECT id FROM event_event WHERE id = %s FOR UPDATE",
                            (self.event_id.id,))
        self.invalidate_cache()
        self.event_id.invalidate_cache()
        now = fields.Datetime.now()
        if answer == "accept":
            if self.state in ("accepted", "attended") and self.registration_id.state in (
                    "open", "done"):
                return self
            if self._nurture_event_full():
                raise EventFullError()
            try:
                with self.env.cr.savepoint():
                    registration = self._nurture_register()
            except ValidationError:
                # Odoo's own seat constraint: someone took the last seat meanwhile
                raise EventFullError()
            self.write({"state": "accepted", "answer_date": now,
                        "registration_id": registration.id})
        else:
            registration = self.registration_id
            if registration.state == "done":
                return self  # they came: attendance stands
            if registration.state in ("draft", "open"):
                registration.button_reg_cancel()
            self.write({"state": "declined", "answer_date": now})
        self.talent_id._nurture_engaged("invitation")
        return self

    @api.multi
    def _nurture_as_candidate(self):
        """This invitation, acting as its talent: the notes it posts are theirs."""
        self.ensure_one()
        author = self.talent_id._nurture_as_candidate().env.context[public.CANDIDATE_AUTHOR]
        return self.with_context(**{public.CANDIDATE_AUTHOR: author})

    @api.multi
    def _nurture_log_answer(self, answer):
        """A note on the talent: the candidate answered on the public page
        (authored by them when called as the candidate)."""
        self.ensure_one()
        body = (_("The candidate accepted the invitation to %s.") if answer == "accept"
                else _("The candidate declined the invitation to %s.")) % html_escape(
                    self.event_id.name or "")
        self.talent_id.message_post(body=body, subtype="mail.mt_note")

    @api.multi
    def _nurture_register(self):
        """The talent's confirmed registration: the existing one reopened, else a new one."""
        self.ensure_one()
        Registration = self.env["event.registration"].with_context(
            registration_force_draft=True, tracking_disable=True, mail_create_nolog=True)
        registration = self.registration_id
        if not registration:
            talent = self.talent_id
            registration = Registration.create({
                "event_id": self.event_id.id,
                "name": talent.name,
                "email": talent.email,
                "phone": talent.phone,
                "partner_id": talent.partner_id.id,
                "origin": _("Talent invitation"),
            })
        elif registration.state == "cancel":
            registration.do_draft()
        if registration.state == "draft":
            registration.confirm_registration()
        return registration

    # ------------------------------------------------------------------
    # Event side
    # ------------------------------------------------------------------
    @api.model
    def _nurture_sync_registrations(self, registrations):
        """Attendance marked on registrations (Odoo's "Attended") reaches the invitations."""
        invitations = self.sudo().search([("registration_id", "in", registrations.ids)])
        now = fields.Datetime.now()
        for invitation in invitations:
            reg_state = invitation.registration_id.state
            if reg_state == "done" and invitation.state != "attended":
                invitation.write({"state": "attended",
                                  "attended_date": invitation.registration_id.date_closed or now})
                invitation.talent_id._nurture_funnel_reach("event", invitation.attended_date)
            elif reg_state == "open" and invitation.state in ("attended", "no_show"):
                invitation.write({"state": "accepted", "attended_date": False})

    @api.model
    def _get_followup_domain(self):
        """Invitations whose event is over and not yet followed up (the cron's domain)."""
        return [("followup_done", "=", False),
                ("event_id.state", "!=", "cancel"),
                "|", ("event_id.state", "=", "done"),
                ("event_id.date_end", "<", fields.Datetime.now())]

    @api.multi
    def _nurture_recruiter(self):
        """Who follows up: the pool owner, else the talent's last recruiter, else
        the event's responsible, else the talent's owner."""
        self.ensure_one()
        talent = self.talent_id
        if self.pool_id.user_id:
            return self.pool_id.user_id
        applicants = talent.with_context(active_test=False).applicant_ids.filtered("user_id")
        if applicants:
            return applicants.sorted(lambda a: (a.create_date, a.id))[-1].user_id
        if self.event_id.user_id:
            return self.event_id.user_id
        if talent.pool_ids.mapped("user_id"):
            return talent.pool_ids.mapped("user_id")[0]
        return talent.user_id or self.env.user

    @api.multi
    def _nurture_after_event(self):
        """Attendees get a follow-up activity for their recruiter; accepted
        invitations without attendance become no-shows."""
        invitations = self.sudo().filtered(lambda i: not i.followup_done)
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"].sudo()._get("hr.talent").id
        Activity = self.env["mail.activity"].sudo()
        today = fields.Date.context_today(self)
        for invitation in invitations:
            vals = {"followup_done": True}
            if invitation.state == "attended":
                Activity.create({
                    "res_model_id": model_id,
                    "res_id": invitation.talent_id.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": _("Follow up after %s") % invitation.event_id.name,
                    "note": _("%(name)s came to %(event)s: a good moment to talk about "
                              "openings.") % {"name": html_escape(invitation.talent_id.name),
                                              "event": html_escape(invitation.event_id.name)},
                    "user_id": invitation._nurture_recruiter().id,
                    "date_deadline": today,
                })
            elif invitation.state == "accepted":
                vals["state"] = "no_show"
            invitation.write(vals)
        return True

    @api.model
    def _cron_after_events(self):
        self.sudo().search(self._get_followup_domain())._nurture_after_event()
