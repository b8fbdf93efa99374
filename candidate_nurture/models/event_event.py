# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import datetime
import logging

import pytz

from odoo import _, api, fields, models

from ..lib import public

_logger = logging.getLogger(__name__)


class EventEvent(models.Model):
    _inherit = "event.event"

    nurture_invitation_ids = fields.One2many(
        "hr.talent.invitation", "event_id", "Talent Invitations")
    nurture_invited_count = fields.Integer(
        "Invited From Pool", compute="_compute_nurture_invitation_counts")
    nurture_accepted_count = fields.Integer(
        "Accepted", compute="_compute_nurture_invitation_counts",
        help="Invited talents who accepted (and attended, or not yet).")
    nurture_attended_count = fields.Integer(
        "Attended", compute="_compute_nurture_invitation_counts")
    nurture_when = fields.Char(
        "When (for Candidates)", compute="_compute_nurture_when",
        help="The event's date and times as invitations and candidate pages show them: in "
             "the event's time zone, without seconds, the zone named, in the reader's "
             "language.")

    # ------------------------------------------------------------------
    # What candidates see: the time in the event's zone, a calendar file
    # ------------------------------------------------------------------
    @api.depends("date_begin", "date_end", "date_tz")
    def _compute_nurture_when(self):
        lang = self.env.context.get("lang")
        for event in self:
            if not event.date_begin:
                event.nurture_when = False
                continue
            parts = public.event_when(event.date_begin, event.date_end, event.date_tz, lang)
            if parts["end_day"]:
                event.nurture_when = _("From %(day)s, %(start)s to %(end_day)s, %(end)s "
                                       "(%(zone)s time)") % parts
            elif parts["end"]:
                event.nurture_when = _("%(day)s, from %(start)s to %(end)s (%(zone)s time)") \
                    % parts
            else:
                event.nurture_when = _("%(day)s at %(start)s (%(zone)s time)") % parts

    @api.multi
    def _nurture_ics_file(self):
        """The event as an iCalendar file (bytes), times in the event's time zone:
        what invitation emails attach, for the candidate's calendar."""
        self.ensure_one()
        import vobject  # as Odoo's calendar module does: an optional library
        zone = pytz.timezone(self.date_tz or "UTC")

        def local(value):
            return pytz.utc.localize(fields.Datetime.from_string(value)).astimezone(zone)

        cal = vobject.iCalendar()
        cal.add("prodid").value = "-//candidate_nurture//Odoo 11//EN"
        vevent = cal.add("vevent")
        vevent.add("uid").value = "event-%d@%s" % (self.id, self.env.cr.dbname)
        vevent.add("dtstamp").value = datetime.datetime.now(pytz.utc).replace(microsecond=0)
        vevent.add("dtstart").value = local(self.date_begin)
        vevent.add("dtend").value = local(self.date_end or self.date_begin)
        vevent.add("summary").value = self.name
        address = self.address_id
        if address:
            vevent.add("location").value = ", ".join(part for part in (
                address.name, address.street, " ".join(p for p in (address.zip, address.city)
                                                       if p),
                address.country_id.name) if part)
        if self.user_id.email:
            organizer = vevent.add("organizer")
            organizer.value = "MAILTO:%s" % self.user_id.email
            organizer.params["CN"] = [self.user_id.name or self.user_id.email]
        return cal.serialize().encode("utf-8")

    @api.multi
    def _nurture_ics_attachment(self):
        """A fresh attachment of the event's calendar file, for invitation emails
        (an event moved since the last invitations gets its new times)."""
        self.ensure_one()
        return self.env["ir.attachment"].sudo().create({
            "name": "%s.ics" % (self.name or "event"),
            "datas_fname": "invitation.ics",
            "datas": base64.b64encode(self._nurture_ics_file()),
            "mimetype": "text/calendar",
            "res_model": self._name,
            "res_id": self.id,
        })

    @api.multi
    def _compute_nurture_invitation_counts(self):
        counts = {}
        if self.ids:
            # event users see the counts, not the invitations themselves
            self.env.cr.execute("""
                SELECT event_id, state, count(*) FROM hr_talent_invitation
                 WHERE event_id IN %s GROUP BY event_id, state""", (tuple(self.ids),))
            for event_id, state, count in self.env.cr.fetchall():
                counts.setdefault(event_id, {})[state] = count
        for event in self:
            by_state = counts.get(event.id, {})
            event.nurture_invited_count = sum(by_state.values())
            event.nurture_attended_count = by_state.get("attended", 0)
            event.nurture_accepted_count = (by_state.get("accepted", 0)
                                            + by_state.get("attended", 0)
                                            + by_state.get("no_show", 0))

    @api.multi
    def button_done(self):
        res = super(EventEvent, self).button_done()
        self.env["hr.talent.invitation"].sudo().search(
            [("event_id", "in", self.ids), ("followup_done", "=", False)])._nurture_after_event()
        return res

    @api.multi
    def action_nurture_invite_talents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Invite Talents"),
            "res_model": "hr.talent.invite.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_event_id": self.id},
        }

    @api.multi
    def action_nurture_open_invitations(self):
        self.ensure_one()
        action = self.env.ref("candidate_nurture.hr_talent_invitation_action").read()[0]
        action["domain"] = [("event_id", "=", self.id)]
        context = {"search_default_groupby_state": 1}
        for key in ("search_default_accepted", "search_default_attended"):
            if self.env.context.get(key):
                context = {key: 1}
        action["context"] = context
        return action
