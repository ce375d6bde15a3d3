class ServiceError(Exception):
    """A rule was broken. The message is written for the person at the counter.

    Every service raises this one type; views turn it into a form error or a
    4xx response, never a 500.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
