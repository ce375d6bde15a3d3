from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from shop.admin_site import SecuredModelAdmin, SecuredTabularInline
from shop.errors import ServiceError
from workorders import services
from workorders.models import Package, PackageLine

LINE_FIELDS = ["kind", "part_number", "description", "quantity", "unit_cost", "unit_price"]


def _lines(formset: BaseInlineFormSet) -> list[dict]:
    """The lines the admin kept, in the order of their position numbers."""
    kept = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    kept.sort(key=lambda data: data.get("position") or 0)
    return [{name: data.get(name) for name in LINE_FIELDS} for data in kept]


class PackageLineFormSet(BaseInlineFormSet):
    """Checks the whole package with the service's rules before anything is saved."""

    def clean(self) -> None:
        super().clean()
        package = self.instance  # the package form's values, already applied
        if any(self.errors) or not package.name:
            return
        try:
            services.package_check(
                name=package.name,
                category=package.category,
                lines=_lines(self),
                package=package if package.pk else None,
            )
        except ServiceError as error:
            raise ValidationError(error.message) from None


class PackageLineInline(SecuredTabularInline):
    security_function = "edit_packages"
    model = PackageLine
    formset = PackageLineFormSet
    extra = 2
    fields = ["position", *LINE_FIELDS]


@admin.register(Package)
class PackageAdmin(SecuredModelAdmin):
    """Packages (canned jobs). Statuses are edited on their own page, where their rules are.

    Saving goes through package_create / package_update (checked first by the inline's
    formset), so the admin keeps the same rules as the API: a unique name and at least
    one line."""

    security_function = "edit_packages"
    list_display = ["name", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "category"]
    inlines = [PackageLineInline]

    def save_model(self, request, obj, form, change) -> None:
        """Saved with its lines in save_related, by the services."""

    def save_related(self, request, form, formsets, change) -> None:
        fields = {
            "name": form.cleaned_data["name"],
            "category": form.cleaned_data["category"],
            "description": form.cleaned_data.get("description", ""),
            "is_active": form.cleaned_data.get("is_active", True),
            "lines": _lines(formsets[0]),
        }
        if change:
            package = services.package_update(by=request.user, package=form.instance, **fields)
        else:
            package = services.package_create(by=request.user, **fields)
            # The admin redirects and logs with the object its form built.
            form.instance.pk = package.pk
            form.instance._state.adding = False

    def construct_change_message(self, request, form, formsets, add=False) -> list:
        if add:
            return [{"added": {}}]
        lines = ["lines"] if any(formset.has_changed() for formset in formsets) else []
        return [{"changed": {"fields": form.changed_data + lines}}]
