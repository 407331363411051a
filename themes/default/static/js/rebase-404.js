/* Inlined into 404.html (its hash is in that page's Content-Security-Policy). A host serves
   404.html at whatever path was missing, so the page's relative links point nowhere. Find the
   site's root by asking, from the deepest folder of the address up, for the stylesheet every
   page links, then point the page's relative links, stylesheets and scripts at that root. */
(function () {
  "use strict";
  var doc = document;
  var parts = location.pathname.replace(/[^\/]*$/, "").split("/").filter(Boolean);
  var roots = [];
  for (var i = parts.length; i >= 0; i--) {
    roots.push("/" + parts.slice(0, i).map(function (p) { return p + "/"; }).join(""));
  }
  var relative = function (v) { return v && !/^([a-z][a-z0-9+.-]*:|\/|#|\?)/i.test(v); };
  function apply(root) {
    doc.querySelectorAll("a[href], link[href]").forEach(function (el) {
      var v = el.getAttribute("href");
      if (relative(v)) el.setAttribute("href", root + v);
    });
    doc.querySelectorAll("img[src]").forEach(function (el) {
      var v = el.getAttribute("src");
      if (relative(v)) el.setAttribute("src", root + v);
    });
    doc.querySelectorAll("form[action]").forEach(function (el) {
      var v = el.getAttribute("action");
      if (relative(v)) el.setAttribute("action", root + v);
    });
    doc.querySelectorAll("script[src]").forEach(function (old) {
      var v = old.getAttribute("src");
      if (!relative(v)) return;
      var s = doc.createElement("script");
      s.src = root + v;
      old.parentNode.replaceChild(s, old);
    });
    doc.documentElement.setAttribute("data-root", root);
  }
  function probe(k) {
    if (k >= roots.length) return;
    fetch(roots[k] + "static/css/skillsite.css", { method: "HEAD", cache: "no-store" }).then(function (r) {
      var type = r.headers.get("content-type") || "";
      if (r.ok && type.indexOf("css") >= 0) apply(roots[k]); else probe(k + 1);
    }, function () { probe(k + 1); });
  }
  if (location.protocol === "http:" || location.protocol === "https:") probe(0);
})();
