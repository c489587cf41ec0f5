"""Technical-services staff pages, mounted at ``staff/technical/`` (namespace ``technical``): one
section per workflow, in the order of the work; the views live in ``views/<workflow>.py``."""

from django.urls import path

from .views import bindery, processing, pulling, repair, sale, serials, stocktake, supervision, weeding

app_name = "technical"

urlpatterns = [
    # --- Supervision: the home page, my work, assignments, review ----------------------------------------------------
    path("", supervision.home, name="home"),
    path("my-work/", supervision.my_work, name="supervision_my_work"),
    path("my-work/take/", supervision.take, name="supervision_take"),
    path("assignments/<int:pk>/finish/", supervision.finish, name="supervision_finish"),
    path("assign/", supervision.assign, name="supervision_assign"),
    path("review/", supervision.review, name="supervision_review"),
    path("review/<str:barcode>/", supervision.review_item, name="supervision_review_item"),
    # --- Processing and shelving -------------------------------------------------------------------------------------
    path("processing/", processing.processing_queue, name="processing_queue"),
    path("processing/scan/", processing.processing_scan, name="processing_scan"),
    path("processing/tick/", processing.processing_tick, name="processing_tick"),
    path("processing/batch/clear/", processing.processing_batch_clear, name="processing_batch_clear"),
    path("processing/labels.pdf", processing.processing_labels, name="processing_labels"),
    path("processing/cataloguing/", processing.processing_cataloguing_queue, name="processing_cataloguing_queue"),
    path("processing/profile/", processing.processing_profile, name="processing_profile"),
    path(
        "processing/profile/branch/<str:code>/", processing.processing_profile_create, name="processing_profile_create"
    ),
    path("processing/profile/<int:pk>/steps/", processing.processing_step_add, name="processing_step_add"),
    path("processing/steps/<int:pk>/", processing.processing_step_change, name="processing_step_change"),
    path("shelving/", processing.shelving_queue, name="shelving_queue"),
    path("shelving/confirm/", processing.shelving_confirm, name="shelving_confirm"),
    # --- Pull lists --------------------------------------------------------------------------------------------------
    path("pull-lists/", pulling.pulling_list, name="pulling_list"),
    path("pull-lists/not-found/", pulling.pulling_followup, name="pulling_followup"),
    path("pull-lists/<int:pk>/", pulling.pulling_detail, name="pulling_detail"),
    path("pull-lists/<int:pk>/print/", pulling.pulling_print, name="pulling_print"),
    path("pull-lists/<int:pk>/scan/", pulling.pulling_scan, name="pulling_scan"),
    path("pull-lists/<int:pk>/add/", pulling.pulling_add, name="pulling_add"),
    path("pull-lists/<int:pk>/close/", pulling.pulling_close, name="pulling_close"),
    path("pull-lists/<int:pk>/entries/<int:entry_pk>/not-found/", pulling.pulling_not_found, name="pulling_not_found"),
    # --- Weeding -----------------------------------------------------------------------------------------------------
    path("weeding/", weeding.weeding_list, name="weeding_list"),
    path("weeding/<int:pk>/", weeding.weeding_detail, name="weeding_detail"),
    path("weeding/<int:pk>/propose/", weeding.weeding_propose, name="weeding_propose"),
    path("weeding/<int:pk>/decide/", weeding.weeding_decide, name="weeding_decide"),
    path("weeding/<int:pk>/pull/", weeding.weeding_pull, name="weeding_pull"),
    # --- Withdrawal and sale -----------------------------------------------------------------------------------------
    path("withdrawals/", sale.sale_withdrawals, name="sale_withdrawals"),
    path("sale/", sale.sale_home, name="sale_home"),
    path("sale/offer/", sale.sale_offer, name="sale_offer"),
    path("sale/sell/", sale.sale_sell, name="sale_sell"),
    path("sale/discard/", sale.sale_discard, name="sale_discard"),
    path("sale/events/", sale.sale_event_create, name="sale_event_create"),
    path("sale/events/<int:pk>/", sale.sale_event_detail, name="sale_event_detail"),
    path("sale/ledger/", sale.sale_ledger, name="sale_ledger"),
    # --- Repair ------------------------------------------------------------------------------------------------------
    path("repair/", repair.repair_queue, name="repair_queue"),
    path("repair/scan/", repair.repair_scan, name="repair_scan"),
    path("repair/history/", repair.repair_history, name="repair_history"),
    path("repair/new/<str:barcode>/", repair.repair_open, name="repair_open"),
    path("repair/<int:pk>/", repair.repair_ticket, name="repair_ticket"),
    path("repair/<int:pk>/work/", repair.repair_work, name="repair_work"),
    path("repair/<int:pk>/finish/", repair.repair_finish, name="repair_finish"),
    path("repair/<int:pk>/bindery/", repair.repair_to_bindery, name="repair_to_bindery"),
    path("repair/<int:pk>/beyond-repair/", repair.repair_beyond, name="repair_beyond"),
    # --- Bindery -----------------------------------------------------------------------------------------------------
    path("bindery/", bindery.bindery_home, name="bindery_home"),
    path("bindery/new/", bindery.bindery_create, name="bindery_create"),
    path("bindery/vendors/", bindery.bindery_vendors, name="bindery_vendors"),
    path("bindery/vendors/new/", bindery.bindery_vendor_create, name="bindery_vendor_create"),
    path("bindery/<int:pk>/", bindery.bindery_shipment, name="bindery_shipment"),
    path("bindery/<int:pk>/add/", bindery.bindery_add, name="bindery_add"),
    path(
        "bindery/<int:pk>/lines/<int:line_pk>/instructions/", bindery.bindery_instructions, name="bindery_instructions"
    ),
    path("bindery/<int:pk>/lines/<int:line_pk>/remove/", bindery.bindery_remove, name="bindery_remove"),
    path("bindery/<int:pk>/send/", bindery.bindery_send, name="bindery_send"),
    path("bindery/<int:pk>/receive/", bindery.bindery_receive, name="bindery_receive"),
    path("bindery/<int:pk>/update/", bindery.bindery_update, name="bindery_update"),
    path("bindery/<int:pk>/slip/", bindery.bindery_slip, name="bindery_slip"),
    # --- Stocktake ---------------------------------------------------------------------------------------------------
    path("stocktakes/", stocktake.stocktake_list, name="stocktake_list"),
    path("stocktakes/<int:pk>/", stocktake.stocktake_scan, name="stocktake_scan"),
    path("stocktakes/<int:pk>/finish/", stocktake.stocktake_finish, name="stocktake_finish"),
    path("stocktakes/<int:pk>/cancel/", stocktake.stocktake_cancel, name="stocktake_cancel"),
    path("stocktakes/<int:pk>/report/", stocktake.stocktake_report, name="stocktake_report"),
    path("stocktakes/<int:pk>/confirm/", stocktake.stocktake_confirm, name="stocktake_confirm"),
    # --- Serials -----------------------------------------------------------------------------------------------------
    path("serials/", serials.serial_list, name="serial_list"),
    path("serials/new/", serials.serial_create, name="serial_create"),
    path("serials/late/", serials.serial_late, name="serial_late"),
    path("serials/claim/", serials.serial_claim, name="serial_claim"),
    path("serials/claim-letter/", serials.serial_claim_letter, name="serial_claim_letter"),
    path("serials/<int:pk>/", serials.serial_detail, name="serial_detail"),
    path("serials/<int:pk>/edit/", serials.serial_edit, name="serial_edit"),
    path("serials/<int:pk>/predict/", serials.serial_predict, name="serial_predict"),
    path("serials/<int:pk>/check-in/", serials.serial_check_in, name="serial_check_in"),
]
