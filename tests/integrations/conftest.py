# The work-order fixtures (statuses, estimate, vehicle...) come from the work orders' tests.
from tests.workorders.conftest import estimate, shop_rates, statuses, vehicle  # noqa: F401
