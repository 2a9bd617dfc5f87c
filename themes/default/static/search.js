// Search over the chunked index under search/ (src/render/search_index.rs):
// the manifest on focus, then per query only the chunk of each word typed
// and the fragments of the results shown. Its tokenizer is the index's twin.
(function () {
  var script = document.currentScript;
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  if (!script || !input || !list || !window.fetch) return;
  var base = script.getAttribute("data-base");
  function words(name) { return script.getAttribute("data-" + name) || ""; }
  var PAGE = 10, MAX_WORD = 40;
  var manifest = null, chunks = {}, fragments = {};

  function get(path) {
    var v = manifest ? "?v=" + manifest.version : "";
    return fetch(base + path + v).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }
  function loadManifest() {
    if (!manifest) manifest = get("manifest.json").then(function (m) { manifest = m; return m; });
    return Promise.resolve(manifest);
  }
  function chunk(i) {
    if (!chunks[i]) chunks[i] = get("chunk/" + i + ".json");
    return chunks[i];
  }
  function fragment(i) {
    if (!fragments[i]) fragments[i] = get("fragment/" + i + ".json");
    return fragments[i];
  }

  function isCjk(c) {
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff66 && c <= 0xff9f) ||
      (c >= 0x20000 && c <= 0x2ffff);
  }
  var alnum = /[\p{Alphabetic}\p{N}]/u;
  function tokens(text) {
    var out = [], word = "", prev = null, run = 0;
    function flushWord() { if (word && Array.from(word).length <= MAX_WORD) out.push(word); word = ""; }
    function endCjk() { if (run === 1 && prev) out.push(prev); prev = null; run = 0; }
    for (var ch of text) {
      if (isCjk(ch.codePointAt(0))) {
        flushWord();
        if (prev) out.push(prev + ch);
        prev = ch; run++;
      } else {
        endCjk();
        if (alnum.test(ch)) word += ch.toLowerCase(); else flushWord();
      }
    }
    flushWord(); endCjk();
    return out;
  }

  // Postings: gaps in base 36, or "#" and a bitmap in base64.
  function decode(s) {
    var ids = [];
    if (!s) return ids;
    if (s.charAt(0) === "#") {
      var bin = atob(s.slice(1));
      for (var i = 0; i < bin.length; i++) {
        var b = bin.charCodeAt(i);
        for (var j = 0; j < 8; j++) if (b & (1 << j)) ids.push(i * 8 + j);
      }
      return ids;
    }
    var last = 0;
    s.split(",").forEach(function (g) { last += parseInt(g, 36); ids.push(last); });
    return ids;
  }
  // The chunk that holds `w`: the last whose first word is not after it.
  function chunkOf(w) {
    var c = manifest.chunks, lo = 0, hi = c.length - 1;
    if (hi < 0 || w < c[0]) return -1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (c[mid] <= w) lo = mid; else hi = mid - 1; }
    return lo;
  }
  // A word's documents and title matches; the last word typed also
  // matches as the start of longer words, within its chunk and the next.
  function lookup(w, prefix) {
    var i = chunkOf(w);
    if (i < 0 && !prefix) return Promise.resolve(null);
    var wanted = [Math.max(i, 0)];
    if (prefix && i + 1 < manifest.chunks.length && manifest.chunks[i + 1].indexOf(w) === 0) wanted.push(i + 1);
    return Promise.all(wanted.map(chunk)).then(function (cs) {
      var all = {}, title = {}, found = false;
      cs.forEach(function (c) {
        Object.keys(c).forEach(function (k) {
          if (k === w || (prefix && k.indexOf(w) === 0)) {
            found = true;
            decode(c[k][0]).forEach(function (id) { all[id] = 1; });
            decode(c[k][1]).forEach(function (id) { title[id] = 1; });
          }
        });
      });
      return found ? { all: all, title: title } : null;
    });
  }

  var seq = 0, hits = [], shown = 0, query = "";
  function show(from) {
    var mine = seq;
    var page = hits.slice(from, from + PAGE);
    return Promise.all(page.map(function (id) { return fragment(Math.floor(id / manifest.fragment)); })).then(function (fs) {
      if (mine !== seq) return;
      page.forEach(function (id, n) {
        var f = fs[n][id % manifest.fragment];
        if (!f) return;
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = f[1]; a.textContent = f[0];
        var kind = document.createElement("span");
        kind.className = "meta"; kind.textContent = " " + (words(f[2]) || f[2]);
        li.appendChild(a); li.appendChild(kind);
        if (f[3]) { var p = document.createElement("p"); p.className = "excerpt"; p.textContent = f[3]; li.appendChild(p); }
        list.appendChild(li);
      });
      shown = from + page.length;
      more.hidden = shown >= hits.length;
    });
  }
  function say(key, n) { status.textContent = words(key).replace("{n}", n).replace("{q}", query); }
  function run() {
    var mine = ++seq;
    query = input.value.trim();
    var terms = tokens(query);
    list.textContent = ""; more.hidden = true; hits = []; shown = 0;
    if (!terms.length) { status.textContent = ""; return; }
    status.textContent = words("searching");
    loadManifest().then(function () {
      var last = query.length > 0 && alnum.test(Array.from(query).pop()) ? terms.length - 1 : -1;
      return Promise.all(terms.map(function (w, i) { return lookup(w, i === last && w.length >= 2); }));
    }).then(function (found) {
      if (mine !== seq || !found) return;
      if (found.some(function (f) { return !f; })) { say("none"); return; }
      // Every word on the page; ranked by the words in the title, then
      // in the order of the index (runbooks, then newest incidents).
      found.sort(function (a, b) { return Object.keys(a.all).length - Object.keys(b.all).length; });
      var score = {};
      Object.keys(found[0].all).forEach(function (id) {
        if (found.every(function (f) { return f.all[id]; })) {
          score[id] = found.reduce(function (s, f) { return s + (f.title[id] ? 1 : 0); }, 0);
        }
      });
      hits = Object.keys(score).map(Number).sort(function (a, b) { return score[b] - score[a] || a - b; });
      if (!hits.length) { say("none"); return; }
      // Announced once the results are there to read.
      return show(0).then(function () { if (mine === seq) say(hits.length === 1 ? "one" : "many", hits.length); });
    }).catch(function () { if (mine === seq) status.textContent = words("failed"); });
  }
  var timer = null;
  input.addEventListener("focus", loadManifest, { once: true });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  more.addEventListener("click", function () { show(shown); });
  document.getElementById("search-form").addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  var params = new URLSearchParams(location.search);
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
