from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from policylend.organisation import selectors as organisation


@login_required
def home(request):
    return render(request, "core/home.html", {"tree": organisation.unit_tree(request.user, max_depth=2)})
