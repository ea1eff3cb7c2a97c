// Keyboard shortcuts of the Raft Playground. Plain JavaScript on purpose: it
// drives the page only through the public API, window.raftPlayground.
//   Space  play / pause        →  step to the next event
//   1..9   select a server     ?  help          Esc  close menus
(function () {
  "use strict";
  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (e) {
    var rp = window.raftPlayground;
    if (!rp || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    try {
      if (e.key === " " || e.key === "Spacebar") {
        // On a focused button, space already clicks it.
        if (e.target && e.target.tagName && e.target.tagName.toLowerCase() === "button") return;
        if (e.target && e.target.getAttribute && e.target.getAttribute("role") === "button") return;
        e.preventDefault();
        rp.togglePlay();
      } else if (e.key === "ArrowRight" || e.key === "ArrowDown") {
        e.preventDefault();
        rp.step();
      } else if (/^[1-9]$/.test(e.key)) {
        var n = Number(e.key);
        if (n <= rp.state().servers.length) {
          e.preventDefault();
          rp.select(n);
        }
      } else if (e.key === "?") {
        e.preventDefault();
        rp.help();
      } else if (e.key === "Escape") {
        rp.escape();
      }
    } catch (err) {
      // The API explains refusals in the page's notice line; log them too.
      console.warn(err && err.message ? err.message : err);
    }
  });
})();
