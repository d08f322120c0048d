"""Deployment entry point of the scheduled refresh (`prefect.yaml`: `flows/refresh.py:refresh_flow`).

The flow itself lives in the package, `broadsheet.flows.refresh`; this file lets a deployment
name it by path from the repository, without installing anything but the package.
"""

from broadsheet.flows.refresh import refresh_flow

__all__ = ["refresh_flow"]
