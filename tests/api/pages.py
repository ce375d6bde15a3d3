"""Walking an API list's cursor pages as an outside system does."""

from __future__ import annotations


def walk(client, url: str, params: dict | None = None, **headers) -> list[dict]:
    """Every row of the list, following `next` until it is null; each page must hold no
    more than the page size asked for."""
    rows: list[dict] = []
    page_size = (params or {}).get("page_size")
    response = client.get(url, params or {}, **headers)
    for _ in range(1000):
        assert response.status_code == 200, response.content[:300]
        page = response.json()
        assert set(page) == {"next", "previous", "results"}
        if page_size:
            assert len(page["results"]) <= int(page_size)
        rows += page["results"]
        if page["next"] is None:
            return rows
        response = client.get(page["next"], **headers)
    raise AssertionError("the cursor never ended")


def ids(rows: list[dict]) -> list[int]:
    return [row["id"] for row in rows]
