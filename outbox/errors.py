"""What a transport raises when a try fails: the outbox decides between retry and give up."""


class ProviderError(Exception):
    pass


class TransientProviderError(ProviderError):
    """Trying again later may work (a network error, a 5xx, a rate limit)."""


class PermanentProviderError(ProviderError):
    """Trying again will not help (a landline, a refused address, a receiver that said 410)."""
