"""Who may see or change cases and their reflections: the loaders its routes use.

Each answers 404 outside the person's teams (so an object's existence is not revealed) and
403 inside them where the person may see but not change it.
"""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, lazyload, raiseload

from learning_hub.cases.models import Case, CaseReflection
from learning_hub.core.extensions import db

# A case (bound parameter ``case_id``), built once as every reused statement is.
CASE = sa.select(Case).where(Case.id == sa.bindparam("case_id"))
# What the case page draws of the case itself: its plan's summary and its team's name.
# The team came with the viewer's memberships, so it is taken from the session, not
# read again; anything else the page touched would raise (its timeline and
# reflections are read as rows on their own).
CASE_PAGE = CASE.options(joinedload(Case.plan), lazyload(Case.team), raiseload("*"))


def get_case_or_404(case_id, need="view", *, statement=CASE):
    """A case of one of the viewer's teams; ``need="edit"`` also asks that it is open.

    ``statement`` reads it: ``CASE``, or ``CASE_PAGE`` with what the case page shows.

    :raises NotFound: (404) outside the viewer's teams.
    :raises Conflict: (409) for ``need="edit"`` on a closed case.
    :raises Forbidden: (403) for ``need="edit"`` by someone who may not change it.
    """
    case = db.session.scalar(statement, {"case_id": case_id})
    if case is None or not case.can_view(current_user):
        abort(404)
    if need == "edit" and not case.can_edit(current_user):
        abort(409 if case.is_closed else 403)
    return case


def get_case_reflection_or_404(case, reflection_id):
    """A peer reflection that belongs to ``case`` (already scope-checked).

    :raises NotFound: (404) when it is not one of that case's.
    """
    reflection = db.session.get(CaseReflection, reflection_id)
    if reflection is None or reflection.case_id != case.id:
        abort(404)
    return reflection
