from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-required default, except for API views.

    REST framework views authenticate and check Set Security themselves and
    answer 401/403 in JSON; a redirect to the login page would be wrong there.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if hasattr(view_func, "cls"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
