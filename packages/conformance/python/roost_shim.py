"""Points tweepy at Roost. Import before tweepy.

tweepy 4.12.1 hard-codes https://api.twitter.com (and upload/stream hosts) in its v2 Client, StreamingClient,
OAuth handlers and v1.1 API. Every one of them sends through requests.Session.request, so this rewrites the
origin there, before requests prepares the request: OAuth 1.0a then signs the URL that is actually sent.
"""
import os
import re

import requests.sessions

ROOST = os.environ["ROOST_BASE"].rstrip("/")
_X_ORIGIN = re.compile(r"^https://(api|upload|stream)\.(twitter|x)\.com(?=/|$)")
_send = requests.sessions.Session.request


def _to_roost(self, method, url, *args, **kwargs):
    return _send(self, method, _X_ORIGIN.sub(ROOST, url), *args, **kwargs)


requests.sessions.Session.request = _to_roost

if ROOST.startswith("http://"):
    # oauthlib refuses plain-http token endpoints and callbacks otherwise.
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
