/* skillsite search UI: the header search box (results as you type, `/` or Ctrl-K to focus,
   arrows + Enter, facet chips) and the results page (search/index.html?q=...). Ranking is in
   search-core.js; the index is loaded lazily, shard by shard, as <script>s (works from
   file:// and under any base path). Without JavaScript the box stays hidden. */
(function () {
  "use strict";
  var doc = document, Core = window.SkillsiteSearchCore;
  var slot = doc.getElementById("search");
  if (!slot || !Core) return;
  var root = slot.getAttribute("data-root") || "";
  var base = root + "search/";
  var DROPDOWN = 6, PAGE = 20, CHIP_FACETS = ["kind", "type", "level"];
  var engine = null, loading = null;

  function getEngine() {
    if (!loading) {
      var load = Core.scriptLoader(base);
      loading = load("manifest").then(function (m) {
        engine = new Core.Engine(m, load);
        return engine;
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  /* Appends `text` to `parent` with `marks` ([start, end] ranges) wrapped in <mark>. */
  function highlighted(parent, text, marks) {
    var at = 0;
    (marks || []).forEach(function (m) {
      if (m[0] < at) return;
      parent.appendChild(doc.createTextNode(text.slice(at, m[0])));
      parent.appendChild(el("mark", "", text.slice(m[0], m[1])));
      at = m[1];
    });
    parent.appendChild(doc.createTextNode(text.slice(at)));
    return parent;
  }
  /* An SVG element (`attrs`: name → value), built node by node: nothing is parsed as HTML. */
  function svg(tag, attrs) {
    var e = doc.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  /* `u` (a URL from the index, relative to the site root) as an href for this page, or null
     when it is not a page of the site (Core.siteUrl, the theme's one rule). */
  function siteUrl(u) { return Core.siteUrl(root, u, window.location.href); }
  function label(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }

  /* One result as an <a>: title, badges, path, snippet; all of it text from the index, put in
     with textContent. Null when the result's URL is not a page of the site (see siteUrl). */
  function resultLink(frag, terms) {
    var stemming = engine ? engine.stem : undefined;
    var snip = Core.snippet(frag, terms, 170, stemming);
    var url = frag.u;
    if (snip.anchor && url.indexOf("#") < 0) url += "#" + snip.anchor;
    var href = siteUrl(url);
    if (href === null) {
      if (window.console) console.warn("skillsite search: result skipped, not a page of the site:", String(frag.u));
      return null;
    }
    var a = el("a", "search-result");
    a.setAttribute("href", href);
    var head = el("span", "search-result-head");
    highlighted(head.appendChild(el("span", "search-result-title")), frag.t, Core.marks(frag.t, terms, stemming));
    var badges = [frag.pl ? "planned" : null, frag.k].concat(frag.ty || []).filter(Boolean);
    badges.forEach(function (b, i) {
      head.appendChild(el("span", "search-badge" + (frag.pl && i === 0 ? " search-badge-planned" : ""), b.toLowerCase()));
    });
    a.appendChild(head);
    a.appendChild(el("span", "search-result-path", frag.u.replace(/(^|\/)index\.html(#|$)/, "$1$2").replace(/\.html(#|$)/, "$1") || "/"));
    if (snip.text) highlighted(a.appendChild(el("span", "search-result-snippet")), snip.text, snip.marks);
    return a;
  }

  /* Facet chips: toggles kept in `state.filters` ([name, value] pairs). */
  function chips(container, manifest, state, onChange) {
    container.textContent = "";
    CHIP_FACETS.forEach(function (name) {
      var values = (manifest.facets[name] || []);
      if (values.length < 2 || values.length > 12) return;
      container.appendChild(el("span", "search-chip-label", name));
      values.forEach(function (v) {
        var on = state.filters.some(function (f) { return f[0] === name && f[1] === v[0]; });
        var b = el("button", "search-chip" + (on ? " active" : ""), v[1]);
        b.type = "button";
        b.title = name + ":" + v[0] + " (" + v[2] + ")";
        b.setAttribute("aria-pressed", String(on));
        b.setAttribute("data-facet", name + ":" + v[0]);
        b.addEventListener("mousedown", function (e) { e.preventDefault(); });
        b.addEventListener("click", function () {
          state.filters = on ? state.filters.filter(function (f) { return !(f[0] === name && f[1] === v[0]); }) : state.filters.concat([[name, v[0]]]);
          onChange();
        });
        container.appendChild(b);
      });
    });
    container.hidden = !container.firstChild;
    rove(container);
  }

  /* One Tab stop for the whole chip group (WAI-ARIA toolbar pattern): the first pressed chip,
     else the first, is reachable by Tab; arrow keys, Home and End move between the chips, so
     Tab leaves the group instead of walking through every chip. */
  function rove(container) {
    var all = Array.prototype.slice.call(container.querySelectorAll("button"));
    if (!all.length) return;
    var current = all.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })[0] || all[0];
    all.forEach(function (b) { b.tabIndex = b === current ? 0 : -1; });
    if (container.getAttribute("data-roving")) return;
    container.setAttribute("data-roving", "1");
    container.addEventListener("keydown", function (e) {
      var buttons = Array.prototype.slice.call(container.querySelectorAll("button"));
      var i = buttons.indexOf(e.target);
      if (i < 0) return;
      var next = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      next = (next + buttons.length) % buttons.length;
      buttons.forEach(function (b, k) { b.tabIndex = k === next ? 0 : -1; });
      buttons[next].focus();
    });
  }

  function filterQuery(filters) {
    return filters.map(function (f) { return "&" + encodeURIComponent(f[0]) + "=" + encodeURIComponent(f[1]); }).join("");
  }
  function resultsPage(q, filters) { return base + "index.html?q=" + encodeURIComponent(q) + filterQuery(filters); }

  /* ---- The header box ---- */
  slot.className = "search";
  var form = el("form", "search-form");
  form.setAttribute("role", "search");
  form.action = base + "index.html";
  var icon = el("span", "search-icon");
  var glass = icon.appendChild(svg("svg", { viewBox: "0 0 24 24", width: "16", height: "16", "aria-hidden": "true" }));
  glass.appendChild(svg("circle", { cx: "10.5", cy: "10.5", r: "6.5", fill: "none", stroke: "currentColor", "stroke-width": "2" }));
  glass.appendChild(svg("path", { d: "m15.5 15.5 5 5", stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round" }));
  var input = el("input", "search-input");
  input.type = "search";
  input.name = "q";
  input.placeholder = "Search";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("aria-label", "Search the site");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "search-listbox");
  input.setAttribute("aria-autocomplete", "list");
  var kbd = el("kbd", "search-kbd", "/");
  kbd.title = "Press / or Ctrl+K to search";
  form.appendChild(icon);
  form.appendChild(input);
  form.appendChild(kbd);
  var panel = el("div", "search-panel");
  panel.hidden = true;
  var chipBox = el("div", "search-chips");
  chipBox.setAttribute("role", "group");
  chipBox.setAttribute("aria-label", "Filter results");
  var list = el("ul", "search-results");
  list.id = "search-listbox";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Search results");
  var foot = el("div", "search-footer");
  panel.appendChild(chipBox);
  panel.appendChild(list);
  panel.appendChild(foot);
  slot.appendChild(form);
  slot.appendChild(panel);
  slot.hidden = false;

  var box = { filters: [], active: -1, seq: 0, timer: 0 };
  function open(show) {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", String(show));
    slot.classList.toggle("open", show);
  }
  function setActive(i) {
    var items = list.querySelectorAll(".search-item");
    if (!items.length) { box.active = -1; return; }
    box.active = (i + items.length) % items.length;
    items.forEach(function (it, k) {
      it.setAttribute("aria-selected", String(k === box.active));
      it.classList.toggle("active", k === box.active);
    });
    var cur = items[box.active];
    input.setAttribute("aria-activedescendant", cur.id);
    if (cur.scrollIntoView) cur.scrollIntoView({ block: "nearest" });
  }
  function footer(q, total) {
    foot.textContent = "";
    if (q.trim() || box.filters.length) {
      var all = el("a", "search-all", total ? "All " + total + " results" : "Open the results page");
      all.href = resultsPage(q, box.filters);
      foot.appendChild(all);
    }
    foot.appendChild(el("span", "search-keys", "↑↓ move · Enter open · Esc close"));
  }
  function update() {
    var q = input.value, seq = ++box.seq;
    if (!q.trim() && !box.filters.length) {
      list.textContent = "";
      footer(q, 0);
      if (engine) chips(chipBox, engine.m, box, update);
      return;
    }
    getEngine().then(function (eng) {
      chips(chipBox, eng.m, box, update);
      return eng.search(q, { prefix: true, filters: box.filters }).then(function (r) {
        return Promise.all(r.hits.slice(0, DROPDOWN).map(function (h) { return eng.doc(h.doc); })).then(function (frags) {
          if (seq !== box.seq) return;
          list.textContent = "";
          var shown = 0;
          frags.forEach(function (f, i) {
            var link = resultLink(f, r.terms);
            if (!link) return;
            var li = el("li", "search-item");
            li.id = "search-item-" + shown++;
            li.setAttribute("role", "option");
            li.setAttribute("data-doc", String(r.hits[i].doc));
            li.setAttribute("data-url", f.u);
            li.appendChild(link);
            list.appendChild(li);
          });
          list.setAttribute("data-query", q);
          if (!shown) list.appendChild(el("li", "search-empty", "No results for “" + q.trim() + "”"));
          footer(q, r.total);
          box.active = -1;
          input.removeAttribute("aria-activedescendant");
          if (shown) setActive(0);
          open(true);
        });
      });
    }).catch(function (e) {
      if (seq !== box.seq) return;
      list.textContent = "";
      list.appendChild(el("li", "search-empty", "Search is unavailable: the index did not load."));
      open(true);
      if (window.console) console.warn("skillsite search:", e);
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(box.timer);
    box.timer = setTimeout(update, 60);
  });
  input.addEventListener("focus", function () {
    getEngine().then(function (eng) { chips(chipBox, eng.m, box, update); }, function () {});
    if (input.value.trim() || box.filters.length) { update(); }
    else { footer("", 0); open(true); }
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (panel.hidden) { open(true); return; }
      setActive(box.active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      var items = list.querySelectorAll(".search-item a");
      if (box.active >= 0 && items[box.active]) window.location.href = items[box.active].href;
      else if (input.value.trim() || box.filters.length) window.location.href = resultsPage(input.value, box.filters);
    } else if (e.key === "Escape") {
      if (!panel.hidden) { e.preventDefault(); open(false); }
      else if (input.value) { input.value = ""; update(); }
      else input.blur();
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    window.location.href = resultsPage(input.value, box.filters);
  });
  doc.addEventListener("mousedown", function (e) {
    if (!slot.contains(e.target)) open(false);
  });
  // Tab out of the box (past its one chip stop) closes the panel.
  slot.addEventListener("focusout", function (e) {
    if (e.relatedTarget && !slot.contains(e.relatedTarget)) open(false);
  });
  list.addEventListener("mousemove", function (e) {
    var item = e.target.closest && e.target.closest(".search-item");
    if (!item) return;
    var i = Array.prototype.indexOf.call(list.querySelectorAll(".search-item"), item);
    if (i !== box.active) setActive(i);
  });
  doc.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
    } else if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  /* ---- The results page ---- */
  var pageForm = doc.querySelector(".search-page-form");
  if (!pageForm) return;
  var pageInput = pageForm.querySelector("input[name=q]");
  var pageChips = doc.querySelector(".search-page-facets");
  var status = doc.querySelector(".search-page-status");
  var results = doc.querySelector(".search-page-results");
  var params = new URLSearchParams(window.location.search);
  var page = { filters: [], seq: 0, shown: 0, hits: [], terms: [] };
  Core.FACETS.forEach(function (name) {
    params.getAll(name).forEach(function (v) { if (v) page.filters.push([name, v]); });
  });
  pageForm.hidden = false;
  pageInput.value = params.get("q") || "";
  input.value = pageInput.value;
  box.filters = page.filters.slice();

  function more(eng) {
    var slice = page.hits.slice(page.shown, page.shown + PAGE), seq = page.seq;
    page.shown += slice.length;
    return Promise.all(slice.map(function (h) { return eng.doc(h.doc); })).then(function (frags) {
      if (seq !== page.seq) return;
      frags.forEach(function (f, i) {
        var link = resultLink(f, page.terms);
        if (!link) return;
        var li = el("li", "search-page-item");
        li.setAttribute("data-doc", String(slice[i].doc));
        li.setAttribute("data-url", f.u);
        li.appendChild(link);
        results.appendChild(li);
      });
      var old = doc.querySelector(".search-more");
      if (old) old.remove();
      if (page.shown < page.hits.length) {
        var b = el("button", "button search-more", "Show more results");
        b.type = "button";
        b.addEventListener("click", function () { more(eng); });
        results.parentNode.insertBefore(b, results.nextSibling);
      }
    });
  }
  function run() {
    var q = pageInput.value, seq = ++page.seq;
    var url = "?q=" + encodeURIComponent(q) + filterQuery(page.filters);
    if (window.history && history.replaceState) history.replaceState(null, "", url);
    getEngine().then(function (eng) {
      chips(pageChips, eng.m, page, run);
      if (!q.trim() && !page.filters.length) {
        results.textContent = "";
        status.textContent = "Type words to search; filter with the chips or with type:technique, kind:runbook.";
        return;
      }
      // The last word is also a prefix, as in the search box (`skillsite search --prefix`):
      // whole words rank first, and an unfinished word still finds something.
      return eng.search(q, { filters: page.filters, prefix: true }).then(function (r) {
        if (seq !== page.seq) return;
        page.hits = r.hits; page.terms = r.terms; page.shown = 0;
        results.textContent = "";
        status.textContent = r.total ? r.total + (r.total === 1 ? " result" : " results") + (q.trim() ? " for “" + q.trim() + "”" : "") : "No results for “" + q.trim() + "”.";
        // `data-query` names the query whose results are shown, once their first page is in
        // the list (as the search box's list does): its fragments load (and decompress) first.
        return more(eng).then(function () {
          if (seq === page.seq) results.setAttribute("data-query", q);
        });
      });
    }).catch(function (e) {
      status.textContent = "Search is unavailable: the index did not load.";
      if (window.console) console.warn("skillsite search:", e);
    });
  }
  pageForm.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  var pageTimer = 0;
  pageInput.addEventListener("input", function () { clearTimeout(pageTimer); pageTimer = setTimeout(run, 120); });
  run();
})();
