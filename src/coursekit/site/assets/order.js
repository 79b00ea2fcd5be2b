// The order a learner sees a question's options in: a mirror of coursekit/quiz/order.py
// (read its docstring for the algorithm). Both run tests/order_vectors.json, so they cannot drift.

const ROUNDS = 64;

export function fnv1a32(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h >>> 0;
}

export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state) >>> 0;
    t = ((t + (Math.imul(t ^ (t >>> 7), 61 | t) >>> 0)) >>> 0) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// slots: {ids, fixed, correct?}
export function shuffle(slots, next) {
  const movable = slots.ids.filter((_, i) => !slots.fixed[i]).sort(byCodePoint);
  for (let i = movable.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [movable[i], movable[j]] = [movable[j], movable[i]];
  }
  let k = 0;
  return slots.ids.map((id, i) => (slots.fixed[i] ? id : movable[k++]));
}

export function keyFirst(slots, shown) {
  const right = new Set(slots.ids.filter((_, i) => slots.correct && slots.correct[i]));
  return right.size > 0 && shown.slice(0, right.size).every((id) => right.has(id));
}

// choices, rights: {questionId: slots}, in quiz order. Returns {questionId: ids, "id:right": ids}.
export function arrange(choices, rights, stream, balance = true) {
  const next = mulberry32(fnv1a32(stream));
  const entries = Object.entries(choices);
  const known = balance && entries.every(([, s]) => Array.isArray(s.correct));
  const limit = Math.floor(entries.length / 3);
  let best = null, bestCount = null;
  const rounds = known && entries.length >= 3 ? ROUNDS : 1;
  for (let r = 0; r < rounds; r++) {
    const draw = Object.fromEntries(entries.map(([id, s]) => [id, shuffle(s, next)]));
    const count = known ? entries.filter(([id, s]) => keyFirst(s, draw[id])).length : 0;
    if (bestCount === null || count < bestCount) { best = draw; bestCount = count; }
    if (count <= limit) break;
  }
  const out = { ...(best || {}) };
  for (const [id, s] of Object.entries(rights)) out[`${id}:right`] = shuffle(s, next);
  return out;
}

export const streamFor = (quizId, learner) => `${quizId}\n${learner}`;

// The slots of a quiz's lists as the page holds them, read from the form itself: each option
// input's value and its label's data-fixed. Pinned options stand where they were written in any
// order this module makes, and the others are sorted before shuffling, so the DOM's current order
// gives the same result as the authored one (which the page never needs: on an assessment page
// it could point at the key). keyOf(questionId) gives the set of right ids where known.
export function pageSlots(form, keyOf = null) {
  const choices = {}, rights = {};
  for (const li of form.querySelectorAll(".ck-question")) {
    const id = li.dataset.question, type = li.dataset.type;
    if (type === "single" || type === "multiple") {
      const labels = [...li.querySelectorAll(".ck-option")];
      const ids = labels.map((l) => l.querySelector("input").value);
      const key = keyOf ? keyOf(id) : null;
      choices[id] = {
        ids, fixed: labels.map((l) => l.dataset.fixed === "true"),
        correct: key ? ids.map((x) => key.has(x)) : undefined,
      };
    } else if (type === "matching") {
      const ids = [...li.querySelector("select").options].filter((o) => o.value).map((o) => o.value);
      rights[id] = { ids, fixed: ids.map(() => false) };
    }
  }
  return { choices, rights };
}

// Show every list of the form in the order given (DOM moves keep what the learner chose).
export function applyOrder(form, order) {
  for (const li of form.querySelectorAll(".ck-question")) {
    const id = li.dataset.question;
    if (order[id]) {
      const box = li.querySelector(".ck-options");
      const byId = new Map([...box.querySelectorAll(".ck-option")].map((l) => [l.querySelector("input").value, l]));
      for (const optionId of order[id]) if (byId.has(optionId)) box.append(byId.get(optionId));
    }
    if (order[`${id}:right`]) {
      for (const select of li.querySelectorAll("select")) {
        const byId = new Map([...select.options].filter((o) => o.value).map((o) => [o.value, o]));
        for (const optionId of order[`${id}:right`]) if (byId.has(optionId)) select.append(byId.get(optionId));
      }
    }
  }
}
