// The article page: hovering, clicking or focusing a mark shows the cards (event, quotation, actor) of
// everything it is part of in the side panel, and outlines every piece of those annotations in the text.
// Our own code, no library; the page works without it (the cards are listed under the text).
(function () {
  "use strict";
  function init() {
    var text = document.getElementById("text");
    var target = document.getElementById("panel-cards");
    if (!text || !target) return;
    var active = [];

    function show(mark) {
      active.forEach(function (m) { m.classList.remove("active"); });
      active = [];
      while (target.firstChild) target.removeChild(target.firstChild);
      var cards = (mark.getAttribute("data-cards") || "").split(" ").filter(Boolean);
      cards.forEach(function (id) {
        var card = document.getElementById("card-" + id);
        if (!card) return;
        var copy = card.cloneNode(true);
        copy.removeAttribute("id");  // ids stay unique: the copy is only shown
        target.appendChild(copy);
      });
      var ids = (mark.getAttribute("data-ann") || "").split(" ").filter(Boolean);
      text.querySelectorAll("mark[data-ann]").forEach(function (m) {
        var mine = m.getAttribute("data-ann").split(" ");
        if (ids.some(function (id) { return mine.indexOf(id) >= 0; })) {
          m.classList.add("active");
          active.push(m);
        }
      });
    }

    function markOf(event) {
      var node = event.target;
      return node && node.closest ? node.closest("mark[data-ann]") : null;
    }
    text.addEventListener("mouseover", function (event) { var m = markOf(event); if (m) show(m); });
    text.addEventListener("click", function (event) { var m = markOf(event); if (m) show(m); });
    text.addEventListener("focusin", function (event) { var m = markOf(event); if (m) show(m); });
    text.addEventListener("keydown", function (event) {
      var m = markOf(event);
      if (m && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); show(m); }
    });
    // a link to #at-e1 (from a table) lands on the mark: show its card too
    function fromHash() {
      var id = decodeURIComponent(location.hash.replace(/^#at-/, ""));
      var node = id && document.getElementById("at-" + id);
      var mark = node && (node.matches("mark") ? node : node.nextElementSibling);
      if (mark && mark.matches("mark[data-ann]")) { show(mark); }
    }
    window.addEventListener("hashchange", fromHash);
    fromHash();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
