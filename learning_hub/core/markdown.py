"""The one Markdown pipeline: CommonMark to HTML, then bleach with an explicit allow-list.

Every text a person or the content library writes is shown through ``render``.
Render once, when the text is saved or the content is loaded, and store the
result: the two stages together cost about 10 ms per 2 KB here.

Both stages take time in proportion to the text's length, whatever its shape
(tests/security/test_markdown_speed.py times the worst shapes found):

- markdown-it-py parses CommonMark, whose rules are designed to be linear, and
  nests blocks at most 20 deep.
- HTML written in the text is shown as typed, never read as HTML: what bleach
  parses is markdown-it-py's own output, so it nests no deeper than Markdown can
  make it (html5lib's cost grows with nesting depth: 5,000 ``<ul>`` took seconds).
- bleach's own linkify pattern tries again at every ``(``, hyphen and word
  boundary of a long run; ``_URL`` below starts only at the start of a word.
- Curly quotes cost quote marks times length in one paragraph, so a paragraph
  with more than ``MAX_QUOTES`` quote marks keeps straight ones.
"""

import re
import threading
from functools import partial

import bleach
from bleach.linkifier import TLDS, LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.rules_core.replacements import replace_rare
from markdown_it.rules_core.smartquotes import process_inlines
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MAX_QUOTES = 500


# A URL's scheme as a browser reads it (WHATWG URL): a letter, then letters, digits,
# "+", "-" or ".", up to the first colon.
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def _allowed_href(href):
    """Whether a link may keep ``href``: http, https, mailto, or no scheme at all.

    bleach's own protocol check lets through what looks to it like a host and port
    ("javascript:123", "tel:123"), so the scheme is read here the way a browser reads
    it: with leading and trailing spaces and control characters dropped, and tabs and
    newlines removed wherever they are. Any other control character refuses the link.
    """
    href = "".join(ch for ch in href if ch not in "\t\n\r").strip("".join(map(chr, range(33))))
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in href):
        return False
    scheme = _SCHEME.match(href)
    return scheme is None or scheme.group(1).lower() in ALLOWED_PROTOCOLS


def _allowed_attribute(tag, name, value):
    if tag == "a":
        return name in ("title", "rel") or (name == "href" and _allowed_href(value))
    return tag == "abbr" and name == "title"


def _on_site(href):
    """A path, query or fragment on this site. Browsers read "//host" and "/\\host" as
    another site, and ignore tabs and newlines anywhere in a URL."""
    href = "".join(ch for ch in href if ch not in "\t\n\r").strip()
    if href.startswith(("//", "/\\", "\\")):
        return False
    return href.startswith(("/", "#", "?")) or ":" not in href.split("/", 1)[0]


def _harden_links(attrs, new=False):
    """Links to other sites get rel=nofollow noopener; on-site links stay as they are."""
    if not _on_site(attrs.get((None, "href"), "")):
        attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


# bleach's URL pattern (bleach.linkifier.build_url_re) with the same parts, but a match
# starts only at the first "(" of a run and at the start of a word (not after a hyphen
# inside one), and repeats are possessive: each character is read a bounded number of
# times. Only the schemes a link may keep are recognised, so linkify makes no link of
# "ftp://host" or "feed://host" (bleach's would, with an href the allow-list refuses).
_URL = re.compile(
    r"(?<!\()\(*+"  # opening parentheses, the whole run
    r"(?<![\w@./])(?<![\w.-]-)(?=\w)"  # the start of a word, not after "ftp://"
    r"(?:(?:" + "|".join(sorted(ALLOWED_PROTOCOLS)) + r"):/{0,3}(?:(?:\w++:)?\w++@)?)?"
    r"(?:[\w-]++\.)+(?:" + "|".join(sorted(TLDS)) + r")(?::[0-9]++)?(?!\.\w)\b"
    r"(?:[/?][^\s{}|\\^`<>\"]*+)?",  # a path and query, without RFC 3986's unsafe characters
    re.IGNORECASE,
)


def _new_cleaner():
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(
                LinkifyFilter, url_re=_URL, callbacks=[_harden_links], skip_tags={"pre", "code"}
            )
        ],
    )


def _typography(state):
    """Curly quotes, dashes and ellipses, as Python-Markdown's smarty made them.

    markdown-it-py's typographer would also turn "(c)" into a copyright sign, which in
    "(a), (b), (c)" it is not. Its smartquotes rebuilds a paragraph's text for each
    quote mark, so past ``MAX_QUOTES`` in one paragraph the quotes stay straight.
    """
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        replace_rare(token.children)
        quotes = token.content.count("'") + token.content.count('"')
        if 0 < quotes <= MAX_QUOTES:
            process_inlines(token.children, state)


def _new_parser():
    parser = MarkdownIt("commonmark", {"html": False})
    parser.core.ruler.after("inline", "typography", _typography)
    # Which links keep an href is decided once, by the allow-list above: markdown-it-py's
    # own check would show a refused link as its source text instead.
    parser.validateLink = lambda url: True
    return parser


# A bleach Cleaner may not be shared by threads (a shared Cleaner garbles texts cleaned
# at the same moment), and markdown-it-py builds its rule chains on first use; building
# either costs more than converting a reflection: each thread keeps its own pair.
_local = threading.local()


def _pipeline():
    if not hasattr(_local, "parser"):
        _local.parser = _new_parser()
        _local.cleaner = _new_cleaner()
    return _local.parser, _local.cleaner


def render(text):
    """Markdown source to sanitised HTML (a ``Markup`` safe to place in a page)."""
    if not text:
        return Markup("")
    parser, cleaner = _pipeline()
    return Markup(cleaner.clean(parser.render(text).rstrip("\n")))


def stored(html):
    """Mark HTML that ``render`` produced and the database kept as safe to show."""
    return Markup(html or "")
