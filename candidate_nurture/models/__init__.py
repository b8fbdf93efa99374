from . import hr_applicant_refuse_reason
from . import hr_recruitment_resource
from . import hr_applicant
from . import mail_mail
from . import res_company
from . import res_config_settings
