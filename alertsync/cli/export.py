"""`alertsync export`: the project's live alerts as an alerts file, ready to commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output
from alertsync.cli.options import connection_options
from alertsync.core.export import DEFAULT_SCHEMA_URL
from alertsync.errors import EXIT_OK

if TYPE_CHECKING:
    from alertsync.flow import Remote


@click.command()
@connection_options
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
    help="Where the file's yaml-language-server $schema comment points (a path relative to "
    f"the file, or a URL). Default: {DEFAULT_SCHEMA_URL} beside the file, which --output "
    "writes there.",
)
def export(
    remote: Remote,
    output: Output,
    output_file: str | None,
    name_prefix: str | None,
    schema_url: str | None,
) -> int:
    """Write the project's live alerts as an alerts file, ready to commit.

    Insights appear as short ids and subscribers as emails, defaults and server-owned
    fields are left out, and alerts are sorted by name. A plan of the exported file
    against the same project prints `No changes.`

    \b
    Example:
      alertsync export --output alerts/alerts.yaml
      alertsync plan alerts/        # No changes.
    """
    from alertsync import flow
    from alertsync.edges.files import write_output
    from alertsync.edges.schemas import write_schema_beside

    text, count = flow.export(remote, name_prefix or None, schema_url or DEFAULT_SCHEMA_URL)
    if not output_file:
        click.echo(text, nl=False)
        if schema_url is None:
            click.echo(
                f"Note: the $schema comment points at {DEFAULT_SCHEMA_URL} beside the file; "
                "`export --output FILE` writes it there (or pass --schema-url).",
                err=True,
            )
        return EXIT_OK
    schema = write_schema_beside(output_file) if schema_url is None else None
    write_output(output_file, text)
    click.echo(f"Wrote {count} alert(s) to {output_file}.", err=True)
    if schema is not None:
        click.echo(f"Wrote the alerts schema to {schema} (the file's $schema).", err=True)
    return EXIT_OK
