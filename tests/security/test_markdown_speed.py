"""No text within the 20,000-character limit can make the Markdown pipeline slow.

The shapes below are the worst found: each took Python-Markdown, bleach's linkify or
html5lib seconds to minutes at 20,000 characters (19,980 ``[`` held a worker for 30 s).
Times are CPU time of this process (``time.process_time``), and each bound is a multiple
of what ordinary prose of the same length costs in the same run, so a slower or busier
machine moves both alike. Prose of this length costs about 25 ms here; the worst shapes
about 40 times that; before, they cost thousands of times as much.
"""

import functools
import time

import pytest

from learning_hub.core.extensions import db
from learning_hub.core.markdown import MAX_QUOTES, render
from learning_hub.modules.models import MAX_REFLECTION_LENGTH, Reflection

LENGTH = 20_000
# No shape may cost more than this many times ordinary prose of the same length.
TIMES_PROSE = 200
PROSE = (
    "We met at the café after her shift; she said the letters felt like being told off. "
    "Next time, a text first and a visit if she asks.\n\n"
)
SHAPES = {
    # Python-Markdown: link, image, emphasis, code, quote and list parsing.
    "[": "[",
    "[[[[ a": "[[[[ a",
    "[x](": "[x](",
    "(": "(",
    "[x](((": "[x](",
    "![": "![",
    "<a": "<a",
    "**a": "**a",
    "`a ": "`a ",
    ">": ">",
    "[!": "[!",
    "*[": "*[",
    "_[": "_[",
    "[`": "[`",
    "[a](<": "[a](<",
    "](<": "](<",
    "[]": "[]",
    "mixed": "[*_`<(",
    "***\\n": "***\n",
    "quote pairs": "'\"",
    "ordered list": "1. a\n",
    "bullet list": "- a\n",
    "<": "<",
    "<!--": "<!--",
    "&": "&",
    "&#": "&#",
    "\\": "\\",
    "<<a>>": "<<a>>",
    "<http:": "<http:",
    # bleach's linkify pattern: retried at every "(", hyphen and word boundary of a run.
    "a-": "a-",
    "a.-": "a.-",
    "é-": "é-",
    # html5lib: raw HTML nested deep (now shown as typed).
    "<ul>": "<ul>",
    "<ul><li>": "<ul><li>",
    "<pre>": "<pre>",
    "<b></i>": "<b></i>",
}


def shaped(unit, length):
    """``unit`` repeated to ``length`` characters."""
    return (unit * (length // len(unit) + 1))[:length]


def cpu_seconds(text, repeat=1):
    """The least CPU time, over ``repeat`` runs, that rendering ``text`` took."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        render(text)
        best = min(best, time.process_time() - start)
    return best


SPECIAL = {
    "[x](((": "[x](" + "(" * (LENGTH - 4),
    "nested quotes": "\n".join(">" * depth + " a" for depth in range(1, 200))[:LENGTH],
    "paragraphs at the quote limit": ("'a" * MAX_QUOTES + "\n\n")
    * (LENGTH // (2 * MAX_QUOTES + 2)),
    "(((a.com": "(" * (LENGTH - 5) + "a.com",
    "a.com/)))": "a.com/" + ")" * (LENGTH - 6),
}


@functools.cache
def allowance():
    """The most CPU time any text of LENGTH characters may cost: TIMES_PROSE times prose."""
    return TIMES_PROSE * cpu_seconds(shaped(PROSE, LENGTH), repeat=3)


@pytest.mark.parametrize("name", [*SHAPES, *SPECIAL])
def test_the_worst_shapes_render_quickly(name):
    """Does each of the worst shapes found, at 20,000 characters, cost at most 200 times prose?"""
    text = SPECIAL.get(name) or shaped(SHAPES[name], LENGTH)
    assert len(text) <= LENGTH
    assert cpu_seconds(text, repeat=2) < allowance()


# The shapes that cost most now: a quadratic cost would be 16 times as much for 4 times
# the text; linear is 4 times, and 8 leaves room for a shared machine's noise.
COSTLIEST = ["[", "*[", "mixed", "bullet list", "<", "&"]


@pytest.mark.parametrize("name", COSTLIEST)
def test_cost_grows_in_proportion_to_length(name):
    """Does four times the text cost under eight times the CPU, for the costliest shapes?"""
    # The least of three runs each: one run slowed by a busy machine does not decide it.
    short = cpu_seconds(shaped(SHAPES[name], LENGTH // 4), repeat=3)
    full = cpu_seconds(shaped(SHAPES[name], LENGTH), repeat=3)
    assert full < 8 * short + 0.01, (short, full)


def test_a_reflection_of_brackets_is_saved_and_shown(app, world, client_for):
    """Is a reflection of 19,980 "[" saved, and shown, with a normal answer?"""
    client = client_for("staff")
    module = next(iter(app.extensions["content"].library))
    prompt = module.prompts[0].id
    body = "[" * 19_980
    assert len(body) <= MAX_REFLECTION_LENGTH
    start = time.process_time()
    response = client.post(
        f"/modules/{module.slug}/prompts/{prompt}",
        data={f"{prompt}-body": body, f"{prompt}-share_team_id": "0"},
    )
    assert time.process_time() - start < 2 * allowance()  # rendered, then shown
    assert response.status_code == 302
    reflection = db.session.scalars(db.select(Reflection)).one()
    page = client.get(f"/reflections/{reflection.id}")
    assert page.status_code == 200
    assert body in page.get_data(as_text=True)


def test_ordinary_typography_is_kept():
    """Do quotes, dashes and ellipses still come out curly, and "(c)" stay as written?"""
    html = str(render('Don\'t say "never" -- or 1990---2000... Options (a), (b), (c).'))
    assert html == "<p>Don’t say “never” – or 1990—2000… Options (a), (b), (c).</p>"


def test_a_paragraph_with_very_many_quote_marks_keeps_them_straight():
    """Does a paragraph with more quote marks than the limit keep them straight, in one piece?"""
    phrase = "'a' and don't"  # three quote marks
    within = " ".join([phrase] * (MAX_QUOTES // 3))
    over = " ".join([phrase] * (MAX_QUOTES // 3 + 1))
    assert str(render(within)) == "<p>" + " ".join(["‘a’ and don’t"] * (MAX_QUOTES // 3)) + "</p>"
    assert str(render(over)) == f"<p>{over}</p>"
