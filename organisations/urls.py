from django.urls import path

from organisations.views import addresses, contacts, organisations

app_name = "organisations"
urlpatterns = [
    path("", organisations.organisation_list, name="list"),
    path("new/", organisations.organisation_create, name="create"),
    path("find-address/", addresses.find_address, name="find_address"),
    path("choices/", organisations.organisation_choices, name="choices"),
    path("<int:pk>/", organisations.organisation_detail, name="detail"),
    path("<int:pk>/edit/", organisations.organisation_edit, name="edit"),
    path("<int:pk>/confirm/", organisations.organisation_confirm, name="confirm"),
    path("<int:pk>/addresses/new/", addresses.address_create, name="address_create"),
    path("<int:pk>/addresses/<int:address_pk>/edit/", addresses.address_edit, name="address_edit"),
    path(
        "<int:pk>/addresses/<int:address_pk>/primary/",
        addresses.address_make_primary,
        name="address_make_primary",
    ),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", contacts.contact_edit, name="contact_edit"),
]
