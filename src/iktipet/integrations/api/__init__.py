"""REST API v1 (django-ninja): one module per resource, mounted on :data:`api`."""

from iktipet.integrations.api import answers, case_actions, cases, catalog, documents, events
from iktipet.integrations.api.base import api

api.add_router("/catalog", catalog.router)
api.add_router("/cases", cases.router)
api.add_router("/cases", documents.router)
api.add_router("/cases", answers.router)
api.add_router("/cases", case_actions.router)
api.add_router("/events", events.router)

__all__ = ["api"]
