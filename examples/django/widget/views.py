import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt


def home(request):
    """The page with the Ensoras widget; the template renders the signed snippet."""
    return render(request, "widget/home.html", {"ensoras_widget": settings.ENSORAS_WIDGET})


@csrf_exempt
def embed_test(request):
    """Test only (registered when settings.EMBED_TEST_ROUTE): the browser harness POSTs
    {"preset", "input", "options"} and gets what the {% userhash_embed %} tag renders: a
    page around the script snippet, or the bare URL / identify statement."""
    if request.method != "POST":
        return HttpResponse("POST {preset, input, options} here\n", content_type="text/plain")
    try:
        case = json.loads(request.body)
        preset, fields, options = case["preset"], case["input"], case.get("options") or {}
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("expected JSON {preset, input, options}")
    name = f"browser-{preset}"
    if name not in settings.USERHASH:
        return HttpResponseNotFound(f"no signer for preset {preset!r}")
    context = {"signer": name, "input": fields, "options": options}
    snippet = render_to_string("widget/embed_bare.txt", context)
    # Wrap what was rendered, not what was asked for: without `form` the core renders the
    # preset's first form, which may be a URL or an identify statement rather than HTML.
    if snippet.lstrip().startswith("<"):
        snippet = render_to_string("widget/embed_page.html", {"snippet": snippet})
    return HttpResponse(snippet, content_type="text/html; charset=utf-8")
