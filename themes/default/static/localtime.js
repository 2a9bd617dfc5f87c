// Adds the reader's local time after times shown in the site's zone, when
// the two differ. Without it every time is still shown, zone named.
(function () {
  var fmt;
  try {
    fmt = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  } catch (e) { return; }
  var siteOffsetCheck = document.querySelectorAll("time[datetime]");
  Array.prototype.forEach.call(siteOffsetCheck, function (t) {
    var d = new Date(t.getAttribute("datetime"));
    if (isNaN(d.getTime())) return;
    var local = fmt.format(d);
    t.setAttribute("title", "Your time: " + local);
    var hm = local.match(/\d{1,2}:\d{2}/);
    // In tables the reader's time goes in the tooltip only, to keep rows short.
    if (hm && t.textContent.indexOf(hm[0]) < 0 && !t.closest("table")) {
      var s = document.createElement("span");
      s.className = "local-time";
      s.textContent = " (your time: " + local + ")";
      t.after(s);
    }
  });
})();
// Keeps "going on for 2h15m" on the status page current: the page was
// built at one time and may stay open (a wall screen) long after.
(function () {
  var spans = document.querySelectorAll(".elapsed[data-since]");
  if (!spans.length) return;
  function tick() {
    Array.prototype.forEach.call(spans, function (s) {
      var since = new Date(s.getAttribute("data-since")).getTime();
      if (isNaN(since)) return;
      var m = Math.floor((Date.now() - since) / 60000);
      if (m < 0) return;
      var d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), mm = m % 60;
      var t = (d ? d + "d" : "") + (h ? h + "h" : "") + (mm || (!d && !h) ? mm + "m" : "");
      s.textContent = s.textContent.replace(/[0-9dhm]+$/, t);
    });
  }
  tick();
  setInterval(tick, 30000);
})();
