/* Kariya public site: print button, and registration of the offline copy (sw.js). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-print]")) { window.print(); }
  });
  var body = document.body;
  if (!("serviceWorker" in navigator) || !body.getAttribute("data-sw")) { return; }
  var controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.register(body.getAttribute("data-sw"), { scope: "/public/" })
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) {
      var keep = (body.getAttribute("data-offline") || "").split(" ").filter(Boolean);
      var assets = document.querySelectorAll("link[rel=stylesheet], link[rel=icon], script[src]");
      for (var i = 0; i < assets.length; i += 1) {
        keep.push(assets[i].getAttribute("href") || assets[i].getAttribute("src"));
      }
      registration.active.postMessage({
        page: controlled ? "" : location.pathname + location.search,
        keep: keep
      });
    })
    .catch(function () { return null; });
}());
