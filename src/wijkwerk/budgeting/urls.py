from django.urls import path

from .views import codes, digid, paper, plans, register, results, rounds, voting

app_name = "budgeting"

urlpatterns = [
    # rounds: the public list and page, and setting them up (the municipality's administrator)
    path("", rounds.round_list, name="round_list"),
    path("<int:pk>/", rounds.round_detail, name="round_detail"),
    path("beheer/<slug:municipality>/", rounds.manage_list, name="manage_list"),
    path("beheer/<slug:municipality>/nieuw/", rounds.manage_create, name="manage_create"),
    path("<int:pk>/beheer/", rounds.manage_edit, name="manage_edit"),
    path("<int:pk>/publiceren/", rounds.manage_publish, name="manage_publish"),
    path("<int:pk>/sluiten/", rounds.manage_close, name="manage_close"),
    path("<int:pk>/beheer/register/", register.manage_register, name="manage_register"),
    # plans, likes, moderation and the feasibility check
    path("<int:pk>/plannen/", plans.plan_list, name="plan_list"),
    path("<int:pk>/plannen/nieuw/", plans.plan_create, name="plan_create"),
    path("<int:pk>/plannen/beoordelen/", plans.manage_plans, name="manage_plans"),
    path("plan/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plan/<int:pk>/afbeelding.jpg", plans.plan_picture, name="plan_picture"),
    path("plan/<int:pk>/wijzigen/", plans.plan_edit, name="plan_edit"),
    path("plan/<int:pk>/like/", plans.plan_like, name="plan_like"),
    path("plan/<int:pk>/samenvoegen/", plans.plan_merge, name="plan_merge"),
    path("plan/<int:pk>/verbergen/", plans.plan_hide, name="plan_hide"),
    path("plan/<int:pk>/tonen/", plans.plan_show, name="plan_show"),
    path("plan/<int:pk>/haalbaarheid/", plans.plan_feasibility, name="plan_feasibility"),
    # voting
    path("<int:pk>/stemmen/", voting.ballot, name="ballot"),
    path("<int:pk>/stemmen/bevestigen/", voting.ballot_confirm, name="ballot_confirm"),
    path("stembewijs/", voting.receipt_check, name="receipt_check"),
    # DigiD and eHerkenning through the OpenID Connect broker: to its login, and back
    path("<int:pk>/digid/", digid.digid_start, name="digid_start"),
    path("digid/terug/", digid.digid_return, name="digid_return"),
    # voting codes: typed by the voter, letters made by the administrator, the desk
    path("<int:pk>/stemcode/", codes.code_entry, name="code_entry"),
    path("<int:pk>/beheer/stemcodes/", codes.manage_codes, name="manage_codes"),
    path("<int:pk>/balie/", codes.desk, name="desk"),
    # paper ballots: codes taken in at the desk, the double entry, the third official
    path("<int:pk>/papier/", paper.paper_list, name="paper_list"),
    path("<int:pk>/papier/inname/", paper.paper_intake, name="paper_intake"),
    path("<int:pk>/papier/invoeren/", paper.paper_enter, name="paper_enter"),
    path("<int:pk>/papier/<int:number>/oplossen/", paper.paper_resolve, name="paper_resolve"),
    # the count
    path("<int:pk>/uitslag/", results.result, name="result"),
    path("<int:pk>/uitslag.json", results.result_json, name="result_json"),
    path("<int:pk>/stemmen-<int:area>.pb", results.result_pb, name="result_pb"),
    path("<int:pk>/opnieuw-tellen/", results.manage_recount, name="manage_recount"),
]
