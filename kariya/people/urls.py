from django.urls import path

from kariya.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_register, name="person_register"),
    path("new/check/", views.registration_check, name="registration_check"),
    path("rows/<str:kind>/", views.formset_row, name="formset_row"),
    path("<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:public_id>/identity/", views.identity_edit, name="identity_edit"),
    path("<uuid:public_id>/documents/new/", views.document_add, name="document_add"),
    path("<uuid:public_id>/migration/", views.migration_edit, name="migration_edit"),
    path("<uuid:public_id>/household/new/", views.household_add, name="household_add"),
    path("<uuid:public_id>/consents/new/", views.consent_add, name="consent_add"),
    path("<uuid:public_id>/legal-basis/", views.legal_basis_record, name="legal_basis_record"),
    path("documents/<uuid:public_id>/edit/", views.document_edit, name="document_edit"),
    path("documents/<uuid:public_id>/remove/", views.document_remove, name="document_remove"),
    path("household/<uuid:public_id>/remove/", views.household_remove, name="household_remove"),
    path("consents/<uuid:public_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
