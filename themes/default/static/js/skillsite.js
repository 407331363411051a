/* skillsite default theme: progressive enhancements. The site works without this file.
   Sections: theme toggle · sidebar (drawer, folds, scroll) · copy buttons ·
   keyboard navigation · "On this page" scrollspy. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var THEME_KEY = "skillsite-theme", SCROLL_KEY = "skillsite-sidebar-scroll";

  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }

  /* ---- Theme toggle: flips data-theme on <html>, remembered in localStorage ---- */
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function currentTheme() {
    var t = root.getAttribute("data-theme");
    if (t === "light" || t === "dark") return t;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }
  var toggle = doc.querySelector(".theme-toggle");
  function labelToggle() {
    var label = currentTheme() === "dark" ? "Switch to light theme" : "Switch to dark theme";
    toggle.setAttribute("aria-label", label);
    toggle.title = label;
  }
  if (toggle) {
    toggle.hidden = false;
    labelToggle();
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      store(THEME_KEY, next);
      labelToggle();
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", labelToggle);
  }

  /* ---- Sidebar: drawer on narrow screens (checkbox hack), folds, scroll position ---- */
  var navToggle = doc.getElementById("nav-toggle");
  var sidebar = doc.getElementById("sidebar");
  var menuButton = doc.querySelector(".menu-button");
  function setDrawer(open) {
    if (!navToggle) return;
    navToggle.checked = open;
    if (menuButton) menuButton.setAttribute("aria-expanded", String(open));
  }
  if (menuButton && navToggle) {
    // The visible label becomes a real button for assistive tech; the checkbox leaves the tab order.
    menuButton.removeAttribute("aria-hidden");
    menuButton.setAttribute("role", "button");
    menuButton.setAttribute("tabindex", "0");
    menuButton.setAttribute("aria-label", "Navigation");
    menuButton.setAttribute("aria-controls", "sidebar");
    menuButton.setAttribute("aria-expanded", String(navToggle.checked));
    navToggle.setAttribute("tabindex", "-1");
    navToggle.setAttribute("aria-hidden", "true");
    navToggle.addEventListener("change", function () { setDrawer(navToggle.checked); });
    menuButton.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); setDrawer(!navToggle.checked); }
    });
  }
  if (sidebar) {
    // Fold buttons for subtrees.
    sidebar.querySelectorAll(".nav-fold").forEach(function (btn) {
      var children = btn.closest(".nav-item").querySelector(":scope > .nav-children");
      if (!children) return;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var open = children.classList.toggle("collapsed") === false;
        btn.setAttribute("aria-expanded", String(open));
      });
    });
    // Keep the sidebar where the reader left it; otherwise bring the active page into view.
    var saved = null;
    try { saved = sessionStorage.getItem(SCROLL_KEY); } catch (e) {}
    var active = sidebar.querySelector(".nav-item.active > .nav-row");
    if (saved !== null) sidebar.scrollTop = +saved;
    if (active) {
      var a = active.getBoundingClientRect(), s = sidebar.getBoundingClientRect();
      if (a.top < s.top || a.bottom > s.bottom) sidebar.scrollTop += a.top - s.top - s.height / 3;
    }
    sidebar.addEventListener("click", function (e) {
      if (e.target.closest("a")) {
        try { sessionStorage.setItem(SCROLL_KEY, String(sidebar.scrollTop)); } catch (err) {}
        setDrawer(false);
      }
    });
  }
  window.addEventListener("resize", function () {
    if (navToggle && navToggle.checked && window.innerWidth > 860) setDrawer(false);
  });

  /* ---- Copy buttons on code blocks ---- */
  function fallbackCopy(text) {
    var ta = doc.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.cssText = "position:fixed;top:0;left:0;opacity:0";
    doc.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) {}
    doc.body.removeChild(ta);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  doc.querySelectorAll(".code-block").forEach(function (block) {
    var pre = block.querySelector("pre");
    if (!pre || block.classList.contains("no-copy")) return; // [output.html.playground] copyable = false
    var btn = doc.createElement("button");
    btn.type = "button";
    btn.className = "copy-button";
    btn.textContent = "Copy";
    btn.setAttribute("aria-label", "Copy code to clipboard");
    var timer;
    btn.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      // Hidden lines (mdBook's `boring` spans) are copied only while shown, as in mdBook.
      var toggle = block.querySelector(".boring-toggle");
      if (!(toggle && toggle.checked) && code.querySelector(".boring")) {
        code = code.cloneNode(true);
        code.querySelectorAll(".boring").forEach(function (b) { b.remove(); });
      }
      copyText(code.textContent.replace(/\n$/, "")).then(function () {
        btn.textContent = "Copied";
        btn.classList.add("copied");
      }, function () {
        btn.textContent = "Press Ctrl+C";
      });
      clearTimeout(timer);
      timer = setTimeout(function () { btn.textContent = "Copy"; btn.classList.remove("copied"); }, 2000);
    });
    block.appendChild(btn);
  });

  /* ---- Keyboard: ←/→ go to previous/next page (mdBook-style), Esc closes the drawer ---- */
  doc.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "Escape" && navToggle && navToggle.checked) { setDrawer(false); if (menuButton) menuButton.focus(); return; }
    var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : null;
    if (!rel) return;
    var link = doc.querySelector('.pager a[rel="' + rel + '"]');
    if (link) { e.preventDefault(); window.location.href = link.href; }
  });

  /* ---- "On this page": highlight the section being read (IntersectionObserver) ---- */
  var toc = doc.querySelector(".toc");
  if (toc && "IntersectionObserver" in window) {
    var links = {}, headings = [];
    toc.querySelectorAll('a[href^="#"]').forEach(function (link) {
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var h = doc.getElementById(id);
      if (h) { links[id] = link; headings.push(h); }
    });
    var visible = new Set(), current = null;
    var headerH = (doc.querySelector(".site-header") || { offsetHeight: 0 }).offsetHeight;
    function setActive(h) {
      if (h === current) return;
      if (current) links[current.id].classList.remove("active");
      current = h;
      if (!h) return;
      var link = links[h.id], tr = toc.getBoundingClientRect(), lr = link.getBoundingClientRect();
      link.classList.add("active");
      if (toc.scrollHeight > toc.clientHeight && (lr.top < tr.top || lr.bottom > tr.bottom)) {
        toc.scrollTop += lr.top - tr.top - tr.height / 2; // keep the active entry in view
      }
    }
    function update() {
      var pick = null;
      if (window.innerHeight + window.scrollY >= doc.documentElement.scrollHeight - 4) {
        pick = headings[headings.length - 1]; // at the very bottom: the last section
      } else {
        for (var i = 0; i < headings.length && !pick; i++) if (visible.has(headings[i])) pick = headings[i];
        if (!pick) headings.forEach(function (h) { if (h.getBoundingClientRect().top < headerH + 8) pick = h; });
      }
      setActive(pick);
    }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { en.isIntersecting ? visible.add(en.target) : visible.delete(en.target); });
      update();
    }, { rootMargin: "-" + headerH + "px 0px -60% 0px" });
    headings.forEach(function (h) { io.observe(h); });
    var queued = false;
    window.addEventListener("scroll", function () {
      if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; update(); }); }
    }, { passive: true });
  }
})();

/* ------------------------------------------------------------------ catalog filters
   Chips filter the catalog table client-side: within a facet values are OR-ed, across facets
   AND-ed. Without JavaScript the chips stay hidden and the whole table shows. */
(function () {
  var catalog = document.querySelector("[data-catalog]");
  if (!catalog) return;
  var facets = catalog.querySelector("[data-facets]");
  var rows = Array.prototype.slice.call(catalog.querySelectorAll("tbody tr"));
  var status = catalog.querySelector("[data-facet-status]");
  facets.hidden = false;
  function selected() {
    var out = {};
    facets.querySelectorAll("[data-facet]").forEach(function (f) {
      var on = Array.prototype.slice.call(f.querySelectorAll('.chip[aria-pressed="true"]')).map(function (c) { return c.getAttribute("data-value"); });
      if (on.length) out[f.getAttribute("data-facet")] = on;
    });
    return out;
  }
  function apply() {
    var sel = selected();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = Object.keys(sel).every(function (key) {
        var values = (row.getAttribute("data-" + key) || "").split("|");
        return sel[key].some(function (v) { return values.indexOf(v) !== -1; });
      });
      row.hidden = !ok;
      if (ok) shown++;
    });
    status.textContent = Object.keys(sel).length ? shown + " of " + rows.length + " skills" : "";
  }
  facets.addEventListener("click", function (e) {
    var chip = e.target.closest(".chip");
    if (!chip) return;
    chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true");
    apply();
  });
})();
