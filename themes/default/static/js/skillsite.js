/* skillsite default theme: progressive enhancements. The site works without this file.
   Sections: theme toggle · sidebar drawer (the tree is nav.js's) · copy buttons ·
   keyboard navigation · "On this page" scrollspy. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var THEME_KEY = "skillsite-theme";

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

  /* ---- Sidebar: drawer on narrow screens (checkbox hack) ---- */
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
    // The tree, its folds and its scroll position are static/js/nav.js's.
    sidebar.addEventListener("click", function (e) {
      if (e.target.closest("a")) setDrawer(false);
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

