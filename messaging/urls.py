from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("customers/<int:customer_id>/", views.conversation, name="conversation"),
    path("customers/<int:customer_id>/reply/", views.conversation_reply, name="conversation_reply"),
    path("customers/<int:customer_id>/send/", views.message_send, name="message_send"),
    path("sent/<int:message_id>/resend/", views.message_resend, name="message_resend"),
    path("dev-sms/", views.dev_sms, name="dev_sms"),
    path("l/<str:token>/", views.customer_link, name="customer_link"),
    path(
        "l/<str:token>/jobs/<int:job_id>/",
        views.customer_link_decide,
        name="customer_link_decide",
    ),
    path(
        "l/<str:token>/photos/<int:photo_id>/<str:size>/",
        views.customer_link_photo,
        name="customer_link_photo",
    ),
    path(
        "l/<str:token>/videos/<int:video_id>/",
        views.customer_link_video,
        name="customer_link_video",
    ),
    path("webhooks/twilio/inbound/", views.twilio_inbound, name="twilio_inbound"),
    path("webhooks/twilio/status/", views.twilio_status, name="twilio_status"),
]
