// The quiz widget: turns each server-rendered <form class="ck-quiz"> into a practice quiz
// with instant feedback, tries, hints, "show answer", saved progress and a results file.
// Only pages that hold a quiz carry it: bundled by the build into one classic script inline
// after the quizzes (site/bundle.py), or, without esbuild, loaded as this ES module.
// startWidgets (responses.js) attaches at once and again after Material's instant navigation.
import { NO_ANSWER, addFrac, fmtScore, frac, gradeQuestion } from "./grading.js";
import { applyOrder, arrange, pageSlots, streamFor } from "./order.js";
import { clearInputs, readResponse, startWidgets, wireOrdering, writeResponse } from "./responses.js";

const STORE = "coursekit:quiz:v1:";
const POOL = "coursekit:variant-seed";

const load = (id) => {
  try { return JSON.parse(localStorage.getItem(STORE + id)) || null; } catch { return null; }
};
const save = (id, state) => {
  try { localStorage.setItem(STORE + id, JSON.stringify({ ...state, updated: new Date().toISOString() })); }
  catch { /* storage full or disabled: the quiz still works, it just does not remember */ }
};

function el(tag, cls, html) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

function textEl(tag, cls, text) {
  const e = el(tag, cls);
  e.textContent = text;
  return e;
}

// One random number per browser, so a learner keeps the same variant of each question.
function learnerSeed() {
  const stored = localStorage.getItem(POOL);  // Number(null) is 0: read the text first
  let seed = stored === null || !/^[0-9]{1,10}$/.test(stored) ? NaN : Number(stored);
  if (!Number.isInteger(seed)) {
    seed = Math.floor(Math.random() * 1e9);
    try { localStorage.setItem(POOL, String(seed)); } catch { /* ignore */ }
  }
  return seed;
}

// --- the widget -----------------------------------------------------------------------
function attach(form) {
  if (form.dataset.ckAttached) return;
  form.dataset.ckAttached = "1";
  // The data lives in an attribute: Material's instant navigation re-runs <script> elements.
  const data = JSON.parse(form.dataset.ckQuiz);
  const scoreEl = form.querySelector(".ck-quiz__score");
  const seed = learnerSeed();
  // This learner's order of the options (the same on every visit: the seed is kept).
  const keys = new Map(data.questions.filter((q) => q.options)
    .map((q) => [q.id, new Set(q.options.filter((o) => o.correct).map((o) => o.id))]));
  const { choices, rights } = pageSlots(form, (id) => keys.get(id));
  applyOrder(form, arrange(choices, rights, streamFor(data.id, String(seed))));
  const fresh = () => ({ variant: {}, responses: {}, tries: {}, checked: {}, revealed: {}, hints: {} });
  let state = { ...fresh(), ...(load(data.id) || {}) };

  // The concrete question: a variant question picks one of the shipped variants.
  const concrete = (base) => {
    if (!base.variants) return base;
    if (state.variant[base.id] === undefined) state.variant[base.id] = (seed + hash(base.id)) % base.variants.length;
    return { ...base.variants[state.variant[base.id]], id: base.id };
  };
  const questions = new Map(data.questions.map((q) => [q.id, concrete(q)]));
  const max = data.questions.reduce((s, q) => s + (q.points ?? 1), 0);
  const scored = data.questions.filter((q) => q.type !== "reflection").length;

  const results = () => [...questions.values()].map((q) => {
    const r = state.checked[q.id] ? gradeQuestion(q, state.responses[q.id]) : null;
    return { q, r };
  });

  const updateScore = () => {
    let total = frac(0);
    let n = 0;
    for (const { q, r } of results()) {
      if (!r || q.type === "reflection") continue;
      total = addFrac(total, r.score);
      n++;
    }
    scoreEl.textContent = n === 0
      ? `Score: 0 / ${max} (no question checked yet)`
      : `Score: ${fmtScore(total)} / ${max} (${n} of ${scored} checked)`;
  };

  const lis = new Map([...form.querySelectorAll(".ck-question")].map((li) => [li.dataset.question, li]));

  const showFeedback = (li, q, r, announce = true) => {
    const feedback = li.querySelector(".ck-feedback");
    const tries = state.tries[q.id] ?? 0;
    const revealed = !!state.revealed[q.id];
    li.dataset.state = !r.answered ? "unanswered" : q.type === "reflection" ? "saved"
      : r.correct ? "correct" : r.score[0] > 0 ? "partial" : "wrong";
    const verdict = !r.answered ? "Not answered yet."
      : q.type === "reflection" ? "Saved."
      : r.correct ? "Correct."
      : r.score[0] > 0 ? `Partly right: ${fmtScore(r.score)} of ${r.max_score}.`
      : "Not right yet.";
    const parts = [textEl("p", "ck-feedback__verdict", verdict)];
    if (r.feedback[0] !== NO_ANSWER) {
      const list = el("ul", "ck-feedback__items");
      for (const f of r.feedback) list.append(el("li", "", f));
      parts.push(list);
    }
    const done = r.correct || revealed || q.type === "reflection";
    if (r.answered && !done) {
      parts.push(textEl("p", "ck-feedback__retry", "Try again: change your answer and press Check."));
      if (q.section_url) {
        const p = el("p", "ck-feedback__section");
        const a = textEl("a", "", "Review the section that covers this");
        a.href = q.section_url;
        p.append(a);
        parts.push(p);
      }
    }
    if (revealed) {
      const ans = el("div", "ck-feedback__answer");
      ans.append(el("p", "ck-feedback__label", "<strong>Answer</strong>"));
      ans.insertAdjacentHTML("beforeend", q.answer_html);
      parts.push(ans);
    }
    if (r.answered && done) {
      const ex = el("div", "ck-feedback__explanation");
      ex.append(el("p", "ck-feedback__label", `<strong>${q.type === "reflection" ? "Guidance" : "Explanation"}</strong>`));
      ex.insertAdjacentHTML("beforeend", q.explanation);
      parts.push(ex);
    }
    // Replace the content in one step so the live region announces it once.
    if (!announce) feedback.setAttribute("aria-live", "off");
    feedback.replaceChildren(...parts);
    if (!announce) requestAnimationFrame(() => feedback.setAttribute("aria-live", "polite"));
    const reveal = li.querySelector(".ck-reveal");
    reveal.hidden = !(q.type !== "reflection" && !r.correct && !revealed && tries >= data.show_answer_after);
  };

  const showHints = (li, q) => {
    const box = li.querySelector(".ck-hints");
    const n = state.hints[q.id] ?? 0;
    box.replaceChildren(...q.hints.slice(0, n).map((h, i) => {
      const d = el("div", "ck-hint");
      d.append(textEl("p", "ck-hint__label", `Hint ${i + 1}`));
      d.insertAdjacentHTML("beforeend", h);
      return d;
    }));
    const button = li.querySelector(".ck-hint-button");
    if (button) {
      button.hidden = n >= q.hints.length;
      button.textContent = `Show a hint (${Math.min(n + 1, q.hints.length)} of ${q.hints.length})`;
    }
  };

  for (const [id, li] of lis) {
    const q = questions.get(id);
    if (q.prompt_html && data.questions.find((x) => x.id === id).variants)
      li.querySelector(".ck-prompt").innerHTML = q.prompt_html;
    const check = () => {
      const response = readResponse(li, q);
      const r = gradeQuestion(q, response);
      state.responses[id] = response;
      if (r.answered) {
        state.tries[id] = (state.tries[id] ?? 0) + 1;
        state.checked[id] = true;
      }
      save(data.id, state);
      showFeedback(li, q, r);
      updateScore();
    };
    li.querySelector(".ck-check").addEventListener("click", check);
    li.querySelector(".ck-reveal").addEventListener("click", () => {
      state.revealed[id] = true;
      save(data.id, state);
      showFeedback(li, q, gradeQuestion(q, state.responses[id]));
      li.querySelector(".ck-check").focus();
    });
    li.querySelector(".ck-hint-button")?.addEventListener("click", (ev) => {
      state.hints[id] = Math.min((state.hints[id] ?? 0) + 1, q.hints.length);
      save(data.id, state);
      showHints(li, q);
      if (ev.currentTarget.hidden) li.querySelector(".ck-check").focus();
    });
    // Enter in a one-line field checks this question instead of submitting the page.
    for (const input of li.querySelectorAll('input[type="text"]')) {
      input.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") { ev.preventDefault(); check(); }
      });
    }
    wireOrdering(li, (message) => {
      li.querySelector(".ck-feedback").replaceChildren(textEl("p", "ck-feedback__moved", message));
      state.responses[id] = readResponse(li, q);
      save(data.id, state);
    });
    // Restore saved work.
    writeResponse(li, q, state.responses[id]);
    showHints(li, q);
    if (state.checked[id]) showFeedback(li, q, gradeQuestion(q, state.responses[id]), false);
  }

  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("change", (ev) => {
    const li = ev.target.closest(".ck-question");
    if (!li) return;
    const q = questions.get(li.dataset.question);
    state.responses[q.id] = readResponse(li, q);
    save(data.id, state);
  });
  form.querySelector(".ck-reset").addEventListener("click", () => {
    if (!window.confirm("Reset this quiz? Your answers and score on this page will be cleared.")) return;
    state = fresh();
    try { localStorage.removeItem(STORE + data.id); } catch { /* ignore */ }
    for (const [id, li] of lis) {
      clearInputs(li);
      li.dataset.state = "";
      li.querySelector(".ck-feedback").replaceChildren();
      li.querySelector(".ck-reveal").hidden = true;
      showHints(li, questions.get(id));
    }
    updateScore();
    scoreEl.textContent += " Quiz reset.";
  });
  form.querySelector(".ck-download").addEventListener("click", () => {
    const rows = results().map(({ q, r }) => ({
      id: q.id, type: q.type, response: state.responses[q.id] ?? null,
      score: r ? fmtScore(r.score) : "0", max_score: q.points ?? 1,
      correct: r ? r.correct : false, tries: state.tries[q.id] ?? 0, revealed: !!state.revealed[q.id],
      variant: q.values ?? null,
    }));
    let total = frac(0);
    for (const { r } of results()) if (r) total = addFrac(total, r.score);
    // A record for the learner, not a submission: it has no learner id, and the grader says so.
    const file = { format: "coursekit-practice-results", version: 1, quiz: data.id, title: data.title,
      note: "A practice record of your answers in this browser: not a submission for grading.",
      saved_at: new Date().toISOString(), page: location.pathname, score: fmtScore(total), max_score: max, questions: rows };
    const a = el("a");
    a.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: "application/json" }));
    a.download = `${data.id}-practice-record.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  updateScore();
}

function hash(text) {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return h;
}

startWidgets("form.ck-quiz", attach, "ckQuiz");
