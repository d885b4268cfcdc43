"""The command line (click only): the group, its commands, and the terminal conventions."""

from alertsync.cli.app import cli, main

__all__ = ["cli", "main"]
