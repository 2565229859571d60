#!/usr/bin/env python3
"""Regenerate the WARC test files of this folder (see README.md).

    python3 tests/data/warc/make.py

Output is deterministic: fixed dates, record ids derived from the URIs, gzip members
without timestamps. The pages are invented stories of an invented town.
"""

import gzip
import hashlib
import os
import struct
import uuid
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = "https://www.eastmere-courier.example"
NAMESPACE = uuid.UUID("5b0e6a7e-3c1f-4f36-9a53-0d6c1f1e2a10")

NAV = """<header class="masthead">
  <a class="logo" href="/">The Eastmere Courier</a>
  <nav><ul>
    <li><a href="/news/">News</a></li><li><a href="/local/">Local</a></li>
    <li><a href="/business/">Business</a></li><li><a href="/sport/">Sport</a></li>
    <li><a href="/opinion/">Opinion</a></li><li><a href="/subscribe">Subscribe</a></li>
  </ul></nav>
</header>
<div id="cookie-banner" class="consent">We use cookies to improve your experience and to
show relevant adverts. <button>Accept all</button> <button>Manage preferences</button></div>"""

FOOTER = """<footer>
  <ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
  <li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
  <p>&copy; 2024 Eastmere Courier Ltd. All rights reserved.</p>
</footer>"""


def related(links):
    items = "\n".join(f'    <li><a href="{href}">{text}</a></li>' for href, text in links)
    return f"""<aside class="related"><h2>Related stories</h2>
  <ul>
{items}
  </ul>
</aside>"""


def article_page(title, section, byline, date, paragraphs, links, head_extra=""):
    body = "\n".join(f"    <p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} | The Eastmere Courier</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{head_extra}</head>
<body>
{NAV}
<main>
  <article>
    <p class="kicker">{section}</p>
    <h1>{title}</h1>
    <p class="byline">By {byline} &middot; <time datetime="{date}">{date[:10]}</time></p>
{body}
  </article>
{related(links)}
</main>
{FOOTER}
</body>
</html>
"""


ARTICLES = [
    {
        "path": "/local/2024/03/04/council-approves-tidal-barrier",
        "title": "Council approves tidal barrier after a decade of flooding",
        "section": "Local",
        "byline": "Hannah Okafor",
        "date": "2024-03-04T09:30:00Z",
        "paragraphs": [
            "EASTMERE &mdash; Eastmere council voted on Monday night to build a tidal barrier "
            "across the mouth of the River Lune, ending ten years of argument over how to "
            "protect the lower town from winter storm surges.",
            "The &pound;48 million scheme, approved by 31 votes to 9, will place three steel "
            "gates between the harbour wall and Saltings Point. Engineers say the gates can be "
            "closed within forty minutes of a flood warning.",
            "&ldquo;Families on Quay Street have bailed out their kitchens four winters in "
            "five,&rdquo; said councillor Martin Reyes, who chairs the flood committee. "
            "&ldquo;Tonight we stopped talking and started building.&rdquo;",
            "Opponents argued that the barrier would trap silt in the inner harbour and harm "
            "the mussel beds that supply two local fisheries. The council promised a dredging "
            "budget and a five-year monitoring programme run with Lune Estuary Trust.",
            "Work is due to start in September and to finish before the winter of 2026. "
            "Until then, temporary flood boards will again be handed out from the fire "
            "station on Mill Lane.",
        ],
        "links": [
            ("/local/2023/12/19/quay-street-flooded-again", "Quay Street flooded for the third time this winter"),
            ("/opinion/2024/02/28/barrier-is-not-enough", "Opinion: a barrier is not enough"),
        ],
        "metadata": True,
    },
    {
        "path": "/news/2024/03/05/library-night-opening-trial",
        "title": "Library's night-opening trial draws students and shift workers",
        "section": "News",
        "byline": "Tom Lindqvist",
        "date": "2024-03-05T18:05:00Z",
        "paragraphs": [
            "The central library on Corn Market stayed open until midnight for the first time "
            "last week, and staff counted more than 600 visitors after 8pm over four nights.",
            "Most were students preparing for exams, but the library also saw nurses from "
            "Eastmere General and drivers from the Northgate depot, who said the quiet rooms "
            "were the only place they could study between shifts.",
            "&ldquo;I finish at ten and I have nowhere warm to sit with a laptop,&rdquo; said "
            "Priya Shah, a care assistant taking an evening nursing course. &ldquo;This is the "
            "first time the town has opened a door at the hour I need it.&rdquo;",
            "The trial, paid for by a &pound;90,000 grant from the Reading Futures fund, runs "
            "until the end of June. Library manager Gwen Hollis said the council would decide "
            "in July whether to keep late opening two nights a week.",
        ],
        "links": [
            ("/news/2024/01/11/library-roof-repairs", "Library roof repairs finished ahead of schedule"),
            ("/news/2024/02/20/night-bus-returns", "Night bus to Northgate returns"),
        ],
        "metadata": False,
    },
    {
        "path": "/news/2024/03/06/ferry-crew-rescues-kayakers",
        "title": "Ferry crew rescues two kayakers off Gull Point",
        "section": "News",
        "byline": "Hannah Okafor",
        "date": "2024-03-06T07:45:00Z",
        "paragraphs": [
            "Two kayakers were pulled from the sea off Gull Point on Tuesday afternoon by the "
            "crew of the Eastmere to Holm Island ferry, after a sudden squall capsized both "
            "boats.",
            "Captain Ruth Abernethy said a passenger spotted an upturned hull about half a "
            "mile off the ferry's course. The crew launched the rescue boat and reached the "
            "pair, a father and his 19-year-old son, within ten minutes.",
            "Both were wearing buoyancy aids and were treated for cold on board before being "
            "handed to paramedics at the Eastmere slipway. Neither needed hospital care.",
            "The coastguard praised the crew and repeated its advice that paddlers should "
            "carry a waterproof radio or phone and check the forecast, which on Tuesday had "
            "warned of gusts of up to 40 knots.",
            "The ferry arrived at Holm Island 25 minutes late. &ldquo;Nobody complained,&rdquo; "
            "said Captain Abernethy.",
        ],
        "links": [
            ("/news/2023/08/02/lifeboat-station-open-day", "Lifeboat station opens its doors"),
            ("/news/2024/02/14/ferry-timetable-changes", "Holm Island ferry timetable changes in spring"),
        ],
        "metadata": False,
    },
]


def json_ld(article):
    url = SITE + article["path"]
    return f"""<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{article['title']}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="The Eastmere Courier">
<meta property="article:published_time" content="{article['date']}">
<meta property="article:section" content="{article['section']}">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{article['title']}",
 "datePublished": "{article['date']}",
 "author": {{"@type": "Person", "name": "{article['byline']}"}},
 "publisher": {{"@type": "Organization", "name": "The Eastmere Courier"}},
 "mainEntityOfPage": "{url}"}}
</script>
"""


def render(article):
    extra = json_ld(article) if article["metadata"] else ""
    return article_page(
        article["title"], article["section"], article["byline"], article["date"],
        article["paragraphs"], article["links"], extra,
    )


FRONT = f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Local news | The Eastmere Courier</title></head>
<body>
{NAV}
<main class="section-front">
  <h1>Local</h1>
  <ul class="teasers">
    <li><a href="{ARTICLES[0]['path']}">{ARTICLES[0]['title']}</a> <span>4 March</span></li>
    <li><a href="/local/2024/03/01/market-hall-stalls">Market hall stalls to be let for a year at a time</a> <span>1 March</span></li>
    <li><a href="/local/2024/02/27/gritting-routes">New gritting routes for the hill estates</a> <span>27 February</span></li>
    <li><a href="/local/2024/02/22/school-crossing">School crossing patrol wins award</a> <span>22 February</span></li>
  </ul>
  <p class="more"><a href="/local/page/2">Older stories</a></p>
</main>
{FOOTER}
</body>
</html>
"""

NOT_FOUND = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Page not found | The Eastmere Courier</title></head>
<body>
{NAV}
<main><h1>Sorry, we can't find that page</h1>
<p>It may have been moved or deleted. Try the <a href="/search">search</a> or go to the <a href="/">home page</a>.</p></main>
{FOOTER}
</body></html>
"""


def png_1x1():
    """A valid 1x1 grey PNG."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x80")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def http_response(status, headers, body):
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode() + body


def http_request(path):
    return (
        f"GET {path} HTTP/1.1\r\nHost: www.eastmere-courier.example\r\n"
        "User-Agent: newsdex-test-crawler/0.1\r\nAccept: text/html,*/*;q=0.8\r\n"
        "Accept-Encoding: gzip\r\nConnection: close\r\n\r\n"
    ).encode()


def chunked(data, size=500):
    out = b""
    for i in range(0, len(data), size):
        part = data[i:i + size]
        out += f"{len(part):x}\r\n".encode() + part + b"\r\n"
    return out + b"0\r\n\r\n"


def record(kind, uri, date, content_type, block, extra=(), length=None):
    """One WARC/1.1 record; `length` overrides Content-Length (to make a corrupt one)."""
    rid = uuid.uuid5(NAMESPACE, f"{kind} {uri} {date}")
    digest = hashlib.sha1(block).hexdigest()
    headers = [
        ("WARC-Type", kind),
        ("WARC-Record-ID", f"<urn:uuid:{rid}>"),
        ("WARC-Date", date),
    ]
    if uri:
        headers.append(("WARC-Target-URI", uri))
    headers += list(extra)
    headers += [
        ("WARC-Block-Digest", f"sha1:{digest}"),
        ("Content-Type", content_type),
        ("Content-Length", str(len(block) if length is None else length)),
    ]
    head = "WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode() + block + b"\r\n\r\n"


RESPONSE = "application/http; msgtype=response"
REQUEST = "application/http; msgtype=request"
SERVER = [("Date", "Mon, 04 Mar 2024 10:15:00 GMT"), ("Server", "nginx")]


def page_response(uri, date, html, encoded=False):
    body = html.encode()
    headers = SERVER + [("Content-Type", "text/html; charset=utf-8")]
    if encoded:
        body = chunked(gzip.compress(body, mtime=0))
        headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
    else:
        headers += [("Content-Length", str(len(body)))]
    return record("response", uri, date, RESPONSE, http_response("200 OK", headers, body),
                  [("WARC-IP-Address", "192.0.2.10")])


def crawl_records():
    date = "2024-03-06T10:15:%02dZ"
    n = iter(range(60))
    out = [record(
        "warcinfo", None, date % next(n), "application/warc-fields",
        b"software: newsdex tests/data/warc/make.py\r\nformat: WARC File Format 1.1\r\n"
        b"description: invented pages of an invented newspaper, for tests\r\n",
        [("WARC-Filename", "crawl.warc.gz")],
    )]
    for i, article in enumerate(ARTICLES):
        uri = SITE + article["path"]
        d = date % next(n)
        out.append(record("request", uri, d, REQUEST, http_request(article["path"])))
        out.append(page_response(uri, d, render(article), encoded=(i == 1)))
    out.append(record(
        "response", SITE + "/news/2024/03/01/deleted-story", date % next(n), RESPONSE,
        http_response("404 Not Found", SERVER + [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(NOT_FOUND.encode())))], NOT_FOUND.encode()),
    ))
    png = png_1x1()
    out.append(record(
        "response", SITE + "/static/img/logo.png", date % next(n), RESPONSE,
        http_response("200 OK", SERVER + [("Content-Type", "image/png"),
                                          ("Content-Length", str(len(png)))], png),
    ))
    out.append(record(
        "response", SITE + "/local/2024/03/04/tidal-barrier", date % next(n), RESPONSE,
        http_response("301 Moved Permanently", SERVER + [
            ("Location", SITE + ARTICLES[0]["path"]), ("Content-Length", "0")], b""),
    ))
    out.append(record(
        "metadata", SITE + ARTICLES[0]["path"], date % next(n), "application/warc-fields",
        f"via: {SITE}/local/\r\nhopsFromSeed: L\r\n"
        f"outlink: {SITE}{ARTICLES[0]['links'][0][0]} L a/@href\r\n".encode(),
    ))
    out.append(page_response(SITE + "/local/", date % next(n), FRONT))
    return out


def corrupt_records():
    date = "2024-03-07T08:00:%02dZ"
    first = record("warcinfo", None, date % 0, "application/warc-fields",
                   b"software: newsdex tests/data/warc/make.py\r\n")
    uri = SITE + ARTICLES[2]["path"]
    good = page_response(uri, date % 1, render(ARTICLES[2]))
    # The same record claiming 25 bytes more than its block: the reader must notice that
    # no CRLF CRLF follows and find record 3, whose start it has already read.
    block = good[good.index(b"\r\n\r\n") + 4:-4]
    liar = record("response", uri, date % 1, RESPONSE, block,
                  [("WARC-IP-Address", "192.0.2.10")], length=len(block) + 25)
    third = page_response(SITE + ARTICLES[1]["path"], date % 2, render(ARTICLES[1]))
    fourth = page_response(SITE + "/local/", date % 3, FRONT)
    return [first, liar, third, fourth]


def write(name, records, gz):
    with open(os.path.join(HERE, name), "wb") as f:
        for r in records:
            f.write(gzip.compress(r, mtime=0) if gz else r)


def main():
    crawl = crawl_records()
    write("crawl.warc", crawl, gz=False)
    write("crawl.warc.gz", crawl, gz=True)
    write("corrupt.warc.gz", corrupt_records(), gz=True)


if __name__ == "__main__":
    main()
