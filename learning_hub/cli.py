"""Command-line tasks: `flask --app wsgi <command>`. Each calls services and commits."""

import secrets
from pathlib import Path

import click
from flask import current_app

from learning_hub import content, seed
from learning_hub.auth.models import Role
from learning_hub.auth.passwords import password_problem
from learning_hub.auth.services import find_user_by_email, invite_person
from learning_hub.cases.guard import scan
from learning_hub.cases.scan import stored_texts
from learning_hub.core import audit, backups, mail
from learning_hub.core.extensions import db
from learning_hub.core.urls import external_url
from learning_hub.dashboard import participation
from learning_hub.privacy.retention import apply_retention
from learning_hub.reviews.services import send_reminders


def register(app):
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(content_group)
    app.cli.add_command(pii_scan_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(retention_command)
    app.cli.add_command(rebuild_participation_command)


def _echo_counts(counts):
    width = max(len(name) for name in counts)
    for name, rows in counts.items():
        click.echo(f"  {name:<{width}}  {rows:>9,}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Write a consistent copy of the database to PATH, safe while the site is in use."""
    try:
        counts = backups.backup(path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup written to {path}. Rows in the copy:")
    _echo_counts(counts)


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path, yes):
    """Replace the database's contents with the backup at PATH, then check it."""
    if not yes:
        click.confirm(
            f"This replaces everything in {db.engine.url.render_as_string(hide_password=True)} "
            f"with the backup {path}. Carry on?",
            abort=True,
        )
    try:
        backups.restore(path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    report = backups.check_integrity()
    click.echo(f"Restored {path}. Migration revision {report.revision} (head {report.head}).")
    _echo_counts(report.counts)
    if not report.ok:
        for problem in report.problems:
            click.echo(f"Problem: {problem}", err=True)
        raise SystemExit(1)
    click.echo("Integrity check: ok.")


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Count what is due for deletion; delete nothing.")
def retention_command(dry_run):
    """Delete what the data inventory's retention rules say is no longer kept."""
    counts = apply_retention(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was deleted. Rows due for deletion:")
    else:
        db.session.commit()
        click.echo("Retention applied. Rows deleted:")
    _echo_counts(counts)


@click.command("send-reminders")
def send_reminders_command():
    """E-mail members the agenda of sessions starting within a day (each reminder once).

    Prints how many were sent, failed and skipped; exits with 1 when any failed.
    """
    if not mail.is_configured():
        click.echo("MAIL_SERVER is not set; no reminders sent.")
        return
    run = send_reminders(db.session.commit)  # commits each claim and each result
    click.echo(
        f"{run.sent} reminder{'s' if run.sent != 1 else ''} sent, {run.failed} failed, "
        f"{run.skipped} skipped (already sent)."
    )
    if run.failed:
        raise SystemExit(1)  # cron mails or alerts on this; a later run retries them


@click.command("pii-scan")
def pii_scan_command():
    """Report stored case texts that the anonymisation guard would now refuse."""
    hits = 0
    for where, text in stored_texts():
        for finding in scan(text):
            hits += 1
            click.echo(f'{where}: {finding.label} "{finding.text}" (try {finding.suggestion})')
    click.echo(
        f"{hits} possible identifiers found."
        if hits
        else "No identifiers found in stored case texts."
    )
    if hits:
        raise SystemExit(1)


@click.command("rebuild-participation")
def rebuild_participation_command():
    """Recount everyone's monthly participation from the rows it stands for.

    The application keeps the counts on every write; this is for data that reached
    the tables another way (edited by hand, or loaded by another program).
    """
    participation.rebuild(db.session.connection())
    db.session.commit()
    rows = db.session.scalar(
        db.select(db.func.count()).select_from(participation.ParticipationMonth)
    )
    click.echo(f"Recounted participation: {rows:,} person-month counts.")


@click.group("content")
def content_group():
    """Practice modules and self-check instruments under CONTENT_DIR."""


@content_group.command("check")
@click.option("--dir", "content_dir", help="Folder to check (default: CONTENT_DIR).")
def content_check_command(content_dir):
    """Validate every content file (modules, self-checks, the demo data); exit 1 with
    file:line for each fault."""
    folder = Path(content_dir or current_app.config["CONTENT_DIR"])
    faults, library, demo = [], None, None
    try:
        library = content.load_library(folder)
    except content.ContentError as exc:
        faults.extend(exc.faults)
    if (folder / "demo").is_dir():
        try:
            demo = seed.load_demo(folder, library)
        except content.ContentError as exc:
            faults.extend(exc.faults)
    if faults:
        for fault in faults:
            click.echo(str(fault), err=True)
        raise SystemExit(1)
    prompts = sum(len(m.prompts) for m in library)
    items = sum(len(i.items) for i in library.instruments.values())
    click.echo(
        f"Content OK: {len(library)} modules, {prompts} reflection prompts, "
        f"{len(library.instruments)} self-check instrument versions ({items} items)."
    )
    if demo is not None:
        click.echo(
            f"Demo data OK: {len(demo.people.people)} people in {len(demo.people.teams)} "
            f"teams, {len(demo.cases)} cases."
        )


@click.command("seed-demo")
@click.option("--password", help="Password for every demo account (generated when omitted).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has people.")
def seed_demo_command(password, if_empty):
    """Load the demo organisation (safe to run twice)."""
    if if_empty and not seed.database_is_empty():
        click.echo("Database already has people; demo data not loaded.")
        return
    if password is None:
        password = "-".join(secrets.token_hex(3) for _ in range(4))
    problem = password_problem(password, for_demo=True)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    library = current_app.extensions["content"].library
    try:
        demo = seed.load_demo(current_app.config["CONTENT_DIR"], library)
    except content.ContentError as exc:
        raise click.ClickException(f"the demo data has faults:\n{exc}") from None
    logins = seed.seed_demo(demo, library, password)
    db.session.commit()
    click.echo("Demo organisation ready. Log in at /login with any of:")
    for email, role, teams in logins[:5]:
        click.echo(f"  {email:<26} {role:<7} {teams}")
    click.echo(f"  (and {len(logins) - 5} colleagues who fill the teams, e.g. priya@example.org)")
    click.echo(f"Password for all demo accounts: {password}")


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True, help="Name shown to others.")
def create_admin_command(email, name):
    """Create an admin account and print a one-time link to set its password."""
    if find_user_by_email(email):
        raise click.ClickException(f"{email} already has an account")
    user, token = invite_person(email=email, display_name=name, role=Role.ADMIN, invited_by=None)
    audit.record("user.admin_created", user, detail="via CLI")
    db.session.commit()
    click.echo(
        f"Admin {email} created. Set the password within "
        f"{current_app.config['INVITATION_TTL_HOURS']} hours at:"
    )
    click.echo(f"  {external_url('auth.accept_invitation', token=token)}")
