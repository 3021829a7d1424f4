from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors import home_summary


@login_required
def home(request):
    """Counts in the organizer's scope and the people added last."""
    return render(request, "dashboard/home.html", {"summary": home_summary(request.user)})
