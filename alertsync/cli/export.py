"""`alertsync export`: the project's live alerts as an alerts file, ready to commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output
from alertsync.cli.options import connection_options, environment_options
from alertsync.core.export import DEFAULT_SCHEMA_URL
from alertsync.errors import EXIT_OK

if TYPE_CHECKING:
    from alertsync.envflow import Choice
    from alertsync.flow import Remote


@click.command()
@connection_options
@environment_options
@click.option(
    "--output",
    "-o",
    "output_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of stdout.",
)
@click.option(
    "--name-prefix",
    help="Export only alerts whose name starts with this, as a scoped file.",
)
@click.option(
    "--schema-url",
    default=DEFAULT_SCHEMA_URL,
    show_default=True,
    help="Where the file's yaml-language-server comment points (e.g. a path in your repo).",
)
def export(
    remote: Remote,
    output: Output,
    choice: Choice,
    output_file: str | None,
    name_prefix: str | None,
    schema_url: str,
) -> int:
    """Write the project's live alerts as an alerts file, ready to commit.

    Insights appear as short ids and subscribers as emails, defaults and server-owned
    fields are left out, and alerts are sorted by name. A plan of the exported file
    against the same project prints `No changes.` With alertsync.toml, --env NAME
    exports that environment's project.

    \b
    Example:
      alertsync export --output alerts/alerts.yaml
      alertsync plan alerts/        # No changes.
    """
    from alertsync import envflow, flow
    from alertsync.cli.environments import setup_for
    from alertsync.edges.files import write_output

    setup = setup_for(choice, ())
    if setup is None:
        text, count = flow.export(remote, name_prefix or None, schema_url)
    else:
        text, count = envflow.export(setup, remote, name_prefix or None, schema_url)
    if output_file:
        write_output(output_file, text)
        click.echo(f"Wrote {count} alert(s) to {output_file}.", err=True)
    else:
        click.echo(text, nl=False)
    return EXIT_OK
