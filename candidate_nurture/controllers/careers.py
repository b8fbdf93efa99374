# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A talent's links to the careers page (website_hr_recruitment).

``/candidate/job/<token>/<job_id>?page=apply|detail&channel=...`` checks the
talent's signed token, remembers the talent and the channel in the visitor's
session and redirects to Odoo's own job page or apply form with Odoo's utm
parameters. The application made there (website_form) is then linked to the
talent and marked with the channel's utm (hr.applicant.website_form_input_filter).
Opening the link records nothing: mail scanners open links too.
"""
from werkzeug.utils import redirect

from odoo import http
from odoo.http import request

from ..lib import openings as openings_lib
from ..models.hr_applicant import TALENT_LINK_SESSION_KEY
from ..models.hr_talent import NURTURE_CHANNELS
from .main import CandidateNurtureController


class CareersController(CandidateNurtureController):

    @http.route("/candidate/job/<string:token>/<int:job_id>", type="http", auth="public",
                methods=["GET"])
    def talent_job_link(self, token, job_id, page="apply", channel="talent_pool", **kwargs):
        talent = request.env["hr.talent"]._from_job_token(token)
        if not talent:
            return self._invalid()
        job = request.env["hr.job"].sudo().browse(job_id).exists()
        if not job or not job.website_published or (
                job.company_id and talent.company_id and job.company_id != talent.company_id):
            return self._render("candidate_nurture.page_job_not_open", {
                "company_name": talent.company_id.name}, status=404, company=talent.company_id)
        if channel not in NURTURE_CHANNELS:
            channel = "talent_pool"
        request.session[TALENT_LINK_SESSION_KEY] = {
            "talent_id": talent.id, "job_id": job.id, "channel": channel}
        response = redirect(openings_lib.with_query(
            job._nurture_public_path("detail" if page == "detail" else "apply"),
            request.env["hr.talent"]._nurture_utm_params(channel)), code=303)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
