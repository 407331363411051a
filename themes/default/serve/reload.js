/* skillsite serve: live reload and error overlay. Injected into served pages only, never
   into the built site. Protocol: see src/serve/reload.rs. */
(function () {
  "use strict";
  if (window.__skillsiteReload) return;
  window.__skillsiteReload = true;

  var SCROLL_KEY = "skillsite-serve-scroll";
  var COLLAPSED_KEY = "skillsite-serve-collapsed";

  function pathOf(pathname) {
    var p;
    try { p = decodeURIComponent(pathname); } catch (e) { p = pathname; }
    p = p.replace(/^\/+/, "");
    if (p === "" || p.charAt(p.length - 1) === "/") p += "index.html";
    return p;
  }
  var here = pathOf(location.pathname);

  function store(key, value) {
    try { if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function load(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }

  // Put the page back where it was before the reload.
  (function restoreScroll() {
    var saved = load(SCROLL_KEY);
    if (!saved) return;
    store(SCROLL_KEY, null);
    var s;
    try { s = JSON.parse(saved); } catch (e) { return; }
    if (!s || s.path !== here) return;
    var go = function () { window.scrollTo(s.x, s.y); };
    go();
    if (document.readyState !== "complete") window.addEventListener("load", go);
  })();

  function reload() {
    store(SCROLL_KEY, JSON.stringify({ path: here, x: window.scrollX, y: window.scrollY }));
    location.reload();
  }

  // Paths of the resources this page uses (stylesheets, scripts, images...).
  function usedPaths() {
    var out = {};
    var els = document.querySelectorAll("link[href], script[src], img[src], source[src], video[src], audio[src]");
    for (var i = 0; i < els.length; i++) {
      var url = els[i].href || els[i].src;
      try {
        var u = new URL(url, location.href);
        if (u.origin === location.origin) out[pathOf(u.pathname)] = els[i];
      } catch (e) { /* ignore */ }
    }
    return out;
  }

  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    var stamp = Date.now();
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var u = new URL(link.href, location.href);
      if (u.origin !== location.origin || paths.indexOf(pathOf(u.pathname)) < 0) continue;
      u.searchParams.set("skillsite", String(stamp));
      var fresh = link.cloneNode();
      fresh.href = u.href;
      // Remove the old sheet only once the new one is in, so nothing flashes unstyled.
      fresh.addEventListener("load", function (old) { return function () { old.remove(); }; }(link));
      fresh.addEventListener("error", function (old) { return function () { old.remove(); }; }(link));
      link.parentNode.insertBefore(fresh, link.nextSibling);
    }
  }

  function onReload(msg) {
    if (msg.all || msg.paths.indexOf(here) >= 0) return reload();
    var css = msg.paths.filter(function (p) { return /\.css$/i.test(p); });
    var used = usedPaths();
    var other = msg.paths.filter(function (p) { return !/\.css$/i.test(p) && used[p]; });
    if (other.length) return reload();
    if (css.length) swapStylesheets(css);
  }

  // ------------------------------------------------------------------ overlay

  var STYLE = [
    ":host { all: initial; }",
    ".panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; box-sizing: border-box;",
    "  width: min(52rem, calc(100vw - 32px)); max-height: min(70vh, 40rem); display: flex; flex-direction: column;",
    "  background: #1d1f23; color: #e8e8e8; border: 1px solid #3a3d44; border-radius: 8px;",
    "  box-shadow: 0 8px 30px rgba(0,0,0,.35); font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }",
    ".panel.collapsed { width: auto; max-width: calc(100vw - 32px); }",
    ".head { display: flex; align-items: center; gap: 8px; padding: 8px 10px; cursor: pointer; user-select: none;",
    "  font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; }",
    ".title { flex: 1; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }",
    ".badge { border-radius: 999px; padding: 1px 8px; font-size: 12px; font-weight: 700; white-space: nowrap; }",
    ".badge.error { background: #e5484d; color: #fff; } .badge.warning { background: #f5a524; color: #1d1f23; }",
    "button { all: unset; cursor: pointer; padding: 0 6px; font-size: 16px; color: #bbb; } button:hover { color: #fff; }",
    "button:focus-visible { outline: 2px solid #6ea8fe; border-radius: 4px; }",
    ".items { list-style: none; margin: 0; padding: 0 10px 10px; overflow: auto; border-top: 1px solid #3a3d44; }",
    ".collapsed .items { display: none; }",
    ".item { padding: 8px 10px; margin-top: 8px; border-left: 3px solid #f5a524; background: #262930; border-radius: 4px; }",
    ".item.error { border-left-color: #e5484d; }",
    ".loc { color: #9ecbff; word-break: break-all; }",
    ".level { font-weight: 700; color: #f5a524; } .error .level { color: #ff6b6b; }",
    ".msg { white-space: pre-wrap; word-break: break-word; }",
    ".hint { color: #a8b0bd; margin-top: 2px; white-space: pre-wrap; }",
    ".new { color: #6ee7b7; font-size: 11px; margin-left: 6px; font-family: system-ui, sans-serif; }"
  ].join("\n");

  var overlaySheet = null;

  /* Every message, path and hint is put in as text (textContent), never parsed as HTML. */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function showOverlay(d) {
    var host = document.getElementById("skillsite-overlay");
    if (!d.items || !d.items.length) {
      if (host) host.remove();
      store(COLLAPSED_KEY, null);
      return;
    }
    if (!host) {
      host = document.createElement("skillsite-overlay");
      host.id = "skillsite-overlay";
      host.attachShadow({ mode: "open" });
      (document.body || document.documentElement).appendChild(host);
    }
    var root = host.shadowRoot;
    root.textContent = "";
    // A constructed stylesheet, not a <style> element: the pages' Content-Security-Policy
    // allows no inline style (style-src has no 'unsafe-inline'), and CSSOM is not inline.
    if (!overlaySheet && typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in root) {
      try { overlaySheet = new CSSStyleSheet(); overlaySheet.replaceSync(STYLE); } catch (e) { overlaySheet = null; }
    }
    if (overlaySheet) root.adoptedStyleSheets = [overlaySheet];

    // Open when something needs attention, unless the reader collapsed this very list.
    var signature = JSON.stringify(d.items.map(function (i) { return [i.file, i.line, i.rule, i.message]; }));
    var attention = d.failed || d.errors > 0 || d.items.some(function (i) { return i.new; });
    var collapsed = !attention || load(COLLAPSED_KEY) === signature;

    var panel = el("div", "panel" + (collapsed ? " collapsed" : ""));
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-live", "polite");
    var head = el("div", "head");
    if (d.errors) head.appendChild(el("span", "badge error", plural(d.errors, "error")));
    if (d.warnings) head.appendChild(el("span", "badge warning", plural(d.warnings, "warning")));
    head.appendChild(el("span", "title", d.failed ? "Build failed: still serving the last good site" : "Problems in the latest build"));
    var toggle = el("button", "", collapsed ? "\u25b4" : "\u25be");
    toggle.setAttribute("aria-label", collapsed ? "Show problems" : "Hide problems");
    head.appendChild(toggle);
    head.addEventListener("click", function () {
      var now = !panel.classList.contains("collapsed");
      panel.classList.toggle("collapsed", now);
      toggle.textContent = now ? "\u25b4" : "\u25be";
      toggle.setAttribute("aria-label", now ? "Show problems" : "Hide problems");
      store(COLLAPSED_KEY, now ? signature : null);
    });
    panel.appendChild(head);

    var list = el("ol", "items");
    d.items.forEach(function (i) {
      var li = el("li", "item " + i.severity);
      var where = i.file ? i.file + (i.line ? ":" + i.line + (i.column ? ":" + i.column : "") : "") : "";
      if (where) li.appendChild(el("div", "loc", where));
      var msg = el("div", "msg");
      msg.appendChild(el("span", "level", i.severity + "[" + i.rule + "]"));
      msg.appendChild(document.createTextNode(": " + i.message));
      if (i.new) msg.appendChild(el("span", "new", "new"));
      li.appendChild(msg);
      if (i.hint) li.appendChild(el("div", "hint", "hint: " + i.hint));
      list.appendChild(li);
    });
    panel.appendChild(list);
    root.appendChild(panel);
  }

  // ------------------------------------------------------------------ connection
  //
  // Browsers allow only 6 HTTP/1.1 connections per host, and an event stream holds one for
  // as long as the page is open: with one stream per tab, the seventh tab of the site would
  // hang. So one tab (the holder of a Web Lock) keeps the stream and relays its messages to
  // the other tabs of this origin over a BroadcastChannel; when it closes, another tab takes
  // the lock and connects. Browsers without these APIs get one stream per tab.

  var server = null;
  var handlers = {
    hello: function (d) {
      if (server !== null && d.server !== server) return reload();
      server = d.server;
    },
    reload: onReload,
    diagnostics: showOverlay
  };
  // The newest build this page has heard of: a tab that takes over the stream asks the
  // server for the `reload` messages it missed since then.
  // It starts at the build the page was served from (`reload.js?b=N`), so the reloads of the
  // builds that finished while the page was loading are asked for too.
  var pageBuild = (function () {
    var s = document.currentScript && document.currentScript.src;
    var m = s && /[?&]b=(\d+)/.exec(s);
    return m ? parseInt(m[1], 10) : 0;
  })();
  var lastBuild = pageBuild;
  function dispatch(name, data) {
    var h = handlers[name];
    if (!h) return;
    var d = JSON.parse(data);
    // A reload of a build this page already shows is stale (a replay, or relayed by the tab
    // that holds the stream); a reload of everything (build 0) always applies.
    if (name === "reload" && d.build && d.build <= pageBuild) return;
    if (d.build > lastBuild) lastBuild = d.build;
    h(d);
  }

  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("skillsite-serve") : null;
  var latest = {};
  var recent = []; // the last reload messages, for tabs that open later (see "sync")
  function lead() {
    // (On its own reconnections the browser sends the last event id, so nothing is missed.)
    var source = new EventSource("/__skillsite/events" + (lastBuild ? "?since=" + lastBuild : ""));
    ["hello", "diagnostics", "reload"].forEach(function (name) {
      source.addEventListener(name, function (e) {
        if (name !== "reload") latest[name] = e.data;
        else { recent.push(e.data); if (recent.length > 64) recent.shift(); }
        if (channel) channel.postMessage({ name: name, data: e.data });
        dispatch(name, e.data);
      });
    });
  }
  if (channel && navigator.locks && typeof navigator.locks.request === "function") {
    var leading = false;
    channel.onmessage = function (e) {
      var m = e.data || {};
      if (m.name === "sync") {
        // A new tab asks for the current state, and the reloads since the build it was
        // served from (which the other tabs ignore as stale).
        if (leading) {
          ["hello", "diagnostics"].forEach(function (n) { if (latest[n]) channel.postMessage({ name: n, data: latest[n] }); });
          recent.forEach(function (r) { if (JSON.parse(r).build > (m.build || 0)) channel.postMessage({ name: "reload", data: r }); });
        }
      } else if (!leading && handlers[m.name]) {
        dispatch(m.name, m.data);
      }
    };
    navigator.locks.request("skillsite-serve-events", function () {
      leading = true;
      lead();
      return new Promise(function () {}); // held for the life of this page
    });
    channel.postMessage({ name: "sync", build: pageBuild });
  } else {
    lead();
  }
  window.__skillsite = { here: here, showOverlay: showOverlay, build: function () { return lastBuild; }, connected: function () { return server !== null; } };
})();
