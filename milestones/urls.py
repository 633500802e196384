from django.urls import path

from milestones import views

app_name = "milestones"
urlpatterns = [
    path("", views.milestone_list, name="list"),
    path("export.csv", views.milestone_export, name="export"),
    path("forecast/", views.forecast, name="forecast"),
    path("<int:pk>/claim/", views.milestone_claim, name="claim"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_edit, name="programme_edit"),
]
