/* skillsite default theme: applies the stored (or configured) colour theme before the first
   paint. Loaded synchronously in <head> (not inline: the Content-Security-Policy allows only
   script files of the site). The toggle itself is in skillsite.js. */
(function () {
  var d = document.documentElement, t = null;
  try { t = localStorage.getItem("skillsite-theme"); } catch (e) {}
  if (t !== "light" && t !== "dark") t = d.getAttribute("data-default-theme");
  if (t === "light" || t === "dark") d.setAttribute("data-theme", t);
  d.classList.add("js");
})();
