"""Admin pages: people, invitations, teams and memberships, and the audit log."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning_hub.access import role_required, team_members
from learning_hub.admin import services
from learning_hub.admin.forms import EraseForm, InviteForm, MembershipForm, RoleForm, TeamForm
from learning_hub.auth import services as auth_services
from learning_hub.auth.models import Membership, Team, User
from learning_hub.auth.sessions import fresh_login_required
from learning_hub.cases import services as case_services
from learning_hub.cases.forms import PurgeForm
from learning_hub.cases.models import Case
from learning_hub.content import RELOAD_ACTION, ContentError
from learning_hub.core import audit, mail
from learning_hub.core.extensions import db
from learning_hub.core.pagination import paginate
from learning_hub.core.urls import external_url
from learning_hub.privacy import erasure

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every page here is for admins; the decorator answers everyone else."""


def _get_or_404(model, object_id):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _status(form):
    return 400 if request.method == "POST" and form.errors else 200


@bp.get("/")
def people():
    query = request.args.get("q", "").strip()
    stmt = db.select(User).order_by(User.display_name)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(
            db.or_(db.func.lower(User.display_name).like(like), User.email.like(like))
        )
    page = paginate(stmt, request.args.get("page", 1, type=int), 50)
    return render_template("admin/people.html", page=page, query=query)


@bp.route("/people/invite", methods=["GET", "POST"])
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        team = db.session.get(Team, form.team_id.data) if form.team_id.data else None
        user, token = auth_services.invite_person(
            email=form.email.data,
            display_name=form.display_name.data,
            role=form.role.data,
            team=team,
            team_role=form.team_role.data,
            invited_by=current_user,
        )
        db.session.commit()
        _announce_invitation(user, token)
        return redirect(url_for("admin.person", user_id=user.id))
    return render_template("admin/invite.html", form=form), _status(form)


def _announce_invitation(user, token):
    link = external_url("auth.accept_invitation", token=token)
    sent = mail.send(
        user.email,
        "Your Learning Hub invitation",
        f"Hello {user.display_name},\n\nYou have been invited to Learning Hub. "
        f"Set your password here (the link works once):\n\n{link}\n",
    )
    note = " It has also been emailed to them." if sent else ""
    flash(
        f"Invitation link for {user.display_name} (copy it now, it is shown once): {link}.{note}",
        "invitation",
    )


@bp.get("/people/<int:user_id>")
def person(user_id):
    user = _get_or_404(User, user_id)
    memberships = db.session.scalars(
        db.select(Membership)
        .where(Membership.user_id == user.id)
        .options(db.joinedload(Membership.team))
    ).all()
    return render_template(
        "admin/person.html", user=user, memberships=memberships, role_form=RoleForm(role=user.role)
    )


@bp.post("/people/<int:user_id>/invitation")
def reissue_invitation(user_id):
    user = _get_or_404(User, user_id)
    if user.is_erased:
        flash("This account was erased; it cannot be used again.", "error")
        return redirect(url_for("admin.person", user_id=user.id))
    if not user.is_active:
        flash("Reactivate the account before sending a new invitation.", "error")
        return redirect(url_for("admin.person", user_id=user.id))
    try:
        token = auth_services.issue_invitation(user, current_user)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.person", user_id=user.id))
    audit.record("user.invitation_reissued", user, actor=current_user)
    db.session.commit()
    _announce_invitation(user, token)
    return redirect(url_for("admin.person", user_id=user.id))


def _set_active(user_id, change, message):
    user = _get_or_404(User, user_id)
    if user.is_erased:
        flash("This account was erased; it cannot be used again.", "error")
        return redirect(url_for("admin.person", user_id=user.id))
    if user.id == current_user.id:
        flash("You cannot change your own account's status.", "error")
        return redirect(url_for("admin.person", user_id=user.id))
    try:
        change(user, current_user)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(message.format(name=user.display_name), "success")
    return redirect(url_for("admin.person", user_id=user.id))


def _back_to_person(user_id):
    return url_for("admin.person", user_id=user_id)


@bp.post("/people/<int:user_id>/deactivate")
@fresh_login_required(back=_back_to_person)
def deactivate(user_id):
    return _set_active(
        user_id,
        services.deactivate,
        "{name} is deactivated and has been logged out everywhere.",
    )


@bp.post("/people/<int:user_id>/reactivate")
def reactivate(user_id):
    return _set_active(user_id, services.reactivate, "{name} can log in again.")


@bp.post("/people/<int:user_id>/role")
@fresh_login_required(back=_back_to_person)
def change_role(user_id):
    user = _get_or_404(User, user_id)
    if user.is_erased:
        flash("This account was erased; it cannot be used again.", "error")
        return redirect(url_for("admin.person", user_id=user.id))
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.change_role(user, form.role.data, current_user)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{user.display_name} is now {user.role.label}.", "success")
    return redirect(url_for("admin.person", user_id=user.id))


@bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
@fresh_login_required(
    back=lambda user_id: url_for("admin.erase_person", user_id=user_id), methods=("POST",)
)
def erase_person(user_id):
    """Erase a departed person: private material deleted, team contributions kept unnamed."""
    user = _get_or_404(User, user_id)
    refusal = None
    if user.is_erased:
        refusal = "This person has already been erased; there is nothing more to remove."
    elif user.id == current_user.id:
        refusal = "You cannot erase your own account; ask another admin."
    form = EraseForm(person=user)
    if request.method == "POST" and refusal:
        flash(refusal, "error")
        return redirect(url_for("admin.person", user_id=user.id))
    if refusal is None and form.validate_on_submit():
        erasure.erase_person(user, current_user)
        db.session.commit()
        flash(
            "Their private material has been deleted and the account anonymised. What they "
            "contributed to their teams now shows as written by a former member.",
            "success",
        )
        return redirect(url_for("admin.person", user_id=user.id))
    return render_template(
        "admin/erase.html",
        user=user,
        form=form,
        refusal=refusal,
        preview=None if refusal else erasure.erasure_preview(user),
    ), _status(form)


@bp.get("/teams")
def teams():
    rows = db.session.execute(
        db.select(Team, db.func.count(Membership.id))
        .outerjoin(Membership, Membership.team_id == Team.id)
        .group_by(Team.id)
        .order_by(Team.name)
    ).all()
    return render_template("admin/teams.html", rows=rows)


@bp.route("/teams/new", methods=["GET", "POST"])
def new_team():
    form = TeamForm()
    if form.validate_on_submit():
        team = services.create_team(
            name=form.name.data,
            description=form.description.data,
            timezone=form.timezone.data,
            by=current_user,
        )
        db.session.commit()
        flash(f"Team {team.name} created. Add its members below.", "success")
        return redirect(url_for("admin.team", team_id=team.id))
    return render_template("admin/team_form.html", form=form, team=None), _status(form)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
def team(team_id):
    team = _get_or_404(Team, team_id)
    form = TeamForm(obj=team, team=team)
    if form.validate_on_submit():
        services.update_team(
            team,
            name=form.name.data,
            description=form.description.data,
            timezone=form.timezone.data,
            by=current_user,
        )
        db.session.commit()
        flash("Team details saved.", "success")
        return redirect(url_for("admin.team", team_id=team.id))
    return render_template(
        "admin/team.html",
        team=team,
        form=form,
        members=team_members(team),
        member_form=MembershipForm(),
    ), _status(form)


@bp.post("/teams/<int:team_id>/members")
def add_member(team_id):
    team = _get_or_404(Team, team_id)
    member_form = MembershipForm()
    if member_form.validate_on_submit():
        services.set_membership(team, member_form.user, member_form.role.data, current_user)
        db.session.commit()
        flash(
            f"{member_form.user.display_name} is now a {member_form.role.data} of {team.name}.",
            "success",
        )
        return redirect(url_for("admin.team", team_id=team.id))
    return render_template(
        "admin/team.html",
        team=team,
        form=TeamForm(obj=team, team=team),
        members=team_members(team),
        member_form=member_form,
    ), 400


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
def remove_member(team_id, user_id):
    team = _get_or_404(Team, team_id)
    user = _get_or_404(User, user_id)
    try:
        services.remove_membership(team, user, current_user)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{user.display_name} has left {team.name}.", "success")
    return redirect(url_for("admin.team", team_id=team.id))


@bp.get("/audit")
def audit_log():
    stmt = (
        db.select(audit.AuditEntry)
        .options(db.joinedload(audit.AuditEntry.actor))
        .order_by(audit.AuditEntry.created_at.desc(), audit.AuditEntry.id.desc())
    )
    action = request.args.get("action", "").strip()
    if action:
        stmt = stmt.where(audit.AuditEntry.action.startswith(action))
    page = paginate(stmt, request.args.get("page", 1, type=int), 50)
    return render_template("admin/audit.html", page=page, action=action)


@bp.get("/content")
def content_status():
    state = current_app.extensions["content"]
    return render_template("admin/content.html", library=state.library, faults=None)


@bp.post("/content/reload")
def reload_content():
    state = current_app.extensions["content"]
    try:
        library = state.reload()
    except ContentError as exc:
        audit.record("content.reload_failed", detail=f"{len(exc.faults)} faults")
        db.session.commit()
        return render_template("admin/content.html", library=state.library, faults=exc.faults), 400
    audit.record(RELOAD_ACTION, detail=f"{len(library)} modules")
    db.session.commit()
    flash(
        f"Content reloaded: {len(library)} modules. Other server processes follow within seconds.",
        "success",
    )
    return redirect(url_for("admin.content_status"))


@bp.route("/cases/purge", methods=["GET", "POST"])
def purge_case():
    """Remove a case for good (for example one recorded with identifying detail)."""
    form = PurgeForm()
    if form.validate_on_submit():
        case = db.session.scalar(db.select(Case).where(Case.code == form.code.data.strip().upper()))
        if case is None:
            form.code.errors.append("No case has this code")
        else:
            code = case.code
            case_services.purge_case(case, current_user, form.reason.data)
            db.session.commit()
            flash(
                f"Case {code} and everything recorded on it have been removed. The purge "
                "is in the audit log.",
                "success",
            )
            return redirect(url_for("admin.purge_case"))
    return render_template("admin/purge.html", form=form), 400 if form.errors else 200
