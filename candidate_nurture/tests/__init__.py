from . import test_mail_delivery
from . import test_talent_pool
from . import test_rediscovery
