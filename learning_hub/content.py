"""The teaching material, loaded from ``content/`` once per process and validated.

Modules are Markdown files with YAML front matter. They are parsed, checked and
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

import yaml
from markupsafe import Markup

from learning_hub import markdown

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
MODULE_FIELDS = {"slug", "title", "summary", "principles", "minutes", "version", "prompts"}
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


def _split_front_matter(path, text, faults):
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        faults.append(Fault(path, 1, "file must start with '---' and YAML front matter"))
        return None, None, 0
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 1
    faults.append(Fault(path, 1, "front matter is not closed with '---'"))
    return None, None, 0


def _key_line(front, key, offset=1):
    """The file line of ``key:`` in the front matter (``offset`` lines precede it)."""
    for number, line in enumerate(front.splitlines(), start=1):
        if re.match(rf"^\s*-?\s*{re.escape(key)}\s*:", line):
            return number + offset
    return offset


def parse_module(path):
    """Parse one module file; returns ``(module or None, faults)``."""
    faults = []
    text = path.read_text(encoding="utf-8")
    front, body, body_start = _split_front_matter(path, text, faults)
    if front is None:
        return None, faults
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return None, [Fault(path, line, f"front matter is not valid YAML: {exc}")]
    if not isinstance(meta, dict):
        return None, [Fault(path, 2, "front matter must be a mapping of fields")]

    def fault(key, message):
        faults.append(Fault(path, _key_line(front, key), message))

    for missing in sorted(MODULE_FIELDS - meta.keys()):
        faults.append(Fault(path, 1, f"missing field '{missing}'"))
    for unknown in sorted(meta.keys() - MODULE_FIELDS):
        fault(unknown, f"unknown field '{unknown}'")
    slug = meta.get("slug")
    if "slug" in meta and (not isinstance(slug, str) or not SLUG_RE.match(slug)):
        fault("slug", "slug must be lowercase words joined by hyphens")
    elif isinstance(slug, str) and slug != path.stem:
        fault("slug", f"slug '{slug}' must match the file name '{path.stem}'")
    for key in ("title", "summary"):
        value = meta.get(key)
        if key in meta and (not isinstance(value, str) or not value.strip()):
            fault(key, f"{key} must be non-empty text")
    if isinstance(meta.get("summary"), str) and len(meta["summary"]) > 300:
        fault("summary", "summary must be 300 characters or fewer")
    principles = meta.get("principles")
    if "principles" in meta:
        if not isinstance(principles, list) or not principles:
            fault("principles", "principles must be a non-empty list")
            principles = []
        for principle in principles:
            if principle not in PRINCIPLES:
                fault(
                    "principles",
                    f"unknown principle '{principle}' (known: {', '.join(PRINCIPLES)})",
                )
    for key, low, high in (("minutes", 1, 240), ("version", 1, 10_000)):
        value = meta.get(key)
        if key in meta and (
            not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
        ):
            fault(key, f"{key} must be a whole number from {low} to {high}")
    prompts = []
    raw_prompts = meta.get("prompts")
    if "prompts" in meta:
        if not isinstance(raw_prompts, list) or len(raw_prompts) < 1:
            fault("prompts", "prompts must be a list of {id, text}")
            raw_prompts = []
        seen = set()
        id_lines = [
            n + 1
            for n, text in enumerate(front.splitlines(), start=1)
            if re.match(r"^\s*-\s*id\s*:", text)
        ]
        for index, item in enumerate(raw_prompts):
            if not isinstance(item, dict) or set(item) != {"id", "text"}:
                fault("prompts", "each prompt needs exactly an 'id' and a 'text'")
                continue
            prompt_id, prompt_text = item["id"], item["text"]
            line = id_lines[index] if index < len(id_lines) else _key_line(front, "prompts")
            if not isinstance(prompt_id, str) or not SLUG_RE.match(prompt_id):
                faults.append(
                    Fault(
                        path,
                        line,
                        f"prompt id '{prompt_id}' must be lowercase words joined by hyphens",
                    )
                )
            elif prompt_id in seen:
                faults.append(Fault(path, line, f"duplicate prompt id '{prompt_id}'"))
            if not isinstance(prompt_text, str) or not prompt_text.strip():
                faults.append(Fault(path, line, f"prompt '{prompt_id}' has no text"))
            seen.add(prompt_id)
            prompts.append(Prompt(str(prompt_id), str(prompt_text).strip()))
    if not body or not body.strip():
        faults.append(Fault(path, body_start + 1, "the module has no body text"))
    if faults:
        return None, faults
    module = Module(
        slug=slug,
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        principles=tuple(principles),
        minutes=meta["minutes"],
        version=meta["version"],
        prompts=tuple(prompts),
        body_html=markdown.render(body),
        path=path,
        words=len(body.split()),
        search_text=f"{meta['title']} {meta['summary']}".lower(),
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


INSTRUMENT_FIELDS = {"slug", "version", "title", "introduction", "scale", "principles"}


def parse_instrument(path):
    """Parse one self-check instrument file; returns ``(instrument or None, faults)``."""
    text = path.read_text(encoding="utf-8")
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Fault(path, mark.line + 1 if mark else 1, f"not valid YAML: {exc}")]
    if not isinstance(meta, dict):
        return None, [Fault(path, 1, "the file must be a mapping of fields")]
    faults = []

    def fault(key, message):
        faults.append(Fault(path, _key_line(text, key, offset=0), message))

    for missing in sorted(INSTRUMENT_FIELDS - meta.keys()):
        faults.append(Fault(path, 1, f"missing field '{missing}'"))
    for unknown in sorted(meta.keys() - INSTRUMENT_FIELDS - {"retired"}):
        fault(unknown, f"unknown field '{unknown}'")
    if faults:
        return None, faults
    if not isinstance(meta["slug"], str) or not SLUG_RE.match(meta["slug"]):
        fault("slug", "slug must be lowercase words joined by hyphens")
    if (
        not isinstance(meta["version"], int)
        or isinstance(meta["version"], bool)
        or meta["version"] < 1
    ):
        fault("version", "version must be a whole number from 1")
    for key in ("title", "introduction"):
        if not isinstance(meta[key], str) or not meta[key].strip():
            fault(key, f"{key} must be non-empty text")
    scale = meta["scale"]
    if (
        not isinstance(scale, dict)
        or sorted(scale) != [0, 1, 2, 3, 4]
        or not all(isinstance(v, str) and v.strip() for v in scale.values())
    ):
        fault("scale", "scale must describe each point 0, 1, 2, 3 and 4 in words")
    sections, seen_items, seen_keys = [], set(), set()
    item_lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^\s*-\s*id\s*:\s*(\S+)", line)
        if match:
            item_lines.setdefault(match.group(1), []).append(number)
    raw_sections = meta["principles"]
    if not isinstance(raw_sections, list) or not raw_sections:
        fault("principles", "principles must be a list of {key, note_prompt, items}")
        raw_sections = []
    for raw in raw_sections:
        if not isinstance(raw, dict) or set(raw) != {"key", "note_prompt", "items"}:
            fault("principles", "each principle needs exactly 'key', 'note_prompt' and 'items'")
            continue
        key = raw["key"]
        line = _value_line_of(text, f"key: {key}")
        if key not in PRINCIPLES:
            faults.append(
                Fault(path, line, f"unknown principle '{key}' (known: {', '.join(PRINCIPLES)})")
            )
            continue
        if key in seen_keys:
            faults.append(Fault(path, line, f"principle '{key}' appears twice"))
            continue
        seen_keys.add(key)
        items = []
        for item in raw["items"] if isinstance(raw["items"], list) else []:
            if not isinstance(item, dict) or set(item) != {"id", "text"}:
                faults.append(Fault(path, line, f"each item of '{key}' needs an 'id' and a 'text'"))
                continue
            item_id = str(item["id"])
            lines = item_lines.get(item_id, [line])
            item_line = lines[1] if item_id in seen_items and len(lines) > 1 else lines[0]
            if not SLUG_RE.match(item_id):
                faults.append(
                    Fault(
                        path,
                        item_line,
                        f"item id '{item_id}' must be lowercase words joined by hyphens",
                    )
                )
            elif item_id in seen_items:
                faults.append(Fault(path, item_line, f"duplicate item id '{item_id}'"))
            if not isinstance(item["text"], str) or not item["text"].strip():
                faults.append(Fault(path, item_line, f"item '{item_id}' has no text"))
            seen_items.add(item_id)
            items.append(Item(item_id, str(item["text"]).strip(), key))
        if not items:
            faults.append(Fault(path, line, f"principle '{key}' has no items"))
        sections.append(Section(key, str(raw["note_prompt"]).strip(), tuple(items)))
    if faults:
        return None, faults
    return Instrument(
        slug=meta["slug"],
        version=meta["version"],
        title=meta["title"].strip(),
        introduction=meta["introduction"].strip(),
        scale=tuple(scale[n].strip() for n in range(5)),
        sections=tuple(sections),
        path=path,
        is_retired=bool(meta.get("retired", False)),
    ), []


def _value_line_of(text, needle):
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


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
    from flask import current_app, request

    if request.endpoint in (None, "static", "site.healthz"):
        return
    current_app.extensions["content"].sync(_latest_reload_id)


def _latest_reload_id():
    from learning_hub.audit import AuditEntry
    from learning_hub.extensions import db

    return db.session.scalar(
        db.select(db.func.max(AuditEntry.id)).where(AuditEntry.action == RELOAD_ACTION)
    )


RELOAD_ACTION = "content.reloaded"
