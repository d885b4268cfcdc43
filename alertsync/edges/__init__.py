"""The edges: everything that does I/O (files, saved plans, the PostHog API)."""
