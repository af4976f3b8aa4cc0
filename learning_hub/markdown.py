"""The one Markdown pipeline: Markdown to HTML, then bleach with an explicit allow-list.

Every text a person or the content library writes is shown through ``render``.
Render once, when the text is saved or the content is loaded, and store the
result: markdown and bleach together cost about 10 ms per 2 KB here.
"""

import re
import threading
from functools import partial

import bleach
import markdown as markdown_lib
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MARKDOWN_EXTENSIONS = ["sane_lists", "smarty"]


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


def _new_cleaner():
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[partial(LinkifyFilter, callbacks=[_harden_links], skip_tags={"pre", "code"})],
    )


# Neither a Markdown converter nor a bleach Cleaner may be shared by threads (a
# shared Cleaner garbles texts cleaned at the same moment), and building either
# costs more than converting a reflection: each thread keeps its own pair.
_local = threading.local()


def _pipeline():
    if not hasattr(_local, "markdown"):
        _local.markdown = markdown_lib.Markdown(
            extensions=MARKDOWN_EXTENSIONS, output_format="html"
        )
        _local.cleaner = _new_cleaner()
    return _local.markdown, _local.cleaner


def render(text):
    """Markdown source to sanitised HTML (a ``Markup`` safe to place in a page)."""
    if not text:
        return Markup("")
    converter, cleaner = _pipeline()
    return Markup(cleaner.clean(converter.reset().convert(text)))


def stored(html):
    """Mark HTML that ``render`` produced and the database kept as safe to show."""
    return Markup(html or "")
