"""Sources that last: a local snapshot of each source's page, link checks, web archive copies.

No Qt and no database here: the network and what is made of its answers. The services
(app/services/links.py) store the results and keep the job queue.
"""
