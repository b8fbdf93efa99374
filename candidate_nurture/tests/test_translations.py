"""Candidates read their emails and pages in their own language (issue 10).

French, German and Spanish are installed the way Odoo does it for a module
(res.lang.load_lang, then the module's _update_translations: what
base.language.install runs for every installed module). Every mail template
of the addon meant for candidates is rendered in each language, and so is
every public page (QWeb, once per branch a candidate can meet), next to the
same rendering in English: a text of the English rendering that is still
there, unchanged, in the other language is an English leftover, and the test
names it (language, email or page, text). Names, URLs, dates and numbers of
the test data are not text to translate, nor are the few words that are the
same in both languages (ALLOWED).

Also proven here: an email goes out in the person's language (the
template's lang), which falls back to the website's default language when
the person has none, and only who may read the person learns it; the
controllers' messages are translated; a template the company rewrote keeps
its wording in other languages; an upgrade tells the addon's translations of
a template from the company's.
"""
import datetime
import re

from lxml import etree, html

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tools import mute_logger
from odoo.tools.misc import file_open
from odoo.tools.translate import PoFile

from ..controllers.candidate_page import CandidatePageController
from ..controllers.event_invitation import EventInvitationController
from ..lib import public
from .followup_common import FollowupCase

LANGS = ("fr_FR", "de_DE", "es_ES")
# the addon's templates that do not go to candidates
RECRUITER_TEMPLATES = ("mail_template_funnel_summary",)
# words that are the same in English and in the language, and brand words
ALLOWED = {
    None: {"LinkedIn", "JSON"},
    "fr_FR": {"Documents", "Invitation", "Article"},
    "de_DE": {"Name", "Status", "Workshop"},
    "es_ES": {"No"},
}
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
NOT_TEXT = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|\d[\d:./ -]*\d|\d")


class _PageRequest(object):
    """What web.layout asks of the HTTP request when a page is rendered
    outside of one (its CSRF token, for the page's scripts)."""

    debug = False

    @staticmethod
    def csrf_token(*args, **kwargs):
        return "test-csrf-token"


def _dt(days):
    return fields.Datetime.to_string(datetime.datetime.now() + datetime.timedelta(days=days))


def text_nodes(markup):
    """The texts a reader sees (whitespace collapsed), <title> included."""
    if not markup or not markup.strip():
        return []
    root = html.fromstring(markup)
    texts = []
    for element in root.iter():
        if element.tag in ("script", "style") or element.tag is etree.Comment:
            continue
        for text in (element.text, element.tail):
            text = re.sub(r"\s+", " ", text or "").strip()
            if text:
                texts.append(text)
    return texts


class TestTranslations(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(TestTranslations, cls).setUpClass()
        env = cls.env
        module = env["ir.module.module"].search([("name", "=", "candidate_nurture")])
        for lang in LANGS:
            env["res.lang"].load_lang(lang)
            module._update_translations(lang)
        cls.reason = env.ref("candidate_nurture.refuse_reason_position_filled")
        cls.tpl_refuse = env.ref("candidate_nurture.mail_template_refuse_feedback")
        cls.partner = env["res.partner"].create({
            "name": "Zoé Kowalczyk", "email": "zoe.kowalczyk@candidates.example",
            "lang": "en_US"})
        cls.applicant_rec = env["hr.applicant"].create({
            "name": "Application of Zoé Kowalczyk", "partner_name": "Zoé Kowalczyk",
            "partner_id": cls.partner.id, "email_from": cls.partner.email,
            "job_id": cls.job.id, "stage_id": cls.stage.id,
            "user_id": cls.recruiter.id})
        cls.resource = env["hr.recruitment.resource"].create({
            "name": "Designing Data-Intensive Applications", "resource_type": "book",
            "url": "https://example.com/ddia"})
        cls.wizard = env(user=cls.recruiter.id)["hr.applicant.refuse.wizard"].with_context(
            active_model="hr.applicant", active_ids=cls.applicant_rec.ids).create({
                "refuse_reason_id": cls.reason.id, "template_id": cls.tpl_refuse.id,
                "personal_message": "Zoé, your migration plan was the clearest we read.",
                "strengths": "Clear written communication",
                "improvements": "Deeper PostgreSQL tuning",
                "resource_ids": [(6, 0, cls.resource.ids)]})
        cls.wizard.action_refuse()
        cls.applicant_rec = cls.applicant_rec.with_context(active_test=False)
        cls.person = cls.applicant_rec.talent_id
        cls.person.write({"partner_id": cls.partner.id, "user_id": cls.recruiter.id,
                          "interest_department_ids": [(6, 0, cls.department.ids)]})
        cls.person._nurture_set_consent("given", "recruiter")
        cls.event = env["event.event"].create({
            "name": "Kraków Open House", "date_begin": _dt(7), "date_end": _dt(7.2),
            "seats_availability": "unlimited", "user_id": cls.recruiter.id})
        cls.event.button_confirm()
        cls.invitation = env["hr.talent.invitation"].create({
            "talent_id": cls.person.id, "event_id": cls.event.id, "sent_date": _dt(0)})
        cls.job.write({"website_published": True, "state": "recruit"})
        # what is data, not text to translate
        env = cls.env
        data = [
            cls.person.name, cls.partner.name, cls.company.name, cls.job.name,
            cls.department.name, cls.event.name, cls.recruiter.name, env.user.name,
            cls.applicant_rec.name, cls.applicant_rec.refuse_message,
            "Clear written communication", "Deeper PostgreSQL tuning",
            "Designing Data-Intensive Applications",
        ]
        # the event's place (the company's address by default: "YourCompany, Scranton"
        # on a demo database) is a name, not text to translate
        place = cls.event.address_id
        data += [place.name, place.street, place.street2, place.city, place.zip,
                 place.state_id.name, place.country_id.name]
        for model in ("hr.department", "hr.recruitment.stage", "hr.job",
                      "hr.recruitment.resource", "hr.talent.pool"):
            data += env[model].search([]).mapped("name")
        cls.data_texts = sorted(set(filter(None, data)), key=len, reverse=True)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def set_lang(self, lang):
        self.partner.lang = lang
        self.person.invalidate_cache()

    def clean(self, text):
        for data in self.data_texts:
            text = text.replace(data, " ")
        return NOT_TEXT.sub(" ", text)

    def leftovers(self, english, translated, lang):
        """Texts of ``translated`` that are English texts of ``english`` unchanged."""
        allowed = ALLOWED[None] | ALLOWED[lang]
        english_texts = set(self.clean(text).strip() for text in english)
        found = []
        for text in translated:
            cleaned = self.clean(text).strip()
            words = [word for word in WORD.findall(cleaned) if word not in allowed]
            if words and cleaned in english_texts and text not in found:
                found.append(text)
        return found

    def candidate_templates(self):
        data = self.env["ir.model.data"].search([
            ("module", "=", "candidate_nurture"), ("model", "=", "mail.template"),
            ("name", "not in", RECRUITER_TEMPLATES)], order="name")
        return [(record.name, self.env["mail.template"].browse(record.res_id)) for record in data]

    def render_email(self, template):
        """subject and body of template for its record (applicant or talent),
        in the language the template chooses (its lang)."""
        # what the refusal wizard gives the template, every part of it shown
        refusal = dict(self.wizard._refusal_context(self.wizard.line_ids[0]),
                       interviewed=True, ask_consent=True)
        self.assertTrue(refusal["message"] and refusal["resources"])
        record = self.applicant_rec if template.model == "hr.applicant" else self.person
        template = template.with_context(
            refusal=refusal, nurture_invite_job_id=self.job.id,
            nurture_invite_event_id=self.event.id,
            nurture_invite_tokens={self.person.id: "test-token"})
        values = template.generate_email(record.id, fields=["subject", "body_html"])
        return values

    def page_values(self, lang):
        """(page, values) for every branch of every public page a candidate sees:
        the values the controllers give them (in the talent's language)."""
        self.set_lang(lang)
        talent = self.person.with_context(lang=lang)
        token = "test-token"
        pages = [
            ("page_link_not_valid", {}),
            ("page_link_expired", {"company_name": self.company.name}),
            ("page_refuse_feedback", {"token": token, "answer": "yes",
                                      "job_name": self.job.name,
                                      "company_name": self.company.name, "error": None}),
            ("page_refuse_feedback_thanks", {"company_name": self.company.name}),
            ("page_refuse_feedback_answered", {"company_name": self.company.name,
                                               "job_name": self.job.name}),
            ("page_job_not_open", {"company_name": self.company.name}),
            ("page_candidate_stop", {"token": token, "company_name": self.company.name,
                                     "done": False}),
            ("page_candidate_stop", {"token": token, "company_name": self.company.name,
                                     "done": True, "cancelled": 2}),
        ]
        for message in (None, "consent_given", "consent_withdrawn", "stopped", "departments",
                        "bad_departments", "consent_final", "not_possible", "unknown"):
            pages.append(("page_candidate", {
                "talent": talent, "token": token, "message": message,
                "consent_words": CandidatePageController._consent_words(
                    talent, lambda value: public.date_in_words(value, lang)),
                "data": talent._nurture_personal_data(),
                "departments": talent._nurture_offered_departments(),
                "openings": talent._nurture_public_openings(),
                "chosen": set(talent.interest_department_ids.ids), "cancelled": 1,
            }))
        controller = EventInvitationController()
        for state in ("invited", "accepted", "declined"):
            self.invitation.state = state
            values = controller._invitation_values(self.invitation, token)
            pages.append(("page_event_invitation", values))
            pages.append(("page_event_invitation_thanks", values))
            pages.append(("page_event_invitation", dict(values, is_full=True)))
        values = controller._invitation_values(self.invitation, token)
        pages.append(("page_event_invitation", dict(values, is_open=False)))
        pages.append(("page_event_invitation", dict(values, is_cancelled=True)))
        return pages

    def render_page(self, page, values, lang):
        # what the controllers' _render adds
        values = dict(values, request=_PageRequest(), csrf_token="test-csrf-token",
                      brand=self.company._nurture_brand(relative=True),
                      day=lambda value: public.date_in_words(value, lang))
        if "talent" in values:
            values["talent"] = values["talent"].with_context(lang=lang)
        return self.env["ir.ui.view"].with_context(lang=lang).render_template(
            "candidate_nurture." + page, values)

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_languages_are_installed_with_the_addon_translations(self):
        for lang in LANGS:
            count = self.env["ir.translation"].search_count([
                ("module", "=", "candidate_nurture"), ("lang", "=", lang),
                ("value", "!=", False), ("value", "!=", "")])
            self.assertGreater(count, 100, "%s: the addon's %s.po was not loaded" % (
                lang, lang[:2]))

    def test_every_candidate_email_in_every_language(self):
        problems = []
        self.set_lang("en_US")
        english = dict((name, self.render_email(template))
                       for name, template in self.candidate_templates())
        self.assertGreaterEqual(len(english), 9)
        for lang in LANGS:
            self.set_lang(lang)
            for name, template in self.candidate_templates():
                rendered = self.render_email(template)
                # a template that does not compile renders empty, in every language
                if self.person.name not in (rendered["body_html"] or ""):
                    problems.append("%s %s: the body does not render (%r)" % (
                        lang, name, (rendered["body_html"] or "")[:80]))
                for field in ("subject", "body_html"):
                    if field == "subject":
                        before, after = [english[name][field] or ""], [rendered[field] or ""]
                    else:
                        before = text_nodes(english[name][field])
                        after = text_nodes(rendered[field])
                    for text in self.leftovers(before, after, lang):
                        problems.append("%s %s %s: %r" % (lang, name, field, text))
        self.assertFalse(problems, "English left in candidate emails:\n" + "\n".join(problems))

    def test_every_public_page_in_every_language(self):
        covered = set(page for page, _values in self.page_values("en_US"))
        views = self.env["ir.ui.view"].search([
            ("type", "=", "qweb"), ("key", "=like", "candidate_nurture.page\\_%")])
        layouts = {"candidate_nurture.page_layout"}
        missing = sorted(set(views.mapped("key")) - layouts
                         - set("candidate_nurture." + page for page in covered))
        self.assertFalse(missing, "public pages this test does not render yet: %s" % missing)
        problems = []
        # the emails the person received are listed (by subject) on their page
        self.data_texts = sorted(set(self.data_texts) | set(
            mail["subject"] for mail in self.person._nurture_personal_data()["emails"]
            if mail["subject"]), key=len, reverse=True)
        english = [text_nodes(self.render_page(page, values, "en_US"))
                   for page, values in self.page_values("en_US")]
        for lang in LANGS:
            for index, (page, values) in enumerate(self.page_values(lang)):
                translated = text_nodes(self.render_page(page, values, lang))
                for text in self.leftovers(english[index], translated, lang):
                    line = "%s %s: %r" % (lang, page, text)
                    if line not in problems:
                        problems.append(line)
        self.assertFalse(problems, "English left on candidate pages:\n" + "\n".join(problems))

    def test_controller_messages_are_translated(self):
        """The _() strings of the public controllers (errors, notes) exist in
        each language (read from the addon's .pot, as Odoo reads it)."""
        with file_open("candidate_nurture/i18n/candidate_nurture.pot", "rb") as pot:
            sources = sorted(set(
                row[3] for row in PoFile(pot)
                if row[0] == "code" and "/controllers/" in row[1]))
        self.assertTrue(sources)
        problems = []
        for lang in LANGS:
            for source in sources:
                value = self.env["ir.translation"]._get_source(None, ("code",), lang, source)
                if value == source:
                    problems.append("%s: %r" % (lang, source))
        self.assertFalse(problems, "controller messages not translated:\n" + "\n".join(problems))

    def test_email_in_the_persons_language_else_the_websites(self):
        consent = self.env.ref("candidate_nurture.mail_template_consent_request")
        self.set_lang("de_DE")
        self.assertEqual(self.person.nurture_lang(), "de_DE")
        self.assertIn("Guten Tag", self.render_email(consent)["body_html"])
        # the person's contact has no language: the website's default
        self.partner.lang = False
        self.person.invalidate_cache()
        website = self.env["website"].search([], order="id", limit=1)
        website.write({"language_ids": [(4, self.env["res.lang"].search(
            [("code", "=", "es_ES")]).id)], "default_lang_id": self.env["res.lang"].search(
            [("code", "=", "es_ES")]).id})
        self.assertEqual(self.person.nurture_lang(), "es_ES")
        self.assertEqual(self.applicant_rec.nurture_lang(), "es_ES")
        self.assertIn("Estimado/a", self.render_email(consent)["body_html"])

    def test_a_template_the_company_rewrote_keeps_its_own_wording(self):
        """The addon's French of a subject the company replaced is not loaded:
        French candidates get the company's wording, the rest in French."""
        template = self.env.ref("candidate_nurture.mail_template_followup_checkin")
        Translation = self.env["ir.translation"]
        Translation.search([("name", "=like", "mail.template,%"),
                            ("res_id", "=", template.id), ("lang", "=", "fr_FR")]).unlink()
        template.with_context(lang="en_US").subject = "A word from our team, ${object.name}"
        self.env["ir.module.module"].search(
            [("name", "=", "candidate_nurture")])._update_translations("fr_FR")
        self.set_lang("fr_FR")
        email = self.render_email(template.with_context(lang="en_US"))
        self.assertEqual(email["subject"], "A word from our team, %s" % self.person.name)
        self.assertIn("Comment allez-vous ?", email["body_html"])

    def test_an_upgrade_tells_the_addons_translations_from_the_companys(self):
        """migrations/template_refresh: a template with only the addon's own
        translations is refreshed on upgrade; one the company translated is kept."""
        from ..migrations import template_refresh
        xmlid = "candidate_nurture.mail_template_consent_request"
        template = self.env.ref(xmlid)
        # the upgrade's warning about kept templates is expected here
        with mute_logger(template_refresh._logger.name):
            self.assertIn(xmlid, template_refresh.mark_unchanged_templates(self.env.cr))
            self.env.cr.execute("UPDATE ir_model_data SET noupdate = true "
                                "WHERE module = 'candidate_nurture' AND model = 'mail.template'")
            self.env["ir.translation"].search([
                ("name", "=", "mail.template,subject"), ("res_id", "=", template.id),
                ("lang", "=", "fr_FR")]).value = "Gardons le contact, ${object.name} ?"
            self.assertNotIn(xmlid, template_refresh.mark_unchanged_templates(self.env.cr))

    def test_only_who_may_read_the_person_gets_their_language(self):
        portal = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "L Portal", "login": "l_portal_lang", "email": "portal@outside.example",
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})
        for record in (self.person, self.applicant_rec):
            with self.assertRaises(AccessError):
                record.sudo(portal).nurture_lang()
        self.assertEqual(self.person.sudo(self.recruiter).nurture_lang(), "en_US")
