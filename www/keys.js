// Keyboard shortcuts of the Raft Playground. Plain JavaScript on purpose: it
// drives the page only through the public API, window.raftPlayground.
//   Space  play / pause        →  step to the next event
//   1..9   select a server     ?  help          Esc  close menus
//   M / Shift+M  inspect the next / previous message in flight
// Keys keep their own meaning where they have one: typing in a text field,
// Space on a focused button (keyboard users), arrows in a menu, the tab bar,
// the help dialog or a form control (the speed slider).
(function () {
  "use strict";
  // Inputs that take no text: the shortcuts still work on them.
  var NOT_TEXT = { range: 1, checkbox: 1, radio: 1, button: 1, submit: 1, reset: 1, color: 1, file: 1, image: 1 };
  function tag(t) {
    return t && t.tagName ? t.tagName.toLowerCase() : "";
  }
  function typing(t) {
    var g = tag(t);
    if (g === "input") return !NOT_TEXT[String(t.type || "text").toLowerCase()];
    return g === "textarea" || g === "select" || !!(t && t.isContentEditable);
  }
  function formControl(t) {
    var g = tag(t);
    return g === "input" || g === "select" || g === "textarea";
  }
  function inside(t, selector) {
    return !!(t && t.closest && t.closest(selector));
  }
  // Space already means something here: a button clicks, a checkbox toggles.
  function ownsSpace(t) {
    var g = tag(t);
    if (g === "button" || g === "summary") return true;
    if (g === "input") {
      var ty = String(t.type).toLowerCase();
      return ty === "checkbox" || ty === "radio" || ty === "button" || ty === "submit" || ty === "reset";
    }
    var role = t && t.getAttribute ? t.getAttribute("role") : null;
    return role === "button" || role === "tab" || role === "menuitem";
  }
  function focusServer(id) {
    var el = document.querySelector('svg.ring [data-server="' + id + '"]');
    if (el && el.focus) el.focus();
  }

  // After a mouse or touch click, a button gives its focus back, so that Space
  // reaches the shortcut instead of clicking that button again. (A keyboard
  // "click" has detail 0: keyboard users keep their focus.) In the capture
  // phase: menus stop their clicks from bubbling.
  document.addEventListener(
    "click",
    function (e) {
      if (!e.detail || !e.target || !e.target.closest) return;
      var el = e.target.closest('button, [role="button"], [role="tab"], [role="menuitem"]');
      if (el && document.activeElement === el && el.blur) el.blur();
    },
    true,
  );

  document.addEventListener("keydown", function (e) {
    var rp = window.raftPlayground;
    var t = e.target;
    if (!rp || e.ctrlKey || e.metaKey || e.altKey || typing(t)) return;
    var inDialog = inside(t, '[role="dialog"]');
    try {
      if (e.key === "Escape") {
        // Closing a server's menu hands the focus back to that server.
        var menu = document.querySelector('[role="menu"][data-menu-of]');
        var id = menu && menu.getAttribute("data-menu-of");
        rp.escape();
        if (id && !inDialog) focusServer(id);
      } else if (e.key === "?") {
        e.preventDefault();
        rp.help();
      } else if (inDialog) {
        // The help dialog is modal: no other shortcut behind it.
        return;
      } else if (e.key === " " || e.key === "Spacebar") {
        if (ownsSpace(t)) return;
        e.preventDefault();
        rp.togglePlay();
      } else if (e.key === "ArrowRight" || e.key === "ArrowDown") {
        if (formControl(t) || inside(t, '[role="menu"], [role="tablist"]')) return;
        e.preventDefault();
        rp.step();
      } else if (e.key === "m" || e.key === "M") {
        e.preventDefault();
        rp.inspectNext(e.key === "M");
      } else if (/^[1-9]$/.test(e.key)) {
        var n = Number(e.key);
        if (n <= rp.state().servers.length) {
          e.preventDefault();
          rp.select(n);
        }
      }
    } catch (err) {
      // The API explains refusals in the page's notice line; log them too.
      console.warn(err && err.message ? err.message : err);
    }
  });
})();
