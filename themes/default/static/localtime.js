// Adds the reader's local time after times shown in the site's zone, when
// the two differ. Without it every time is still shown, zone named.
// The words come from the script tag, in the page's language.
var sitrepScript = document.currentScript;
function sitrepWords(name, fallback) {
  var v = sitrepScript && sitrepScript.getAttribute("data-" + name);
  return v || fallback;
}
(function () {
  var fmt;
  try {
    // In the page's language, as the rest of the line is.
    fmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  } catch (e) { return; }
  var siteOffsetCheck = document.querySelectorAll("time[datetime]");
  Array.prototype.forEach.call(siteOffsetCheck, function (t) {
    var d = new Date(t.getAttribute("datetime"));
    if (isNaN(d.getTime())) return;
    var local = fmt.format(d);
    t.setAttribute("title", sitrepWords("your-time", "Your time: {time}").replace("{time}", local));
    var hm = local.match(/\d{1,2}:\d{2}/);
    // In tables the reader's time goes in the tooltip only, to keep rows short.
    if (hm && t.textContent.indexOf(hm[0]) < 0 && !t.closest("table")) {
      var s = document.createElement("span");
      s.className = "local-time";
      s.textContent = " " + sitrepWords("your-time-short", "(your time: {time})").replace("{time}", local);
      t.after(s);
    }
  });
})();
// Keeps "going on for 2h15m" on the status page current: the page was
// built at one time and may stay open (a wall screen) long after.
(function () {
  var spans = document.querySelectorAll(".elapsed[data-since]");
  if (!spans.length) return;
  var units = ["d", "h", "m", "s", ""];
  try { units = JSON.parse(spans[0].getAttribute("data-units")) || units; } catch (e) { /* keep English */ }
  function tick() {
    Array.prototype.forEach.call(spans, function (s) {
      var since = new Date(s.getAttribute("data-since")).getTime();
      if (isNaN(since)) return;
      var m = Math.floor((Date.now() - since) / 60000);
      if (m < 0) return;
      var d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), mm = m % 60;
      var parts = [];
      if (d) parts.push(d + units[0]);
      if (h) parts.push(h + units[1]);
      if (mm || (!d && !h)) parts.push(mm + units[2]);
      var out = s.querySelector(".duration");
      if (out) out.textContent = parts.join(units[4]);
    });
  }
  tick();
  setInterval(tick, 30000);
})();
