"""Module library, module pages, reflections, shared reflections and My learning."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from learning_hub.access import get_team_or_404, teams_for
from learning_hub.content import PRINCIPLES
from learning_hub.core.extensions import db
from learning_hub.core.pagination import last_responses_page, paginate, responses_page
from learning_hub.modules import services
from learning_hub.modules.access import get_goal_or_404, get_reflection_or_404
from learning_hub.modules.forms import (
    EditReflectionForm,
    GoalForm,
    ReflectionForm,
    ResponseForm,
    SharingForm,
)
from learning_hub.modules.models import ReflectionResponse

bp = Blueprint("modules", __name__, template_folder="templates")


def library():
    return current_app.extensions["content"].library


def get_module_or_404(slug):
    module = library().get(slug)
    if module is None:
        abort(404)
    return module


@bp.before_request
@login_required
def _members_only():
    """Every page here belongs to a logged-in person."""


@bp.get("/modules")
def index():
    principle = request.args.get("principle", "")
    if principle and principle not in PRINCIPLES:
        principle = ""
    words = request.args.get("q", "").strip()[:100]
    lib = library()
    statuses = services.module_statuses(current_user, lib)
    return render_template(
        "modules/index.html",
        modules=lib.search(words, principle),
        total=len(lib),
        statuses=statuses,
        principles=PRINCIPLES,
        principle=principle,
        words=words,
    )


def _render_module(module, forms=None, status=200):
    teams = teams_for(current_user)
    reflections, totals = services.my_reflections_on(current_user, module)
    by_prompt = {}
    for reflection in reflections:
        by_prompt.setdefault(reflection.prompt_id, []).append(reflection)
    forms = forms or {}
    for prompt in module.prompts:
        if prompt.id not in forms:
            forms[prompt.id] = ReflectionForm(formdata=None, prefix=prompt.id, teams=teams)
    earlier = [r for r in reflections if r.module_version != module.version]
    written_earlier = sum(n for (version, _), n in totals.items() if version != module.version)
    return render_template(
        "modules/detail.html",
        module=module,
        forms=forms,
        by_prompt=by_prompt,
        totals=totals,
        status=services.module_status(current_user, module, reflections),
        earlier_versions=earlier,
        more_earlier=written_earlier > len(earlier),
        principles=PRINCIPLES,
    ), status


@bp.get("/modules/<slug>")
def detail(slug):
    return _render_module(get_module_or_404(slug))


@bp.post("/modules/<slug>/prompts/<prompt_id>")
def reflect(slug, prompt_id):
    module = get_module_or_404(slug)
    prompt = module.prompt(prompt_id)
    if prompt is None:
        abort(404)
    form = ReflectionForm(teams=teams_for(current_user), prefix=prompt.id)
    if not form.validate_on_submit():
        return _render_module(module, forms={prompt.id: form}, status=400)
    reflection = services.write_reflection(
        current_user, module, prompt, form.body.data, form.share_team
    )
    # Read what the answer needs before committing: afterwards every object is
    # expired, and each attribute read would be another SELECT.
    where = f"shared with {form.share_team.name}" if form.share_team else "kept private"
    target = url_for("modules.detail", slug=module.slug, _anchor=f"reflection-{reflection.id}")
    db.session.commit()
    flash(f"Reflection saved and {where}.", "success")
    return redirect(target)


@bp.get("/reflections/<int:reflection_id>")
def reflection(reflection_id):
    reflection = get_reflection_or_404(reflection_id)
    return _render_reflection(reflection)


def _render_reflection(reflection, response_form=None, sharing_form=None, status=200):
    page = request.args.get("page", 1, type=int)
    responses = responses_page(ReflectionResponse, reflection.id, page)
    return render_template(
        "modules/reflection.html",
        reflection=reflection,
        responses=responses,
        module=library().get(reflection.module_slug),
        response_form=response_form or ResponseForm(formdata=None),
        sharing_form=sharing_form
        or SharingForm(
            teams=teams_for(current_user),
            formdata=None,
            share_team_id=reflection.shared_team_id or 0,
        ),
    ), status


@bp.route("/reflections/<int:reflection_id>/edit", methods=["GET", "POST"])
def edit_reflection(reflection_id):
    reflection = get_reflection_or_404(reflection_id, need="edit")
    form = EditReflectionForm(obj=reflection)
    if form.validate_on_submit():
        changed = services.edit_reflection(reflection, form.body.data)
        db.session.commit()
        flash(
            "Reflection updated; the earlier text is kept in its history."
            if changed
            else "Nothing changed.",
            "success",
        )
        return redirect(url_for("modules.reflection", reflection_id=reflection.id))
    status = 400 if form.errors else 200
    return render_template("modules/edit_reflection.html", form=form, reflection=reflection), status


@bp.post("/reflections/<int:reflection_id>/sharing")
def share_reflection(reflection_id):
    reflection = get_reflection_or_404(reflection_id, need="edit")
    form = SharingForm(teams=teams_for(current_user))
    if not form.validate_on_submit():
        return _render_reflection(reflection, sharing_form=form, status=400)
    services.set_sharing(reflection, form.share_team)
    db.session.commit()
    flash(
        f"Now shared with {form.share_team.name}."
        if form.share_team
        else "Now private: only you can read it.",
        "success",
    )
    return redirect(url_for("modules.reflection", reflection_id=reflection.id))


@bp.post("/reflections/<int:reflection_id>/delete")
def delete_reflection(reflection_id):
    reflection = get_reflection_or_404(reflection_id, need="edit")
    slug = reflection.module_slug
    services.delete_reflection(reflection, library())
    db.session.commit()
    flash("Reflection deleted, with its history and any responses.", "success")
    if library().get(slug):
        return redirect(url_for("modules.detail", slug=slug))
    return redirect(url_for("modules.learning"))


@bp.post("/reflections/<int:reflection_id>/responses")
def respond(reflection_id):
    reflection = get_reflection_or_404(reflection_id)
    if not reflection.can_respond(current_user):
        abort(403)
    form = ResponseForm()
    if not form.validate_on_submit():
        return _render_reflection(reflection, response_form=form, status=400)
    response = services.respond(reflection, current_user, form.body.data)
    db.session.commit()
    flash("Response added.", "success")
    return redirect(
        url_for(
            "modules.reflection",
            reflection_id=reflection.id,
            page=last_responses_page(ReflectionResponse, reflection.id),
            _anchor=f"response-{response.id}",
        )
    )


@bp.get("/teams/<int:team_id>/reflections")
def team_reflections(team_id):
    team = get_team_or_404(team_id)
    page = paginate(services.shared_with_team(team), request.args.get("page", 1, type=int), 20)
    return render_template(
        "modules/team_reflections.html",
        team=team,
        page=page,
        library=library(),
        goals=services.goals_shared_with(team),
    )


@bp.get("/learning")
def learning():
    lib = library()
    statuses = services.module_statuses(current_user, lib)
    module = lib.get(request.args.get("module", ""))
    page = services.my_reflections_page(
        current_user, request.args.get("page", 1, type=int), module.slug if module else None
    )
    return render_template(
        "modules/learning.html",
        module_filter=module,
        goals=services.goals_of(current_user),
        page=page,
        library=lib,
        statuses=statuses,
        suggestions=services.revisit_suggestions(current_user, lib, statuses=statuses),
        principles=PRINCIPLES,
    )


def _goal_form(goal=None):
    return GoalForm(
        obj=goal,
        teams=teams_for(current_user),
        library=library(),
        is_new=goal is None,
        share_team_id=(goal.shared_team_id or 0) if goal else 0,
    )


def _goal_page(goal=None):
    """Set a new goal or edit one: the same form, the same refusals."""
    form = _goal_form(goal)
    if goal is None and request.method == "GET":
        form.module_slugs.data = [s for s in request.args.getlist("module") if library().get(s)]
    if form.validate_on_submit():
        services.save_goal(
            current_user,
            goal,
            description=form.description.data,
            principles=form.principles.data,
            module_slugs=form.module_slugs.data,
            target_on=form.target_on.data,
            share_team=form.share_team,
        )
        db.session.commit()
        flash("Learning goal updated." if goal else "Learning goal saved.", "success")
        return redirect(url_for("modules.learning"))
    status = 400 if form.errors else 200
    return render_template("modules/goal_form.html", form=form, goal=goal), status


@bp.route("/learning/goals/new", methods=["GET", "POST"])
def new_goal():
    return _goal_page()


@bp.route("/learning/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(goal_id):
    return _goal_page(get_goal_or_404(goal_id, need="edit"))


@bp.post("/learning/goals/<int:goal_id>/status")
def goal_status(goal_id):
    goal = get_goal_or_404(goal_id, need="edit")
    try:
        goal.set_status(request.form.get("status", ""))
    except ValueError as exc:
        message = str(exc) if "already" in str(exc) else "Choose one of the listed statuses"
        flash(message, "error")
        return redirect(url_for("modules.learning"))
    db.session.commit()
    flash(f"Goal marked '{goal.status.label}'.", "success")
    return redirect(url_for("modules.learning"))


@bp.post("/learning/goals/<int:goal_id>/delete")
def delete_goal(goal_id):
    goal = get_goal_or_404(goal_id, need="edit")
    db.session.delete(goal)
    db.session.commit()
    flash("Learning goal deleted.", "success")
    return redirect(url_for("modules.learning"))
