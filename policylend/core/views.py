from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from policylend.organisation import selectors as organisation


@login_required
def home(request):
    return render(
        request, "core/home.html", {"tree": organisation.unit_tree(request.user, max_depth=2)}
    )


def language_set(request):
    """Switch the language (Django's set_language) and remember it for a logged-in user."""
    from django.views.i18n import set_language

    from policylend.users.services import user_set_language

    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response
