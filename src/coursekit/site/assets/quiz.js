// The quiz widget: turns each server-rendered <form class="ck-quiz"> into a practice quiz
// with instant feedback. Loaded as an ES module only on pages that hold a quiz; it
// re-attaches after Material's instant navigation through document$.
import { NO_ANSWER, addFrac, fmtScore, frac, gradeQuestion } from "./grading.js";

const TRIES_BEFORE_EXPLANATION = 2;

function responseOf(li, q) {
  const inputs = [...li.querySelectorAll("input")];
  if (q.type === "single") return inputs.find((i) => i.checked)?.value ?? null;
  if (q.type === "multiple") return inputs.filter((i) => i.checked).map((i) => i.value);
  if (q.type === "true_false") {
    const v = inputs.find((i) => i.checked)?.value;
    return v === undefined ? null : v === "true";
  }
  return inputs[0].value;
}

function el(tag, cls, html) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

function attach(form) {
  if (form.dataset.ckAttached) return;
  form.dataset.ckAttached = "1";
  const data = JSON.parse(form.querySelector("script.ck-quiz__data").textContent);
  const byId = new Map(data.questions.map((q) => [q.id, q]));
  const results = new Map();
  const tries = new Map();
  const scoreEl = form.querySelector(".ck-quiz__score");
  const max = data.questions.reduce((s, q) => s + (q.points ?? 1), 0);

  const updateScore = () => {
    let total = frac(0);
    for (const r of results.values()) total = addFrac(total, r.score);
    scoreEl.textContent = `Score: ${fmtScore(total)} / ${max} (${results.size} of ${data.questions.length} checked)`;
  };

  form.addEventListener("submit", (ev) => ev.preventDefault());
  for (const li of form.querySelectorAll(".ck-question")) {
    const q = byId.get(li.dataset.question);
    const feedback = li.querySelector(".ck-feedback");
    const check = () => {
      const r = gradeQuestion(q, responseOf(li, q));
      const n = (tries.get(q.id) ?? 0) + 1;
      tries.set(q.id, n);
      if (r.answered) results.set(q.id, r);
      li.dataset.state = !r.answered ? "unanswered" : r.correct ? "correct" : r.score[0] > 0 ? "partial" : "wrong";
      const verdict = !r.answered ? "Not answered yet."
        : r.correct ? "Correct."
        : r.score[0] > 0 ? `Partly right: ${fmtScore(r.score)} of ${r.max_score}.`
        : "Not right yet.";
      feedback.replaceChildren();
      feedback.append(el("p", "ck-feedback__verdict", ""));
      feedback.firstChild.textContent = verdict;
      if (r.feedback[0] !== NO_ANSWER) {
        const list = el("ul", "ck-feedback__items");
        for (const f of r.feedback) list.append(el("li", "", f));
        feedback.append(list);
      }
      if (r.answered && (r.correct || n >= TRIES_BEFORE_EXPLANATION)) {
        const ex = el("div", "ck-feedback__explanation");
        ex.append(el("p", "ck-feedback__label", "<strong>Explanation</strong>"));
        ex.insertAdjacentHTML("beforeend", q.explanation);
        feedback.append(ex);
      } else if (r.answered) {
        feedback.append(el("p", "ck-feedback__retry", "Try again: change your answer and press Check."));
      }
      updateScore();
    };
    li.querySelector(".ck-check").addEventListener("click", check);
    // Enter in a text field checks that question instead of submitting the form.
    for (const input of li.querySelectorAll('input[type="text"]')) {
      input.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") { ev.preventDefault(); check(); }
      });
    }
  }
}

function attachAll() {
  document.querySelectorAll("form.ck-quiz").forEach(attach);
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(attachAll);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", attachAll);
} else {
  attachAll();
}
