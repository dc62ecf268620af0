/* Saved explorers are pictures on the site (course.css): no kernel computes a new figure, so
 * their sliders and buttons must not move from the keyboard either. */
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (target && target.closest && target.closest(".cell_output .jupyter-widgets")) {
    event.preventDefault();
    event.stopPropagation();
  }
}, true);

/* The search page's snippets are the text of the pages as served, before MathJax runs: show
 * \(\theta\) as θ, and leave out the buttons' labels ("Light Dark"). */
var GREEK = {alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", eta: "η",
             theta: "θ", kappa: "κ", lambda: "λ", mu: "μ", nabla: "∇", rho: "ρ", sigma: "σ",
             sqrt: "√", cdot: "·", le: "≤", ge: "≥", approx: "≈", to: "→", infty: "∞"};
function plainMaths(tex) {
  return tex.replace(/\\[()\[\]]/g, "")
    .replace(/\\([A-Za-z]+)/g, function (_, name) { return GREEK[name] || name; })
    .replace(/[{}]/g, "");
}
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  var htmlToText = Search.htmlToText;
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll("button, .theme-switch-button, .article-header-buttons")
      .forEach(function (el) { el.remove(); });
    doc.querySelectorAll(".math").forEach(function (el) {
      el.textContent = plainMaths(el.textContent);
    });
    return htmlToText(doc.documentElement.outerHTML, anchor);
  };
});
