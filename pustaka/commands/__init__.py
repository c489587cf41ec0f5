"""The product's own programs (``pustaka init``, ``demo``, ``serve``, ``worker``, ``sip2``): they start
and assemble the apps, so they live here and core needs none of them."""
