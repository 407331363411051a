/* skillsite default theme: diagrams and other boxes that scroll sideways.

   Diagrams (Graphviz, Mermaid, pack dependency graphs: `.diagram-figure svg.diagram`) are
   drawn at their natural size; without this script a wide one scrolls inside its figure.
   For a diagram wider than its column this script adds:
   - buttons: zoom out (−), zoom in (+), "Fit" (scale to the column) and "1:1";
   - drag to pan (the box scrolls), and the box is focusable so arrow keys scroll it.
   A diagram opens fitted when fitting keeps its labels at 11 px or more (labels are drawn at
   14 px: scale ≥ 11/14), otherwise at 1:1 inside its scrolling box.

   Boxes that scroll (code blocks, tables wider than the column) get tabindex="0" and a label,
   so keyboard users can scroll them (WCAG 2.1.1; axe's `scrollable-region-focusable`).

   DOM is built with createElement/textContent only (the site's Content-Security-Policy and
   its rule against innerHTML); sizes are set through the CSSOM (element.style), which the
   policy allows. */
(function () {
  "use strict";
  var MIN_LABEL_SCALE = 11 / 14;
  var STEP = 1.25;

  function button(text, label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function naturalWidth(svg) {
    var w = parseFloat(svg.getAttribute("width") || svg.getAttribute("data-width") || "");
    if (!w && svg.viewBox && svg.viewBox.baseVal) w = svg.viewBox.baseVal.width;
    return w || svg.getBoundingClientRect().width;
  }

  function setup(fig) {
    var svgs = Array.prototype.slice.call(fig.querySelectorAll("svg.diagram"));
    if (!svgs.length || fig.querySelector(".diagram-scroll")) return;
    var widest = 0;
    svgs.forEach(function (s) { widest = Math.max(widest, naturalWidth(s)); });
    var scroll = document.createElement("div");
    scroll.className = "diagram-scroll";
    fig.insertBefore(scroll, svgs[0]);
    svgs.forEach(function (s) { scroll.appendChild(s); });
    var room = scroll.clientWidth;
    if (!widest || !room || widest <= room + 1) return;

    var fit = room / widest;
    var scale = fit >= MIN_LABEL_SCALE ? fit : 1;
    var level = document.createElement("span");
    level.className = "diagram-zoom-level";
    level.setAttribute("aria-live", "polite");
    function apply(next) {
      scale = Math.min(4, Math.max(Math.min(fit, 0.1), next));
      svgs.forEach(function (s) {
        s.style.width = (naturalWidth(s) * scale).toFixed(1) + "px";
        s.style.height = "auto";
      });
      level.textContent = Math.round(scale * 100) + "%";
      scroll.classList.toggle("pannable", naturalWidth(svgs[0]) * scale > scroll.clientWidth + 1);
    }
    var tools = document.createElement("div");
    tools.className = "diagram-tools";
    tools.setAttribute("role", "toolbar");
    tools.setAttribute("aria-label", "Diagram zoom");
    tools.appendChild(level);
    tools.appendChild(button("−", "Zoom out", function () { apply(scale / STEP); }));
    tools.appendChild(button("+", "Zoom in", function () { apply(scale * STEP); }));
    tools.appendChild(button("Fit", "Fit to the column", function () { apply(fit); scroll.scrollLeft = 0; }));
    tools.appendChild(button("1:1", "1:1 (natural size)", function () { apply(1); }));
    fig.insertBefore(tools, scroll);
    fig.classList.add("has-tools");
    scroll.tabIndex = 0;
    scroll.setAttribute("role", "group");
    scroll.setAttribute("aria-label", "Diagram, scrolls sideways; drag or use the arrow keys to pan");
    apply(scale);

    // Drag to pan (mouse and pen; touch scrolls natively). A drag that moved does not follow
    // the link it started on.
    var drag = null;
    scroll.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "touch" || e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, left: scroll.scrollLeft, top: scroll.scrollTop, moved: false };
    });
    window.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      drag.moved = true;
      scroll.classList.add("panning");
      scroll.scrollLeft = drag.left - dx;
      scroll.scrollTop = drag.top - dy;
    });
    window.addEventListener("pointerup", function () {
      if (drag && drag.moved) {
        scroll.addEventListener("click", function once(ev) { ev.preventDefault(); ev.stopPropagation(); scroll.removeEventListener("click", once, true); }, true);
      }
      drag = null;
      scroll.classList.remove("panning");
    });
  }

  /* Scrolling boxes: focusable, with a name, when (and only when) they scroll. */
  function focusable(box, label) {
    if (box.scrollWidth <= box.clientWidth + 1 || box.hasAttribute("tabindex")) return;
    box.tabIndex = 0;
    if (!box.hasAttribute("role")) box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label);
  }

  function run() {
    document.querySelectorAll(".diagram-figure").forEach(setup);
    document.querySelectorAll("pre").forEach(function (pre) {
      var lang = pre.getAttribute("data-lang");
      focusable(pre, "Code" + (lang ? " (" + lang + ")" : "") + ", scrolls sideways");
    });
    document.querySelectorAll("main table").forEach(function (t) {
      var cap = t.querySelector("caption");
      focusable(t, "Table" + (cap ? ": " + cap.textContent.trim() : "") + ", scrolls sideways");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
