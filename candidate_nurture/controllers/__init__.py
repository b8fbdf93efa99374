from . import main
from . import event_invitation
