/* MathJax 3 configuration of the course website, loaded before MathJax itself.
 *
 * The maths of the lessons is Sphinx's \( ... \) and \[ ... \]; a notebook output (an HTML
 * table, a self-check question) is typeset too (class cell_output), with $ ... $ as in JupyterLab.
 *
 * The widgets' html-manager (@jupyter-widgets/html-manager 1.0) still calls MathJax 2's API when
 * it finds `window.MathJax`: `MathJax.Hub.Queue(["Typeset", MathJax.Hub, element])` for every
 * widget label. MathJax 3 has no `Hub`, so each call threw a TypeError (5 page errors on lesson
 * 1). `Hub.Queue` below is that call in MathJax 3's words: it typesets the element with
 * `MathJax.typesetPromise`, after MathJax has started (calls made earlier wait for it).
 */
(function () {
  "use strict";
  var waiting = [];
  function typeset(elements) {
    var mj = window.MathJax;
    return mj.startup.promise
      .then(function () { return mj.typesetPromise(elements); })
      .catch(function (err) { console.error("MathJax typeset failed", err); });
  }
  // Accepts MathJax 2's queue items: ["Typeset", Hub, element] (other items are callbacks).
  function queue() {
    var elements = [];
    for (var i = 0; i < arguments.length; i++) {
      var job = arguments[i];
      if (Array.isArray(job) && job[0] === "Typeset") {
        elements.push(job[2] || document.body);
      } else if (typeof job === "function") {
        waiting.push(job);
      }
    }
    if (window.MathJax && window.MathJax.typesetPromise) {
      return typeset(elements);
    }
    Array.prototype.push.apply(pending, elements);
    return undefined;
  }
  var pending = [];
  var hub = { Queue: queue };
  // Sphinx (and myst-nb) may have set options already: keep them, then add ours.
  var given = window.MathJax || {};
  var givenOptions = given.options || {};
  window.MathJax = {
    Hub: hub,
    tex: {
      // Sphinx writes \( \) and \[ \]; a notebook's HTML output (a self-check question)
      // writes $ and $$ as JupyterLab reads them. Only the maths and the cell outputs are
      // typeset (processHtmlClass below), so a dollar in the prose is left alone.
      inlineMath: [["\\(", "\\)"], ["$", "$"]],
      displayMath: [["\\[", "\\]"], ["$$", "$$"]],
      processEscapes: true,
      processEnvironments: true,
    },
    options: {
      ignoreHtmlClass: givenOptions.ignoreHtmlClass || "tex2jax_ignore|mathjax_ignore|document",
      processHtmlClass: (givenOptions.processHtmlClass
                         || "tex2jax_process|mathjax_process|math|output_area") + "|cell_output",
    },
    startup: {
      ready: function () {
        window.MathJax.startup.defaultReady();
        window.MathJax.Hub = hub;
        if (pending.length) typeset(pending.splice(0));
        waiting.splice(0).forEach(function (f) { f(); });
      },
    },
  };
})();
