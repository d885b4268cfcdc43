"""`alertsync export`: the project's live alerts as an alerts file, ready to commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output
from alertsync.cli.options import connection_options, environment_options
from alertsync.core.export import DEFAULT_SCHEMA_URL
from alertsync.errors import EXIT_OK

if TYPE_CHECKING:
    from alertsync.envsetup import Choice
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
    "--env-file",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the webhook, Discord and Teams URLs the file's url_env variables name to "
    "this dotenv file (owner-only permissions). They are never printed.",
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
    choice: Choice,
    output_file: str | None,
    name_prefix: str | None,
    env_file: str | None,
    schema_url: str | None,
) -> int:
    """Write the project's live alerts as an alerts file, ready to commit.

    Insights appear as short ids and subscribers as emails, defaults and server-owned
    fields are left out, and alerts are sorted by name. Destinations come with their
    alert: Slack by workspace and channel names, webhook, Discord and Teams URLs as
    `url_env` variables (their values only ever go to --env-file). A plan of the exported
    file against the same project, with those variables set, prints `No changes.` With
    alertsync.toml, --env NAME exports that environment's project.

    \b
    Example:
      alertsync export --output alerts/alerts.yaml --env-file .env.alerts
      set -a; . ./.env.alerts; set +a
      alertsync plan alerts/        # No changes.
    """
    from alertsync import envflow, flow
    from alertsync.cli.environments import setup_for
    from alertsync.edges.files import write_output, write_secret_env
    from alertsync.edges.schemas import write_schema_beside

    setup = setup_for(choice, ())
    url = schema_url or DEFAULT_SCHEMA_URL
    if setup is None:
        exported = flow.export(remote, name_prefix or None, url)
    else:
        exported = envflow.export(setup, remote, name_prefix or None, url)
    for note in exported.notes:
        output.err(f"Note: {note}")
    if env_file and exported.urls:
        write_secret_env(env_file, exported.urls)
        output.err(
            f"Wrote {len(exported.urls)} URL variable(s) to {env_file} (readable by you "
            "only; keep it out of git): " + ", ".join(sorted(exported.urls))
        )
    elif env_file:
        output.err(f"Note: no destination URL to write, so {env_file} was not written.")
    elif exported.urls:
        output.err(
            f"Note: the file names {len(exported.urls)} URL variable(s) "
            f"({', '.join(sorted(exported.urls))}); set them before planning. "
            "`--env-file FILE` writes their values to an owner-only file."
        )
    if not output_file:
        click.echo(exported.text, nl=False)
        if schema_url is None:
            output.err(
                f"Note: the $schema comment points at {DEFAULT_SCHEMA_URL} beside the file; "
                "`export --output FILE` writes it there (or pass --schema-url)."
            )
        return EXIT_OK
    schema = write_schema_beside(output_file) if schema_url is None else None
    write_output(output_file, exported.text)
    output.err(f"Wrote {exported.count} alert(s) to {output_file}.")
    if schema is not None:
        output.err(f"Wrote the alerts schema to {schema} (the file's $schema).")
    return EXIT_OK
