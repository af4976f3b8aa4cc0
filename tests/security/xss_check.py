"""Find anything executable in an HTML page: the checker the XSS tests assert with.

A page is parsed twice, by the standard library's ``html.parser`` and by the
HTML5 parsing algorithm (html5lib, as bleach ships it), because mutation XSS lives
in the places where a lenient parser and a browser disagree. ``problems`` lists
what a browser could run or be redirected by; an empty list means the page is clean.
"""

import re
from html.parser import HTMLParser

from bleach._vendor import html5lib

# The app's own scripts and stylesheets, all served from /static/.
STATIC_PREFIX = "/static/"
# Elements that load or replace a document, or change how the page is read.
FORBIDDEN_TAGS = frozenset(
    {
        "applet", "base", "embed", "frame", "frameset", "iframe", "object", "portal",
        "style", "math", "template", "noscript", "xmp", "plaintext", "noembed", "noframes",
    }
)  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {
        "action", "background", "cite", "codebase", "data", "dynsrc", "formaction", "href",
        "icon", "lowsrc", "manifest", "ping", "poster", "src", "xlink:href", "xmlns:href",
    }
)  # fmt: skip
# What the app's own server-drawn SVG (the case timeline) is made of.
SVG_TAGS = frozenset({"svg", "title", "desc", "g", "line", "rect", "circle", "text", "path"})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
# Browsers drop ASCII whitespace and control characters inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def scheme_of(url):
    """The URL as a browser reads its scheme: control characters and spaces gone, lower case."""
    return _IGNORED_IN_SCHEME.sub("", url or "").lower()


def _url_problem(tag, name, value):
    cleaned = scheme_of(value)
    if not cleaned.startswith(BAD_SCHEMES):
        return None
    if cleaned.startswith("data:image/") and tag == "img" and name == "src":
        return None  # the CSP's img-src allows data: images
    return f"<{tag} {name}={value!r}>: a {cleaned.split(':', 1)[0]}: URL"


def element_problems(tag, attrs, *, inline_script="", in_svg=False):
    """Why one element (lower-case tag, list of (name, value)) is unsafe, if it is."""
    found = []
    tag = tag.lower()
    if tag in FORBIDDEN_TAGS:
        found.append(f"<{tag}> element")
    if in_svg and tag not in SVG_TAGS:
        found.append(f"<{tag}> inside <svg>")
    names = {name.lower(): value or "" for name, value in attrs}
    if tag == "script":
        src = names.get("src", "")
        if not src.startswith(STATIC_PREFIX) or src.startswith("//"):
            found.append(f"<script src={src!r}>: not one of the app's own scripts")
        if inline_script.strip():
            found.append(f"inline <script>: {inline_script.strip()[:60]!r}")
    if tag == "link" and not names.get("href", "").startswith(STATIC_PREFIX):
        found.append(f"<link href={names.get('href')!r}>: not one of the app's own files")
    if tag == "meta" and ("http-equiv" in names or names.get("charset", "utf-8") != "utf-8"):
        found.append(f"<meta {' '.join(names)}>")
    if tag in {"form", "button", "input"}:
        for name in ("action", "formaction"):
            target = names.get(name)
            if target is None:
                continue
            if target and (not target.startswith("/") or target.startswith("//")):
                found.append(f"<{tag} {name}={target!r}>: sends somewhere off this site")
    for name, value in names.items():
        if name.startswith("on"):
            found.append(f"<{tag} {name}=...>: event handler")
        elif name == "style":
            found.append(f"<{tag} style=...>: style attribute")
        elif name == "srcdoc":
            found.append(f"<{tag} srcdoc=...>")
        elif name in URL_ATTRIBUTES or name.endswith(":href"):
            problem = _url_problem(tag, name, value)
            if problem:
                found.append(problem)
    return found


class _StdlibWalker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.svg_depth = 0
        self._script = None

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "svg":
            self.svg_depth += 1
        if tag == "script":
            self._script = (attrs, [])

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        in_svg = self.svg_depth > 0 and tag != "svg"
        if tag != "script":
            self.found += element_problems(tag, attrs, in_svg=in_svg)
        elif in_svg:
            self.found.append("<script> inside <svg>")

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1
        if tag == "script" and self._script is not None:
            attrs, text = self._script
            self.found += element_problems("script", attrs, inline_script="".join(text))
            self._script = None

    def close(self):
        super().close()
        if self._script is not None:  # an unclosed script runs to the end of the page
            self.handle_endtag("script")


def _local(name):
    """'{namespace}local' from html5lib as a plain name ('xlink:href' for XLink)."""
    if isinstance(name, tuple):  # (namespace, local) for foreign attributes
        namespace, local = name
        return f"xlink:{local}" if namespace and "xlink" in namespace else local
    if name.startswith("{"):
        namespace, local = name[1:].split("}", 1)
        return f"xlink:{local}" if "xlink" in namespace else local
    return name


def _html5_problems(page):
    root = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    found = []

    def visit(element, in_svg):
        tag = element.tag
        if not isinstance(tag, str):  # comments and processing instructions
            return
        tag = _local(tag).lower()
        attrs = [(_local(k), v) for k, v in element.attrib.items()]
        inline = (element.text or "") if tag == "script" else ""
        found.extend(
            element_problems(tag, attrs, inline_script=inline, in_svg=in_svg and tag != "svg")
        )
        for child in element:
            visit(child, in_svg or tag == "svg")

    visit(root, False)
    return found


def problems(page, *, thorough=True):
    """Everything executable or page-altering found in ``page`` (a str).

    ``thorough`` adds the HTML5 parser's reading (slower); without it only ``html.parser``
    looks, which is enough for plain text that the templates escape.
    """
    walker = _StdlibWalker()
    walker.feed(page)
    walker.close()
    found = walker.found + (_html5_problems(page) if thorough else [])
    return sorted(set(found))


def csp_problems(header):
    """What lets inline or injected script run under this Content-Security-Policy."""
    if not header:
        return ["no Content-Security-Policy header"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    script = directives.get("script-src", directives.get("default-src"))
    if script is None:
        return ["no script-src or default-src: any script may run"]
    found = []
    for source in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        if source in script:
            found.append(f"script sources allow {source}")
    if directives.get("object-src", directives.get("default-src")) != ["'none'"]:
        found.append("object-src is not 'none'")
    if "base-uri" not in directives:
        found.append("no base-uri: an injected <base> could move every link")
    return found
