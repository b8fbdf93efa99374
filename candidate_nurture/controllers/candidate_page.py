# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The candidate page: what we keep, consent, interests, stop all contact.

No login: a signed token (lib/tokens) in every email. A forged, altered or
expired token shows the plain "link not valid" page and changes nothing.
"""
from odoo import _, http
from odoo.http import request

from .main import CandidateNurtureController


class CandidatePageController(CandidateNurtureController):

    def _page(self, talent, token, message=None, status=200):
        departments = request.env["hr.department"].sudo().search(
            ["|", ("company_id", "=", False), ("company_id", "=", talent.company_id.id)])
        return self._render("candidate_nurture.page_candidate", {
            "talent": talent, "token": token, "message": message,
            "departments": departments,
            "chosen": set(talent.interest_department_ids.ids),
            "consent_label": dict(talent._fields["consent_state"]._description_selection(
                request.env)).get(talent.consent_state),
        }, talent, status=status)

    def _render(self, template, values, applicant=None, status=200):
        # the base class reads the language from an applicant's contact
        return super(CandidatePageController, self)._render(
            template, values, applicant if applicant and applicant._name == "hr.applicant"
            else None, status=status)

    @http.route("/candidate/me/<string:token>", type="http", auth="public", methods=["GET"])
    def candidate_page(self, token, **kwargs):
        talent = request.env["hr.talent"]._from_candidate_token(token)
        if not talent:
            return self._invalid()
        if request.httprequest.method == "GET":  # a click on our link (not a HEAD probe)
            talent._nurture_engaged("clicked")
        return self._page(talent, token)

    @http.route("/candidate/me/<string:token>", type="http", auth="public", methods=["POST"])
    def candidate_page_submit(self, token, action=None, **post):
        talent = request.env["hr.talent"]._from_candidate_token(token)
        if not talent:
            return self._invalid()
        # ``talent`` is the narrow sudo() record the token proved
        if action == "give":
            talent._nurture_set_consent("given", "candidate_page")
            talent._nurture_engaged("candidate_page")
            message = "consent_given"
        elif action == "withdraw":
            talent._nurture_set_consent("withdrawn", "candidate_page")
            message = "consent_withdrawn"
        elif action == "stop":
            talent._nurture_set_consent("withdrawn", "candidate_page",
                                        note=_("The candidate asked to stop all contact."))
            message = "stopped"
        elif action == "departments":
            wanted = set()
            for key in request.httprequest.form.getlist("department_ids"):
                if key.isdigit():
                    wanted.add(int(key))
            allowed = request.env["hr.department"].sudo().search(
                [("id", "in", list(wanted))]).ids
            talent.write({"interest_department_ids": [(6, 0, allowed)]})
            talent._nurture_engaged("candidate_page")
            talent.message_post(body=_("The candidate updated their departments of interest."),
                                subtype="mail.mt_note")
            message = "departments"
        else:
            return self._page(talent, token, message="unknown", status=400)
        return self._page(talent, token, message=message)

    @http.route("/candidate/stop/<string:token>", type="http", auth="public", methods=["GET"])
    def stop_page(self, token, **kwargs):
        """The stop link: a confirmation button (mail scanners open links)."""
        talent = request.env["hr.talent"]._from_candidate_token(token)
        if not talent:
            return self._invalid()
        return self._render("candidate_nurture.page_candidate_stop", {
            "token": token, "company_name": talent.company_id.name, "done": False})

    @http.route("/candidate/stop/<string:token>", type="http", auth="public", methods=["POST"],
                csrf=False)
    def stop_one_click(self, token, **kwargs):
        """One click (RFC 8058 List-Unsubscribe-Post, or the page's button): the
        signed token is the proof, so no CSRF token is needed."""
        talent = request.env["hr.talent"]._from_candidate_token(token)
        if not talent:
            return self._invalid()
        if talent.consent_state != "withdrawn":
            talent._nurture_set_consent("withdrawn", "candidate_page",
                                        note=_("The candidate used the stop link."))
        else:
            talent._nurture_stop_contact("consent_withdrawn")
        return self._render("candidate_nurture.page_candidate_stop", {
            "token": token, "company_name": talent.company_id.name, "done": True})
