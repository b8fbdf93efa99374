from . import hr_applicant_refuse_wizard
