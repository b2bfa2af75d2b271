from django.shortcuts import render


def home(request):
    """The page with the Ensoras widget; the template signs the user's email."""
    return render(request, "widget/home.html")
