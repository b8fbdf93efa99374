# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public pages candidates reach from our emails: no login, a signed token."""
from odoo import _, fields, http
from odoo.http import request
from odoo.tools import html_escape

MAX_COMMENT = 2000


class CandidateNurtureController(http.Controller):

    def _render(self, template, values, applicant=None, status=200):
        lang = applicant and applicant.partner_id.lang
        if lang:
            request.context = dict(request.context, lang=lang)
        values = dict(values, csrf_token=request.csrf_token())
        response = request.render(template, values)
        response.status_code = status
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    def _invalid(self):
        return self._render("candidate_nurture.page_link_not_valid", {}, status=404)

    @http.route("/candidate/feedback/<string:token>", type="http", auth="public",
                methods=["GET"])
    def feedback_form(self, token, answer=None, **kwargs):
        applicant = request.env["hr.applicant"]._from_feedback_token(token)
        if not applicant:
            return self._invalid()
        if request.httprequest.method == "GET":  # a click on our link (not a HEAD probe)
            applicant.talent_id._nurture_engaged("clicked")
        return self._render("candidate_nurture.page_refuse_feedback", {
            "token": token,
            "answer": answer if answer in ("yes", "no") else None,
            "job_name": applicant.job_id.name or applicant.name,
            "company_name": applicant.company_id.name,
            "error": None,
        }, applicant)

    @http.route("/candidate/feedback/<string:token>", type="http", auth="public",
                methods=["POST"])
    def feedback_submit(self, token, answer=None, comment=None, **kwargs):
        applicant = request.env["hr.applicant"]._from_feedback_token(token)
        if not applicant:
            return self._invalid()
        comment = (comment or "").strip()
        if answer not in ("yes", "no") or len(comment) > MAX_COMMENT:
            return self._render("candidate_nurture.page_refuse_feedback", {
                "token": token, "answer": None, "comment": comment[:MAX_COMMENT],
                "job_name": applicant.job_id.name or applicant.name,
                "company_name": applicant.company_id.name,
                "error": _("Please choose Yes or No (comments are limited to %d characters).")
                % MAX_COMMENT,
            }, applicant, status=400)
        # ``applicant`` is already the narrow sudo() record the token proved
        applicant.write({
            "refuse_feedback_helpful": answer,
            "refuse_feedback_comment": comment or False,
            "refuse_feedback_date": fields.Datetime.now(),
        })
        applicant.talent_id._nurture_engaged("feedback")
        body = _("The candidate found the refusal feedback helpful: <b>%s</b>") % (
            _("Yes") if answer == "yes" else _("No"))
        if comment:
            body += "<br/>%s" % html_escape(comment)
        applicant.message_post(body=body, subtype="mail.mt_note",
                               author_id=applicant.partner_id.id or None,
                               email_from=applicant.email_from)
        return self._render("candidate_nurture.page_refuse_feedback_thanks", {
            "company_name": applicant.company_id.name,
        }, applicant)
