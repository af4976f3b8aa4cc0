"""Taking a self-check, the personal profile, results, sharing, and the team's picture."""

from functools import cache
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from learning_hub.access import get_team_or_404, teams_for
from learning_hub.content import PRINCIPLES
from learning_hub.core import audit, markdown
from learning_hub.core.extensions import db
from learning_hub.selfchecks import services
from learning_hub.selfchecks.access import get_selfcheck_or_404
from learning_hub.selfchecks.forms import (
    CadenceForm,
    ShareForm,
    item_field_name,
    make_selfcheck_form,
    note_field_name,
)
from learning_hub.selfchecks.profile import personal_profile

bp = Blueprint("selfchecks", __name__, template_folder="templates")


@bp.before_request
@login_required
def _members_only():
    """Every page here belongs to a logged-in person."""


def library():
    return current_app.extensions["content"].library


def current_instrument():
    instrument = library().instrument
    if instrument is None:
        abort(404)
    return instrument


@bp.get("/selfcheck")
def profile():
    instrument = current_instrument()
    history = services.checks_page(current_user, request.args.get("page", 1, type=int))
    return render_template(
        "selfchecks/profile.html",
        instrument=instrument,
        draft=services.draft_summary(current_user),
        profile=personal_profile(current_user, library()),
        history=history,
        principles=PRINCIPLES,
        teams=teams_for(current_user),
    )


@bp.route("/selfcheck/take", methods=["GET", "POST"])
def take():
    instrument = current_instrument()
    draft = services.current_draft(current_user)
    if draft is not None and draft.instrument_version != instrument.version:
        # The instrument changed since the draft began: carry over what still applies.
        draft.instrument_slug, draft.instrument_version = instrument.slug, instrument.version
        draft.answers[:] = [a for a in draft.answers if instrument.item(a.item_id)]
        db.session.commit()
        flash(
            f"The self-check has been updated since you started. {len(draft.answers)} earlier "
            "answers were carried over where the statements are unchanged.",
            "info",
        )
    prefill = {}
    if draft is not None and request.method == "GET":
        for item in instrument.items:
            rating = draft.ratings().get(item.id)
            prefill[item_field_name(item)] = str(rating) if rating is not None else None
        for section in instrument.sections:
            prefill[note_field_name(section)] = draft.notes.get(section.key, "")
    form = make_selfcheck_form(
        instrument, data=prefill or None, instrument_version=str(instrument.version)
    )
    if request.method == "POST":
        # Read the posted value itself: the form's default would stand in for a missing one.
        if request.form.get("instrument_version") != str(instrument.version):
            form.form_errors.append(
                "This self-check was updated while you were answering. Your answers are "
                "shown again against the current statements; check them and save again."
            )
            form.instrument_version.data = str(instrument.version)
            return render_template(
                "selfchecks/take.html", form=form, instrument=instrument, draft=draft
            ), 400
        if form.validate():
            submit = request.form.get("action") == "submit"
            try:
                check = services.save_answers(
                    current_user,
                    instrument,
                    form.ratings(),
                    form.notes(),
                    submit=submit,
                    check=draft,
                )
            except services.IncompleteCheck as exc:
                for item_id in exc.missing:
                    form[item_field_name(instrument.item(item_id))].errors = [
                        "Choose a rating for this statement"
                    ]
                form.form_errors.append(
                    f"{len(exc.missing)} statements still need a rating. Rate them, or choose "
                    "'Save and finish later' to come back to them."
                )
                db.session.rollback()
            else:
                db.session.commit()
                if submit:
                    flash("Self-check saved. It is private to you unless you share it.", "success")
                    return redirect(url_for("selfchecks.result", check_id=check.id))
                flash("Your answers are saved. Come back to finish whenever suits you.", "success")
                return redirect(url_for("selfchecks.profile"))
        return render_template(
            "selfchecks/take.html", form=form, instrument=instrument, draft=draft
        ), 400
    return render_template("selfchecks/take.html", form=form, instrument=instrument, draft=draft)


@bp.post("/selfcheck/draft/discard")
def discard_draft():
    draft = services.current_draft(current_user)
    if draft is None:
        abort(404)
    db.session.delete(draft)
    db.session.commit()
    flash("The unfinished self-check was discarded.", "success")
    return redirect(url_for("selfchecks.profile"))


@bp.get("/selfcheck/<int:check_id>")
def result(check_id):
    check = get_selfcheck_or_404(check_id)
    if not check.is_submitted:
        return redirect(url_for("selfchecks.take"))
    if check.user_id != current_user.id:
        audit.record_now(
            "selfcheck.viewed_shared", check, detail=f"team={check.active_share().team_id}"
        )
    instrument = library().instrument_version(check.instrument_slug, check.instrument_version)
    return render_template(
        "selfchecks/result.html",
        check=check,
        instrument=instrument,
        scores=check.principle_scores(),
        ratings=check.ratings(),
        principles=PRINCIPLES,
        share_form=ShareForm(teams=teams_for(current_user), formdata=None),
    )


@bp.post("/selfcheck/<int:check_id>/share")
def share(check_id):
    check = get_selfcheck_or_404(check_id, need="edit")
    form = ShareForm(teams=teams_for(current_user))
    if not form.validate_on_submit():
        flash(" ".join(form.team_id.errors) or "Choose one of your teams", "error")
        return redirect(url_for("selfchecks.result", check_id=check.id))
    try:
        services.share_with_team(check, form.team, current_user)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(
            f"Shared with the facilitators of {form.team.name}. You can withdraw it at any "
            "time; each time they open it, it is logged.",
            "success",
        )
    return redirect(url_for("selfchecks.result", check_id=check.id))


@bp.post("/selfcheck/<int:check_id>/unshare")
def unshare(check_id):
    check = get_selfcheck_or_404(check_id, need="edit")
    try:
        services.withdraw_share(check, current_user)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash("No longer shared: only you can see this result.", "success")
    return redirect(url_for("selfchecks.result", check_id=check.id))


@bp.post("/teams/<int:team_id>/fidelity/cadence")
def set_cadence(team_id):
    team = get_team_or_404(team_id, need="facilitate")
    form = CadenceForm()
    if not form.validate_on_submit():
        flash("Choose one of the listed reminder intervals.", "error")
        return redirect(url_for("dashboard.team_drift", team_id=team.id))
    team.selfcheck_cadence_weeks = form.weeks.data or None
    audit.record("team.selfcheck_cadence", team, detail=f"weeks={form.weeks.data}")
    db.session.commit()
    flash("Reminder cadence saved." if form.weeks.data else "Reminders switched off.", "success")
    return redirect(url_for("dashboard.team_drift", team_id=team.id))


@bp.get("/selfcheck/how-drift-works")
def drift_rule():
    return render_template("selfchecks/drift_rule.html", html=drift_rule_html())


_DRIFT_DOC = Path(__file__).resolve().parents[2] / "docs" / "drift.md"


@cache
def drift_rule_html():
    """docs/drift.md through the Markdown pipeline, rendered once per process."""
    return markdown.render(_DRIFT_DOC.read_text(encoding="utf-8"))
