// Accessibility fixes for Material's chrome and for any page content, on every page of every
// build (added by the coursekit plugin). Plain script; follows Material's instant navigation.
(() => {
  "use strict";

  // Material's instant-navigation progress bar (role="progressbar") has no accessible name.
  function nameProgressBars() {
    for (const bar of document.querySelectorAll('[role="progressbar"]:not([aria-label]):not([aria-labelledby])')) {
      bar.setAttribute("aria-label", "Loading the page");
    }
  }

  // A box that scrolls must be reachable from the keyboard (WCAG 2.1.1): notebook cells, code
  // and output that grow past their box get tabindex="0" unless they hold something focusable.
  const SCROLLERS = "pre, .highlight, .highlight-ipynb, .jp-OutputArea-output, .md-typeset__table, .md-typeset__scrollwrap";
  const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex], [contenteditable="true"]';

  function scrolls(el) {
    const style = getComputedStyle(el);
    const x = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const y = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    return x || y;
  }

  function reachScrollers() {
    for (const el of document.querySelectorAll(SCROLLERS)) {
      if (el.hasAttribute("tabindex") || el.querySelector(FOCUSABLE) || !scrolls(el)) continue;
      el.tabIndex = 0;
      el.dataset.ckScrollFocus = "";
    }
  }

  let queued = false;
  function update() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      nameProgressBars();
      reachScrollers();
    });
  }

  update();
  // Widgets add output and results after the page loads; the layout changes with the window.
  new MutationObserver(update).observe(document.body, { childList: true, subtree: true, characterData: true });
  window.addEventListener("resize", update);
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(update);
})();
