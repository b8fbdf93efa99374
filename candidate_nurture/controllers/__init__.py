from . import main
from . import event_invitation
from . import candidate_page
from . import careers
from . import tracking
