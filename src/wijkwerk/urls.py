from django.urls import include, path
from django.views.i18n import set_language

handler500 = "wijkwerk.core.views.server_error"

urlpatterns = [
    path("", include("wijkwerk.site.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("wijkwerk.accounts.urls")),
    path("beheer/", include("wijkwerk.backoffice.urls")),
    path("fondsen/", include("wijkwerk.funds.urls")),
    path("initiatieven/", include("wijkwerk.initiatives.urls")),
    path("buurtbudget/", include("wijkwerk.budgeting.urls")),
    path("volgen/", include("wijkwerk.follows.urls")),
    path("nieuws/", include("wijkwerk.news.urls")),
    path("bijeenkomsten/", include("wijkwerk.events.urls")),
    path("reacties/", include("wijkwerk.comments.urls")),
    path("peilingen/", include("wijkwerk.surveys.urls")),
    path("raden/", include("wijkwerk.councils.urls")),
    path("uitdaagrecht/", include("wijkwerk.challenges.urls")),
    path("aanbod/", include("wijkwerk.expertise.urls")),
    path("groepen/", include("wijkwerk.groups.urls")),
    path("leren/", include("wijkwerk.learning.urls")),
    path("bereik/", include("wijkwerk.reach.urls")),
    path("rapportages/", include("wijkwerk.reports.urls")),
    path("api/", include("wijkwerk.opendata.urls")),
    path("", include("wijkwerk.areas.urls")),
]
