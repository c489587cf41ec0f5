"""Every write of technical services, one module per workflow; import them from here."""

from .bindery import *  # noqa: F403
from .processing import *  # noqa: F403
from .pulling import *  # noqa: F403
from .repair import *  # noqa: F403
from .sale import *  # noqa: F403
from .serials import *  # noqa: F403
from .stocktake import *  # noqa: F403
from .supervision import *  # noqa: F403
from .weeding import *  # noqa: F403
