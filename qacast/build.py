"""A show's build: every script of scripts/ planned, what changed rendered, the
feed and the site written, as one transaction (see qacast/transaction.py).

plan (read every script; refuse clashing slugs and numbers) --> record every
episode's identity (number, guid, first day) --> per script: current? publish
the record : render (qacast/pipeline.py) and record --> a script that fails
keeps its last good episode --> feed.xml, site
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import functools
import stat
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from qacast.config import ShowConfig
from qacast.episode import slugify
from qacast.errors import ConfigError, OutputError, QacastError, ScriptError
from qacast.fsutil import (
    atomic_write_bytes,
    check_script_size,
    ensure_writable_dir,
    stage_writes_in,
    write_if_changed,
)
from qacast.manifest import (
    EpisodeRecord,
    Identity,
    StateLayout,
    fingerprint,
    load_identities,
    load_record,
    recorded_slugs,
    save_identities,
    save_record,
)
from qacast.models import Episode
from qacast.parse_cache import ParsedScripts, load_parsed, save_parsed
from qacast.publish.catalog import episode_guid
from qacast.render_inputs import RenderInputs, render_inputs
from qacast.script.read import file_number, image_file, list_scripts, read_episode
from qacast.stamps import file_metadata, own_code
from qacast.transaction import remove_stale_files

# The render pipeline, the parser, numpy and the speech engines are imported
# where they are used: a build with nothing to render or parse never loads them.
if TYPE_CHECKING:
    from qacast.pipeline import RenderedEpisode
    from qacast.publish.catalog import PublishedEpisode
    from qacast.publish.schedule import Scheduled
    from qacast.render_env import RenderResources, RenderSettings


@dataclass(frozen=True)
class BuildReport:
    rendered: tuple[str, ...]  # slugs rendered this time
    unchanged: tuple[str, ...]  # slugs whose inputs had not changed
    failed: tuple[str, ...]  # one line per script that could not be built
    feed_written: bool
    removed: tuple[str, ...] = ()  # slugs whose script is gone: their files were removed
    skipped: tuple[str, ...] = ()  # one line per file or draft not built, saying why
    # One line per episode rendered but dated after now: "SLUG: scheduled for ...".
    scheduled: tuple[str, ...] = ()


# (script, settings, resources, the episode's number, the date it is tagged
# with when its script gives none) -> the rendered episode
Renderer: TypeAlias = (
    "Callable[[Path, RenderSettings, RenderResources, int, dt.date], RenderedEpisode]"
)


def render_locally(
    script: Path, settings: RenderSettings, resources: RenderResources, number: int, date: dt.date
) -> RenderedEpisode:
    from qacast.pipeline import render_episode

    return render_episode(script, settings, resources, number, date)


@dataclass(frozen=True)
class BuildOptions:
    """How one build goes about its work."""

    today: dt.date  # the first day of an episode this build is the first to set out to publish
    episodes_at_once: int = 1  # rendered side by side (-j here; more on a cluster)
    render: Renderer = render_locally  # here, or on a cluster (qacast/remote.py)
    rerender: bool = False  # --no-cache: every episode rendered, current or not
    # What is due: episodes dated after it are rendered but not published
    # (qacast/publish/schedule.py). None: the system clock.
    now: dt.datetime | None = None


@dataclass(frozen=True)
class ShowBuild:
    """What every episode of one build shares, handed whole to each episode's build."""

    settings: RenderSettings
    resources: RenderResources
    options: BuildOptions
    state: StateLayout
    records: Mapping[str, EpisodeRecord]  # slug -> its record, as the build loaded them


def build_show(
    settings: RenderSettings, resources: RenderResources, options: BuildOptions
) -> BuildReport:
    """Render what changed in scripts/ (``options.episodes_at_once`` at a time,
    here or on a cluster), then write the feed and the site.

    The build holds the show's lock throughout and first removes what a killed
    build left (qacast/transaction.py). Everything the whole show depends on
    (slugs, episode numbers, music) is checked, and every episode's identity
    recorded, before anything renders.
    """
    from qacast.transaction import clean_leftovers, show_lock

    state = StateLayout.of_show(settings.show.show_dir)
    with show_lock(state, on_wait=resources.progress.log):
        own_cache = resources.clips is not None and resources.clips.directory == state.cache
        for line in clean_leftovers(state, resources.out_dir, state.cache if own_cache else None):
            resources.progress.log(line)
        with stage_writes_in(state.work):
            # Work files in the show's .qacast/work: on out/'s file system (files
            # move into place by rename), and cleaned up after a killed build.
            working = dataclasses.replace(resources, work_root=state.work)
            return _build_locked(settings, working, options, state)


def _build_locked(
    settings: RenderSettings, resources: RenderResources, options: BuildOptions, state: StateLayout
) -> BuildReport:
    from qacast.transaction import remove_gone_episodes

    show, out_dir = settings.show, resources.out_dir
    scripts, skipped = find_scripts(show.show_dir / "scripts")
    parsed = load_parsed(state)
    records = recorded_identities(state, out_dir)
    known = known_identities(state, records)
    plans = plan_scripts(show, scripts, known, parsed)
    save_parsed(state, parsed)
    plans = identify_episodes(plans, known, show, options.today)
    build = ShowBuild(settings, resources, options, state, records)
    prepare_renders(plans, build)
    ensure_writable_dir(out_dir)
    # Every identity in one write before anything renders: a build killed
    # half-way leaves the next one the very numbers, guids and dates it would
    # have published, whichever episodes it had finished.
    save_identities(state, identity_ledger(plans, known))
    removed = remove_gone_episodes(state, out_dir, {plan.slug for plan in plans})
    for slug in removed:
        resources.progress.log(f"removed {slug}: its script is gone")
    one = functools.partial(build_episode, build=build)
    outcomes = build_episodes(plans, one, options.episodes_at_once)
    published = [o.published for o in outcomes if o.published]
    failed = tuple(o.error for o in outcomes if o.error)
    due, scheduled = _due_and_scheduled(published, options.now, out_dir, state)
    # With every episode failed there is nothing to announce: an empty
    # feed would make apps drop the show's episodes.
    feed_written = bool(published or not failed) and publish(show, due, out_dir, state)
    return BuildReport(
        rendered=tuple(o.slug for o in outcomes if o.rendered),
        # A failed script whose last good episode stays published is failed, not unchanged.
        unchanged=tuple(o.slug for o in outcomes if o.published and not (o.rendered or o.error)),
        failed=failed,
        feed_written=feed_written,
        removed=tuple(removed),
        skipped=skipped + tuple(o.skipped for o in outcomes if o.skipped),
        scheduled=tuple(s.line() for s in scheduled),
    )


def _due_and_scheduled(
    published: list[PublishedEpisode], now: dt.datetime | None, out_dir: Path, state: StateLayout
) -> tuple[list[PublishedEpisode], list[Scheduled]]:
    """The episodes due by ``now`` (the feed's and the site's), and those dated
    after it, recorded for ``publish`` to hold back."""
    from qacast.publish.schedule import record_scheduled, split_due

    due, scheduled = split_due(published, now or dt.datetime.now(dt.timezone.utc), out_dir)
    record_scheduled(state, scheduled)
    return due, scheduled


def prepare_renders(plans: list[ScriptPlan], build: ShowBuild) -> None:
    """When anything is to render: check the show's music (exit 3 for the whole
    show, not a failure per episode) and start the speech processes."""
    if not (build.options.rerender or any(needs_render(plan, build) for plan in plans)):
        return
    from qacast.audio.music import check_music

    show = build.settings.show
    check_music(show.music, show.show_dir)
    if build.options.render is render_locally:
        build.resources.pool()  # created on this (the main) thread: see voices/pool.py


def build_episodes(
    plans: list[ScriptPlan], build_one: Callable[[ScriptPlan], EpisodeOutcome], jobs: int
) -> list[EpisodeOutcome]:
    """Every plan's outcome, in the plans' order, ``jobs`` episodes at a time."""
    # Threads suffice: the work happens in speech processes, ffmpeg and numpy.
    episodes = ThreadPoolExecutor(max_workers=jobs)
    try:
        # Longest first: the last episodes to start are short ones, so both
        # cores stay busy until near the end instead of one waiting on a long
        # straggler. Outcomes keep the scripts' order: the order of work
        # changes no byte.
        futures = {
            plan.slug: episodes.submit(build_one, plan)
            for plan in sorted(plans, key=expected_work, reverse=True)
        }
        outcomes = [futures[plan.slug].result() for plan in plans]
    except BaseException:
        # Ctrl-C or a full disk: start no further episode; the running ones
        # clean up their work folders (their files only ever appear by rename).
        episodes.shutdown(wait=True, cancel_futures=True)
        raise
    episodes.shutdown()
    return outcomes


def publish(
    show: ShowConfig, published: list[PublishedEpisode], out_dir: Path, state: StateLayout
) -> bool:
    """Write the feed and the site, unless what they are made of and the files
    they became are as the last build left them; True when feed.xml changed."""
    key = publish_key(show, published)
    last = state.records / PUBLISHED_NAME
    try:
        if last.read_text(encoding="utf-8") == _published_stamp(key, _last_written(last)):
            return False
    except (OSError, ValueError):
        pass  # never published, or the stamp is damaged: publish
    # Imported here: a plain render never needs feedgen, lxml or Jinja2.
    from qacast.publish.catalog import publish_show_cover
    from qacast.publish.feed import build_feed
    from qacast.publish.site import build_site
    from qacast.transaction import remove_stale_show_cover

    cover = publish_show_cover(show, out_dir)
    remove_stale_show_cover(cover)
    feed_path = out_dir / "feed.xml"
    feed_written = write_if_changed(feed_path, build_feed(show, published, out_dir=out_dir))
    written = [feed_path, cover, *build_site(show, published, out_dir=out_dir)]
    state.records.mkdir(parents=True, exist_ok=True)
    write_if_changed(last, _published_stamp(key, written).encode("utf-8"))
    return feed_written


PUBLISHED_NAME = "published.stamp"  # not .json: the episode records are the *.json


def publish_key(show: ShowConfig, published: list[PublishedEpisode]) -> str:
    """Everything the feed and the site are made of: the show's settings and
    cover, each episode as published and the files the pages read (audio,
    captions, images) by metadata, and qacast's own code and templates."""
    templates = Path(__file__).parent / "templates"
    # Sidecars in one order: a render lists them as it wrote them, a record sorted.
    published = [
        dataclasses.replace(episode, sidecars=dict(sorted(episode.sidecars.items())))
        for episode in published
    ]
    files = [path for episode in published for path in _episode_files(episode)]
    files += [*sorted(templates.iterdir()), *([show.cover] if show.cover else [])]
    files += [show.import_feed] if show.import_feed else []  # its podcast:guid
    return fingerprint(
        [
            ("show", repr(show)),
            ("episodes", repr(published)),
            ("files", repr([(str(path), file_metadata(path)) for path in files])),
            ("qacast", own_code()),
        ]
    )


def _episode_files(episode: PublishedEpisode) -> list[Path]:
    cover = [episode.cover] if episode.cover else []
    return [*(f.path for f in episode.audio), *episode.sidecars.values(), *cover]


def _published_stamp(key: str, written: list[Path]) -> str:
    """The key, then one line per file written: its name and metadata, so a
    page edited or deleted by hand is written again."""
    lines = [key] + [f"{path}\t{file_metadata(path)}" for path in written]
    return "\n".join(lines) + "\n"


def _last_written(stamp: Path) -> list[Path]:
    _, *lines = stamp.read_text(encoding="utf-8").splitlines()
    return [Path(line.split("\t", 1)[0]) for line in lines]


def expected_work(plan: ScriptPlan) -> int:
    """How long an episode's render will take, roughly: the length of its words."""
    episode = plan.episode
    if episode is None:
        return 0
    return sum(len(turn.text) for turn in episode.turns)


@dataclass(frozen=True)
class ScriptPlan:
    """One script of the show as the build found it, read before anything renders."""

    script: Path  # as listed in scripts/ (a symlink stays a symlink)
    position: int  # 1-based place among the show's scripts
    slug: str
    episode: Episode | None  # None when the script cannot be used; else numbered
    problem: QacastError | None = None  # why not, in one line
    number: int | None = None  # the episode's number (see number_episodes)
    identity: Identity | None = None  # its number, guid and first day (see identify_episodes)


def plan_scripts(
    show: ShowConfig,
    scripts: list[Path],
    recorded: Mapping[str, Identity] | None = None,
    parsed: ParsedScripts | None = None,
) -> list[ScriptPlan]:
    """Read every script before anything renders, number the episodes (see
    number_episodes; ``recorded``: every known slug's identity), then
    refuse a show in which two scripts would write the same files or claim the
    same episode number. ``parsed`` holds the episodes of the last build: an
    untouched script's is reused, and it is updated to this build's scripts."""
    parsed = {} if parsed is None else parsed
    last = dict(parsed)
    parsed.clear()
    resolve_dir = functools.cache(Path.resolve)
    plans = []
    for position, script in enumerate(scripts, start=1):
        try:
            check_script_file(script, show, resolve_dir)
            episode = read_parsed(script, show, last, parsed)
            plans.append(ScriptPlan(script, position, slugify(script.stem), episode))
        except QacastError as err:
            plans.append(ScriptPlan(script, position, slugify(script.stem), None, err))
    plans = number_episodes(plans, recorded or {})
    by_slug: dict[str, ScriptPlan] = {}
    by_number: dict[tuple[int, int], ScriptPlan] = {}
    scripts_dir = show.show_dir / "scripts"
    for plan in plans:
        first = by_slug.setdefault(plan.slug, plan)
        if first is not plan:
            raise ScriptError(
                f"{scripts_dir / first.script.name} and {scripts_dir / plan.script.name} "
                f"would both be published as '{plan.slug}'; rename one of them"
            )
        meta = plan.episode.meta if plan.episode else None
        if meta is None or meta.episode_number is None:
            continue
        # An episode without a season is in season 1, as apps list it.
        season_number = meta.season or 1
        first = by_number.setdefault((season_number, meta.episode_number), plan)
        if first is not plan:
            seasons = {meta.season, first.episode.meta.season if first.episode else None}
            season = f"season {season_number}, " if seasons != {None} else ""
            raise ScriptError(
                f"{scripts_dir / first.script.name} and {scripts_dir / plan.script.name} "
                f"are both {season}episode {meta.episode_number}; "
                "give one of them another 'episode:' in its front matter"
            )
    return plans


def recorded_identities(state: StateLayout, out_dir: Path) -> dict[str, EpisodeRecord]:
    """Slug -> its record, for every episode the build state knows."""
    records = {slug: load_record(state, out_dir, slug) for slug in recorded_slugs(state)}
    return {slug: record for slug, record in records.items() if record is not None}


def known_identities(
    state: StateLayout, records: Mapping[str, EpisodeRecord]
) -> dict[str, Identity]:
    """Slug -> identity, as the last build recorded it before it rendered; for
    an episode it did not (a show last built by a qacast that kept identities
    only in the episode records), as its record says."""
    return {**{slug: record.identity for slug, record in records.items()},
            **load_identities(state)}  # fmt: skip


def number_episodes(plans: list[ScriptPlan], recorded: Mapping[str, Identity]) -> list[ScriptPlan]:
    """Give every episode its number, fixed by the first build that sets out to
    publish it, whether that build finishes or not.

    In order of precedence: front matter's ``episode:``; a number the file name
    starts with ("012-title.txt"); the number recorded when a build first set
    out to publish the episode; for a record from before numbers were
    recorded, its place among the scripts (the number it was published with).
    A new episode takes the next number after the highest the show uses
    (front matter, file names and records alike); several new ones take them
    in file-name order. So adding, renaming or removing a script never
    renumbers another episode. A renamed script is a new episode (a new slug,
    guid and number), as its guid says: the old one's files are removed.
    """
    fixed: dict[int, int] = {}  # plan index -> number
    for index, plan in enumerate(plans):
        if plan.episode is None:
            continue
        record = recorded.get(plan.slug)
        number = plan.episode.meta.episode_number
        if number is None:
            number = file_number(plan.script)
        if number is None and record is not None:
            number = record.number if record.number is not None else plan.position
        if number is not None:
            fixed[index] = number
    # A broken script's identity keeps its number taken: its last good episode stays published.
    used = [*fixed.values(), *(r.number for r in recorded.values() if r.number is not None)]
    highest = max(used, default=0)
    numbered = []
    for index, plan in enumerate(plans):
        if plan.episode is None:
            numbered.append(plan)
            continue
        number = fixed.get(index)
        if number is None and plan.episode.meta.draft:
            numbered.append(plan)  # not published: takes a number when it is
            continue
        if number is None:
            highest += 1
            number = highest
        meta = dataclasses.replace(plan.episode.meta, episode_number=number)
        episode = dataclasses.replace(plan.episode, meta=meta)
        numbered.append(dataclasses.replace(plan, episode=episode, number=number))
    return numbered


def identify_episodes(
    plans: list[ScriptPlan], known: Mapping[str, Identity], show: ShowConfig, today: dt.date
) -> list[ScriptPlan]:
    """Give every numbered episode its identity: the guid and first day it has,
    else new ones (the guid of its slug, ``today``), with the number
    number_episodes gave it. A draft takes none until it is published."""
    identified = []
    imported = guids_to_import(plans, show)
    for plan in plans:
        had = known.get(plan.slug)
        if plan.number is None or (had is None and plan.episode and plan.episode.meta.draft):
            identified.append(plan)
            continue
        guid = imported.get(plan.slug) or (had.guid if had and had.guid else None)
        guid = guid or episode_guid(show, plan.slug)
        identity = Identity(plan.number, guid, had.first_built if had else today)
        identified.append(dataclasses.replace(plan, identity=identity))
    return identified


def guids_to_import(plans: list[ScriptPlan], show: ShowConfig) -> dict[str, str]:
    """slug -> the guid the show's imported feed gave the same episode (none
    without ``import_feed``): a show that moves keeps its episodes' guids."""
    if show.import_feed is None:
        return {}
    # Imported here: only a show that moved reads another feed.
    from qacast.publish.continuity import EpisodeKey, imported_guids, read_old_feed

    keys = [
        EpisodeKey(plan.slug, meta.title, meta.season, plan.number)
        for plan in plans
        if plan.episode is not None and plan.number is not None
        for meta in (plan.episode.meta,)
    ]
    return imported_guids(read_old_feed(show.import_feed).items, keys)


def identity_ledger(plans: list[ScriptPlan], known: Mapping[str, Identity]) -> dict[str, Identity]:
    """What a build records before it renders: the identity of every script it
    found (one that cannot be read now keeps the one it had). A script that is
    gone takes its identity along, as it takes its files."""
    ledger = {}
    for plan in plans:
        identity = plan.identity or known.get(plan.slug)
        if identity is not None:
            ledger[plan.slug] = identity
    return ledger


def read_checked(script: Path, show: ShowConfig) -> Episode:
    """The episode of one script (check_script_file passed), still there when
    it is read. Numbered only by its front matter."""
    try:
        episode, _ = read_episode(script, show=show)
    except OSError as err:  # deleted or replaced while the build ran
        raise ScriptError(f"{script.name}: cannot be read ({err.strerror or err})") from None
    return episode


def read_parsed(
    script: Path, show: ShowConfig, last: ParsedScripts, parsed: ParsedScripts
) -> Episode:
    """The script's episode: as the last build parsed it while the file (by
    inode, size and mtime), the show's settings and qacast are unchanged, else
    parsed now."""
    try:
        key = parse_key(script, show)
    except OSError:  # gone since it was checked: read_checked says so in one line
        return read_checked(script, show)
    known = last.get(script.name)
    episode = known[1] if known and known[0] == key else read_checked(script, show)
    # An image that names a file notes whether the file is there: parse again each time.
    if episode.meta.image is None:
        parsed[script.name] = (key, episode)
    return episode


def parse_key(script: Path, show: ShowConfig) -> str:
    status = script.stat()
    metadata = (str(script), status.st_ino, status.st_size, status.st_mtime_ns)
    return fingerprint([("parsed", repr(metadata)), ("show", repr(show)), ("qacast", own_code())])


def check_script_file(
    script: Path, show: ShowConfig, resolve_dir: Callable[[Path], Path] = Path.resolve
) -> None:
    """Symlinks lead to a file inside the show, the file is within the size
    limit. ``resolve_dir``: how a folder is resolved (plan_scripts resolves
    each folder once, not once per script: resolving is a system call per
    path component)."""
    name = script.name
    try:
        if stat.S_ISLNK(script.lstat().st_mode):
            target = script.resolve(strict=True)
        else:
            target = resolve_dir(script.parent) / name
    except RuntimeError:  # Python before 3.13 reports a loop this way
        raise ScriptError(f"{name}: a symlink loop; point it at a script file") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise ScriptError(f"{name}: a symlink loop; point it at a script file") from None
        if script.is_symlink():
            missing = script.readlink()
            raise ScriptError(f"{name}: a symlink to {missing}, which does not exist") from None
        raise ScriptError(f"{name}: cannot be read ({err.strerror or err})") from None
    if not target.is_relative_to(resolve_dir(show.show_dir)):
        raise ScriptError(f"{name}: a symlink that leads outside the show folder, to {target}; "
                          "copy the script into scripts/")  # fmt: skip
    if not target.is_file():
        raise ScriptError(f"{name}: not a file")
    check_script_size(script, show.max_script_bytes)


@dataclass(frozen=True)
class EpisodeOutcome:
    slug: str
    published: PublishedEpisode | None = None
    rendered: bool = False
    error: str = ""  # one line naming the script, when it failed
    skipped: str = ""  # one line naming the script, when it is a draft


def needs_render(plan: ScriptPlan, build: ShowBuild) -> bool:
    """Whether the plan's inputs differ from its last render's (or it has none)."""
    if plan.episode is None or plan.episode.meta.draft:
        return False  # nothing to render: build_episode reports it
    record = build.records.get(plan.slug)
    try:
        _, inputs = current_inputs(episode_inputs(plan, build.settings), record)
    except (OSError, QacastError):
        return True  # build_episode will report it
    return not is_current(record, inputs)


def episode_inputs(plan: ScriptPlan, settings: RenderSettings) -> RenderInputs:
    """What the plan's render would read: its number and first day as its identity says."""
    first_built = plan.identity.first_built if plan.identity else None
    image = image_file(plan.episode.meta.image, plan.script) if plan.episode else None
    return render_inputs(plan.script, settings, plan.number, first_built, image)


def current_inputs(inputs: RenderInputs, record: EpisodeRecord | None) -> tuple[str, str]:
    """The stamp and the fingerprint of ``inputs`` now. While the stamp (file
    metadata, see qacast/render_inputs.py) is the one recorded, the recorded
    fingerprint stands and nothing is read or hashed. The stamp is taken
    first: a file that changes while it is hashed leaves a stale stamp, which
    only costs a hash next time."""
    stamp = inputs.stamp()
    if record is not None and record.stamp == stamp:
        return stamp, record.inputs
    return stamp, inputs.fingerprint()


def is_current(record: EpisodeRecord | None, inputs: str) -> bool:
    """The last render was made from these very inputs and its files are all there."""
    return bool(record and record.inputs == inputs and record.outputs_present())


KEPT_HINT = "its last good version stays published; fix the script and build again"


def build_episode(plan: ScriptPlan, build: ShowBuild) -> EpisodeOutcome:
    """Render one script unless its last render is still current; never raises
    for a bad script, so one broken episode does not stop the show. A script
    that breaks after it was published keeps its last good episode published.
    A full disk (OutputError) stops the build: nothing else could be written."""
    script, slug = plan.script, plan.slug
    record = build.records.get(slug)
    try:
        if plan.problem is not None or plan.episode is None:
            raise plan.problem or ScriptError(f"{script.name}: cannot be read")
        if plan.episode.meta.draft:
            where = f"{script.parent.name}/{script.name}"
            return EpisodeOutcome(
                slug, skipped=f"{where}: a draft (front matter draft: true), not published"
            )
        current, rendered = current_record(plan, build, record)
        show = build.settings.show
        return EpisodeOutcome(slug, published_episode(show, plan.episode, current), rendered)
    except OutputError:
        raise
    except (QacastError, OSError) as err:
        # An OSError here is an input that vanished or changed mid-render:
        # this episode's failure, in one line, not a traceback for the show.
        message = str(_vanished(script, err) if isinstance(err, OSError) else err)
        line = message if script.name in message else f"{script.name}: {message}"
        kept = last_good_episode(build, plan, record)
        return EpisodeOutcome(slug, published=kept, error=f"{line}; {KEPT_HINT}" if kept else line)


def current_record(
    plan: ScriptPlan, build: ShowBuild, record: EpisodeRecord | None
) -> tuple[EpisodeRecord, bool]:
    """The plan's record, rendered again first when its inputs changed since
    ``record`` (its last) or the build renders everything; True when rendered."""
    state = build.state
    try:
        stamp, inputs = current_inputs(episode_inputs(plan, build.settings), record)
    except OSError as err:  # the script, preset or music vanished since the build began
        raise _vanished(plan.script, err) from None
    identity = plan.identity
    assert identity is not None  # identify_episodes gives every published plan one
    rendered = build.options.rerender or not is_current(record, inputs)
    # Unchanged inputs since the last build, whose copy of the script is already kept.
    untouched = not rendered and record is not None and record.stamp == stamp
    if rendered:
        record = render_and_record(plan, build, (record, stamp, inputs))
    elif record is not None and (record.identity, record.stamp) != (identity, stamp):
        # A record from before identities were recorded: fix them now. A
        # touched, unchanged input: note its metadata, so that the next
        # build need not hash it again.
        record = dataclasses.replace(
            record, number=identity.number, guid=identity.guid,
            first_built=identity.first_built, stamp=stamp,
        )  # fmt: skip
        save_record(state, record)
    assert record is not None
    if not (untouched and (state.last_good / plan.script.name).is_file()):
        keep_last_good(state, plan.script)
    return record, rendered


def render_and_record(
    plan: ScriptPlan, build: ShowBuild, last: tuple[EpisodeRecord | None, str, str]
) -> EpisodeRecord:
    """Render the plan's episode as its identity says, record it, and remove
    the files of its last render that this one did not write again. ``last``:
    its last record, and the stamp and fingerprint of its inputs now."""
    record, stamp, inputs = last
    identity = plan.identity
    assert identity is not None and identity.number is not None  # see identify_episodes
    # A script without a date is tagged with the day it was first published,
    # so the file's date tag and the feed's pubDate agree.
    result = build.options.render(
        plan.script, build.settings, build.resources, identity.number, identity.first_built
    )
    used = result.cache_keys  # None without a cache, or on a cluster (its workers keep theirs)
    if used is None and record is not None and record.inputs == inputs:
        # The same inputs use the same entries (each is a pure function of its key).
        used = frozenset(record.cache_keys) if record.cache_keys is not None else None
    new = EpisodeRecord(
        plan.slug, inputs, result.files, result.sidecars, result.timeline.chapters, result.cover,
        identity.first_built, identity.number, identity.guid,
        None if used is None else tuple(sorted(used)), stamp,
    )  # fmt: skip
    if record:
        remove_stale_files(record.output_paths(), new.output_paths())
    save_record(build.state, new)
    return new


def _vanished(script: Path, err: OSError) -> ScriptError:
    what = Path(err.filename).name if err.filename else script.name
    if what == script.name:
        return ScriptError(f"{script.name}: cannot be read ({err.strerror or err})")
    return ScriptError(f"{script.name}: cannot read {err.filename} ({err.strerror or err})")


def keep_last_good(state: StateLayout, script: Path) -> None:
    """Copy the script its episode was built from, for when it later breaks."""
    copy = state.last_good / script.name
    try:
        data = script.read_bytes()
        if copy.is_file() and copy.read_bytes() == data:
            return
        state.last_good.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # only the fallback is lost, not the episode
    atomic_write_bytes(copy, data)


def last_good_episode(
    build: ShowBuild, plan: ScriptPlan, record: EpisodeRecord | None
) -> PublishedEpisode | None:
    """The episode as last built, when its files and its script's copy are all there."""
    copy = build.state.last_good / plan.script.name
    if record is None or not record.outputs_present() or not copy.is_file():
        return None
    show = build.settings.show
    try:
        episode, _ = read_episode(copy, default_number=record.number or plan.position, show=show)
    except (OSError, QacastError):
        return None
    return published_episode(show, episode, record)


def find_scripts(scripts_dir: Path) -> tuple[list[Path], tuple[str, ...]]:
    """The scripts in ``scripts_dir`` by name (a broken symlink is listed, and
    reported later), and one line per file passed over, saying why."""
    if not scripts_dir.is_dir():
        raise ConfigError(f"{scripts_dir}: no scripts folder (qacast init makes one)")
    try:
        listing = list_scripts(scripts_dir)
    except OSError as err:
        raise ConfigError(f"{scripts_dir}: cannot be read ({err.strerror or err})") from None
    return list(listing.scripts), listing.skipped


def published_episode(
    show: ShowConfig, episode: Episode, record: EpisodeRecord
) -> PublishedEpisode:
    from qacast.publish.catalog import PublishedEpisode

    return PublishedEpisode(
        slug=record.slug,
        episode=episode,
        audio=record.files,
        sidecars=record.sidecars,
        chapters=record.chapters,
        cover=record.cover,
        pub_date=episode.meta.date or record.first_built,
        pub_time=episode.meta.time if episode.meta.date else None,
        dated=episode.meta.date is not None,
        # Recorded when first published: a later change of the show's guid
        # namespace or title never gives a published episode a new guid.
        guid=record.guid or episode_guid(show, record.slug),
    )
