"""CRM field plans: one field per plan, only when it changes, refused with a fix when it is wrong."""

from __future__ import annotations

import pytest

from noxtui.domain.base import CoopStatusRef
from noxtui.domain.errors import PlanError
from noxtui.domain.models import CoopStatus, CrmChannel, Label
from noxtui.providers.nox_rest import crm_plans

VIP = Label(label_id="lb_vip", name="VIP", color="red")
HOT = Label(label_id="lb_hot", name="Hot", color="orange")
BEFORE = CrmChannel(
    creator_id="cr_1", coop_status=CoopStatusRef(code="new", name="New"), labels=[VIP], email="a@b.co", url="https://x.co"
)


def test_each_field_is_its_own_patch() -> None:
    status = crm_plans.coop_status(BEFORE, "Mia", CoopStatus(code="deal", name="Deal"))
    assert (status.method, status.path, status.body) == ("PATCH", "/crm/channels/cr_1", {"coop_status": "deal"})
    assert status.summary == "CRM channel of Mia: status New → Deal"
    labels = crm_plans.labels(BEFORE, "Mia", ["lb_vip", "lb_hot"], [VIP, HOT])
    assert labels.body == {"label_ids": ["lb_vip", "lb_hot"]} and "+Hot" in labels.summary
    assert crm_plans.email(BEFORE, "Mia", " new@b.co ").body == {"email": "new@b.co"}
    assert crm_plans.email(BEFORE, "Mia", "").body == {"email": ""}
    assert crm_plans.url(BEFORE, "Mia", "https://y.co/@mia").body == {"url": "https://y.co/@mia"}


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda: crm_plans.coop_status(BEFORE, "Mia", CoopStatus(code="new", name="New")), "already New"),
        (lambda: crm_plans.labels(BEFORE, "Mia", ["lb_vip"], [VIP]), "already set"),
        (lambda: crm_plans.labels(BEFORE, "Mia", ["lb_gone"], [VIP]), "Unknown label"),
        (lambda: crm_plans.email(BEFORE, "Mia", "nope"), "not an email address"),
        (lambda: crm_plans.email(BEFORE, "Mia", "a@b.co"), "unchanged"),
        (lambda: crm_plans.url(BEFORE, "Mia", "www.x.co"), "http:// or https://"),
        (lambda: crm_plans.url(BEFORE, "Mia", "https://x.co"), "unchanged"),
    ],
)
def test_refusals_say_why(build, reason: str) -> None:
    with pytest.raises(PlanError, match=reason):
        build()
