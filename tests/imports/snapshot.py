"""Every row of every table an import may touch, to compare before and after."""

from django.apps import apps

APPS = {"customers", "workorders", "reports", "followups", "messaging", "shop"}
SKIP = {"customers.utilitylogentry"}


def table_rows() -> dict[str, list[dict]]:
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label not in APPS or label in SKIP or model._meta.proxy:
            continue
        rows[label] = list(model._base_manager.order_by("pk").values())
    return rows
