"""Who may see or change self-checks: the loaders its routes use.

Each answers 404 outside the person's teams (so an object's existence is not revealed) and
403 inside them where the person may see but not change it.
"""

from learning_hub.access import load_or_404
from learning_hub.selfchecks.models import SelfCheck


def get_selfcheck_or_404(check_id, need="view"):
    """A self-check of the viewer's own, or one shared with a team they facilitate.

    :raises NotFound: (404) otherwise; :raises Forbidden: (403) for ``need="edit"`` by another.
    """
    return load_or_404(SelfCheck, check_id, need)
