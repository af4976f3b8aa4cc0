"""Each thread keeps its own markdown-it-py parser and bleach Cleaner, used afresh for each text."""

import threading

from learning_hub.core.markdown import render


def test_a_reused_converter_forgets_the_previous_text():
    """Do reference links and footnote-like state from one text stay out of the next?"""
    first = render("See [the plan][p].\n\n[p]: https://example.org/plan")
    second = render("See [the plan][p].")
    assert 'href="https://example.org/plan"' in str(first)
    assert "example.org" not in str(second)


def test_threads_render_side_by_side():
    """Do texts rendered at once on several threads each come out as their own?"""
    results = {}

    def work(n):
        for _ in range(50):
            results.setdefault(n, set()).add(str(render(f"*Reflection {n}*")))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: {f"<p><em>Reflection {n}</em></p>"} for n in range(4)}
