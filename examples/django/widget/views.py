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
    form = options.get("form") or "script"
    template = "widget/embed_page.html" if form == "script" else "widget/embed_bare.txt"
    body = render_to_string(template, {"signer": name, "input": fields, "options": options})
    return HttpResponse(body, content_type="text/html; charset=utf-8")
