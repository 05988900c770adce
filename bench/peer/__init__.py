"""P1's peer: the chat a Django team would write from the official Channels tutorial.

A bench-only Django app with its own settings (bench.peer.settings) and its own ASGI entry
(bench.peer.asgi), served by its own uvicorn on the bench database and Redis, so P1 can measure our
chat and this one in the same invocation with the same load generator (bench.peer.harness). Production
never imports it.
"""
