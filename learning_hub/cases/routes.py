"""Case pages: list, create, timeline, triggers, plan, peer reflections, export, insights."""

import json
from dataclasses import dataclass
from datetime import date

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
from flask_login import current_user, login_required
from markupsafe import Markup

from learning_hub.access import get_team_or_404, role_required
from learning_hub.cases import services
from learning_hub.cases.access import (
    CASE_PAGE,
    get_case_or_404,
    get_case_reflection_or_404,
)
from learning_hub.cases.forms import (
    CaseForm,
    CaseReflectionForm,
    CaseResponseForm,
    EntryForm,
    PatternForm,
    PlanForm,
    TriggerForm,
)
from learning_hub.cases.guard import highlight
from learning_hub.cases.models import Case, CaseResponse, Pattern
from learning_hub.cases.timeline import timeline_svg
from learning_hub.core import audit
from learning_hub.core.disclosure import HIDDEN, WHY_HIDDEN
from learning_hub.core.extensions import cache, db
from learning_hub.core.pagination import Page, last_responses_page, responses_page

bp = Blueprint("cases", __name__, template_folder="templates")


@bp.before_request
@login_required
def _members_only():
    """Every page here belongs to a logged-in member of the case's team."""


@bp.app_template_filter("guard_highlight")
def guard_highlight(field):
    """The field's text with the guard's findings marked (a page refused for identifiers)."""
    return highlight(field.data or "", getattr(field, "findings", []))


@bp.get("/teams/<int:team_id>/cases")
def index(team_id):
    team = get_team_or_404(team_id)
    status = request.args.get("status", "open")
    pattern = request.args.get("pattern", "")
    if pattern not in {p.value for p in Pattern}:
        pattern = ""
    page = services.team_cases_page(
        team, request.args.get("page", 1, type=int), status=status, pattern=pattern
    )
    return render_template(
        "cases/index.html",
        team=team,
        page=page,
        status=status,
        pattern=pattern,
        patterns=list(Pattern),
    )


@bp.route("/teams/<int:team_id>/cases/new", methods=["GET", "POST"])
def new(team_id):
    team = get_team_or_404(team_id)
    form = CaseForm()
    if form.validate_on_submit():
        # The team comes from the URL the viewer may use, never from the form.
        case = services.create_case(
            team,
            current_user,
            gender=form.gender.data,
            age_band=form.age_band.data,
            context=form.context.data,
        )
        db.session.commit()
        flash(f"Case {case.code} opened. Record the first contact below.", "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template(
        "cases/case_form.html", form=form, team=team, case=None
    ), 400 if form.errors else 200


REFLECTIONS_PER_PAGE = 10
ENTRIES_PER_PAGE = 25  # newest first; the chart above shows them all


@dataclass(frozen=True)
class TimelineView:
    """The case page's timeline and triggers, as plain values (HTML and dates)."""

    entries_html: Markup
    triggers_html: Markup
    ongoing_since: date | None
    suggested: str | None


def timeline_view(case, page, today):
    """The timeline and triggers of ``case`` on ``today``, page ``page`` of its entries.

    Cached on the case's version: every new entry or trigger moves the case's
    ``updated_at`` in the same transaction (``models._touch_case``), so
    ``(case.id, case.updated_at)``, the page and the day hold everything it shows.
    """
    return _timeline_view((case.id, case.updated_at), page, today)


@cache.memoize()
def _timeline_view(version, page, today):
    case_id = version[0]
    entries, triggers, spells, suggested = services.timeline_rows(case_id, today)
    macros = current_app.jinja_env.get_template("cases/_timeline.html").module
    newest_first = Page.of_list(entries[::-1], page, ENTRIES_PER_PAGE)
    return TimelineView(
        entries_html=macros.entries_section(
            case_id, newest_first, spells, timeline_svg(entries, spells, today), today
        ),
        triggers_html=macros.triggers_section(triggers),
        ongoing_since=spells[-1].start if spells and spells[-1].is_ongoing else None,
        suggested=suggested,
    )


def _render_detail(case, *, entry_form=None, trigger_form=None, status=200):
    """The case page; a refused form is shown in place of its blank one."""
    entries_page = request.args.get("entries_page", 1, type=int)
    page = request.args.get("page", 1, type=int)
    reflections = services.case_reflections_page(case, page, REFLECTIONS_PER_PAGE)
    return render_template(
        "cases/detail.html",
        case=case,
        team=case.team,
        timeline=timeline_view(case, entries_page, date.today()),
        reflections=reflections,
        entry_form=entry_form or EntryForm(formdata=None),
        trigger_form=trigger_form or TriggerForm(formdata=None),
        pattern_form=PatternForm(formdata=None, pattern=case.pattern_confirmed or ""),
        history=services.recent_access(case),
    ), status


@bp.get("/cases/<int:case_id>")
def detail(case_id):
    page = _render_detail(get_case_or_404(case_id, statement=CASE_PAGE))
    audit.record_now(
        "case.viewed", object_type=Case.__tablename__, object_id=case_id, durable=False
    )
    return page


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id):
    case = get_case_or_404(case_id, need="edit")
    form = CaseForm(obj=case, gender=case.gender.value, age_band=case.age_band or "")
    if form.validate_on_submit():
        services.update_case(
            case,
            current_user,
            gender=form.gender.data,
            age_band=form.age_band.data,
            context=form.context.data,
        )
        db.session.commit()
        flash("Case details saved.", "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template(
        "cases/case_form.html", form=form, team=case.team, case=case
    ), 400 if form.errors else 200


@bp.post("/cases/<int:case_id>/entries")
def add_entry(case_id):
    case = get_case_or_404(case_id, need="edit")
    form = EntryForm()
    if not form.validate_on_submit():
        return _render_detail(case, entry_form=form, status=400)
    services.record_entry(
        case,
        current_user,
        occurred_on=form.occurred_on.data,
        method=form.method.data,
        initiated_by=form.initiated_by.data,
        outcome=form.outcome.data,
        note=form.note.data or "",
    )
    db.session.commit()
    flash("Added to the timeline.", "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="timeline"))


@bp.post("/cases/<int:case_id>/pattern")
def confirm_pattern(case_id):
    case = get_case_or_404(case_id, need="edit")
    form = PatternForm()
    if not form.validate_on_submit():
        flash("Choose one of the listed patterns.", "error")
    else:
        services.confirm_pattern(case, current_user, form.pattern.data)
        db.session.commit()
        flash("Pattern saved.", "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="pattern"))


@bp.post("/cases/<int:case_id>/triggers")
def add_trigger(case_id):
    case = get_case_or_404(case_id, need="edit")
    form = TriggerForm()
    if not form.validate_on_submit():
        return _render_detail(case, trigger_form=form, status=400)
    services.add_trigger(case, current_user, kind=form.kind.data, description=form.description.data)
    db.session.commit()
    flash("Trigger added.", "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="triggers"))


@bp.route("/cases/<int:case_id>/plan", methods=["GET", "POST"])
def plan(case_id):
    case = get_case_or_404(case_id, need="edit" if request.method == "POST" else "view")
    existing = case.plan
    form = PlanForm(obj=existing)
    if request.method == "GET" and existing is not None:
        form.made_with_person.data = "yes" if existing.made_with_person else "no"
    if form.validate_on_submit():
        services.save_plan(
            case,
            current_user,
            made_with_person=form.made_with_person.data == "yes",
            preferred_times=form.preferred_times.data or "",
            preferred_methods=form.preferred_methods.data or [],
            others_may_contact=form.others_may_contact.data or "",
            during_disengagement=form.during_disengagement.data or "",
            reminders=form.reminders.data or "",
            agreed_on=form.agreed_on.data,
            review_on=form.review_on.data,
        )
        db.session.commit()
        flash("Engagement plan saved.", "success")
        return redirect(url_for("cases.plan", case_id=case.id))
    editing = request.method == "POST" or request.args.get("edit") or existing is None
    return render_template(
        "cases/plan.html",
        case=case,
        plan=existing,
        form=form,
        editing=bool(editing) and not case.is_closed,
        today=date.today(),
    ), 400 if form.errors else 200


@bp.route("/cases/<int:case_id>/reflections/new", methods=["GET", "POST"])
def new_reflection(case_id):
    case = get_case_or_404(case_id)
    form = CaseReflectionForm()
    if form.validate_on_submit():
        reflection = services.write_reflection(
            case,
            current_user,
            identify=form.identify.data,
            analyse=form.analyse.data,
            plan=form.plan.data,
            feelings=form.feelings.data or [],
            other_feeling=form.other_feeling.data,
        )
        db.session.commit()
        flash("Reflection shared with your team.", "success")
        return redirect(
            url_for("cases.detail", case_id=case.id, _anchor=f"reflection-{reflection.id}")
        )
    return render_template(
        "cases/reflection_form.html", case=case, form=form
    ), 400 if form.errors else 200


@bp.route("/cases/<int:case_id>/reflections/<int:case_reflection_id>", methods=["GET", "POST"])
def reflection(case_id, case_reflection_id):
    case = get_case_or_404(case_id)
    item = get_case_reflection_or_404(case, case_reflection_id)
    form = CaseResponseForm()
    if form.validate_on_submit():
        response = services.respond(item, current_user, form.body.data)
        db.session.commit()
        flash("Response added; the author will see it on their home page.", "success")
        return redirect(
            url_for(
                "cases.reflection",
                case_id=case.id,
                case_reflection_id=item.id,
                page=last_responses_page(CaseResponse, item.id),
                _anchor=f"response-{response.id}",
            )
        )
    responses = responses_page(CaseResponse, item.id, request.args.get("page", 1, type=int))
    return render_template(
        "cases/reflection.html", case=case, reflection=item, form=form, responses=responses
    ), 400 if form.errors else 200


def _change_state(case_id, change, action, message):
    """Close or reopen: the model refuses a change that is already made."""
    case = get_case_or_404(case_id)
    try:
        change(case)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        audit.record(action, case)
        db.session.commit()
        flash(message.format(code=case.code), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.post("/cases/<int:case_id>/close")
def close(case_id):
    return _change_state(
        case_id,
        Case.close,
        "case.closed",
        "Case {code} closed. It stays readable and can be reopened.",
    )


@bp.post("/cases/<int:case_id>/reopen")
def reopen(case_id):
    return _change_state(case_id, Case.reopen, "case.reopened", "Case {code} reopened.")


@bp.get("/cases/<int:case_id>/export")
def export(case_id):
    case = get_case_or_404(case_id)
    audit.record_now("case.exported", case)
    body = json.dumps(services.export_case(case), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="case-{case.code}.json"'},
    )


@bp.get("/cases/<int:case_id>/access")
def access(case_id):
    case = get_case_or_404(case_id)
    page = services.access_history_page(case, request.args.get("page", 1, type=int))
    return render_template("cases/access.html", case=case, page=page)


@bp.get("/teams/<int:team_id>/insights")
def insights(team_id):
    team = get_team_or_404(team_id)
    insights = services.team_insights(team)
    shares = insights.method_shares
    methods_chart = {
        "type": "bar",
        "yMax": 100,
        "yStep": 20,
        "labels": [method.label for method, _ in shares],
        "datasets": [
            {
                "label": "Share of entries that reached the person (%)",
                "data": [round(100 * share) for _, share in shares],
            }
        ],
    }
    return render_template(
        "cases/insights.html",
        team=team,
        insights=insights,
        methods_chart=methods_chart,
        min_group=current_app.config["MIN_GROUP_SIZE"],
        hidden_text=HIDDEN,
        why_hidden=WHY_HIDDEN,
    )


@bp.get("/insights/engagement")
@role_required("leader")
def engagement_insights():
    return render_template(
        "cases/engagement_insights.html",
        insights=services.engagement_insights(),
        min_group=current_app.config["MIN_GROUP_SIZE"],
        min_spread=max(services.MIN_SPREAD_CASES, current_app.config["MIN_GROUP_SIZE"]),
        hidden_text=HIDDEN,
        why_hidden=WHY_HIDDEN,
    )
