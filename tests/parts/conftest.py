import pytest

from tests.parts.factories import standard_matrix
from tests.workorders.conftest import estimate, shop_rates, statuses, vehicle  # noqa: F401
from workorders import services as workorder_services


@pytest.fixture
def matrix(db):
    return standard_matrix()


@pytest.fixture
def brake_job(estimate, advisor):  # noqa: F811
    return workorder_services.job_add(
        by=advisor, work_order=estimate, version=None, title="Front brakes", category="Brakes"
    )
