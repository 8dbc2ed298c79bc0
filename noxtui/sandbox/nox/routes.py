"""The Nox fake's route tables: the contract's ``/v1`` routes, and its ``/_sandbox`` controls.

``sandbox/app.py`` mounts them beside the Inbox routes and the shared admin controls; every handler runs
through ``endpoint.py`` (idempotency, body cap, envelopes) with the Nox ``Store`` as ``ctx.store``.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from noxtui.sandbox.endpoint import EndpointFactory
from noxtui.sandbox.nox import draft_files
from noxtui.sandbox.nox import handlers_admin as admin
from noxtui.sandbox.nox import handlers_catalog as catalog
from noxtui.sandbox.nox import handlers_context as context
from noxtui.sandbox.nox import handlers_threads as threads
from noxtui.sandbox.nox.store import Store


def nox_routes(factory: EndpointFactory[Store]) -> list[BaseRoute]:
    """Mounted at ``/v1``."""
    r = factory.route
    t = "/messages/threads/{thread_id}"
    return [
        r("/messages/threads", "GET", threads.list_threads),
        r(t, "GET", threads.get_thread),
        r(t + "/projects", "GET", threads.thread_projects),
        r(t + "/labels", "PUT", threads.set_labels),
        r(t + "/coop-status", "PUT", threads.set_coop_status),
        r(t + "/draft", "PUT", threads.save_draft),
        r(t + "/send", "POST", threads.send),
        r(t + "/schedule", "POST", threads.schedule),
        r(t + "/schedule", "DELETE", threads.cancel_schedule, body="none"),
        r(t + "/archive", "POST", threads.archive, body="none"),
        r(t + "/attachments", "GET", threads.list_attachments),
        r(t + "/attachments", "POST", threads.upload_attachment, body="multipart"),
        r(t + "/attachments/{attachment_id}", "DELETE", threads.delete_attachment, body="none"),
        r(t + "/attachments/{attachment_id}", "GET", draft_files.get_attachment),
        r("/messages/creator-filters", "GET", catalog.creator_filters),
        r("/messages/project-filters", "GET", catalog.project_filters),
        r("/messages/labels", "GET", catalog.list_labels),
        r("/messages/coop-statuses", "GET", catalog.coop_statuses),
        r("/messages/templates", "GET", catalog.list_templates),
        r("/messages/templates", "POST", catalog.save_template),
        r("/messages/templates/{template_id}/use", "POST", catalog.use_template),
        r("/messages/senders", "GET", catalog.senders),
        r("/auth/status", "GET", catalog.auth_status),
        r("/email/tasks/{task_id}", "GET", context.email_task),
        r("/email/tasks/{task_id}/report", "GET", context.email_report),
        r("/crm/channels/{creator_id}", "GET", context.crm_channel),
        r("/crm/channels/{creator_id}", "PATCH", context.update_crm_channel),
    ]


def nox_admin_routes(factory: EndpointFactory[Store]) -> list[BaseRoute]:
    """Mounted at ``/_sandbox``, beside the shared controls."""
    r = factory.route
    return [
        r("/threads/{thread_id}/inbound", "POST", admin.simulate_inbound, idempotent=False),
        r("/stats", "GET", admin.stats),
    ]
