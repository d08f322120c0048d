"""The package's version: recorded in every release manifest and sent as the fetcher's user agent."""

__version__ = "0.1.0"
