"""Who may see or change module reflections and learning goals: the loaders its routes use.

Each answers 404 outside the person's teams (so an object's existence is not revealed) and
403 inside them where the person may see but not change it.
"""

from learning_hub.access import load_or_404
from learning_hub.modules.models import LearningGoal, Reflection


def get_reflection_or_404(reflection_id, need="view"):
    """A module reflection the viewer wrote, or one shared with a team of theirs.

    :raises NotFound: (404) otherwise; :raises Forbidden: (403) for ``need="edit"`` by another.
    """
    return load_or_404(Reflection, reflection_id, need)


def get_goal_or_404(goal_id, need="view"):
    """A learning goal of the viewer's own, or one shared with a team of theirs.

    :raises NotFound: (404) otherwise; :raises Forbidden: (403) for ``need="edit"`` by another.
    """
    return load_or_404(LearningGoal, goal_id, need)
