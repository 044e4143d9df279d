// ficlens web app: the reader's layers, the quotation tooltip and evidence links.
// Everything works without this script too (links are anchors, layers are all shown); it only adds.
(function () {
  "use strict";
  var reader = document.getElementById("reader");
  if (!reader) return;

  // Layers: each checkbox switches one class on the reader.
  document.querySelectorAll("input[data-layer]").forEach(function (box) {
    var apply = function () { reader.classList.toggle("layer-" + box.dataset.layer, box.checked); };
    box.addEventListener("change", apply);
    apply();
  });

  // The tooltip: who says a quotation, and to whom, on hover and on keyboard focus.
  var tip = document.getElementById("tip");
  var shownFor = null;
  function fill(q) {
    tip.textContent = "";
    var who = document.createElement("b");
    who.textContent = q.dataset.s;
    tip.appendChild(who);
    tip.appendChild(document.createTextNode(" to " + q.dataset.a));
    var sure = document.createElement("div");
    sure.textContent = "confidence " + q.dataset.c;
    tip.appendChild(sure);
  }
  function show(q) {
    if (!reader.classList.contains("layer-quotes")) return;
    fill(q);
    tip.hidden = false;
    var box = q.getBoundingClientRect();
    var top = window.scrollY + box.bottom + 6;
    var left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
    shownFor = q;
  }
  function hide(q) {
    if (q && q !== shownFor) return;
    tip.hidden = true;
    shownFor = null;
  }
  function quoteOf(event) { return event.target.closest ? event.target.closest(".q") : null; }
  reader.addEventListener("mouseover", function (e) { var q = quoteOf(e); if (q) show(q); });
  reader.addEventListener("mouseout", function (e) {
    var q = quoteOf(e);
    if (q && !(e.relatedTarget && q.contains(e.relatedTarget)) && document.activeElement !== q) hide(q);
  });
  reader.addEventListener("focusin", function (e) { var q = quoteOf(e); if (q) show(q); });
  reader.addEventListener("focusout", function (e) { var q = quoteOf(e); if (q) hide(q); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });

  // Evidence links: scroll the passage to the middle of the screen and light it up.
  function follow(link) {
    var id = link.getAttribute("href").slice(1);
    var target = document.getElementById(id);
    if (!target) return false;
    document.querySelectorAll(".ev.lit").forEach(function (el) { el.classList.remove("lit"); });
    document.querySelectorAll('.ev[data-ev="' + link.dataset.ev + '"]').forEach(function (el) { el.classList.add("lit"); });
    var lit = document.querySelector('.ev.lit');
    var focusable = lit || target;
    focusable.tabIndex = -1;  // keyboard users continue reading from the passage
    target.scrollIntoView({ block: "center" });
    focusable.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.ev-link") : null;
    if (link && follow(link)) {
      e.preventDefault();
      history.replaceState(null, "", link.getAttribute("href"));
    }
  });

  // Arriving with #q-12 (from a quotation search): focus that quotation so its speaker shows.
  if (location.hash.indexOf("#q-") === 0) {
    var q = document.getElementById(location.hash.slice(1));
    if (q) { q.scrollIntoView({ block: "center" }); q.focus({ preventScroll: true }); }
  }
})();
