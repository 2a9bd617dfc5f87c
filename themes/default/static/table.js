// Sorting and filtering of the compliance table; without it the table is
// complete and readable as it is.
(function () {
  var table = document.getElementById("compliance-table");
  if (!table) return;
  var tbody = table.tBodies[0];
  var controls = document.querySelector(".js-only");
  if (controls) controls.hidden = false;
  function cell(row, col) { return row.children[col]; }
  function key(row, col, num) {
    var c = cell(row, col);
    var v = c && c.getAttribute("data-sort") !== null ? c.getAttribute("data-sort") : (c ? c.textContent.trim() : "");
    return num ? Number(v) : v.toLowerCase();
  }
  table.querySelectorAll("button.sort").forEach(function (b) {
    b.addEventListener("click", function () {
      var col = Number(b.getAttribute("data-col"));
      var num = b.getAttribute("data-type") === "num";
      var th = b.parentNode;
      var asc = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (x, y) {
        var a = key(x, col, num), c = key(y, col, num);
        return (a < c ? -1 : a > c ? 1 : 0) * (asc ? 1 : -1);
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
  var filter = document.getElementById("compliance-filter");
  var onlyOpen = document.getElementById("compliance-open");
  function apply() {
    var q = filter.value.trim().toLowerCase();
    Array.prototype.forEach.call(tbody.rows, function (r) {
      var show = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) && (!onlyOpen.checked || r.getAttribute("data-open") !== "0");
      r.hidden = !show;
    });
  }
  if (filter) filter.addEventListener("input", apply);
  if (onlyOpen) onlyOpen.addEventListener("change", apply);
})();
