/* skillsite default theme: the catalog page (catalog.html). The page works without this file:
   every row of the first page is in the HTML, and the pager links the pages holding the rest.

   With it: a text filter (name, description, tags), facet chips (OR within a facet, AND across
   facets) whose counts follow the other filters, sortable columns, a table and a card view, and
   all of that in the URL's fragment (#q=…&pack=…&sort=…&view=…), so a filtered view can be
   shared and Back returns to the previous one. The rows after the first page come from the
   data file named by data-src (catalog/data.js: one window.__skillsiteCatalog.rows(FIELDS, ROWS)
   call, a <script> because fetch() fails from file://); rows are built with createElement,
   textContent and setAttribute only, and a row's URL must be a plain relative path inside the
   site (see siteUrl). */
(function () {
  "use strict";
  var doc = document;
  var catalog = doc.querySelector("[data-catalog]");
  if (!catalog || catalog.getAttribute("data-page") !== "1") return;
  var table = catalog.querySelector("[data-table]");
  if (!table || !table.tBodies[0] || !table.tHead) return;
  var root = catalog.getAttribute("data-root") || "";
  var tbody = table.tBodies[0];
  var tableWrap = table.parentNode;
  var tools = catalog.querySelector("[data-tools]");
  var facetsBox = catalog.querySelector("[data-facets]");
  var statusBar = catalog.querySelector("[data-status-bar]");
  var status = catalog.querySelector("[data-facet-status]");
  var input = catalog.querySelector("[data-filter]");
  var sortSelect = catalog.querySelector("[data-sort-select]");
  var empty = catalog.querySelector("[data-empty]");
  var more = catalog.querySelector("[data-more]");
  var moreButton = catalog.querySelector("[data-more-button]");
  var pager = catalog.querySelector("[data-pager]");
  var range = catalog.querySelector("[data-range]");
  var STEP = 100; // rows drawn at a time ("Show more"): a keystroke lays out at most this many
  var FACETS = ["pack", "type", "level", "tag", "status", "audit", "agent"];
  var columns = [].map.call(table.tHead.rows[0].cells, function (th) { return th.getAttribute("data-sort-key") || ""; });
  var sortKeys = columns.filter(function (k) { return k; });
  var labels = {};
  [].forEach.call(table.tHead.rows[0].cells, function (th) {
    var k = th.getAttribute("data-sort-key");
    if (k) labels[k] = th.textContent.trim();
  });

  var rows = [];
  var state = { q: "", sort: "", view: "table", f: {} };
  var limit = STEP;

  /* ---- The model: one record per skill, from the HTML rows, then the data file ---- */
  function split(v) { return v ? String(v).split("|") : []; }
  var LEVELS = { beginner: 1, basic: 1, novice: 1, introductory: 1, fundamental: 1, foundational: 1, intermediate: 2, advanced: 3, expert: 4 };
  function finish(r) {
    var v = r.values;
    r.hay = (r.name + "\n" + r.description + "\n" + v.tag.join("\n")).toLowerCase();
    r.keys = {
      name: r.name.toLowerCase(),
      pack: (v.pack[0] || "").toLowerCase(),
      type: v.type.join(" ").toLowerCase(),
      level: v.level[0] ? String(LEVELS[v.level[0].toLowerCase()] || 9) + v.level[0].toLowerCase() : ""
    };
    return r;
  }
  function fromRow(tr, i) {
    var link = tr.querySelector(".skill-link");
    var desc = tr.querySelector(".desc");
    var values = {};
    FACETS.forEach(function (k) { values[k] = split(tr.getAttribute("data-" + k)); });
    var r = { i: i, el: tr, name: link ? link.textContent.trim() : "", description: desc ? desc.textContent : "", values: values };
    if (desc) clampable(desc);
    return finish(r);
  }
  function list(v) { return Array.isArray(v) ? v.map(String) : []; }
  function fromData(fields, a, i) {
    var get = function (name) { var j = fields.indexOf(name); return j < 0 ? undefined : a[j]; };
    var planned = get("planned") === true;
    var level = get("level") ? String(get("level")) : "";
    var r = {
      i: i, el: null, name: String(get("name") || ""), url: get("url"), planned: planned,
      description: String(get("description") || ""), agents: list(get("agents")), types: list(get("types")),
      values: {
        pack: [String(get("pack") || "")], type: list(get("types")), level: level ? [level] : [],
        tag: list(get("tags")), status: [planned ? "planned" : "written"], audit: list(get("audit")), agent: list(get("agents"))
      }
    };
    return finish(r);
  }

  /* `u` (a root-relative URL from the data file) as an href for this page, or null when it is
     not a page of the site: the theme's one rule, SkillsiteSearchCore.siteUrl (search-core.js,
     loaded by every page). Without it nothing is linked. */
  function siteUrl(u) {
    var core = window.SkillsiteSearchCore;
    return core && core.siteUrl ? core.siteUrl(root, u, window.location.href) : null;
  }
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function token(s) { return String(s).toLowerCase().replace(/[^a-z0-9-]/g, "-"); }
  function badge(cls, text, title) {
    var b = el("span", "badge " + cls, text);
    if (title) b.setAttribute("title", title);
    return b;
  }
  /* Long descriptions are clamped to a few lines (CSS); the full text is the title, and a click
     opens it in place. */
  function clampable(desc) {
    desc.setAttribute("title", desc.textContent);
  }
  /* A <tr> for a record of the data file, like the template's rows. */
  function build(r) {
    var tr = el("tr");
    FACETS.forEach(function (k) { tr.setAttribute("data-" + k, r.values[k].join("|")); });
    columns.forEach(function (key) {
      var td;
      if (key === "name") {
        td = el("td", "name");
        var href = r.url === null || r.url === undefined ? null : siteUrl(r.url);
        if (r.url && href === null && window.console) console.warn("skillsite catalog: link dropped, not a page of the site:", String(r.url));
        var a = href === null ? el("span", "skill-link", r.name) : el("a", "skill-link" + (r.planned ? " planned" : ""), r.name);
        if (href !== null) a.setAttribute("href", href);
        td.appendChild(a);
        if (r.planned) { td.appendChild(doc.createTextNode(" ")); td.appendChild(badge("badge-planned", "planned")); }
        r.agents.forEach(function (ag) {
          td.appendChild(doc.createTextNode(" "));
          td.appendChild(badge("badge-agent agent-" + token(ag), ag, "For " + ag));
        });
      } else if (key === "pack") {
        td = el("td", "pack", r.values.pack[0]);
      } else if (key === "type") {
        td = el("td", "types");
        r.types.forEach(function (t) { td.appendChild(badge("type-" + token(t), t)); td.appendChild(doc.createTextNode(" ")); });
      } else if (key === "level") {
        td = el("td", "level", r.values.level[0] || "");
      } else {
        td = el("td", "description");
        var d = el("div", "desc", r.description);
        clampable(d);
        td.appendChild(d);
      }
      tr.appendChild(td);
    });
    return tr;
  }

  /* ---- State in the URL fragment ---- */
  function readHash() {
    var h = window.location.hash.slice(1);
    var s = { q: "", sort: "", view: "table", f: {} };
    if (h.indexOf("=") < 0) return s; // a plain #anchor
    var p = new URLSearchParams(h);
    s.q = p.get("q") || "";
    var sort = p.get("sort") || "";
    if (sortKeys.indexOf(sort.replace(/^-/, "")) >= 0) s.sort = sort;
    s.view = p.get("view") === "cards" ? "cards" : "table";
    FACETS.forEach(function (k) { var v = p.getAll(k); if (v.length) s.f[k] = v; });
    return s;
  }
  function hashOf(s) {
    var p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    FACETS.forEach(function (k) { (s.f[k] || []).forEach(function (v) { p.append(k, v); }); });
    if (s.sort) p.set("sort", s.sort);
    if (s.view !== "table") p.set("view", s.view);
    var t = p.toString();
    return t ? "#" + t : "";
  }
  function save(typing) {
    var url = window.location.pathname + window.location.search + hashOf(state);
    if (url === window.location.pathname + window.location.search + window.location.hash) return;
    var entry = { catalog: true, typing: !!typing };
    var cur = window.history.state;
    try {
      // A run of keystrokes is one history entry: Back goes to the view before the typing.
      if (typing && cur && cur.catalog && cur.typing) window.history.replaceState(entry, "", url || window.location.pathname);
      else window.history.pushState(entry, "", url || window.location.pathname);
    } catch (e) {
      window.location.hash = hashOf(state).slice(1);
    }
  }

  /* ---- Filtering, counting, sorting, drawing ---- */
  function active() { return state.q.trim() !== "" || FACETS.some(function (k) { return (state.f[k] || []).length; }); }
  function apply() {
    var terms = state.q.toLowerCase().split(/\s+/).filter(function (t) { return t; });
    var sel = FACETS.filter(function (k) { return (state.f[k] || []).length; });
    var counts = {};
    FACETS.forEach(function (k) { counts[k] = {}; });
    var shown = [];
    rows.forEach(function (r) {
      for (var t = 0; t < terms.length; t++) if (r.hay.indexOf(terms[t]) < 0) return;
      var misses = 0, missed = null;
      for (var j = 0; j < sel.length; j++) {
        var want = state.f[sel[j]], have = r.values[sel[j]], hit = false;
        for (var w = 0; w < want.length && !hit; w++) hit = have.indexOf(want[w]) >= 0;
        if (!hit) { misses++; missed = sel[j]; if (misses > 1) return; }
      }
      // A facet's counts follow every filter but its own.
      FACETS.forEach(function (k) {
        if (misses === 0 || missed === k) r.values[k].forEach(function (v) { counts[k][v] = (counts[k][v] || 0) + 1; });
      });
      if (misses === 0) shown.push(r);
    });
    if (state.sort) {
      var desc = state.sort.charAt(0) === "-", key = state.sort.replace(/^-/, "");
      shown.sort(function (a, b) {
        var x = a.keys[key], y = b.keys[key];
        if (x !== y) {
          if (!x) return 1; // rows without a value last, either way
          if (!y) return -1;
          return (x < y ? -1 : 1) * (desc ? -1 : 1);
        }
        return a.i - b.i;
      });
    }
    draw(shown);
    drawChips(counts);
    drawControls(shown.length);
  }
  function draw(shown) {
    var frag = doc.createDocumentFragment();
    shown.slice(0, limit).forEach(function (r) {
      if (!r.el) r.el = build(r);
      r.el.hidden = false;
      frag.appendChild(r.el);
    });
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    tbody.appendChild(frag);
    tableWrap.hidden = shown.length === 0;
    if (empty) empty.hidden = shown.length !== 0;
    var left = shown.length - Math.min(limit, shown.length);
    if (more) {
      more.hidden = left === 0;
      moreButton.textContent = "Show " + Math.min(left, STEP) + " more (" + left + " not shown)";
    }
  }
  function drawChips(counts) {
    if (!facetsBox) return;
    facetsBox.querySelectorAll("[data-facet]").forEach(function (f) {
      var key = f.getAttribute("data-facet");
      var on = state.f[key] || [];
      f.querySelectorAll(".chip").forEach(function (chip) {
        var v = chip.getAttribute("data-value"), n = counts[key][v] || 0, pressed = on.indexOf(v) >= 0;
        chip.setAttribute("aria-pressed", String(pressed));
        chip.querySelector(".chip-count").textContent = String(n);
        chip.classList.toggle("chip-none", n === 0 && !pressed);
        if (chip.classList.contains("chip-extra")) chip.hidden = !pressed && !f.classList.contains("open");
      });
    });
  }
  function drawControls(n) {
    var total = rows.length;
    status.textContent = active() ? n + " of " + total + " skills" : total + " skills";
    catalog.querySelectorAll("[data-clear]").forEach(function (b) { b.hidden = !active(); });
    if (input.value !== state.q) input.value = state.q;
    sortSelect.value = state.sort;
    [].forEach.call(table.tHead.rows[0].cells, function (th) {
      var k = th.getAttribute("data-sort-key");
      if (!k) return;
      if (state.sort === k) th.setAttribute("aria-sort", "ascending");
      else if (state.sort === "-" + k) th.setAttribute("aria-sort", "descending");
      else th.removeAttribute("aria-sort");
    });
    catalog.classList.toggle("view-cards", state.view === "cards");
    catalog.querySelectorAll("[data-view]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === state.view));
    });
  }

  /* ---- Controls ---- */
  function update(typing) { limit = STEP; save(typing); apply(); }
  catalog.classList.add("js-catalog");
  tools.hidden = false;
  statusBar.hidden = false;
  if (facetsBox) facetsBox.hidden = false;
  if (range) range.hidden = true;

  input.addEventListener("input", function () { state.q = input.value; update(true); });
  sortKeys.forEach(function (k) {
    [["", " (A–Z)"], ["-", " (Z–A)"]].forEach(function (d) {
      var o = el("option", "", labels[k] + d[1]);
      o.value = d[0] + k;
      sortSelect.appendChild(o);
    });
  });
  sortSelect.addEventListener("change", function () { state.sort = sortSelect.value; update(); });
  [].forEach.call(table.tHead.rows[0].cells, function (th) {
    var k = th.getAttribute("data-sort-key");
    if (!k) return;
    var b = el("button", "sort-button");
    b.type = "button";
    while (th.firstChild) b.appendChild(th.firstChild);
    b.appendChild(el("span", "sort-arrow"));
    b.setAttribute("title", "Sort by " + labels[k]);
    th.appendChild(b);
    b.addEventListener("click", function () { state.sort = state.sort === k ? "-" + k : k; update(); });
  });
  catalog.querySelectorAll("[data-view]").forEach(function (b) {
    b.addEventListener("click", function () { state.view = b.getAttribute("data-view"); update(); });
  });
  catalog.querySelectorAll("[data-clear]").forEach(function (b) {
    b.addEventListener("click", function () { state.q = ""; state.f = {}; update(); input.focus(); });
  });
  if (moreButton) moreButton.addEventListener("click", function () { limit += STEP; apply(); });
  tbody.addEventListener("click", function (e) {
    var d = e.target.closest(".desc");
    if (d && !e.target.closest("a")) d.classList.toggle("expanded");
  });

  /* Facet chips: a facet with many values shows the first MANY (fewer on a phone) and a "more"
     button; each facet is one Tab stop (arrow keys move between its chips), so Tab is never
     held in the chips. */
  var MANY = window.innerWidth < 640 ? 6 : 12;
  if (facetsBox) {
    facetsBox.querySelectorAll("[data-facet]").forEach(function (f) {
      var chips = [].slice.call(f.querySelectorAll(".chip"));
      chips.forEach(function (c, i) { c.setAttribute("tabindex", i === 0 ? "0" : "-1"); });
      if (chips.length > MANY + 2) {
        chips.slice(MANY).forEach(function (c) { c.classList.add("chip-extra"); c.hidden = true; });
        var toggle = el("button", "chip-more", "+" + (chips.length - MANY) + " more");
        toggle.type = "button";
        toggle.setAttribute("aria-expanded", "false");
        toggle.addEventListener("click", function () {
          var open = f.classList.toggle("open");
          toggle.setAttribute("aria-expanded", String(open));
          toggle.textContent = open ? "Fewer" : "+" + (chips.length - MANY) + " more";
          apply();
        });
        f.appendChild(toggle);
      }
      f.addEventListener("keydown", function (e) {
        var chip = e.target.closest(".chip");
        if (!chip) return;
        var visible = chips.filter(function (c) { return !c.hidden; });
        var i = visible.indexOf(chip), j = -1;
        if (e.key === "ArrowRight" || e.key === "ArrowDown") j = (i + 1) % visible.length;
        else if (e.key === "ArrowLeft" || e.key === "ArrowUp") j = (i - 1 + visible.length) % visible.length;
        else if (e.key === "Home") j = 0;
        else if (e.key === "End") j = visible.length - 1;
        if (j < 0) return;
        e.preventDefault();
        chips.forEach(function (c) { c.setAttribute("tabindex", "-1"); });
        visible[j].setAttribute("tabindex", "0");
        visible[j].focus();
      });
    });
    facetsBox.addEventListener("click", function (e) {
      var chip = e.target.closest(".chip");
      if (!chip) return;
      var key = chip.closest("[data-facet]").getAttribute("data-facet"), v = chip.getAttribute("data-value");
      var on = (state.f[key] || []).slice(), at = on.indexOf(v);
      if (at >= 0) on.splice(at, 1); else on.push(v);
      if (on.length) state.f[key] = on; else delete state.f[key];
      chip.closest("[data-facet]").querySelectorAll(".chip").forEach(function (c) { c.setAttribute("tabindex", c === chip ? "0" : "-1"); });
      update();
    });
  }

  function restore() { state = readHash(); limit = STEP; apply(); }
  window.addEventListener("popstate", restore);
  window.addEventListener("hashchange", function () { if (hashOf(state) !== window.location.hash) restore(); });

  rows = [].map.call(tbody.rows, fromRow);
  state = readHash();
  apply();

  /* ---- The rows after the first page ---- */
  var src = catalog.getAttribute("data-src");
  if (src) {
    window.__skillsiteCatalog = {
      rows: function (fields, data) {
        if (!Array.isArray(fields) || !Array.isArray(data)) return;
        var n = rows.length;
        data.forEach(function (a, k) { if (Array.isArray(a)) rows.push(fromData(fields, a, n + k)); });
        catalog.setAttribute("data-loaded", String(rows.length));
        if (pager) pager.hidden = true; // every skill is in the table now
        apply();
      }
    };
    var s = doc.createElement("script");
    s.src = src;
    s.async = true;
    s.onerror = function () {
      if (window.console) console.warn("skillsite catalog: cannot load " + src + "; the pages below list the other skills");
      if (range) range.hidden = false;
    };
    doc.head.appendChild(s);
  } else {
    catalog.setAttribute("data-loaded", String(rows.length));
  }
})();
