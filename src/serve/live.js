// Injected by `sitrep serve` only: reload the page when the site is rebuilt,
// keeping the scroll position. Never part of `sitrep build` output.
(function () {
  var me = document.currentScript;
  if (!me || !window.EventSource) return;
  var key = "sitrep-scroll:" + location.pathname;
  window.addEventListener("load", function () {
    try {
      var y = sessionStorage.getItem(key);
      if (y !== null) { sessionStorage.removeItem(key); window.scrollTo(0, Number(y)); }
    } catch (e) {}
  });
  var es = new EventSource(me.getAttribute("data-events") + "?since=" + me.getAttribute("data-generation"));
  es.onmessage = function (ev) {
    if (ev.data !== "reload") return;
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) {}
    es.close();
    location.reload();
  };
})();
