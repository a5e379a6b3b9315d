"""Turn domain errors that escape a view into the right HTTP answer."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.cache import patch_vary_headers

from .errors import Forbidden, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message) from exception
        return None


class LanguageMiddleware:
    """Vietnamese unless the reader chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a branch officer
    whose browser happens to be set to English would get English pages; here the default is the
    bank's language and a choice is explicit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
