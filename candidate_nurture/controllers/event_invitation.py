# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public Accept/Decline page of open-house invitations: no login, a signed token.

GET only shows the event and the form (mail scanners open links); POST records.
404 when the link is not valid, 410 once the event is over or cancelled, 409
when it is full, 400 without an answer; a refused request records nothing.
"""
from odoo import _, http
from odoo.http import request

from ..models.hr_talent_invitation import ANSWERS, EventFullError
from .main import CandidateNurtureController

# the shared page helpers (_render, _invalid), without re-registering its routes
PAGES = CandidateNurtureController()


class EventInvitationController(http.Controller):

    def _invitation_values(self, invitation, token, answer=None, error=None):
        event = invitation.event_id
        return {
            "token": token,
            "answer": answer if answer in ANSWERS else None,
            "talent_name": invitation.talent_id.name,
            "event_name": event.name,
            "event_when": event.with_context(
                lang=invitation.talent_id.partner_id.lang or request.context.get("lang")
            ).nurture_when,
            "event_place": event.address_id.name or "",
            "event_city": event.address_id.city or "",
            "company_name": event.company_id.name or invitation.talent_id.company_id.name,
            "state": invitation.state,
            "is_open": invitation._nurture_event_open(),
            "is_cancelled": event.state == "cancel",
            "is_full": invitation._nurture_event_full(),
            "error": error,
        }

    def _render_invitation(self, template, invitation, values, status=200):
        return PAGES._render(template, values, lang=invitation.talent_id.partner_id.lang or None,
                             status=status, company=invitation.event_id.company_id
                             or invitation.talent_id.company_id)

    @http.route("/candidate/event/<string:token>", type="http", auth="public", methods=["GET"])
    def invitation_form(self, token, answer=None, **kwargs):
        invitation = request.env["hr.talent.invitation"]._from_answer_token(token)
        if not invitation:
            return PAGES._invalid()
        if request.httprequest.method == "GET":  # a click on our link (not a HEAD probe)
            invitation.talent_id._nurture_engaged("clicked")
        # cancelled or over: the page says so (410), without a form
        status = 200 if invitation._nurture_event_open() else 410
        return self._render_invitation(
            "candidate_nurture.page_event_invitation", invitation,
            self._invitation_values(invitation, token, answer), status=status)

    @http.route("/candidate/event/<string:token>", type="http", auth="public", methods=["POST"])
    def invitation_answer(self, token, answer=None, **kwargs):
        invitation = request.env["hr.talent.invitation"]._from_answer_token(token)
        if not invitation:
            return PAGES._invalid()
        if not invitation._nurture_event_open():
            # cancelled or over: the page says so, nothing is recorded
            return self._render_invitation(
                "candidate_nurture.page_event_invitation", invitation,
                self._invitation_values(invitation, token), status=410)
        if answer not in ANSWERS:
            values = self._invitation_values(
                invitation, token, error=_("Please choose Accept or Decline."))
            return self._render_invitation("candidate_nurture.page_event_invitation",
                                           invitation, values, status=400)
        # ``invitation`` is the narrow sudo() record the token proved; what it
        # logs is the candidate's
        candidate = invitation._nurture_as_candidate()
        answered_before = (invitation.state, invitation.answer_date)
        try:
            with request.env.cr.savepoint():
                candidate._nurture_answer(answer)
                if (candidate.state, candidate.answer_date) != answered_before:
                    candidate._nurture_log_answer(answer)
        except EventFullError:
            invitation.invalidate_cache()
            values = self._invitation_values(invitation, token)
            values["is_full"] = True
            return self._render_invitation("candidate_nurture.page_event_invitation",
                                           invitation, values, status=409)
        invitation.invalidate_cache()
        return self._render_invitation(
            "candidate_nurture.page_event_invitation_thanks", invitation,
            self._invitation_values(invitation, token))
