from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("nieuw/<slug:kind>/<int:pk>/", views.comment_post, name="post"),
    path("<int:pk>/melden/", views.comment_report, name="report"),
    path("<int:pk>/verbergen/", views.comment_hide, name="hide"),
    path("<int:pk>/herstellen/", views.comment_restore, name="restore"),
    path("<int:pk>/behouden/", views.comment_keep, name="keep"),
    path("<int:pk>/blokkeren/", views.user_block, name="block"),
    path("blokkering/<int:pk>/opheffen/", views.block_lift, name="unblock"),
    path("moderatie/<slug:municipality>/", views.moderation_queue, name="queue"),
]
