"""The teaching material, loaded from ``content/`` once per process and validated.

Modules are Markdown files with YAML front matter (split by python-frontmatter);
self-check instruments are YAML files. Both are validated by pydantic models, and
every fault names its file and line. They are parsed, checked and
rendered through the one Markdown pipeline when the app starts (the site refuses
to start on invalid content) and again only when an admin reloads them. Parsed
libraries are cached by the files' names, sizes and modification times, so
several apps in one process (the tests) share one parse.
"""

import contextlib
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import frontmatter
import yaml
from flask import current_app, request
from markupsafe import Markup
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from learning_hub.core import markdown
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db

PRINCIPLES = {
    "autonomy": "Autonomy",
    "relevance": "Relevance",
    "shared-meaning": "Shared meaning",
    "transparency": "Transparency",
    "co-ownership": "Co-ownership",
    "lived-expertise": "Lived expertise",
    "responsive-contact": "Responsive contact",
    "reflective-learning": "Reflective learning",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INTERNAL_LINK_RE = re.compile(r"\]\((/[^)\s]*)\)")
MODULE_LINK_RE = re.compile(r"^/modules/([a-z0-9-]+)/?(?:#[\w-]*)?$")


class ContentError(Exception):
    """One or more faults in the content files, each with its file and line."""

    def __init__(self, faults):
        self.faults = faults
        super().__init__("\n".join(str(f) for f in faults))


@dataclass(frozen=True)
class Fault:
    path: Path
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    summary: str
    principles: tuple
    minutes: int
    version: int
    prompts: tuple
    body_html: Markup
    path: Path
    words: int = 0
    search_text: str = field(default="", repr=False)

    @property
    def prompt_ids(self):
        return {p.id for p in self.prompts}

    def prompt(self, prompt_id):
        return next((p for p in self.prompts if p.id == prompt_id), None)

    def principle_labels(self):
        return [PRINCIPLES[p] for p in self.principles]


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    principle: str


@dataclass(frozen=True)
class Section:
    key: str
    note_prompt: str
    items: tuple

    @property
    def label(self):
        return PRINCIPLES[self.key]


@dataclass(frozen=True)
class Instrument:
    """One version of a self-check instrument: items grouped by principle, a 0-4 scale."""

    slug: str
    version: int
    title: str
    introduction: str
    scale: tuple  # five descriptions, for 0 to 4
    sections: tuple
    path: Path
    is_retired: bool = False

    @property
    def items(self):
        return [item for section in self.sections for item in section.items]

    def item(self, item_id):
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def principles(self):
        return [section.key for section in self.sections]


@dataclass
class Library:
    """Every module by slug, in title order, and every self-check instrument version."""

    modules: dict
    instruments: dict = field(default_factory=dict)  # {(slug, version): Instrument}
    loaded_at: float = field(default_factory=time.time)

    @property
    def instrument(self):
        """The current instrument: the highest version that is not retired."""
        live = [i for i in self.instruments.values() if not i.is_retired]
        return max(live, key=lambda i: i.version) if live else None

    def instrument_version(self, slug, version):
        return self.instruments.get((slug, version))

    def __iter__(self):
        return iter(self.modules.values())

    def __len__(self):
        return len(self.modules)

    def get(self, slug):
        return self.modules.get(slug)

    def search(self, words="", principle=""):
        terms = [t for t in words.lower().split() if t]
        return [
            m
            for m in self
            if (not principle or principle in m.principles)
            and all(t in m.search_text for t in terms)
        ]


# -- Reading YAML with the line of every value, and validating it with pydantic --


def read_yaml(path, text=None, first_line=1, what="not valid YAML"):
    """The YAML document in ``path`` (or in ``text``, whose first line is line
    ``first_line`` of the file) and the file line of each key and list item in it,
    by its place (a tuple of keys and indexes).

    :raises ContentError: when the text is not valid YAML.
    """
    text = path.read_text(encoding="utf-8") if text is None else text
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark else first_line
        raise ContentError([Fault(path, line, f"{what}: {exc}")]) from None
    finally:
        loader.dispose()
    lines = {}

    def walk(node, place):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[(*place, str(key.value))] = key.start_mark.line + first_line
                walk(value, (*place, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                lines[(*place, index)] = value.start_mark.line + first_line
                walk(value, (*place, index))

    if node is not None:
        walk(node, ())
    return data, lines


def line_of(lines, place, default=1):
    """The line of ``place``, or of the nearest enclosing value that has one."""
    place = tuple(part if isinstance(part, int) else str(part) for part in place)
    while place:
        for candidate in (place, (*place[:-1], str(place[-1]))):
            if candidate in lines:
                return lines[candidate]
        place = place[:-1]
    return default


def rule(test, message):
    """A pydantic check run before the type's own: refuse a value unless ``test(value)``.

    The fault reads ``<field> <message>`` (``minutes must be a whole number ...``).
    """

    def check(value):
        if not test(value):
            raise PydanticCustomError("field_rule", message)
        return value

    return BeforeValidator(check)


def refuse(message):
    """Raise inside a pydantic validator: the fault reads ``message`` as it is."""
    raise PydanticCustomError("content_rule", message)


def _is_slug(value):
    return isinstance(value, str) and bool(SLUG_RE.match(value))


def _is_text(value):
    return isinstance(value, str) and bool(value.strip())


def _whole(low, high=None):
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= (high or v)


Slug = Annotated[str, rule(_is_slug, "must be lowercase words joined by hyphens")]
Text = Annotated[str, rule(_is_text, "must be non-empty text")]


class Strict(BaseModel):
    """A mapping of known fields: any other field is a fault."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def validate(model, data, path, lines):
    """``model`` built from ``data``, or ``None`` and a fault (with its line) for each
    problem pydantic found."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_fault(error, path, lines) for error in exc.errors()]


def _fault(error, path, lines):
    place, kind = error["loc"], error["type"]
    name = next((str(p) for p in reversed(place) if isinstance(p, str)), "value")
    where = ".".join(str(p) for p in place)
    if kind == "missing":
        return Fault(path, line_of(lines, place[:-1]), f"missing field '{place[-1]}'")
    if kind == "extra_forbidden":
        return Fault(path, line_of(lines, place), f"unknown field '{place[-1]}'")
    if kind == "field_rule":
        return Fault(path, line_of(lines, place), f"{name} {error['msg']}")
    if kind == "content_rule":
        return Fault(path, line_of(lines, place), error["msg"])
    if kind == "model_type" and not place:
        return Fault(path, line_of(lines, ()), "the file must be a mapping of fields")
    return Fault(path, line_of(lines, place), f"{where}: {error['msg']}" if where else error["msg"])


# -- Modules: Markdown with YAML front matter --


def _known_principle(value):
    if value not in PRINCIPLES:
        refuse(f"unknown principle '{value}' (known: {', '.join(PRINCIPLES)})")
    return value


Principle = Annotated[str, BeforeValidator(_known_principle)]


class PromptFields(Strict):
    id: Annotated[str, BeforeValidator(str)]
    text: str

    @model_validator(mode="after")
    def _checked(self):
        if not SLUG_RE.match(self.id):
            refuse(f"prompt id '{self.id}' must be lowercase words joined by hyphens")
        if not self.text.strip():
            refuse(f"prompt '{self.id}' has no text")
        return self


class ModuleFields(Strict):
    """A module's front matter."""

    slug: Slug
    title: Text
    summary: Annotated[
        Text,
        rule(lambda v: not isinstance(v, str) or len(v) <= 300, "must be 300 characters or fewer"),
    ]
    principles: Annotated[
        list[Principle], rule(lambda v: isinstance(v, list) and v, "must be a non-empty list")
    ]
    minutes: Annotated[int, rule(_whole(1, 240), "must be a whole number from 1 to 240")]
    version: Annotated[int, rule(_whole(1, 10_000), "must be a whole number from 1 to 10000")]
    prompts: Annotated[
        list[PromptFields],
        rule(lambda v: isinstance(v, list) and v, "must be a list of {id, text}"),
    ]


_front_matter = frontmatter.YAMLHandler()


def parse_module(path):
    """Parse one module file; returns ``(module or None, faults)``.

    Links to other pages come back as faults to check against the whole library:
    ``(module, [Fault(path, line, link), ...])``.
    """
    text = path.read_text(encoding="utf-8")
    if not _front_matter.detect(text):
        return None, [Fault(path, 1, "file must start with '---' and YAML front matter")]
    try:
        front, body = _front_matter.split(text)
    except ValueError:
        return None, [Fault(path, 1, "front matter is not closed with '---'")]
    front_line = text.count("\n", 0, text.find(front, 3)) + 1
    body_offset = len(text) - len(body)
    if body.startswith("\n"):  # the end of the closing '---' line
        body, body_offset = body[1:], body_offset + 1
    body_start = text.count("\n", 0, body_offset)  # the line of the closing '---'
    try:
        meta, lines = read_yaml(path, front, front_line, what="front matter is not valid YAML")
    except ContentError as exc:
        return None, exc.faults
    if not isinstance(meta, dict):
        return None, [Fault(path, 2, "front matter must be a mapping of fields")]
    fields, faults = validate(ModuleFields, meta, path, lines)
    if isinstance(meta.get("slug"), str) and _is_slug(meta["slug"]) and meta["slug"] != path.stem:
        line = line_of(lines, ("slug",))
        faults.append(
            Fault(path, line, f"slug '{meta['slug']}' must match the file name '{path.stem}'")
        )
    seen = set()
    for index, prompt in enumerate(fields.prompts if fields else ()):
        if prompt.id in seen:
            line = line_of(lines, ("prompts", index))
            faults.append(Fault(path, line, f"duplicate prompt id '{prompt.id}'"))
        seen.add(prompt.id)
    if not body.strip():
        faults.append(Fault(path, body_start + 1, "the module has no body text"))
    if faults:
        return None, faults
    module = Module(
        slug=fields.slug,
        title=fields.title.strip(),
        summary=fields.summary.strip(),
        principles=tuple(fields.principles),
        minutes=fields.minutes,
        version=fields.version,
        prompts=tuple(Prompt(p.id, p.text.strip()) for p in fields.prompts),
        body_html=markdown.render(body),
        path=path,
        words=len(body.split()),
        search_text=f"{fields.title} {fields.summary}".lower(),
    )
    return module, [Fault(path, body_start + n, m) for n, m in _internal_links(body)]


def _internal_links(body):
    """(line, link) pairs for every on-site link; checked against the library later."""
    for number, line in enumerate(body.splitlines(), start=1):
        for link in INTERNAL_LINK_RE.findall(line):
            yield number, link


def load_library(content_dir):
    """Parse and validate every module in ``content_dir``; raise ContentError on any fault."""
    folder = Path(content_dir) / "modules"
    modules, faults, links = {}, [], []
    paths = sorted(folder.glob("*.md"))
    if not paths:
        raise ContentError([Fault(folder, 0, "no modules found")])
    for path in paths:
        module, found = parse_module(path)
        if module is None:
            faults.extend(found)
            continue
        links.extend(found)
        if module.slug in modules:
            faults.append(
                Fault(
                    path,
                    2,
                    f"duplicate slug '{module.slug}' (also in {modules[module.slug].path.name})",
                )
            )
            continue
        modules[module.slug] = module
    for link in links:
        target = link.message
        match = MODULE_LINK_RE.match(target)
        if not match:
            faults.append(
                Fault(
                    link.path,
                    link.line,
                    f"internal link '{target}' must point to a module, as /modules/<slug>",
                )
            )
        elif match.group(1) not in modules:
            faults.append(
                Fault(link.path, link.line, f"broken link to unknown module '{match.group(1)}'")
            )
    instruments = {}
    for path in sorted((Path(content_dir) / "selfchecks").glob("*.yml")):
        instrument, found = parse_instrument(path)
        faults.extend(found)
        if instrument is None:
            continue
        key = (instrument.slug, instrument.version)
        if key in instruments:
            faults.append(
                Fault(
                    path,
                    1,
                    f"instrument '{instrument.slug}' version "
                    f"{instrument.version} is also in "
                    f"{instruments[key].path.name}",
                )
            )
            continue
        instruments[key] = instrument
    if faults:
        raise ContentError(faults)
    ordered = dict(sorted(modules.items(), key=lambda item: item[1].title.lower()))
    return Library(ordered, instruments)


# -- Self-check instruments: YAML files --


def _full_scale(value):
    return (
        isinstance(value, dict)
        and sorted(value, key=str) == [0, 1, 2, 3, 4]
        and all(_is_text(v) for v in value.values())
    )


class ItemFields(Strict):
    id: Annotated[str, BeforeValidator(str)]
    text: str

    @model_validator(mode="after")
    def _checked(self):
        if not SLUG_RE.match(self.id):
            refuse(f"item id '{self.id}' must be lowercase words joined by hyphens")
        if not self.text.strip():
            refuse(f"item '{self.id}' has no text")
        return self


class SectionFields(Strict):
    key: Principle
    note_prompt: Annotated[str, BeforeValidator(str)]
    items: list[ItemFields]


class InstrumentFields(Strict):
    """A self-check instrument file."""

    slug: Slug
    version: Annotated[int, rule(_whole(1), "must be a whole number from 1")]
    title: Text
    introduction: Text
    scale: Annotated[
        dict[int, str], rule(_full_scale, "must describe each point 0, 1, 2, 3 and 4 in words")
    ]
    principles: Annotated[
        list[SectionFields],
        rule(
            lambda v: isinstance(v, list) and v,
            "must be a list of {key, note_prompt, items}",
        ),
    ]
    retired: bool = False


def parse_instrument(path):
    """Parse one self-check instrument file; returns ``(instrument or None, faults)``."""
    try:
        meta, lines = read_yaml(path)
    except ContentError as exc:
        return None, exc.faults
    fields, faults = validate(InstrumentFields, meta, path, lines)
    if fields is None:
        return None, faults
    sections, seen_items, seen_keys = [], set(), set()
    for number, raw in enumerate(fields.principles):
        line = line_of(lines, ("principles", number))
        if raw.key in seen_keys:
            faults.append(Fault(path, line, f"principle '{raw.key}' appears twice"))
            continue
        seen_keys.add(raw.key)
        for index, item in enumerate(raw.items):
            if item.id in seen_items:
                item_line = line_of(lines, ("principles", number, "items", index))
                faults.append(Fault(path, item_line, f"duplicate item id '{item.id}'"))
            seen_items.add(item.id)
        if not raw.items:
            faults.append(Fault(path, line, f"principle '{raw.key}' has no items"))
        items = tuple(Item(i.id, i.text.strip(), raw.key) for i in raw.items)
        sections.append(Section(raw.key, raw.note_prompt.strip(), items))
    if faults:
        return None, faults
    return Instrument(
        slug=fields.slug,
        version=fields.version,
        title=fields.title.strip(),
        introduction=fields.introduction.strip(),
        scale=tuple(fields.scale[n].strip() for n in range(5)),
        sections=tuple(sections),
        path=path,
        is_retired=fields.retired,
    ), []


_cache = {}
_cache_lock = threading.Lock()


def _signature(content_dir):
    folder = Path(content_dir)
    return tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


def cached_library(content_dir):
    """The library for ``content_dir``, parsed again only when its files changed."""
    key = (str(Path(content_dir).resolve()), _signature(content_dir))
    with _cache_lock:
        if key not in _cache:
            if len(_cache) >= 4:
                _cache.clear()
            _cache[key] = load_library(content_dir)
        return _cache[key]


_NEVER_CHECKED = object()


class ContentState:
    """The library one process serves, and how it learns of reloads in other processes.

    An admin's reload re-parses the files in the process that served it and
    writes a ``content.reloaded`` audit entry; every other process notices the
    newer entry (checked at most every ``SYNC_SECONDS``) and re-parses too.
    """

    SYNC_SECONDS = 10

    def __init__(self, content_dir):
        self.content_dir = content_dir
        self.library = cached_library(content_dir)
        self.generation = _NEVER_CHECKED
        self.checked_at = 0.0

    def reload(self):
        """Parse the files again; on any fault keep serving the current library."""
        self.library = load_library(self.content_dir)
        return self.library

    def sync(self, latest_generation_query):
        now = time.monotonic()
        if now - self.checked_at < self.SYNC_SECONDS:
            return
        self.checked_at = now
        latest = latest_generation_query()
        if self.generation is not _NEVER_CHECKED and latest != self.generation:
            # The admin who reloaded saw any faults; keep serving what works.
            with contextlib.suppress(ContentError):
                self.reload()
        self.generation = latest


def sync_with_other_processes():
    """before_request: pick up a reload another process performed (throttled)."""
    if request.endpoint in (None, "static", "site.healthz"):
        return
    current_app.extensions["content"].sync(_latest_reload_id)


def _latest_reload_id():
    return db.session.scalar(
        db.select(db.func.max(AuditEntry.id)).where(AuditEntry.action == RELOAD_ACTION)
    )


RELOAD_ACTION = "content.reloaded"
