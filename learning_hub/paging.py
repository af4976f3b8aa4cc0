"""Responses to a reflection (module or case), a page at a time, oldest first."""

from learning_hub.extensions import db

RESPONSES_PER_PAGE = 20


def responses_page(model, reflection_id):
    """The requested page (``?page=``) of ``model`` responses, with their authors."""
    return db.paginate(
        db.select(model)
        .where(model.reflection_id == reflection_id)
        .options(db.joinedload(model.author))
        .order_by(model.created_at, model.id),
        per_page=RESPONSES_PER_PAGE,
        error_out=False,
    )


def last_responses_page(model, reflection_id):
    """The page a newly added response is on, or None when that is the first page."""
    count = db.session.scalar(
        db.select(db.func.count(model.id)).where(model.reflection_id == reflection_id)
    )
    last = -(-count // RESPONSES_PER_PAGE)
    return last if last > 1 else None
