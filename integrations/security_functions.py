from shop.security import register

register(
    "manage_integrations",
    "Manage Integrations",
    default_level=1,
    area="Shop and security",
    description=(
        "Connect outside systems (point of sale, inspections): create, change and revoke "
        "their API tokens, and read the API documentation."
    ),
)
