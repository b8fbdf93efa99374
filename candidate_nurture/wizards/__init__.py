from . import hr_applicant_refuse_wizard
from . import hr_talent_pool_add_wizard
from . import hr_talent_apply_wizard
from . import hr_talent_merge_wizard
from . import hr_talent_consent_wizard
from . import hr_talent_invite_wizard
from . import hr_talent_anonymize_wizard
from . import mail_compose_message
