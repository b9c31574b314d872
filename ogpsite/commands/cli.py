"""The `ogpsite` command. User mistakes become messages and exit codes, never tracebacks."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__
from ..core.errors import BuildError, OgpsiteError
from ..core.settings import Config
from ..sources.config import find_site, load_config
from ..sources.reader import LANGUAGES

F = TypeVar("F", bound=Callable[..., Any])

def _site_root(context: click.Context, parameter: click.Parameter, given: Path | None) -> Path:
    """`--site` when given; else the nearest folder, here or above, with ogpsite.yml (as git
    finds its repository); else the current folder (a site may be just `content/`)."""
    if given is not None:
        return given
    found = find_site(Path.cwd())
    return Path(os.path.relpath(found)) if found else Path(".")


site_option = click.option(
    "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), callback=_site_root,
    help="Site root: the folder with ogpsite.yml and content/ [default: the nearest folder, here or above, with ogpsite.yml].",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print errors only: no warnings, no summary.")


def verbose_option(what: str) -> Callable[[F], F]:
    return click.option("--verbose", "-v", is_flag=True, help=f"Also print how long each stage of {what} took.")


def refuse_quiet_and_verbose(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose contradict each other: give one")


def reports_errors(command: F) -> F:
    """Turn OgpsiteError into `file:line: message` lines on stderr and exit code 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BuildError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            click.echo(f"ogpsite: {len(error.problems)} error(s); nothing was written", err=True)
            sys.exit(1)
        except OgpsiteError as error:
            click.echo(f"ogpsite: {error}", err=True)
            sys.exit(1)
        except OSError as error:  # the machine's part: a full disk, a folder not ours to write, ...
            click.echo(f"ogpsite: {environment_message(error)}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


# What to do about an error of the machine rather than of the site, by errno.
_REMEDIES = {
    errno.ENOSPC: "no space left on the device: free some space and build again",
    errno.EDQUOT: "disk quota exceeded: free some space and build again",
    errno.EACCES: "permission denied: check the owner and mode of the file or folder, or build into another --output",
    errno.EPERM: "operation not permitted: check the owner and mode of the file or folder, or build into another --output",
    errno.EROFS: "read-only file system: build into a folder you can write (--output)",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and try again",
}


def environment_message(error: OSError) -> str:
    """An OSError as the line a user can act on: what failed, on which path, and what to do.
    A failed build has removed what it had half written; output/ and the cache are as the last build left them."""
    where = " -> ".join(str(name) for name in (error.filename, error.filename2) if name)
    remedy = _REMEDIES.get(error.errno or 0, error.strerror or str(error))
    return f"{where}: {remedy}" if where else remedy


SHOWN_WARNINGS = 20  # a build shows the first few; `ogpsite check` is where to read them all


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ogpsite")
def main() -> None:
    """Build bilingual (Cyrillic/Latin) report archives."""


# What a command leaves to the end of the process (`run` ends it without freeing anything).
_kept_to_exit: list[object] = []


def run() -> None:
    """The `ogpsite` command (and `python -m ogpsite`): `main`, then an exit that skips tearing
    the interpreter down. A build of 20,000 reports leaves about a million objects, which
    Python would free one by one (a twentieth of a warm build); the system takes the process
    back at once. Every command has closed its files and joined its workers and threads by
    then, so output flushed here is all there is to keep."""
    try:
        main()  # click's standalone mode ends in SystemExit
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if code is not None and not isinstance(code, int):  # as the interpreter would: print it, exit 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`ogpsite check | head`) or stream
            pass
    os._exit(code or 0)  # type: ignore[arg-type]  # None or an int by now


@main.command()
@site_option
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), help="Where to write the site [default: SITE/output].")
@click.option("--base-url", help="Public address of the site, e.g. https://owner.github.io/repo/ (overrides ogpsite.yml).")
@click.option("--drafts", is_flag=True, help="Include reports marked `draft: true`.")
@click.option("--no-search", is_flag=True, help="Write no search index or search page (overrides ogpsite.yml `search:`).")
@quiet_option
@verbose_option("the build")
@click.option("--clean", is_flag=True, help="Ignore and replace the build cache (.ogpsite-cache/): rebuild everything.")
@click.option("--verify-incremental", is_flag=True, help="Also build from scratch into a temporary folder and fail if any file differs.")
@reports_errors
def build(site_dir: Path, output_dir: Path | None, base_url: str | None, drafts: bool, no_search: bool, quiet: bool, verbose: bool, clean: bool,
          verify_incremental: bool) -> None:
    """Build the site: both script editions, indexes, feeds, sitemap (incremental and parallel)."""
    from .build import build_site

    refuse_quiet_and_verbose(quiet, verbose)
    _kept_to_exit[:] = [build_site(site_dir, output_dir, base_url, drafts, no_search, quiet, clean, verify_incremental, SHOWN_WARNINGS, verbose)]


@main.command()
@click.option("--to", "script", type=click.Choice(["latin", "cyrillic"]), required=True, help="Target script.")
@click.option("--html", "is_html", is_flag=True, help="Input is HTML: keep tags, attributes and code as they are.")
@click.option("--explain", is_flag=True, help="With --to cyrillic: print, per word kept Latin or with nj/dž split, the rule that decided it.")
@click.option("--errors", "decode_errors", type=click.Choice(["strict", "replace"]), default="strict", show_default=True,
              help="Bytes that are not UTF-8: strict stops with their offset; replace reads them as U+FFFD.")
@site_option
@click.argument("source", type=click.File("rb"), default="-")
@reports_errors
def translit(script: str, is_html: bool, explain: bool, decode_errors: str, site_dir: Path, source: Any) -> None:
    """Transliterate FILE (or stdin) to stdout, using the site dictionary when there is one."""
    from ..build.pipeline import make_converter
    from .decoding import Utf8Lines
    from .translit import explain as explain_words
    from .translit import transliterate

    name = str(getattr(source, "name", "-"))
    source = Utf8Lines(source, "stdin" if name in ("-", "<stdin>") else name, decode_errors)

    if explain and (script != "cyrillic" or is_html):
        raise click.UsageError("--explain explains the Latin -> Cyrillic direction of text: use it with --to cyrillic, without --html")
    converter = make_converter(load_config(site_dir))
    out = click.open_file("-", "w", encoding="utf-8")  # stdout as UTF-8 whatever the locale (get_text_stream is deprecated)
    if explain:
        explain_words(converter, source, out)
    elif is_html:  # tags and <pre> blocks span lines: HTML is converted whole
        out.write(converter.convert_html(source.read(), script))
    else:
        transliterate(converter, source, script, out)


@main.command()
@site_option
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option("--drafts", is_flag=True, help="Check the site as `build --drafts` would build it.")
@click.option("--base-url", help="Check with this public address, as `build --base-url` would.")
@click.option("--format", "style", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text: `file:line: message`; github: annotations on a pull request's diff (GitHub Actions); json: for other tools.")
@quiet_option
@verbose_option("the check")
@reports_errors
def check(site_dir: Path, strict: bool, drafts: bool, base_url: str | None, style: str, quiet: bool, verbose: bool) -> None:
    """Validate everything a build reads, write nothing; print each problem as `file:line: message`."""
    from ..build.incremental import Stopwatch
    from ..core.errors import errors_only
    from .build import stage_lines
    from .check import check as run_check
    from .check import format_problems

    refuse_quiet_and_verbose(quiet, verbose)
    clock = Stopwatch()
    problems = run_check(site_dir, {"base_url": base_url}, drafts=drafts, clock=clock)
    errors = len(errors_only(problems))
    warnings = len(problems) - errors
    for line in format_problems(errors_only(problems) if quiet else problems, style, site_dir):
        click.echo(line)
    if verbose:  # on stderr, as the summary: `--format json` keeps stdout one document
        for line in stage_lines(clock.stages):
            click.echo(line, err=True)
    if not quiet:
        click.echo(f"ogpsite check: {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option("--title", default=Config.title, show_default=True, help="The archive's name, in either script.")
@click.option("--language", type=click.Choice(LANGUAGES), default=Config.language, show_default=True, help="Interface language, dates and plurals.")
@click.option("--default-script", type=click.Choice(["cyrillic", "latin"]), default=Config.default_script, show_default=True,
              help="The edition `/` sends first-time readers to.")
@click.option("--base-url", default=Config.base_url, show_default=True, help="The address the site will be published at.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (an existing file is never overwritten).")
@reports_errors
def init(directory: Path, title: str, language: str, default_script: str, base_url: str, force: bool) -> None:
    """Start a site in DIRECTORY: settings, two sample reports, the editors' README and a GitHub workflow."""
    from .init import SiteSettings, init_site

    written, kept = init_site(directory, SiteSettings(title, language, default_script, base_url), force)
    for name in written:
        click.echo(f"wrote {(directory / name).as_posix()}")
    for name in kept:
        click.echo(f"kept {(directory / name).as_posix()} (it was there)")
    where = "" if directory == Path(".") else f"cd {directory} && "
    click.echo(f"next: {where}ogpsite serve --open", err=True)


@main.command()
@click.argument("title")
@click.option("--institution", "institutions", multiple=True, help="An institution the report is about (repeat for more).")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="The report's date, YYYY-MM-DD [default: today].")
@click.option("--script", type=click.Choice(["cyrillic", "latin"]), help="The script the report is written in [default: the title's].")
@site_option
@reports_errors
def new(title: str, institutions: tuple[str, ...], on: Any, script: str | None, site_dir: Path) -> None:
    """Write content/reports/YYYY/<slug>.md with its front matter filled in; never overwrite."""
    from datetime import date

    from .new import new_report

    path = new_report(site_dir, title, institutions, on.date() if on else date.today(), script)  # type: ignore[arg-type]  # click.Choice narrows it
    click.echo(path.as_posix())


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--from", "kind", type=click.Choice(["auto", "wxr", "feed", "html", "text"]), default="auto", show_default=True,
              help="What the inputs are: a WordPress export, an RSS/Atom feed, saved HTML pages, plain text; auto: by name and content.")
@click.option("--dry-run", is_flag=True, help="Derive and print everything, write no report.")
@click.option("--report", "report", type=click.Path(dir_okay=False, path_type=Path), help="Write a CSV with one row per input item: what was derived, guessed or not found.")
@click.option("--uploads", type=click.Path(exists=True, file_okay=False, path_type=Path), help="A copy of WordPress's wp-content/uploads folder: attachments are taken from it.")
@click.option("--no-fetch", is_flag=True, help="Never download an attachment missing from --uploads (it is listed in the notes).")
@click.option("--add-unregistered", is_flag=True, help="Also put institutions that are not in the registry into the front matter.")
@site_option
@reports_errors
def import_command(paths: tuple[Path, ...], kind: str, dry_run: bool, report: Path | None, uploads: Path | None, no_fetch: bool,
                   add_unregistered: bool, site_dir: Path) -> None:
    """Import reports from PATH... (files or folders) into content/reports; never overwrite a report."""
    from ..importer.run import ImportOptions
    from .importing import import_sources

    options = ImportOptions(kind, dry_run, add_unregistered, uploads, fetch=not no_fetch)
    import_sources(site_dir, list(paths), options, report, echo=click.echo)


@main.command()
@site_option
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--base-url", help="Serve under this address's path, e.g. https://owner.github.io/repo/ (overrides ogpsite.yml).")
@click.option("--drafts", is_flag=True, help="Include reports marked `draft: true`.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the default web browser once it is served.")
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, and the address served: no warnings, no line per change or rebuild.")
@verbose_option("each rebuild")
@reports_errors
def serve(site_dir: Path, port: int, host: str, base_url: str | None, drafts: bool, open_browser: bool, quiet: bool, verbose: bool) -> None:
    """Build, serve on HOST:PORT under the base path, rebuild on every change and reload open pages."""
    from .serve import serve as run_serve

    refuse_quiet_and_verbose(quiet, verbose)
    run_serve(site_dir, host, port, {"base_url": base_url}, drafts, log=lambda line: click.echo(line, err=True), open_browser=open_browser,
              quiet=quiet, verbose=verbose)
