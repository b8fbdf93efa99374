from . import test_mail_delivery
