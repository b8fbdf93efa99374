# Copyright 2026 candidate_nurture contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Candidate Nurture",
    "summary": "Refuse with care, keep silver medalists, invite and follow up "
               "with the candidates you turn down",
    "version": "11.0.1.0.0",
    "category": "Human Resources",
    "website": "https://github.com/candidate-nurture/candidate_nurture",
    "author": "candidate_nurture contributors",
    "license": "LGPL-3",
    "depends": [
        "hr_recruitment",
        "event",
        "mail",
    ],
    "data": [
        "security/candidate_nurture_security.xml",
        "security/ir.model.access.csv",
        "data/hr_applicant_refuse_reason_data.xml",
        "data/mail_template_data.xml",
        "data/hr_talent_data.xml",
        "views/hr_talent_views.xml",
        "views/hr_talent_pool_views.xml",
        "views/hr_talent_match_views.xml",
        "views/hr_talent_applicant_views.xml",
        "views/hr_talent_settings_views.xml",
        "views/hr_job_views.xml",
        "wizards/hr_talent_pool_add_wizard_views.xml",
        "wizards/hr_talent_apply_wizard_views.xml",
        "wizards/hr_talent_merge_wizard_views.xml",
        "views/candidate_nurture_menus.xml",
    ],
    "demo": [
        "demo/hr_recruitment_demo.xml",
        "demo/hr_talent_demo.xml",
    ],
    "installable": True,
    "application": False,
}
