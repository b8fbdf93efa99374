# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The candidate page (what we keep, consent, interests, download, stop all
contact) and the stop link.

No login: a signed token (lib/tokens) in every email, one purpose per page: the
stop link's token never opens the candidate page. A forged, altered, malformed
or dead token (anonymised talent) shows the plain "link not valid" page (404)
and changes nothing.
"""
import json

from odoo import _, fields, http
from odoo.exceptions import UserError
from odoo.http import request

from ..lib import followup as fu
from ..lib import public
from .main import CandidateNurtureController


class CandidatePageController(CandidateNurtureController):

    @staticmethod
    def _in_language(talent):
        lang = talent.partner_id.lang
        return (talent.with_context(lang=lang) if lang else talent), lang

    @staticmethod
    def _consent_words(talent, day):
        """The consent as sentences a candidate reads (no internal state names):
        where it stands now, what agreeing means, and each change of its history."""
        # _() looks for the language in a local "context" (the page's: the
        # talent's) and for the cursor in a local "cr"
        context = talent.env.context  # noqa: F841
        cr = talent.env.cr  # noqa: F841
        company = talent.company_id
        state = talent.consent_state
        if state == "given" and talent.consent_expiry_date:
            now = _("You agreed that we contact you about future opportunities, until %s.") % (
                day(talent.consent_expiry_date))
        elif state == "given":
            now = _("You agreed that we contact you about future opportunities.")
        elif state == "asked":
            now = _("We asked whether we may contact you about future opportunities, and we "
                    "have no answer from you yet. Until you say yes, we will not contact you "
                    "about them.")
        elif state == "declined":
            now = _("You told us not to contact you about future opportunities.")
        elif state == "expired":
            now = _("Your agreement to be contacted about future opportunities has ended, so "
                    "we no longer contact you about them.")
        elif state == "withdrawn":
            now = _("You withdrew your agreement: we no longer contact you about future "
                    "opportunities.")
        else:
            now = _("We have not asked you whether we may contact you about future "
                    "opportunities, so we do not.")
        what = _("If you agree, we may email you when a position opens in the departments you "
                 "choose below (at most one email every %(days)d days), write to you a few "
                 "times a year to ask how you are and share our news, and invite you to events "
                 "such as open houses. We never pass your details on to anyone else.") % {
            "days": max(company.nurture_opening_digest_days or 1, 1)}
        if company.nurture_consent_months:
            how_long = _("Your agreement lasts %d months; we ask you before it ends, and it "
                         "simply stops if you do not renew it.") % company.nurture_consent_months
        else:
            how_long = _("Your agreement lasts until you withdraw it.")
        stop = _("You can stop at any time: use the \"Stop all emails\" link at the bottom of "
                 "each of our emails, or the buttons on this page.")
        said = {
            "not_asked": _("%s: no agreement recorded."),
            "asked": _("%s: we asked whether we may contact you."),
            "given": _("%s: you agreed."),
            "declined": _("%s: you said no."),
            "expired": _("%s: your agreement ended."),
            "withdrawn": _("%s: you withdrew your agreement."),
        }
        entries = talent.env["hr.talent.consent"].sudo().search(
            [("talent_id", "=", talent.id)], order="date, id")
        history = [said.get(entry.state, said["not_asked"]) % day(entry.date)
                   for entry in entries]
        return {"now": now, "what": what, "how_long": how_long, "stop": stop,
                "history": history}

    def _page(self, talent, token, message=None, status=200, cancelled=0):
        talent, lang = self._in_language(talent)
        page_lang = lang or request.context.get("lang") or "en_US"
        return self._render("candidate_nurture.page_candidate", {
            "talent": talent, "token": token, "message": message,
            "consent_words": self._consent_words(
                talent, lambda value: public.date_in_words(value, page_lang)),
            "data": talent._nurture_personal_data(),
            "departments": talent._nurture_offered_departments(),
            "openings": talent._nurture_public_openings(),
            "chosen": set(talent.interest_department_ids.ids),
            "cancelled": cancelled,
        }, lang, status=status, company=talent.company_id)

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
        # ``talent`` is the narrow sudo() record the token proved; what it logs
        # is the candidate's
        candidate = talent._nurture_as_candidate()
        cancelled = 0
        if action == "give" and talent.consent_state in fu.CONSENT_FINAL_STATES:
            # a withdrawal or a refusal is final for the system: only a
            # recruiter records a new, documented consent
            return self._page(talent, token, message="consent_final", status=409)
        if action in ("give", "withdraw"):
            try:
                with request.env.cr.savepoint():
                    candidate._nurture_set_consent(
                        "given" if action == "give" else "withdrawn", "candidate_page")
            except UserError:
                # a change the consent rules do not allow from this page
                talent.invalidate_cache()
                return self._page(talent, token, message="not_possible", status=400)
            if action == "give":
                talent._nurture_engaged("candidate_page")
            message = "consent_given" if action == "give" else "consent_withdrawn"
        elif action == "stop":
            cancelled = candidate._nurture_stop_all(_("The candidate asked to stop all contact."))
            message = "stopped"
        elif action == "departments":
            wanted = public.parse_ids(request.httprequest.form.getlist("department_ids"))
            if wanted is None or not candidate._nurture_set_interest_departments(wanted):
                return self._page(talent, token, message="bad_departments", status=400)
            message = "departments"
        else:
            return self._page(talent, token, message="unknown", status=400)
        talent.invalidate_cache()
        return self._page(talent, token, message=message, cancelled=cancelled)

    @http.route("/candidate/me/<string:token>/data", type="http", auth="public",
                methods=["POST"])
    def candidate_data(self, token, **post):
        """*Download my data*: everything the page lists, as a JSON file."""
        talent = request.env["hr.talent"]._from_candidate_token(token)
        if not talent:
            return self._invalid()
        talent, _lang = self._in_language(talent)
        data = talent._nurture_personal_data()
        talent._nurture_as_candidate().message_post(
            body=_("The candidate downloaded their data."), subtype="mail.mt_note")
        body = json.dumps(data, indent=2, ensure_ascii=False)
        filename = "my-data-%s.json" % fields.Date.today()
        return request.make_response(body.encode("utf-8"), headers=[
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Disposition", 'attachment; filename="%s"' % filename),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Robots-Tag", "noindex, nofollow"),
            ("Referrer-Policy", "no-referrer"),
        ])

    @http.route("/candidate/stop/<string:token>", type="http", auth="public", methods=["GET"])
    def stop_page(self, token, **kwargs):
        """The stop link: a confirmation button (mail scanners open links)."""
        talent = request.env["hr.talent"]._from_stop_token(token)
        if not talent:
            return self._invalid()
        talent, lang = self._in_language(talent)
        return self._render("candidate_nurture.page_candidate_stop", {
            "token": token, "company_name": talent.company_id.name, "done": False}, lang,
            company=talent.company_id)

    @http.route("/candidate/stop/<string:token>", type="http", auth="public", methods=["POST"],
                csrf=False)
    def stop_one_click(self, token, **kwargs):
        """One click (RFC 8058 List-Unsubscribe-Post, or the page's button): the
        signed token is the proof, so no CSRF token is needed."""
        talent = request.env["hr.talent"]._from_stop_token(token)
        if not talent:
            return self._invalid()
        cancelled = talent._nurture_as_candidate()._nurture_stop_all(
            _("The candidate used the stop link."))
        talent, lang = self._in_language(talent)
        return self._render("candidate_nurture.page_candidate_stop", {
            "token": token, "company_name": talent.company_id.name, "done": True,
            "cancelled": cancelled}, lang, company=talent.company_id)
