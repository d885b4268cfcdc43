"""The PostHog API client and its policies (retries, pacing, settings)."""
