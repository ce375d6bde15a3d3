from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from shop import selectors, services
from shop.errors import ServiceError
from shop.forms import (
    AdministratorInviteForm,
    EmployeeForm,
    LoginUnlockForm,
    ShopProfileForm,
    form_error,
)
from shop.models import User
from shop.navigation import landing_page_for
from shop.security import employee_required, security_function


def home(request: HttpRequest) -> HttpResponse:
    # Where a login lands: the first page the apps offer it (navigation.landing_page_for:
    # the counter's live board, a technician's jobs, a fleet company's portal); every
    # other employee, and anyone who asks, gets the module menu.
    landing = landing_page_for(request)
    if landing is not None:
        return redirect(landing)
    return menu(request)


home.security_function = None  # employees only, through menu


@employee_required
def menu(request: HttpRequest) -> HttpResponse:
    return render(request, "shop/home.html")


@security_function("manage_administrators")
def administrators(request: HttpRequest) -> HttpResponse:
    return render(request, "shop/administrators.html", {"employees": selectors.employee_list()})


@security_function("view_employees")
def employees(request: HttpRequest) -> HttpResponse:
    employee_rows = selectors.employee_list().filter(is_active=True)
    return render(request, "shop/employees.html", {"employees": employee_rows})


@security_function("manage_administrators")
def administrator_add(request: HttpRequest) -> HttpResponse:
    form = AdministratorInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.administrator_invite(by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"{user} was added. An activation link is on its way to {user.email}."
            )
            return redirect("shop:administrators")
    return render(
        request,
        "shop/administrator_add.html",
        {"form": form, "days": settings.ACTIVATION_LINK_MAX_AGE.days},
    )


@require_POST
@security_function("manage_administrators")
def administrator_resend(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User.objects.exclude(role=""), pk=user_id)
    try:
        services.administrator_invitation_resend(by=request.user, user=user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"A new activation link is on its way to {user.email}.")
    return redirect("shop:administrators")


@security_function("manage_administrators")
def employee_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    employee = get_object_or_404(User.objects.exclude(role=""), pk=user_id)
    initial = {
        name: getattr(employee, name)
        for name in [
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "security_level",
            "is_active",
        ]
    }
    form = EmployeeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.employee_update(by=request.user, employee=employee, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{employee} was saved.")
            return redirect("shop:administrators")
    return render(request, "shop/employee_edit.html", {"form": form, "employee": employee})


@security_function("unlock_logins")
def login_lockouts(request: HttpRequest) -> HttpResponse:
    """The logins locked out now; a POST unlocks one of them."""
    if request.method == "POST":
        form = LoginUnlockForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a locked-out login to unlock.")
            return redirect("shop:login_lockouts")
        try:
            services.login_lockout_clear(by=request.user, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            username = form.cleaned_data["username"]
            messages.success(request, f"“{username}” is unlocked and can log in again.")
        return redirect("shop:login_lockouts")
    return render(
        request,
        "shop/login_lockouts.html",
        {
            "lockouts": selectors.login_lockouts(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@security_function("edit_shop_settings")
def shop_settings(request: HttpRequest) -> HttpResponse:
    profile = selectors.shop_profile_get()
    form = ShopProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if changed:
            services.shop_profile_update(by=request.user, **changed)
        messages.success(request, "The shop's settings were saved.")
        return redirect("shop:settings")
    return render(request, "shop/settings.html", {"form": form})


@security_function("view_system_status")
def system_status(request: HttpRequest) -> HttpResponse:
    return render(request, "shop/system_status.html", {"status": selectors.system_status()})


@login_not_required
def activate(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind an administrator's activation link: choose a password, once."""
    try:
        user = services.activation_user_get(token)
    except ServiceError as error:
        return render(
            request,
            "shop/activate_invalid.html",
            {"error": error},
            status=410 if error.code in {"expired", "used"} else 404,
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.administrator_activate(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, "Your login is active. Log in with your new password.")
            return redirect("login")
    return render(request, "shop/activate.html", {"form": form, "invitee": user})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its token (or a stale one): a clear page, nothing saved."""
    return render(request, "403_csrf.html", status=403)


# Browsers ask for /favicon.ico whatever the page links; read once, it is 4 KB.
FAVICON = (settings.BASE_DIR / "static" / "img" / "favicon.ico").read_bytes()


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(FAVICON, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
