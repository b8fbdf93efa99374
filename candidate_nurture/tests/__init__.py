from . import test_mail_delivery
from . import test_feedback_logic
from . import test_refuse
from . import test_talent_pool
from . import test_rediscovery
from . import test_event_invitation
from . import test_consent
from . import test_followup_cron
