from integrations.models import Integration
from integrations.services import integration_create


def make_integration(
    *, by=None, name="Counter POS", access=Integration.Access.READ_WRITE, security_level=3
):
    """(integration, token): made through the service, as the page does."""
    return integration_create(by=by, name=name, access=access, security_level=security_level)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
