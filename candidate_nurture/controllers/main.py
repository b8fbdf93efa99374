# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public pages candidates reach from our emails: no login, a signed token.

Every route answers a page with a plain status: 404 when the link is not
valid (forged, altered, malformed, used, anonymised), 410 when it is over
(expired feedback link, finished event), 409 when the event is full, 400 for
a bad form. A refused request changes nothing. A feedback link that was
genuine but is already answered says so ("you already answered, thank you").

Every page carries the company's logo and colour (res.company._nurture_brand):
the company of the record the link proves, else (a link not valid) the
company of the public user.
"""
import base64
import imghdr

from odoo import _, http
from odoo.http import request

from ..lib import public

MAX_COMMENT = 2000
LOGO_MAX_AGE = 7 * 24 * 3600


class CandidateNurtureController(http.Controller):

    def _render(self, template, values, lang=None, status=200, company=None):
        if lang:
            request.context = dict(request.context, lang=lang)
        page_lang = request.context.get("lang") or "en_US"
        company = company or request.env.user.sudo().company_id
        values = dict(values, csrf_token=request.csrf_token(),
                      brand=company._nurture_brand(relative=True),
                      day=lambda value: public.date_in_words(value, page_lang))
        response = request.render(template, values)
        response.status_code = status
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    def _invalid(self):
        return self._render("candidate_nurture.page_link_not_valid", {}, status=404)

    def _expired(self, company, lang=None):
        return self._render("candidate_nurture.page_link_expired", {
            "company_name": company.name}, lang=lang, status=410, company=company)

    def _already_answered(self, applicant, status=200):
        return self._render("candidate_nurture.page_refuse_feedback_answered", {
            "company_name": applicant.company_id.name,
            "job_name": applicant.job_id.name or applicant.name,
        }, self._applicant_lang(applicant), status=status, company=applicant.company_id)

    @staticmethod
    def _applicant_lang(applicant):
        return applicant.partner_id.lang or applicant.talent_id.partner_id.lang or None

    def _feedback_applicant(self, token, answered_status=200):
        """(applicant, error response): the applicant the token proves, else the
        page to answer (404 not valid, "already answered", 410 expired)."""
        applicant = request.env["hr.applicant"]._from_feedback_token(
            token, allow_expired=True, allow_answered=True)
        if not applicant:
            return applicant, self._invalid()
        if applicant.refuse_feedback_date:
            return applicant, self._already_answered(applicant, status=answered_status)
        if applicant._nurture_feedback_link_expired():
            return applicant, self._expired(applicant.company_id,
                                            self._applicant_lang(applicant))
        return applicant, None

    @http.route("/candidate/logo/<string:token>", type="http", auth="public",
                methods=["GET"])
    def company_logo(self, token, **kwargs):
        """The company's logo, for candidate emails read in any mail client: the
        link is signed for one company, and serves its logo and nothing else."""
        company = request.env["res.company"]._nurture_from_logo_token(token)
        logo = company and company.logo_web
        if not logo:
            response = request.make_response(_("Not found"), headers=[
                ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")])
            response.status_code = 404
            return response
        image = base64.b64decode(logo)
        kind = imghdr.what(None, h=image) or "png"
        if kind not in ("png", "jpeg", "gif", "webp"):
            kind = "png"
        return request.make_response(image, headers=[
            ("Content-Type", "image/%s" % kind),
            ("Cache-Control", "public, max-age=%d" % LOGO_MAX_AGE),
            ("X-Content-Type-Options", "nosniff"),
        ])

    @http.route("/candidate/feedback/<string:token>", type="http", auth="public",
                methods=["GET"])
    def feedback_form(self, token, answer=None, **kwargs):
        applicant, refused = self._feedback_applicant(token)
        if refused:
            return refused
        if request.httprequest.method == "GET":  # a click on our link (not a HEAD probe)
            applicant.talent_id._nurture_engaged("clicked")
        return self._render("candidate_nurture.page_refuse_feedback", {
            "token": token,
            "answer": answer if answer in ("yes", "no") else None,
            "job_name": applicant.job_id.name or applicant.name,
            "company_name": applicant.company_id.name,
            "error": None,
        }, self._applicant_lang(applicant), company=applicant.company_id)

    @http.route("/candidate/feedback/<string:token>", type="http", auth="public",
                methods=["POST"])
    def feedback_submit(self, token, answer=None, comment=None, **kwargs):
        # answered already: the page says so (409), nothing is recorded again
        applicant, refused = self._feedback_applicant(token, answered_status=409)
        if refused:
            return refused
        comment = (comment or "").strip()
        if answer not in ("yes", "no") or len(comment) > MAX_COMMENT:
            return self._render("candidate_nurture.page_refuse_feedback", {
                "token": token, "answer": None, "comment": comment[:MAX_COMMENT],
                "job_name": applicant.job_id.name or applicant.name,
                "company_name": applicant.company_id.name,
                "error": _("Please choose Yes or No (comments are limited to %d characters).")
                % MAX_COMMENT,
            }, self._applicant_lang(applicant), status=400, company=applicant.company_id)
        # ``applicant`` is the narrow sudo() record the token proved; the note
        # on its chatter is the candidate's
        applicant._nurture_as_candidate()._nurture_record_feedback(answer, comment)
        return self._render("candidate_nurture.page_refuse_feedback_thanks", {
            "company_name": applicant.company_id.name,
        }, self._applicant_lang(applicant), company=applicant.company_id)
