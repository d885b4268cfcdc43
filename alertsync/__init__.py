"""alertsync: keep PostHog insight alerts as YAML in git and make a project match them."""

__version__ = "0.1.0"
