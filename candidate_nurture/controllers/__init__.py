from . import main
from . import candidate_page
