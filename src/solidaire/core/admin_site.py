"""The admin opens only to staff whose session passed the second factor recently.

Staff can open every person and grant status access there, so the admin asks what the
pages showing status ask (decision 0046): a code typed within
SOLIDAIRE_STATUS_STEP_UP_SECONDS. A staff account without one is sent to the
organizer code page (or to set up two-factor login), which comes back to the admin.
"""

from __future__ import annotations

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .two_factor import second_factor_recent


class SecondFactorAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and second_factor_recent(request)

    def login(self, request, extra_context=None):
        """Staff logged in but without a recent code: to the code page, then back."""
        user = request.user
        if user.is_active and user.is_staff and not second_factor_recent(request):
            back = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                back = reverse("admin:index", current_app=self.name)
            return redirect(f"{reverse('organize:step_up')}?{urlencode({'next': back})}")
        return super().login(request, extra_context)
