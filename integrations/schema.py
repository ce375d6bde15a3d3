"""Documents the Bearer token in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token made under Office → Integrations. Read-only tokens get 403 on "
                "writes; revoked tokens get 401."
            ),
        }
