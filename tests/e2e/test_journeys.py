"""End-to-end journeys in headless Chromium, each clicking and typing as a person would."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect


def test_log_in_see_home_and_log_out(visit):
    """1. Log in, see the next session, open actions and suggestions, then log out."""
    tab = visit()
    tab.go("/login")
    tab.check_accessibility()
    tab.shot("login")
    tab.log_in("staff@example.org")
    page = tab.page
    expect(page.get_by_role("heading", name="Next review session")).to_be_visible()
    expect(page.get_by_role("heading", name="Your actions")).to_be_visible()
    expect(page.get_by_role("heading", name="Worth another look")).to_be_visible()
    expect(page.get_by_text("Fortnightly team reflection").first).to_be_visible()
    tab.check_accessibility()
    tab.shot("home")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    tab.go("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_reflect_on_a_module_share_and_teammate_responds(visit):
    """2. Read a module, answer its prompts, share one; a teammate sees it and responds."""
    tab = visit()
    tab.log_in("staff@example.org")
    page = tab.page
    page.get_by_role("link", name="Modules", exact=True).click()
    tab.check_accessibility()
    tab.shot("modules")
    page.get_by_role("link", name="Identify, analyse, plan").click()
    expect(page.get_by_role("heading", name="Identify, analyse, plan")).to_be_visible()
    tab.check_accessibility()
    tab.shot("module")
    forms = page.locator("section.prompt form")
    count = forms.count()
    for index in range(count):
        form = page.locator("section.prompt form").nth(index)
        form.get_by_label("Your reflection").fill(
            f"Answer {index + 1}: the letters feel like threats, so I will ask about texts."
        )
        if index == 0:
            form.get_by_label("Who can read it").select_option(label="Share with North")
        form.get_by_role("button", name="Save reflection").click()
        expect(page.get_by_text("Reflection saved")).to_be_visible()
    expect(page.get_by_text("Reflected").first).to_be_visible()

    teammate = visit()
    teammate.log_in("facilitator@example.org")
    teammate.go("/")
    teammate.page.get_by_role("link", name="shared reflections").first.click()
    teammate.check_accessibility()
    card = teammate.page.locator("article.shared-reflection", has_text="Answer 1: the letters")
    card.get_by_role("link", name=re.compile("Respond")).click()
    teammate.page.get_by_label("Your response").fill("Texts worked for us too; try mornings.")
    teammate.page.get_by_role("button", name="Send response").click()
    expect(teammate.page.get_by_text("Texts worked for us too")).to_be_visible()
    tab.go("/")
    expect(page.get_by_text("Fran Facilitator").first).to_be_visible()


def test_self_check_over_two_visits_then_profile(visit):
    """3. Take a self-check over two visits (save and resume), then see the chart and table."""
    tab = visit()
    tab.log_in("priya@example.org")
    page = tab.page
    page.get_by_role("link", name="Self-check", exact=True).click()
    page.get_by_role("button", name=re.compile("Take a self-check|Resume")).first.click()
    tab.check_accessibility()
    groups = page.locator("fieldset.rating-group")
    total = groups.count()
    for index in range(total // 2):
        groups.nth(index).locator("label.rating-option").nth(3).click()
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    tab.go("/")
    page.get_by_role("link", name="Pick it up where you left off").click()
    groups = page.locator("fieldset.rating-group")
    expect(groups.nth(0).locator("input[value='3']")).to_be_checked()
    for index in range(total // 2, total):
        groups.nth(index).locator("label.rating-option").nth(2).click()
    page.get_by_role("button", name="Finish and see my results").click()
    expect(page.get_by_text("Self-check saved")).to_be_visible()
    page.get_by_role("link", name="Your self-checks").click()
    expect(page.locator("canvas#profile-chart[data-drawn='1']")).to_be_attached()
    expect(page.locator("figure.chart-block table")).to_be_visible()
    tab.check_accessibility()
    tab.shot("selfcheck-profile")


def test_case_timeline_guard_and_reflection(visit):
    """4. Create a case, record failed attempts, meet the guard, fix the note, reflect."""
    tab = visit()
    tab.log_in("staff@example.org")
    page = tab.page
    tab.go("/")
    page.get_by_role("link", name="cases").first.click()
    tab.check_accessibility()
    page.get_by_role("button", name="Open a case").click()
    page.get_by_label("Gender (optional, coarse)").select_option("male")
    page.get_by_label("Context").fill(
        "Referred after leaving custody; wants work more than anything else."
    )
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_text(re.compile(r"Case C-\w{4} opened"))).to_be_visible()
    for outcome in ("No answer", "Missed", "Attended"):
        page.get_by_label("What happened").select_option(label=outcome)
        page.get_by_role("button", name="Add to timeline").click()
        expect(page.get_by_text("Added to the timeline.")).to_be_visible()
    page.get_by_label("What happened").select_option(label="No answer")
    page.get_by_label("Note (optional)").fill(
        "Left a voicemail; his brother said try 07700 900123 after six."
    )
    page.get_by_role("button", name="Add to timeline").click()
    expect(page.locator("mark.pii", has_text="07700 900123").first).to_be_visible()
    expect(page.get_by_label("Note (optional)")).to_have_value(
        "Left a voicemail; his brother said try 07700 900123 after six."
    )
    page.locator("div.guard-preview").scroll_into_view_if_needed()
    tab.shot("case-guard")
    page.get_by_label("Note (optional)").fill(
        "Left a voicemail; his brother said try again after six."
    )
    page.get_by_role("button", name="Add to timeline").click()
    expect(page.get_by_text("Added to the timeline.")).to_be_visible()
    expect(page.locator("svg.timeline-svg")).to_be_visible()
    tab.check_accessibility()
    tab.shot("case")
    page.get_by_role("button", name="Reflect on this case").click()
    page.get_by_label("Identify: the history").fill("Two failed calls, then one visit.")
    page.get_by_label(re.compile("Analyse")).fill("Calls come when he is at the jobcentre.")
    page.get_by_label(re.compile("Plan: what")).fill("Ask him for a better time.")
    page.get_by_label("Frustration").check()
    page.get_by_role("button", name="Share with the team").click()
    expect(page.get_by_text("Reflection shared with your team.")).to_be_visible()


def test_schedule_agenda_notes_action_done(visit):
    """5. Schedule a fortnightly session; a member adds a case item; notes, action, done."""
    facilitator = visit()
    facilitator.log_in("facilitator@example.org")
    page = facilitator.page
    facilitator.go("/")
    page.get_by_role("link", name="sessions").first.click()
    page.get_by_role("button", name="Schedule a session").click()
    page.get_by_label("Title").fill("Practice huddle")
    page.get_by_label("Date", exact=True).fill((date.today() + timedelta(days=3)).isoformat())
    page.get_by_label("Repeats").select_option(label="Every second week")
    facilitator.check_accessibility()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text(re.compile(r"Scheduled \d+ sessions"))).to_be_visible()
    session_url = page.url

    member = visit()
    member.log_in("staff@example.org")
    member.page.goto(session_url)
    member.page.get_by_role("button", name="Propose an item").click()
    member.page.get_by_label("What it is about").select_option(label="A case")
    member.page.get_by_label("What you want to bring").fill("Mondays keep clashing")
    member.page.get_by_label("Case", exact=True).select_option(index=1)
    member.page.get_by_role("button", name="Add to the agenda").click()
    expect(member.page.get_by_text("Added to the agenda.")).to_be_visible()
    member.check_accessibility()

    page.reload()
    item = page.locator("article.agenda-item", has_text="Mondays keep clashing")
    item.get_by_text("Record notes and decisions").click()
    item.get_by_label("Notes").fill("Offer Wednesday mornings instead.")
    item.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text("Notes saved.")).to_be_visible()
    item = page.locator("article.agenda-item", has_text="Mondays keep clashing")
    item.get_by_text("Add an action").click()
    item.get_by_label("Action").fill("Ask about Wednesday mornings")
    item.get_by_label("Who will do it").select_option(label="Sam Staff")
    item.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("Action added for Sam Staff.")).to_be_visible()
    facilitator.shot("session")

    member.go("/")
    action = member.page.locator("div.my-action", has_text="Ask about Wednesday mornings")
    action.get_by_label("Note on what you did").fill("Agreed Wednesdays.")
    action.get_by_role("button", name="Mark done").click()
    expect(member.page.get_by_text("Action marked done.")).to_be_visible()
    expect(member.page.get_by_text("Ask about Wednesday mornings")).to_have_count(0)


def test_leader_dashboard_charts_range_and_csv(visit):
    """6. The leader's dashboard: charts draw, the range changes, the CSV downloads."""
    tab = visit()
    tab.log_in("leader@example.org")
    page = tab.page
    page.get_by_role("link", name="Drift", exact=True).click()
    expect(page.get_by_role("heading", name="Fidelity drift across teams")).to_be_visible()
    tab.check_accessibility()
    tab.shot("dashboard")
    page.get_by_label("From month").fill((date.today() - timedelta(days=200)).strftime("%Y-%m"))
    page.get_by_role("button", name="Update").click()
    expect(page).to_have_url(re.compile(r"from=\d{4}-\d{2}"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures as CSV").click()
    assert download.value.suggested_filename.startswith("fidelity-drift-")
    page.get_by_role("link", name="Responsive contact").click()
    expect(page.locator("canvas#principle-chart[data-drawn='1']")).to_be_attached()
    tab.check_accessibility()
    page.get_by_role("link", name="Fidelity drift across teams").click()
    page.get_by_role("link", name="North").click()
    expect(page.locator("canvas#team-chart[data-drawn='1']")).to_be_attached()


def test_outsider_gets_not_found(visit):
    """7. An outsider from another team tries the journeys' URLs and gets 'not found'."""
    insider = visit()
    insider.log_in("staff@example.org")
    insider.go("/")
    insider.page.get_by_role("link", name="cases").first.click()
    case_url = insider.page.locator("table a[href^='/cases/']").first.get_attribute("href")
    team_url = insider.page.get_by_role("link", name="North's cases")
    insider.go(case_url)
    plan_url = case_url + "/plan"
    session_link = insider.page.url
    insider.go("/")
    next_session = insider.page.locator("#next-heading ~ p a").first.get_attribute("href")
    outsider = visit()
    outsider.log_in("outsider@example.org")
    for url in (
        case_url,
        plan_url,
        next_session,
        "/teams/1/cases",
        "/teams/1/insights",
        "/teams/1/reflections",
        "/teams/1/sessions",
    ):
        response = outsider.go(url)
        assert response.status == 404, url
        expect(outsider.page.get_by_role("heading", name="Page not found")).to_be_visible()
    outsider.check_accessibility()
    assert team_url is not None and session_link


def test_keyboard_only_login_and_reflection(visit):
    """8. Keyboard only: log in and submit a reflection, with focus always visible."""
    tab = visit()
    page = tab.page
    tab.go("/login")

    def focused_outline():
        return page.evaluate("""() => { const e = document.activeElement;
            const s = getComputedStyle(e); return [e.tagName, s.outlineStyle, s.outlineWidth]; }""")

    page.keyboard.press("Tab")  # the skip link first
    tag, style, width = focused_outline()
    assert tag == "A" and style != "none" and width != "0px"
    email = page.get_by_label("Email address")
    while page.evaluate("document.activeElement.id") != "email":
        page.keyboard.press("Tab")
        assert focused_outline()[1] != "none"
    page.keyboard.type("grace@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(tab.base + "/")
    assert email is not None
    tab.go("/modules/learning-never-stops")
    target = page.locator("section.prompt textarea").first
    target_id = target.get_attribute("id")
    for _ in range(200):
        page.keyboard.press("Tab")
        assert focused_outline()[1] != "none"
        if page.evaluate("document.activeElement.id") == target_id:
            break
    page.keyboard.type("Keyboard only: protected time for reflection has slipped.")
    page.keyboard.press("Tab")  # who can read it
    page.keyboard.press("Tab")  # the save button
    assert focused_outline()[0] == "BUTTON"
    page.keyboard.press("Enter")
    expect(page.get_by_text("Reflection saved")).to_be_visible()
