"""Review sessions: schedule, agenda, the meeting page, actions, summaries, calendar feeds."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from learning_hub.access import get_team_or_404, member_choices
from learning_hub.auth.models import User
from learning_hub.core import audit
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.core.pagination import paginate
from learning_hub.core.urls import external_url, is_safe_next
from learning_hub.reviews import services
from learning_hub.reviews.access import (
    get_action_or_404,
    get_item_or_404,
    get_person_of_feed_or_404,
    get_series_or_404,
    get_session_or_404,
    get_team_of_feed_or_404,
)
from learning_hub.reviews.forms import (
    ActionForm,
    AgendaItemForm,
    DoneForm,
    MoveForm,
    NotesForm,
    ScheduleForm,
)

bp = Blueprint("reviews", __name__, template_folder="templates")
PUBLIC_ENDPOINTS = {"reviews.team_feed", "reviews.person_feed"}


@bp.before_request
def _members_only():
    """Every page here needs a login, except the token-protected calendar feeds."""
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()


def _local(session_or_dt, team):
    moment = getattr(session_or_dt, "starts_at", session_or_dt)
    return moment.astimezone(ZoneInfo(team.timezone))


@bp.app_template_filter("team_time")
def team_time(moment, team, fmt="%a %-d %b %Y, %H:%M"):
    return _local(moment, team).strftime(fmt)


@bp.get("/teams/<int:team_id>/sessions")
def index(team_id):
    team = get_team_or_404(team_id)
    past = paginate(services.past_for_team(team), request.args.get("page", 1, type=int), 20)
    feed = services.feed_for(current_user, team)
    page = render_template(
        "reviews/index.html",
        team=team,
        upcoming=services.upcoming_for_team(team, limit=12),
        past=past,
        feed_url=external_url("reviews.team_feed", feed_token=feed.token),
        can_facilitate=team.can_facilitate(current_user),
    )
    db.session.commit()  # only writes when the feed was created just now
    return page


@bp.get("/teams/<int:team_id>/actions")
def team_actions(team_id):
    """Every open action of the team, a page at a time: what each session carries."""
    team = get_team_or_404(team_id)
    return render_template(
        "reviews/actions.html",
        team=team,
        page=services.team_open_actions_page(team, request.args.get("page", 1, type=int)),
        can_facilitate=team.can_facilitate(current_user),
    )


@bp.route("/teams/<int:team_id>/sessions/new", methods=["GET", "POST"])
def new(team_id):
    team = get_team_or_404(team_id, need="facilitate")
    form = ScheduleForm()
    if form.validate_on_submit():
        local_start = datetime.combine(form.start_on.data, form.start_time.data)
        try:
            series = services.schedule(
                team,
                current_user,
                title=form.title.data,
                location=form.location.data,
                local_start=local_start,
                duration_minutes=form.duration.data,
                rule_text=form.rule_text(),
                until=form.until.data,
            )
        except services.NonexistentTime as exc:
            form.start_time.errors.append(str(exc))
        except services.ScheduleError as exc:
            field = form.custom_rule if form.repeat.data == "custom" else form.repeat
            field.errors.append(str(exc))
        else:
            db.session.commit()
            count = len(series.sessions)
            flash(f"Scheduled {count} session{'s' if count != 1 else ''}.", "success")
            return redirect(url_for("reviews.detail", session_id=series.sessions[0].id))
    return render_template(
        "reviews/schedule.html", form=form, team=team
    ), 400 if form.errors else 200


def _agenda_form(session, *, blank=False):
    """The proposal form, with the team's cases, reflections and modules to link to."""
    return AgendaItemForm(
        **({"formdata": None} if blank else {}),
        team_id=session.team_id,
        library=current_app.extensions["content"].library,
    )


def _render_proposal(session, form, status=200):
    return render_template(
        "reviews/propose.html",
        session=session,
        team=session.team,
        form=form,
        questions=services.SYSTEM_QUESTIONS,
    ), status


def _render_session(session, *, notes_forms=None, action_forms=None, status=200):
    """The session page; a refused form is shown in place of its blank one."""
    # The owner picker sits in each item's action form: no items, no members to read.
    owners = member_choices(session.team) if session.items else ()
    notes_forms = notes_forms or {}
    action_forms = action_forms or {}
    for item in session.items:
        if item.id not in notes_forms:
            notes_forms[item.id] = NotesForm(
                formdata=None,
                prefix=f"item{item.id}",
                notes=item.notes,
                decisions=item.decisions,
                version=str(item.version),
            )
        if item.id not in action_forms:
            action_forms[item.id] = ActionForm(
                formdata=None, prefix=f"action{item.id}", owners=owners
            )
    carried, carried_total = services.carried_actions(session)
    return render_template(
        "reviews/detail.html",
        session=session,
        team=session.team,
        carried=carried,
        carried_total=carried_total,
        notes_forms=notes_forms,
        action_forms=action_forms,
        library=current_app.extensions["content"].library,
        can_facilitate=session.can_facilitate(current_user),
    ), status


@bp.get("/sessions/<int:session_id>")
def detail(session_id):
    return _render_session(get_session_or_404(session_id))


@bp.get("/sessions/<int:session_id>/agenda/new")
def proposal(session_id):
    """The form for raising an item, with the team's cases, reflections and modules.

    It has a page of its own: its pickers list every open case of the team, which
    the meeting page itself does not need to carry on every view.
    """
    session = get_session_or_404(session_id)
    return _render_proposal(session, _agenda_form(session, blank=True))


@bp.post("/sessions/<int:session_id>/agenda")
def propose(session_id):
    session = get_session_or_404(session_id)
    form = _agenda_form(session)
    if form.validate_on_submit():
        item = services.propose_item(
            session,
            current_user,
            kind=form.kind.data,
            title=form.title.data,
            timebox=form.timebox.data,
            **form.links,
        )
        db.session.commit()
        flash("Added to the agenda.", "success")
        return redirect(url_for("reviews.detail", session_id=session.id, _anchor=f"item-{item.id}"))
    return _render_proposal(session, form, status=400)


@bp.post("/sessions/<int:session_id>/agenda/<int:item_id>/move")
def move_item(session_id, item_id):
    session = get_session_or_404(session_id, need="facilitate")
    item = get_item_or_404(session, item_id)
    try:
        services.move_item(session, item, request.form.get("direction", ""))
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
    return redirect(url_for("reviews.detail", session_id=session.id, _anchor=f"item-{item.id}"))


@bp.post("/sessions/<int:session_id>/agenda/<int:item_id>/notes")
def save_notes(session_id, item_id):
    session = get_session_or_404(session_id)
    item = get_item_or_404(session, item_id)
    form = NotesForm(prefix=f"item{item.id}", touches_case=item.touches_case)
    if form.validate_on_submit():
        try:
            services.save_notes(
                item,
                notes=form.notes.data or "",
                decisions=form.decisions.data or "",
                version=int(form.version.data or 0),
            )
        except services.StaleEdit:
            db.session.rollback()
            form.form_errors.append(
                "Someone else saved notes on this item while you were writing. Their "
                "version is shown above; your text is kept below so you can merge it in."
            )
            # What the page shows is read afresh: the other person's notes.
            session = get_session_or_404(session_id)
            return _render_session(session, notes_forms={item.id: form}, status=409)
        db.session.commit()
        flash("Notes saved.", "success")
        return redirect(url_for("reviews.detail", session_id=session.id, _anchor=f"item-{item.id}"))
    return _render_session(session, notes_forms={item.id: form}, status=400)


@bp.post("/sessions/<int:session_id>/agenda/<int:item_id>/actions")
def add_action(session_id, item_id):
    session = get_session_or_404(session_id)
    item = get_item_or_404(session, item_id)
    form = ActionForm(prefix=f"action{item.id}", owners=member_choices(session.team))
    if form.validate_on_submit():
        owner = db.session.get(User, form.owner_id.data)
        services.add_action(
            session,
            current_user,
            description=form.description.data,
            owner=owner,
            due_on=form.due_on.data,
            item=item,
        )
        db.session.commit()
        flash(f"Action added for {owner.display_name}.", "success")
        return redirect(url_for("reviews.detail", session_id=session.id, _anchor=f"item-{item.id}"))
    return _render_session(session, action_forms={item.id: form}, status=400)


@bp.post("/actions/<int:action_id>/done")
def action_done(action_id):
    action = get_action_or_404(action_id)
    form = DoneForm()
    if not form.validate_on_submit():
        flash(next(iter(form.note.errors), "The note could not be saved."), "error")
    else:
        try:
            action.mark_done(form.note.data)
        except ValueError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Action marked done.", "success")
    target = request.form.get("next", "")
    return redirect(target if is_safe_next(target) else url_for("dashboard.home"))


@bp.post("/sessions/<int:session_id>/cancel")
def cancel(session_id):
    session = get_session_or_404(session_id, need="facilitate")
    try:
        session.cancel()
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        audit.record("review.cancelled", session)
        db.session.commit()
        flash("This session is cancelled; the rest of the series is unchanged.", "success")
    return redirect(url_for("reviews.detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/move", methods=["GET", "POST"])
def move(session_id):
    session = get_session_or_404(session_id, need="facilitate")
    local = _local(session, session.team)
    form = MoveForm(
        start_on=local.date(), start_time=local.time(), duration=session.duration_minutes
    )
    if form.validate_on_submit():
        start = datetime.combine(form.start_on.data, form.start_time.data)
        try:
            session.move(services.local_to_utc(start, session.team.timezone), form.duration.data)
        except services.NonexistentTime as exc:
            form.start_time.errors.append(str(exc))
        except ValueError as exc:
            form.form_errors.append(str(exc))
        else:
            audit.record("review.moved", session)
            db.session.commit()
            flash("Session moved; the rest of the series is unchanged.", "success")
            return redirect(url_for("reviews.detail", session_id=session.id))
    return render_template(
        "reviews/move.html", form=form, session=session, team=session.team
    ), 400 if form.errors else 200


@bp.post("/series/<int:series_id>/end")
def end_series(series_id):
    series = get_series_or_404(series_id)
    removed = services.end_series(series, current_user, utcnow())
    db.session.commit()
    flash(
        f"Series ended: {removed} future session{'s' if removed != 1 else ''} removed.", "success"
    )
    return redirect(url_for("reviews.index", team_id=series.team_id))


@bp.get("/sessions/<int:session_id>/summary")
def summary(session_id):
    session = get_session_or_404(session_id)
    return render_template("reviews/summary.html", session=session, team=session.team)


@bp.post("/teams/<int:team_id>/calendar/reset")
def reset_team_feed(team_id):
    team = get_team_or_404(team_id)
    services.feed_for(current_user, team).reset()
    audit.record("calendar.team_token_reset", team)
    db.session.commit()
    flash("Your calendar address for the team has changed; the old one no longer works.", "success")
    return redirect(url_for("reviews.index", team_id=team.id))


@bp.post("/account/calendar/reset")
def reset_person_feed():
    services.feed_for(current_user).reset()
    audit.record("calendar.personal_token_reset", current_user._get_current_object())
    db.session.commit()
    flash("Your calendar address has changed; the old one no longer works.", "success")
    return redirect(url_for("account.account"))


def _ics(body, name):
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'inline; filename="{name}.ics"'},
    )


@bp.get("/calendar/team/<feed_token>.ics")
def team_feed(feed_token):
    team = get_team_of_feed_or_404(feed_token)
    return _ics(services.calendar_feed({team.id}, f"{team.name} review sessions"), "team")


@bp.get("/calendar/me/<feed_token>.ics")
def person_feed(feed_token):
    user = get_person_of_feed_or_404(feed_token)
    return _ics(services.calendar_feed(user.team_ids(), "My review sessions"), "sessions")
