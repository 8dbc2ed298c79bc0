"""The sandbox's CRM update takes coop status, labels, email and URL beside notes and owner, each
checked the way the client's plans check them."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox_support import idem

C = "/crm/channels/cr_000001"


def test_status_labels_email_and_url_are_updated(sandbox_client: httpx.Client) -> None:
    label = sandbox_client.get("/messages/labels").json()["data"][0]["label_id"]
    body = {"coop_status": "deal", "label_ids": [label], "email": "mia@creators.example", "url": "https://yt.example/@mia"}
    response = sandbox_client.patch(C, json=body, headers=idem())
    assert response.status_code == 200, response.text
    channel = sandbox_client.get(C).json()["data"]
    assert channel["coop_status"]["code"] == "deal" and [lb["label_id"] for lb in channel["labels"]] == [label]
    assert (channel["email"], channel["url"]) == ("mia@creators.example", "https://yt.example/@mia")
    cleared = sandbox_client.patch(C, json={"email": ""}, headers=idem())
    assert cleared.json()["data"]["email"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"coop_status": "nope"}, "coop_status"),
        ({"label_ids": ["lb_missing"]}, "label_ids"),
        ({"email": "not-an-email"}, "email"),
        ({"url": "ftp://x"}, "url"),
        ({"url": "https://a b"}, "url"),
    ],
)
def test_a_bad_field_is_a_422_naming_it(sandbox_client: httpx.Client, body: dict, field: str) -> None:
    response = sandbox_client.patch(C, json=body, headers=idem())
    assert response.status_code == 422 and field in response.json()["data"]["fields"]
