// Client-side search over the prebuilt index; the page works without it.
(function () {
  var script = document.currentScript;
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  if (!script || !input || !list) return;
  var index = null;
  function load() {
    if (index) return Promise.resolve(index);
    return fetch(script.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (j) { index = j; return j; });
  }
  function run() {
    var q = input.value.trim().toLowerCase();
    var all = document.getElementById("all-pages");
    if (all) all.hidden = q.length > 0;
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    load().then(function (entries) {
      var words = q.split(/\s+/);
      var hits = entries.filter(function (e) {
        var hay = (e.title + " " + e.text).toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) >= 0; });
      }).slice(0, 50);
      hits.forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e.url; a.textContent = e.title;
        var s = document.createElement("span");
        s.className = "meta"; s.textContent = " " + e.kind;
        li.appendChild(a); li.appendChild(s); list.appendChild(li);
      });
      status.textContent = hits.length + (hits.length === 1 ? " result" : " results");
    });
  }
  var params = new URLSearchParams(location.search);
  if (params.get("q")) input.value = params.get("q");
  input.addEventListener("input", run);
  document.getElementById("search-form").addEventListener("submit", function (e) { e.preventDefault(); run(); });
  run();
})();
