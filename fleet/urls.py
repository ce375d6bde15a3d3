from django.urls import path

from fleet.views import network, portal, shop

app_name = "fleet"

urlpatterns = [
    path("work-orders/<int:work_order_id>/send/", shop.send, name="send"),
    path(
        "work-orders/<int:work_order_id>/communication/", shop.communication, name="communication"
    ),
    path(
        "work-orders/<int:work_order_id>/save-and-send/", shop.save_and_send, name="save_and_send"
    ),
    path("work-orders/<int:work_order_id>/cancel/", shop.cancel, name="cancel"),
    path("portal/", portal.request_list, name="portal"),
    path("portal/requests/<int:request_id>/", portal.request_detail, name="portal_detail"),
    path("portal/requests/<int:request_id>/decide/", portal.request_decide, name="portal_decide"),
    path("portal/requests/<int:request_id>/notes/", portal.request_note, name="portal_note"),
    path("network/events/", network.network_event, name="network_event"),
]
