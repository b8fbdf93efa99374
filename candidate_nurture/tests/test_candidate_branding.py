"""What a candidate sees: the company's logo and colour in every email, dates
in words, event times in the event's zone with a calendar file, follow-ups
with real content, and the candidate page in plain words."""
import base64
import datetime
import io

from freezegun import freeze_time
from PIL import Image

from odoo import fields
from odoo.exceptions import ValidationError

from ..controllers.candidate_page import CandidatePageController
from ..lib import public
from .followup_common import FollowupCase

COLOUR = "#123abc"

# every email a candidate can receive (xml id -> what the rendering needs)
CANDIDATE_TEMPLATES = (
    "mail_template_refuse_feedback",
    "mail_template_consent_request",
    "mail_template_consent_renewal",
    "mail_template_new_openings",
    "mail_template_invite_to_apply",
    "mail_template_followup_checkin",
    "mail_template_followup_news",
    "mail_template_followup_hiring",
    "mail_template_event_invitation",
)


def _png(colour=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", (120, 40), colour).save(out, "PNG")
    return base64.b64encode(out.getvalue())


def _utc(value):
    return fields.Datetime.to_string(value)


class CandidateBrandingCase(FollowupCase):

    @classmethod
    def setUpClass(cls):
        super(CandidateBrandingCase, cls).setUpClass()
        env = cls.env
        cls.company.write({"logo": _png(), "nurture_brand_color": COLOUR})
        cls.person = cls.talent("Bea Brand", consent="given", furthest_job_id=cls.job.id,
                                interest_department_ids=[(6, 0, cls.department.ids)])
        cls.applicant = env["hr.applicant"].create({
            "name": "Bea's application", "partner_name": "Bea Brand",
            "email_from": "bea.brand@candidates.example", "job_id": cls.job.id,
            "talent_id": cls.person.id, "stage_id": cls.stage.id})
        cls.event = env["event.event"].create({
            "name": "Open House New York", "date_tz": "America/New_York",
            # 15:00 to 18:30 UTC is 10:00 to 13:30 in New York (EST, UTC-5)
            "date_begin": "2030-12-17 15:00:00", "date_end": "2030-12-17 18:30:00",
            "seats_availability": "unlimited", "user_id": cls.recruiter.id})
        cls.event.button_confirm()

    def render(self, xmlid, record=None, lang=None):
        template = self.env.ref("candidate_nurture." + xmlid)
        if lang:
            template = template.with_context(lang=lang)
        ctx = {
            "refusal": {"message": "Thank you.", "strengths": ["Clear SQL"],
                        "improvements": [], "resources": [], "interviewed": True},
            "nurture_invite_event_id": self.event.id,
            "nurture_invite_job_id": self.job.id,
        }
        if record is None:
            record = self.applicant if xmlid == "mail_template_refuse_feedback" else self.person
        self.person._nurture_ensure_nonce()
        return template.with_context(**ctx).generate_email(
            record.id, fields=["subject", "body_html"])


class TestCandidateBranding(CandidateBrandingCase):

    def test_every_candidate_email_carries_logo_and_colour(self):
        logo_url = self.company.nurture_logo_url
        self.assertTrue(logo_url.startswith("http://nurture.example/candidate/logo/"),
                        "an absolute address, readable from any mail client")
        for xmlid in CANDIDATE_TEMPLATES:
            body = self.render(xmlid)["body_html"]
            self.assertIn('src="%s"' % logo_url, body, xmlid)
            self.assertIn(COLOUR, body, xmlid)
            self.assertIn(self.person._nurture_stop_url(), body, xmlid)

    def test_colour_is_validated_with_a_sensible_default(self):
        company = self.env["res.company"].create({"name": "Brand Default Co", "logo": False})
        self.assertEqual(company.nurture_brand_color, public.DEFAULT_BRAND_COLOR)
        self.assertFalse(company.nurture_logo_url, "no logo, no image in the emails")
        for bad in ("red", "#12345", "#1234567", "#12g456", "#fff; background: url(x)",
                    "expression(alert(1))"):
            with self.assertRaises(ValidationError, msg=bad):
                company.write({"nurture_brand_color": bad})
        company.write({"nurture_brand_color": "#ABC"})
        self.assertEqual(company._nurture_brand()["color"], "#ABC")

    def test_logo_link_is_signed_for_one_company(self):
        token = self.company.nurture_logo_url.rsplit("/", 1)[1]
        Company = self.env["res.company"]
        self.assertEqual(Company._nurture_from_logo_token(token), self.company)
        other = Company.create({"name": "Brand Other Co", "logo": _png((0, 0, 0))})
        forged = "%d-%s" % (other.id, token.split("-", 1)[1])
        self.assertFalse(Company._nurture_from_logo_token(forged), "another company's id")
        self.assertFalse(Company._nurture_from_logo_token(token[:-1] + (
            "A" if token[-1] != "A" else "B")), "an altered signature")
        self.assertFalse(Company._nurture_from_logo_token("1"))

    def test_dates_in_words_in_the_reader_language(self):
        self.assertEqual(public.date_in_words("2026-12-01 10:00:00", "en_US"), "December 1, 2026")
        self.assertEqual(public.date_in_words("2026-12-01", "fr_FR"), "1 décembre 2026")
        self.assertEqual(public.date_in_words("2026-12-01", "de_DE"), "1. Dezember 2026")
        self.assertEqual(public.date_in_words(False), "-")
        with freeze_time("2026-03-01 09:00:00"):
            self.person._nurture_set_consent("given", "recruiter")
        mail = self.render("mail_template_consent_renewal")
        self.assertIn("March 1, 2028", mail["subject"])
        self.assertIn("<b>March 1, 2028</b>", mail["body_html"])
        self.assertNotIn("2028-03-01", mail["subject"] + mail["body_html"])

    def test_event_time_in_the_event_zone_without_seconds(self):
        body = self.render("mail_template_event_invitation")["body_html"]
        self.assertIn("Tuesday, December 17, 2030, from 10:00 AM to 1:30 PM "
                      "(America/New_York time)", body)
        self.assertNotIn("15:00:00", body)
        self.assertNotIn(":00:00", body)
        german = self.event.with_context(lang="de_DE")
        parts = public.event_when(german.date_begin, german.date_end, german.date_tz, "de_DE")
        self.assertEqual((parts["day"], parts["start"], parts["end"]),
                         ("Dienstag, 17. Dezember 2030", "10:00", "13:30"))

    def test_invitation_email_attaches_an_ics_in_the_event_zone(self):
        wizard = self.env["hr.talent.invite.wizard"].sudo(self.recruiter).with_context(
            active_model="hr.talent", active_ids=self.person.ids).create({
                "event_id": self.event.id,
                "template_id": self.env.ref("candidate_nurture.mail_template_event_invitation").id})
        wizard.action_send()
        mail = self.mails_of(self.person)
        self.assertEqual(len(mail), 1)
        ics = mail.attachment_ids
        self.assertEqual((len(ics), ics.mimetype, ics.datas_fname),
                         (1, "text/calendar", "invitation.ics"))
        content = base64.b64decode(ics.datas).decode("utf-8")
        self.assertIn("DTSTART;TZID=America/New_York:20301217T100000", content)
        self.assertIn("DTEND;TZID=America/New_York:20301217T133000", content)
        self.assertIn("SUMMARY:Open House New York", content)
        self.assertIn("BEGIN:VTIMEZONE", content)
        self.deliver_mail()
        received = self.sink.received_by("bea.brand@candidates.example")
        self.assertEqual(len(received), 1)
        message = received[0]["message"]
        parts = [part for part in message.walk() if part.get_filename() == "invitation.ics"]
        self.assertEqual(len(parts), 1, "the calendar file reached the candidate")
        self.assertIn(b"TZID=America/New_York:20301217T100000", parts[0].get_payload(decode=True))

    def test_followups_have_real_content_and_the_stop_link(self):
        for xmlid in ("mail_template_followup_checkin", "mail_template_followup_news",
                      "mail_template_followup_hiring"):
            body = self.render(xmlid)["body_html"]
            text = " ".join(part.split(">", 1)[-1] for part in body.split("<"))
            self.assertGreater(len(text.split()), 80, xmlid)
            self.assertIn("Dear Bea Brand", body)
            self.assertIn(self.person._nurture_stop_url(), body, xmlid)
        self.assertIn("F Backend", self.render("mail_template_followup_checkin")["body_html"])
        self.assertIn("We are hiring again in F Platform",
                      self.render("mail_template_followup_hiring")["body_html"])
        news = self.render("mail_template_followup_news")["body_html"]
        self.assertIn("What is new with us", news)
        self.assertIn('href="http://nurture.example/jobs"', news)

    def test_hiring_email_names_only_departments_shown_to_candidates(self):
        internal = self.env["hr.department"].create({"name": "F Management"})
        self.person.write({"interest_department_ids": [(4, internal.id)]})
        body = self.render("mail_template_followup_hiring")["body_html"]
        self.assertIn("F Platform", body)
        self.assertNotIn("F Management", body)

    def test_candidate_page_words_are_plain(self):
        day = lambda value: public.date_in_words(value, "en_US")  # noqa: E731
        with freeze_time("2026-05-04 10:00:00"):
            asked = self.talent("Ann Asked")
            asked._nurture_set_consent("asked", "refusal")
            words = CandidatePageController._consent_words(asked, day)
        self.assertIn("no answer from you yet", words["now"])
        self.assertNotIn("Asked", words["now"])
        self.assertIn("at most one email every 14 days", words["what"])
        self.assertIn("24 months", words["how_long"])
        self.assertIn("Stop all emails", words["stop"])
        self.assertEqual(words["history"], ["May 4, 2026: we asked whether we may contact you."])
        given = CandidatePageController._consent_words(self.person, day)
        expiry = self.person.consent_expiry_date
        self.assertEqual(given["now"], "You agreed that we contact you about future "
                         "opportunities, until %s." % day(expiry))
        self.assertNotIn(expiry, given["now"], "no ISO date")
        self.assertTrue(datetime.datetime.strptime(expiry, "%Y-%m-%d"))

    def test_consent_words_are_translated_in_the_talent_language(self):
        lang = self.env["res.lang"].with_context(active_test=False).search(
            [("code", "=", "fr_FR")])
        lang.active = True
        self.env["ir.translation"].create({
            "type": "code", "name": "addons/candidate_nurture/controllers/candidate_page.py",
            "lang": "fr_FR", "module": "candidate_nurture", "state": "translated",
            "src": "%s: you agreed.", "value": "%s : vous avez accepté."})
        self.env["ir.translation"].clear_caches()
        talent = self.person.with_context(lang="fr_FR")
        words = CandidatePageController._consent_words(
            talent, lambda value: public.date_in_words(value, "fr_FR"))
        self.assertTrue(words["history"][-1].endswith(": vous avez accepté."), words["history"])
