"""SIP2 2.00 for self-check machines: the ``pustaka sip2`` server, its handlers and the staff pages
for SIP2 accounts. An adapter only: every change goes through the circulation actions."""
