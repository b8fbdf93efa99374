# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Clicks and (when the company asks for it) opens of our emails to talents.

Clicks go through Odoo's link_tracker: ``/r/<code>`` is the link, ``/n/<token>``
names the email, signed with the database secret and the email's Message-Id.
No IP address, device or place is stored; a HEAD request (link checkers)
redirects without counting.
"""
import base64

import werkzeug

from odoo import http
from odoo.http import request

from odoo.addons.mass_mailing.controllers.main import MassMailController

from .main import CandidateNurtureController

PIXEL = base64.b64decode(b"R0lGODlhAQABAIAAANvf7wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")


class NurtureTracking(CandidateNurtureController):

    @http.route("/r/<string:code>/n/<string:token>", type="http", auth="public",
                methods=["GET"])
    def nurture_click(self, code, token, **kwargs):
        url = request.env["link.tracker.click"].sudo()._nurture_click(
            code, token, count=request.httprequest.method == "GET")
        if not url:
            # our own page, not an exception: with the website installed, Odoo's
            # 404 handler needs a website request, which this route is not (a 500)
            return self._invalid()
        return werkzeug.utils.redirect(url, 301)

    @http.route("/nurture/open/<string:token>/blank.gif", type="http", auth="public",
                methods=["GET"])
    def nurture_open(self, token, **kwargs):
        """The open-tracking pixel: only in emails of companies that switched it on."""
        mail = request.env["mail.mail"]._nurture_from_click_token(token)
        if mail and mail.model == "hr.talent" and mail._nurture_open_tracking() \
                and request.httprequest.method == "GET":
            talent = request.env["hr.talent"].sudo().browse(mail.res_id).exists()
            if talent and not request.env["hr.talent.engagement"].sudo().search_count(
                    [("mail_id", "=", mail.id), ("kind", "=", "opened")]):
                talent._nurture_engaged("opened", mail=mail)
        response = werkzeug.wrappers.Response(PIXEL, mimetype="image/gif")
        response.headers["Cache-Control"] = "no-store"
        return response


class NurtureMassMailTracking(MassMailController):

    @http.route("/r/<string:code>/m/<int:stat_id>", type="http", auth="none")
    def full_url_redirect(self, code, stat_id, **post):
        """A newsletter click of a talent makes it engaged (Odoo counts the click)."""
        response = super(NurtureMassMailTracking, self).full_url_redirect(code, stat_id, **post)
        stat = request.env["mail.mail.statistics"].sudo().browse(stat_id).exists()
        if stat and stat.model == "hr.talent" and stat.res_id:
            talent = request.env["hr.talent"].sudo().browse(stat.res_id).exists()
            talent._nurture_engaged("clicked")
        return response
