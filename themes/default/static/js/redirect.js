// Redirect pages of `[output.html.redirect]` (src/render/redirect.rs). The page's meta refresh
// sends the browser to the default target; when the old URL has a #fragment, this script goes
// instead to the fragment's own target (an entry "/old.html#frag" in book.toml) or to the
// default target with the same fragment, as mdBook's redirect page does. The targets were
// checked against the site's URL policy when book.toml was read; this script only computes a
// URL and never builds HTML.
(function () {
  "use strict";
  // The data is on this script's own element, which runs in <head> before the meta refresh
  // is read.
  var el = document.currentScript;
  function go() {
    var fragment = window.location.hash;
    if (!el || !fragment) {
      return; // handled by the meta refresh
    }
    var map = {};
    try {
      map = JSON.parse(el.getAttribute("data-fragments") || "{}");
    } catch (e) {
      map = {};
    }
    var target = Object.prototype.hasOwnProperty.call(map, fragment) ? map[fragment] : null;
    var url;
    if (typeof target === "string") {
      url = new URL(target, window.location.href);
    } else {
      url = new URL(el.getAttribute("data-default") || "", window.location.href);
      url.hash = fragment;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:" && url.protocol !== "file:") {
      return;
    }
    window.location.replace(url.href);
  }
  go();
})();
