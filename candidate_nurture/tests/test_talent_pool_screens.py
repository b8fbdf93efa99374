"""The talent pool screens recruiters meet every day (issue 10).

The Talents and Silver Medalists menus show the silver medalists just refused
(consent asked, not given yet), Contactable one click away; the list keeps the
columns a manager filters on; the talent form keeps its everyday actions few,
the consent actions beside the consent and Anonymise in the Action menu behind
a confirmation; the evidence shows for silver medalists only.
"""
import json

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from .common import NurtureCase
from .talent_common import TalentCase

BASE_URL = "http://careers.example"


class ScreensCase(TalentCase, NurtureCase):
    """Talent-pool set-up (TalentCase) with mail delivered to a real SMTP sink."""

    @classmethod
    def setUpClass(cls):
        super(ScreensCase, cls).setUpClass()
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("web.base.url", BASE_URL)
        # personal feedback only for stages past the ones used here
        cls.company.nurture_personal_stage_id = env["hr.recruitment.stage"].create(
            {"name": "T Final round", "sequence": 9999})
        Users = env["res.users"].with_context(no_reset_password=True)
        cls.portal = Users.create({
            "name": "T Portal", "login": "t_portal_screens", "email": "portal@outside.example",
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
        cls.company_b = env["res.company"].create({"name": "T Other Company"})
        recruitment = env.ref("hr_recruitment.group_hr_recruitment_manager")
        cls.manager_b = Users.create({
            "name": "T Manager B", "login": "t_manager_b_screens", "email": "manager.b@b.example",
            "company_id": cls.company_b.id, "company_ids": [(6, 0, cls.company_b.ids)],
            "groups_id": [(6, 0, [recruitment.id])]})

    def refuse(self, applicant, reason=None):
        """Refuse with the refusal wizard, as a recruitment officer."""
        wizard = self.env["hr.applicant.refuse.wizard"].sudo(self.recruiter).with_context(
            active_model="hr.applicant", active_ids=applicant.ids).create({
                "refuse_reason_id": (reason or self.reason_filled).id,
                "template_id": self.env.ref(
                    "candidate_nurture.mail_template_refuse_feedback").id})
        wizard.action_refuse()
        return applicant.talent_id


class TestTalentLists(ScreensCase):

    def search_view(self, user):
        arch = self.env["hr.talent"].sudo(user).fields_view_get(view_type="search")["arch"]
        return etree.fromstring(arch)

    @staticmethod
    def filter_groups(search):
        """{filter name: (its group of filters, domain)}: filters of one group
        are OR-ed by the web client, groups are AND-ed."""
        groups, group = {}, 0
        for node in search:
            if node.tag == "separator":
                group += 1
            elif node.tag == "filter" and node.get("domain"):
                groups[node.get("name")] = (group, node.get("domain"))
        return groups

    def menu_domain(self, xmlid, search, extra=()):
        """The domain a menu's list opens on (its search defaults), plus the
        filters named in extra, as the web client combines them."""
        context = safe_eval(self.env.ref(xmlid).context or "{}")
        names = [key[len("search_default_"):] for key, value in context.items()
                 if key.startswith("search_default_") and value] + list(extra)
        groups = self.filter_groups(search)
        by_group = {}
        for name in names:
            group, domain = groups[name]
            by_group.setdefault(group, []).append(safe_eval(domain))
        return expression.AND([expression.OR(domains) for domains in by_group.values()])

    def test_menus_show_the_silver_medalists_just_refused(self):
        applicant = self.applicant("Sam Silver", "sam.silver@candidates.example",
                                   priority="2", stage_id=self.stage_screen.id)
        just_refused = self.refuse(applicant)
        self.assertTrue(just_refused.silver_medalist)
        self.assertEqual(just_refused.consent_state, "asked", "the refusal email asks")
        given = self.applicant("Gia Given", "gia@candidates.example", priority="3").talent_id
        given._nurture_set_consent("given", "recruiter")
        given.action_flag_silver()
        withdrawn = self.applicant("Wes Withdrawn", "wes@candidates.example").talent_id
        withdrawn._nurture_set_consent("withdrawn", "candidate_page")
        declined = self.applicant("Dee Declined", "dee@candidates.example").talent_id
        declined._nurture_set_consent("declined", "candidate_page")
        erased = self.applicant("Eva Erased", "eva@candidates.example").talent_id
        erased.sudo(self.manager).action_anonymize()
        (withdrawn | declined | erased).action_flag_silver()
        people = just_refused | given | withdrawn | declined | erased

        Talent = self.env["hr.talent"].sudo(self.recruiter)
        search = self.search_view(self.recruiter)
        for xmlid in ("candidate_nurture.hr_talent_action",
                      "candidate_nurture.hr_talent_action_silver"):
            shown = Talent.search(self.menu_domain(xmlid, search) + [("id", "in", people.ids)])
            self.assertEqual(shown, just_refused | given, xmlid)
            # Contactable, one click away, narrows the list to who may be emailed
            contactable = Talent.search(self.menu_domain(xmlid, search, ["contactable"])
                                        + [("id", "in", people.ids)])
            self.assertEqual(contactable, given, xmlid)

    def test_talent_list_keeps_the_columns_a_manager_filters_on(self):
        arch = etree.fromstring(self.env["hr.talent"].sudo(self.recruiter).fields_view_get(
            view_type="tree")["arch"])
        columns = [node.get("name") for node in arch.iter("field")
                   if node.get("invisible") != "1"]
        self.assertEqual(columns, [
            "name", "category_ids", "furthest_stage_id", "furthest_job_id", "best_priority",
            "silver_medalist", "consent_state", "pool_ids", "availability", "last_contact_date"])
        # what left the list is still a grouping of the search
        groupbys = [node.get("context") for node in self.search_view(self.recruiter).iter("filter")
                    if "group_by" in (node.get("context") or "")]
        for fname in ("consent_state", "next_followup_date", "engagement_score", "company_id"):
            self.assertTrue([c for c in groupbys if fname in c], fname)


class TestTalentForm(ScreensCase):

    def form(self, user):
        return etree.fromstring(self.env["hr.talent"].sudo(user).fields_view_get(
            view_type="form")["arch"])

    def test_everyday_actions_are_few_and_consent_actions_sit_by_the_consent(self):
        for user in (self.recruiter, self.manager):
            form = self.form(user)
            header = [button.get("name") for button in form.find("header").iter("button")]
            self.assertEqual(header, ["action_apply_to_job", "action_add_to_pool",
                                      "action_invite_to_event"])
            self.assertFalse(form.xpath("//button[@name='action_anonymize']"),
                             "Anonymise is in the Action menu only")
            consent = form.xpath("//group[@name='consent']")[0]
            labels = [(button.get("name"), button.get("string"))
                      for button in consent.iter("button")]
            self.assertEqual(labels, [("action_request_consent", "Email a consent request"),
                                      ("action_request_consent", "Email the request again"),
                                      ("action_record_consent", "Record consent…")])
            evidence = form.xpath("//group[@name='silver_evidence']")[0]
            self.assertEqual(json.loads(evidence.get("modifiers"))["invisible"],
                             [["silver_medalist", "=", False]])

    def test_anonymise_is_in_the_action_menu_of_managers_only(self):
        def bound(user):
            actions = self.env["ir.actions.actions"].sudo(user).get_bindings("hr.talent")
            return [action["res_model"] for action in actions["action"]
                    if action.get("res_model")]
        self.assertIn("hr.talent.anonymize.wizard", bound(self.manager))
        self.assertNotIn("hr.talent.anonymize.wizard", bound(self.recruiter))

    def wizard(self, talents, user):
        return self.env["hr.talent.anonymize.wizard"].sudo(user).with_context(
            active_model="hr.talent", active_ids=talents.ids).create({})

    def test_anonymise_after_the_confirmation(self):
        talent = self.applicant("Rita Request", "rita@candidates.example").talent_id
        view = self.env.ref("candidate_nurture.hr_talent_anonymize_wizard_view_form").arch
        for erased in ("name, email, phone", "cannot be undone", "Kept, as statistics"):
            self.assertIn(erased, view)
        wizard = self.wizard(talent, self.manager)
        self.assertEqual(wizard.talent_ids, talent)
        wizard.action_anonymize()
        self.assertTrue(talent.anonymized_date)
        self.assertNotEqual(talent.name, "Rita Request")
        self.assertFalse(talent.email)

    def test_only_managers_of_the_talents_company_anonymise(self):
        talent = self.applicant("Ray Remain", "ray@candidates.example").talent_id
        with self.assertRaises(UserError):
            self.wizard(talent, self.recruiter).action_anonymize()
        for attacker in (self.portal, self.manager_b):
            with self.assertRaises(AccessError):
                self.wizard(talent, attacker).action_anonymize()
            with self.assertRaises(AccessError):
                talent.sudo(attacker).action_anonymize()
        # someone else's confirmation cannot be replayed either
        wizard = self.wizard(talent, self.manager)
        with self.assertRaises(AccessError):
            wizard.sudo(self.manager_b).action_anonymize()
        self.assertFalse(talent.anonymized_date)
        self.assertEqual(talent.name, "Ray Remain")
