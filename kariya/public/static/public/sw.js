/* Kariya public site: service worker (scope /public/).
   Keeps the public pages visited, the language's home, list and rights pages, and the
   directory data (directory.json) for offline use.
   - pages and data: network first; when the network fails, the cached copy, with its
     "copy of <date>" notice shown (the date is the one the server printed on the page);
   - static files: the cached copy at once, refreshed in the background.
   No inline code, no third party: the CSP of the site applies. */
"use strict";

var CACHE = "kariya-public-v1";
var DAY_MS = 24 * 3600 * 1000;
var HIDDEN_NOTICE = 'id="offline-copy" role="status" hidden';
var SHOWN_NOTICE = 'id="offline-copy" role="status"';

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) { return name !== CACHE; }).map(function (name) {
          return caches.delete(name);
        })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

function sameOrigin(url) {
  try {
    return new URL(url, self.location.href).origin === self.location.origin;
  } catch (error) {
    return false;
  }
}

function isFresh(response) {
  var date = Date.parse(response.headers.get("Date") || "");
  return !isNaN(date) && Date.now() - date < DAY_MS;
}

function store(cache, url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    if (response.ok) { return cache.put(url, response); }
    return null;
  }).catch(function () { return null; });
}

/* A page asks to keep itself ("page", when it was not loaded through this worker) and the
   language's offline set ("keep": fetched only when missing or older than a day). */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var pages = (data.page ? [data.page] : []).filter(sameOrigin);
  var keep = (data.keep || []).filter(sameOrigin);
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(
        pages.map(function (url) { return store(cache, url); }).concat(
          keep.map(function (url) {
            return cache.match(url, { ignoreVary: true }).then(function (hit) {
              return hit && isFresh(hit) ? null : store(cache, url);
            });
          })
        )
      );
    })
  );
});

function markAsCopy(response) {
  var type = response.headers.get("Content-Type") || "";
  if (type.indexOf("text/html") !== 0) { return response; }
  return response.text().then(function (text) {
    return new Response(text.replace(HIDDEN_NOTICE, SHOWN_NOTICE), {
      status: response.status,
      headers: response.headers
    });
  });
}

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      if (hit) { return markAsCopy(hit); }
      if (request.mode !== "navigate") { return Response.error(); }
      // An address never visited: the language's list of services, if kept.
      var parts = new URL(request.url).pathname.split("/");
      var list = "/public/" + (parts[2] || "fr") + "/services/";
      return cache.match(list, { ignoreVary: true }).then(function (page) {
        return page ? markAsCopy(page) : Response.error();
      });
    });
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      // Keyed by address alone, as the copies the pages ask for: one copy per address.
      caches.open(CACHE).then(function (cache) { cache.put(request.url, copy); });
    }
    return response;
  }).catch(function () { return fromCache(request); });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      var refresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request.url, response.clone()); }
        return response;
      });
      if (hit) {
        refresh.catch(function () { return null; });
        return hit;
      }
      return refresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.indexOf("/public/") === 0 && url.pathname !== "/public/sw.js") {
    event.respondWith(networkFirst(request));
  }
});
