"""tweepy 4.12.1 (Debian's python3-tweepy) driving Roost: one invocation runs a group of flows and prints one
JSON line {"results": {flow: {...}}}. Each flow records what tweepy returned and what Roost holds afterwards
(read over plain HTTP at ROOST_BASE); the TypeScript test asserts on those records.

tweepy is used as it is used with X: nothing here patches it or tells it another host. It reaches Roost as
https://api.twitter.com through the environment `roost trust` prints (HTTPS_PROXY, REQUESTS_CA_BUNDLE,
SSL_CERT_FILE), which the test passes in.

When a flow needs a person to answer the consent page, this prints {"consent": URL, "username": NAME} and
reads the callback URL the test answers with on stdin.

    eval "$(roost trust)"; ROOST_BASE=http://127.0.0.1:PORT /usr/bin/python3 flows.py GROUP CONFIG_JSON
"""
import json
import os
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

import requests
import tweepy

ROOST = os.environ["ROOST_BASE"].rstrip("/")
cfg = json.loads(sys.argv[2])
FLOWS = {}


def flow(group):
    def register(fn):
        FLOWS.setdefault(group, []).append(fn)
        return fn
    return register


def consent(url, username):
    """Hands the authorization URL tweepy built to the test, which answers Roost's consent page."""
    print(json.dumps({"consent": url, "username": username}), flush=True)
    answer = sys.stdin.readline().strip()
    if not answer:
        raise RuntimeError("the test did not answer the consent page")
    return answer


def raw(method, path, token=None, body=None):
    """The test's own view of Roost: plain HTTP, not tweepy."""
    headers = {"Authorization": f"Bearer {token or cfg['bearer']}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(ROOST + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def exists(post_id):
    return (raw("GET", f"/2/tweets/{post_id}")[1].get("data") or {}).get("id") == str(post_id)


def ids_of(path):
    body = raw("GET", path, cfg["user_token"])[1]
    return [u["id"] for u in body.get("data", [])]


def followers_count(user_id):
    return raw("GET", f"/2/users/{user_id}?user.fields=public_metrics")[1]["data"]["public_metrics"]["followers_count"]


def plain(response):
    """A tweepy Response with its models turned back into the JSON they were built from."""
    def unwrap(x):
        return [unwrap(i) for i in x] if isinstance(x, list) else getattr(x, "data", x)
    out = {"data": unwrap(response.data)}
    if response.includes:
        out["includes"] = {k: unwrap(v) for k, v in response.includes.items()}
    if response.errors:
        out["errors"] = response.errors
    if response.meta:
        out["meta"] = response.meta
    return out


def app_client():
    return tweepy.Client(cfg["bearer"])


def oauth1_client(token=None, secret=None):
    return tweepy.Client(
        consumer_key=cfg["consumer_key"], consumer_secret=cfg["consumer_secret"],
        access_token=token or cfg["oauth1_token"], access_token_secret=secret or cfg["oauth1_secret"],
    )


# ---------------------------------------------------------------- reads

@flow("core")
def app_only_bearer():
    bearer = tweepy.OAuth2AppHandler(cfg["consumer_key"], cfg["consumer_secret"]).apply_auth().bearer_token
    user = tweepy.Client(bearer).get_user(username=cfg["me"]["username"]).data
    return {"bearer": bearer, "user_id": str(user.id)}


@flow("core")
def user_lookup():
    c = app_client()
    fields = dict(user_fields=cfg["user_fields"], expansions=cfg["user_expansions"], tweet_fields=["created_at", "public_metrics"])
    by_name = c.get_user(username="xdevelopers", **fields)
    by_ids = c.get_users(ids=[cfg["me"]["id"], cfg["target"]["id"]], **fields)
    by_names = c.get_users(usernames=[cfg["me"]["username"], cfg["target"]["username"]])
    return {
        "by_username": plain(by_name),
        "by_ids": plain(by_ids),
        "by_usernames_ids": [str(u.id) for u in by_names.data],
        # tweepy's models: typed attributes and the expansion.
        "username": by_name.data.username,
        "followers_count": by_name.data.public_metrics["followers_count"],
        "pinned_tweet_id": str(by_name.data.pinned_tweet_id),
        "pinned_included": str(by_name.includes["tweets"][0].id),
    }


@flow("core")
def post_lookup():
    r = app_client().get_tweet(
        cfg["post"]["id"], tweet_fields=cfg["post_fields"], expansions=cfg["post_expansions"], user_fields=cfg["post_user_fields"],
    )
    return {
        "post": plain(r),
        "author_id": str(r.data.author_id),
        "author_usernames": [u.username for u in r.includes["users"]],
        "included_post_ids": [str(t.id) for t in r.includes.get("tweets", [])],
        "referenced": [{"type": x.type, "id": str(x.id)} for x in r.data.referenced_tweets],
        "many": [str(t.id) for t in app_client().get_tweets([cfg["post"]["id"], cfg["post"]["referenced_id"]]).data],
    }


@flow("core")
def timeline():
    pages = list(tweepy.Paginator(app_client().get_users_tweets, cfg["me"]["id"], max_results=20, tweet_fields=["created_at"]))
    return {"pages": len(pages), "ids": [str(t.id) for p in pages for t in (p.data or [])]}


# ---------------------------------------------------------------- X error bodies

@flow("core")
def error_bodies():
    out = {}
    try:
        tweepy.Client("not-a-token").get_user(username=cfg["me"]["username"])
    except tweepy.Unauthorized as e:
        out["unauthorized"] = {"status": e.response.status_code, "messages": e.api_messages}
    try:
        app_client().get_user(username=cfg["me"]["username"], user_fields=["bogus"])
    except tweepy.BadRequest as e:
        out["bad_request"] = {"status": e.response.status_code, "errors": e.api_errors, "messages": e.api_messages}
    missing = app_client().get_user(username=cfg["missing_username"])
    out["missing"] = {"data": missing.data, "errors": missing.errors}
    return out


# ---------------------------------------------------------------- rate limits

@flow("core")
def rate_limit():
    post_id = cfg["post"]["id"]
    first = tweepy.Client(cfg["bearer"], return_type=requests.Response).get_quote_tweets(post_id)
    headers = {k: first.headers.get(k) for k in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset")}
    c = app_client()
    error = None
    for _ in range(2 * cfg["rate_limit"] + 1):
        try:
            c.get_quote_tweets(post_id)
        except tweepy.TooManyRequests as e:
            error = e
            break
    out = {"headers": headers, "now": int(time.time())}
    if error is not None:
        out["error"] = {
            "class": type(error).__name__,
            "status": error.response.status_code,
            "remaining": error.response.headers.get("x-rate-limit-remaining"),
            "reset": error.response.headers.get("x-rate-limit-reset"),
            "messages": error.api_messages,
        }

    # wait_on_rate_limit: tweepy reads x-rate-limit-reset and sleeps until then. The sleep is recorded, not slept.
    class Slept(Exception):
        pass

    slept = []

    def fake_sleep(seconds):
        slept.append(seconds)
        raise Slept()

    real_sleep = time.sleep
    time.sleep = fake_sleep
    try:
        waiting = tweepy.Client(cfg["bearer"], wait_on_rate_limit=True)
        # Until a 429 (a window boundary crossed since the last one only delays it).
        for _ in range(2 * cfg["rate_limit"] + 1):
            try:
                waiting.get_quote_tweets(post_id)
            except Slept:
                break
    finally:
        time.sleep = real_sleep
    out["waited"] = slept
    return out


# ---------------------------------------------------------------- writes

def writes(client, user_auth, label):
    me = client.get_me(user_auth=user_auth).data
    created = client.create_tweet(text=f"conformance: tweepy with {label}", user_auth=user_auth).data
    post_id = created["id"]
    reply = client.create_tweet(text=f"a reply from tweepy with {label}", in_reply_to_tweet_id=post_id, user_auth=user_auth).data
    reply_view = raw("GET", f"/2/tweets/{reply['id']}?tweet.fields=referenced_tweets,in_reply_to_user_id")[1]["data"]
    out = {"me": str(me.id), "created": created, "existed": exists(post_id), "reply_view": reply_view}
    out["like"] = client.like(post_id, user_auth=user_auth).data
    out["likers_after_like"] = ids_of(f"/2/tweets/{post_id}/liking_users")
    out["repost"] = client.retweet(post_id, user_auth=user_auth).data
    out["reposters_after_repost"] = ids_of(f"/2/tweets/{post_id}/retweeted_by")
    out["unlike"] = client.unlike(post_id, user_auth=user_auth).data
    out["likers_after_unlike"] = ids_of(f"/2/tweets/{post_id}/liking_users")
    out["unrepost"] = client.unretweet(post_id, user_auth=user_auth).data
    out["reposters_after_unrepost"] = ids_of(f"/2/tweets/{post_id}/retweeted_by")
    out["delete_reply"] = client.delete_tweet(reply["id"], user_auth=user_auth).data
    out["delete"] = client.delete_tweet(post_id, user_auth=user_auth).data
    out["exists_after_delete"] = [exists(post_id), exists(reply["id"])]
    return out


def follows(client, user_auth):
    target = cfg["target"]["id"]
    before = followers_count(target)
    followed = client.follow_user(target, user_auth=user_auth).data
    during = followers_count(target)
    unfollowed = client.unfollow_user(target, user_auth=user_auth).data
    return {"before": before, "follow": followed, "during": during, "unfollow": unfollowed, "after": followers_count(target)}


@flow("core")
def writes_oauth1():
    return writes(oauth1_client(), True, "OAuth 1.0a")


@flow("core")
def writes_oauth2():
    # An OAuth 2.0 user access token goes where tweepy takes a bearer token; user_auth=False means "not OAuth 1.0a".
    return writes(tweepy.Client(cfg["user_token"]), False, "OAuth 2.0 user token")


@flow("core")
def follow_oauth1():
    return follows(oauth1_client(), True)


@flow("core")
def follow_oauth2():
    return follows(tweepy.Client(cfg["user_token"]), False)


# ---------------------------------------------------------------- OAuth flows

@flow("core")
def oauth1_flow():
    handler = tweepy.OAuth1UserHandler(cfg["consumer_key"], cfg["consumer_secret"], callback="http://127.0.0.1/callback")
    link = handler.get_authorization_url()
    callback = consent(link, cfg["target"]["username"])
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))
    token, secret = handler.get_access_token(query["oauth_verifier"])
    client = oauth1_client(token, secret)
    me = client.get_me(user_auth=True).data
    post = client.create_tweet(text="signed by a tweepy three-legged token", user_auth=True).data
    existed = exists(post["id"])
    client.delete_tweet(post["id"], user_auth=True)
    return {
        "link": link, "callback": callback, "request_token": handler.request_token["oauth_token"],
        "access_token": token, "me": {"id": str(me.id), "username": me.username}, "posted": existed,
    }


@flow("core")
def oauth2_flow():
    redirect_uri = "http://127.0.0.1:8767/callback"
    handler = tweepy.OAuth2UserHandler(
        client_id=cfg["client_id"], client_secret=cfg["client_secret"], redirect_uri=redirect_uri,
        scope=["tweet.read", "tweet.write", "users.read", "offline.access"],
    )
    link = handler.get_authorization_url()
    callback = consent(link, cfg["me"]["username"])
    token = handler.fetch_token(callback)
    client = tweepy.Client(token["access_token"])
    # user_auth=False: the token is an OAuth 2.0 user token, not OAuth 1.0a (tweepy's default for these methods).
    me = client.get_me(user_auth=False).data
    post = client.create_tweet(text="posted with a tweepy PKCE token", user_auth=False).data
    client.delete_tweet(post["id"], user_auth=False)
    # The handler is a requests-oauthlib OAuth2Session: its refresh_token() renews the token.
    refreshed = handler.refresh_token("https://api.twitter.com/2/oauth2/token", refresh_token=token["refresh_token"], auth=handler.auth)
    me_again = tweepy.Client(refreshed["access_token"]).get_me(user_auth=False).data
    return {
        "link": link, "callback": callback,
        "token": {k: token.get(k) for k in ("token_type", "expires_in", "scope")},
        "me": str(me.id), "posted": post["text"],
        "refreshed_differs": refreshed["access_token"] != token["access_token"], "me_after_refresh": str(me_again.id),
    }


# ---------------------------------------------------------------- pending merge: search, stream, media

@flow("search")
def search_recent():
    pages = list(tweepy.Paginator(
        app_client().search_recent_tweets, cfg["query"], max_results=cfg["page"],
        start_time=cfg["start_time"], end_time=cfg["end_time"],
        expansions=["author_id"], tweet_fields=["created_at", "author_id"],
    ))
    posts = [t for p in pages for t in (p.data or [])]
    return {
        "pages": len(pages),
        "ids": [str(t.id) for t in posts],
        "author_ids": [str(t.author_id) for t in posts],
        "usernames": sorted({u.username for p in pages for u in (p.includes or {}).get("users", [])}),
    }


@flow("stream")
def filtered_stream():
    import threading

    connected = threading.Event()
    delivered = threading.Event()
    got = []

    class Listener(tweepy.StreamingClient):
        def on_connect(self):
            connected.set()

        def on_response(self, response):
            got.append(response)
            delivered.set()

    stream = Listener(cfg["bearer"], max_retries=0, daemon=True)
    added = stream.add_rules(tweepy.StreamRule(cfg["rule"], tag=cfg["tag"]))
    rule = added.data[0]
    stream.filter(threaded=True, expansions=["author_id"], tweet_fields=["created_at", "author_id"])
    out = {
        "added": {"id": str(rule.id), "value": rule.value, "tag": rule.tag},
        "added_summary": added.meta["summary"],
        "connected": connected.wait(cfg["bound_s"]),
    }
    status, body = raw("POST", "/2/tweets", cfg["user_token"], {"text": cfg["text"]})
    if status != 201:
        raise RuntimeError(f"POST /2/tweets: {status} {body}")
    out["posted_id"] = body["data"]["id"]
    delivered.wait(cfg["bound_s"])
    stream.disconnect()
    if got:
        first = got[0]
        out["received"] = first.data.data
        out["matching_rules"] = [{"id": str(r.id), "tag": r.tag} for r in first.matching_rules]
        out["usernames"] = [u.username for u in first.includes.get("users", [])]
    deleted = stream.delete_rules([rule.id])
    out["deleted_summary"] = deleted.meta["summary"]
    left = stream.get_rules()
    out["rules_left"] = [r.value for r in (left.data or [])]
    return out


@flow("media")
def media_upload():
    # tweepy 4.12.1's v2 Client cannot upload media: its v1.1 API does (upload.twitter.com/1.1/media/upload.json,
    # INIT / APPEND / FINALIZE, then STATUS while processing), and the v2 Client posts with the media id.
    auth = tweepy.OAuth1UserHandler(cfg["consumer_key"], cfg["consumer_secret"], cfg["oauth1_token"], cfg["oauth1_secret"])
    api = tweepy.API(auth)
    media = api.media_upload(cfg["path"], chunked=True, media_category="tweet_image", chunk_size=cfg["chunk"])
    posted = oauth1_client().create_tweet(text=cfg["text"], media_ids=[media.media_id], user_auth=True).data
    return {"media_id": media.media_id_string, "post_id": posted["id"]}


@flow("lists")
def list_flow():
    # Writes with OAuth 1.0a (tweepy's default for them), reads with the app's bearer.
    user = oauth1_client()
    created = user.create_list(cfg["name"], description="made by tweepy", private=False, user_auth=True).data
    list_id = created["id"]
    out = {"created": created, "added": user.add_list_member(list_id, cfg["member"], user_auth=True).data}
    app = app_client()
    looked = app.get_list(list_id, list_fields=["owner_id", "member_count", "private"], expansions=["owner_id"])
    out["list"] = looked.data.data
    out["owners"] = [u.username for u in looked.includes.get("users", [])]
    pages = list(tweepy.Paginator(app.get_list_tweets, list_id, max_results=cfg["page"], expansions=["author_id"], tweet_fields=["author_id"]))
    posts = [t for p in pages for t in (p.data or [])]
    out["pages"] = len(pages)
    out["ids"] = [str(t.id) for t in posts]
    out["author_ids"] = sorted({str(t.author_id) for t in posts})
    out["deleted"] = user.delete_list(list_id, user_auth=True).data
    out["after"] = raw("GET", f"/2/lists/{list_id}")[1]
    return out


@flow("dm")
def direct_message():
    # Send, list (newest first: the message is the first MessageCreate), delete. tweepy 4.12.1 has no method for
    # DELETE /2/dm_events/:id: its generic Client.request signs it with the same OAuth 1.0a credentials.
    client = oauth1_client()
    sent = client.create_direct_message(participant_id=cfg["recipient"], text=cfg["text"], user_auth=True).data
    event_id = sent["dm_event_id"]
    events = client.get_direct_message_events(participant_id=cfg["recipient"], dm_event_fields=["sender_id"], user_auth=True).data
    first = events[0]
    listed = {"id": str(first.id), "text": first.text, "sender_id": str(first.sender_id)}
    mine = client.get_direct_message_events(event_types="MessageCreate", user_auth=True).data
    seen = any(str(e.id) == event_id for e in mine)
    deleted = client.request("DELETE", f"/2/dm_events/{event_id}", user_auth=True).json()["data"]
    return {"event_id": event_id, "listed": listed, "seen_before_delete": seen, "deleted": deleted}


def main():
    results = {}
    for fn in FLOWS[sys.argv[1]]:
        try:
            results[fn.__name__] = {"ok": True, **fn()}
        except Exception as e:  # every flow reports; the test shows which one failed and why
            results[fn.__name__] = {"ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}
    print(json.dumps({"results": results}, default=str), flush=True)


main()
