// Reading and writing a question's inputs: one implementation for the practice widget
// (quiz.js) and the assessment widget (assess.js). A response has the shape the graders
// and submission files use: an option id, a list, a mapping, text or a boolean.
export function readResponse(li, q) {
  const inputs = [...li.querySelectorAll("input")];
  switch (q.type) {
    case "single": return inputs.find((i) => i.checked)?.value ?? null;
    case "multiple": return inputs.filter((i) => i.checked).map((i) => i.value);
    case "true_false": {
      const v = inputs.find((i) => i.checked)?.value;
      return v === undefined ? null : v === "true";
    }
    case "ordering": return [...li.querySelectorAll(".ck-order__item")].map((i) => i.dataset.item);
    case "matching": {
      const out = {};
      for (const s of li.querySelectorAll("select")) if (s.value) out[s.dataset.pair] = s.value;
      return out;
    }
    case "reflection": return li.querySelector("textarea").value;
    default: return inputs[0].value;
  }
}

export function writeResponse(li, q, r) {
  if (r === null || r === undefined) return;
  const inputs = [...li.querySelectorAll("input")];
  switch (q.type) {
    case "single": inputs.forEach((i) => { i.checked = i.value === r; }); break;
    case "multiple": inputs.forEach((i) => { i.checked = Array.isArray(r) && r.includes(i.value); }); break;
    case "true_false": inputs.forEach((i) => { i.checked = i.value === String(r); }); break;
    case "ordering": {
      const list = li.querySelector(".ck-order");
      const items = new Map([...list.children].map((c) => [c.dataset.item, c]));
      if (Array.isArray(r) && r.length === items.size && r.every((id) => items.has(id)))
        r.forEach((id) => list.append(items.get(id)));
      break;
    }
    case "matching":
      for (const s of li.querySelectorAll("select")) s.value = (r && r[s.dataset.pair]) || "";
      break;
    case "reflection": li.querySelector("textarea").value = r; break;
    default: inputs[0].value = r;
  }
}

export function clearInputs(li) {
  for (const i of li.querySelectorAll("input")) {
    if (i.type === "radio" || i.type === "checkbox") i.checked = false; else i.value = "";
  }
  for (const s of li.querySelectorAll("select")) s.value = "";
  for (const t of li.querySelectorAll("textarea")) t.value = "";
}


// Ordering: each item has Move up / Move down buttons; focus stays on the moved item's
// button, and onMove gets a sentence to announce ("Moved to position 2 of 4.").
export function wireOrdering(li, onMove) {
  for (const button of li.querySelectorAll(".ck-order__up, .ck-order__down")) {
    button.addEventListener("click", () => {
      const item = button.closest(".ck-order__item");
      const up = button.classList.contains("ck-order__up");
      const other = up ? item.previousElementSibling : item.nextElementSibling;
      if (!other) return;
      if (up) other.before(item); else other.after(item);
      button.focus();
      const list = [...item.parentElement.children];
      onMove(`Moved to position ${list.indexOf(item) + 1} of ${list.length}.`);
    });
  }
}

// Start a widget: attach to the forms matching selector now, then follow Material's instant
// navigation. The page carries the bundled script inline after its forms (unbundled, it loads it
// as an async module), so this runs before the rest of the page, Material's own script included,
// has loaded: attach at once to what is there, and subscribe to document$ once the page is parsed.
// Material re-runs a new page's inline scripts on instant navigation, so the subscription is made
// once per page load (a flag on document$); attach() must be idempotent.
export function startWidgets(selector, attach, flag) {
  const attachAll = () => document.querySelectorAll(selector).forEach(attach);
  const follow = () => {
    const doc$ = window.document$;
    if (!doc$ || typeof doc$.subscribe !== "function" || doc$[flag]) return;
    doc$[flag] = true;
    doc$.subscribe(attachAll);
  };
  attachAll();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => { attachAll(); follow(); }, { once: true });
  } else {
    follow();
  }
}
