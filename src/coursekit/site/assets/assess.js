// The assessment widget: the quiz form with no key in the page. It keeps the learner's
// answers in localStorage and exports them as a coursekit-submission file, which the
// instructor grades with `coursekit grade quiz`. It never scores anything itself.
import { numberProblem, parseNumber } from "./numbers.js";
import { applyOrder, arrange, pageSlots, streamFor } from "./order.js";
import { clearInputs, readResponse, startWidgets, wireOrdering, writeResponse } from "./responses.js";

const STORE = "coursekit:assess:v1:";

function attach(form) {
  if (form.dataset.ckAttached) return;
  form.dataset.ckAttached = "1";
  const data = JSON.parse(form.dataset.ckAssessment);
  const LEARNER = new RegExp(form.dataset.learnerPattern);  // coursekit.ids, written in by the build
  const key = STORE + data.id;
  const status = form.querySelector(".ck-assess__status");
  const learnerInput = form.querySelector(".ck-assess__learner");
  let state;
  try { state = JSON.parse(localStorage.getItem(key)) || null; } catch { state = null; }
  state = state || { learner: "", pool: {}, responses: {}, started_at: new Date().toISOString() };
  const save = () => { try { localStorage.setItem(key, JSON.stringify(state)); } catch { /* still usable */ } };

  const lis = [...form.querySelectorAll(".ck-question")];
  const byId = new Map(data.questions.map((q) => [q.id, q]));
  for (const li of lis) {
    const q = byId.get(li.dataset.question);
    if (q.prompts) {  // a variant question: show one of the shipped variants, and remember which
      if (state.pool[q.id] === undefined) state.pool[q.id] = Math.floor(Math.random() * q.prompts.length);
      li.querySelector(".ck-prompt").innerHTML = q.prompts[state.pool[q.id]];
    }
    writeResponse(li, q, state.responses[q.id]);
    wireOrdering(li, (message) => {
      status.textContent = message;
      state.responses[q.id] = readResponse(li, q);
      save();
    });
  }
  learnerInput.value = state.learner;
  save();

  // Each learner sees the options in an order of their own, made from their id (case does not
  // matter): shown once the id is valid, and again on every visit. No key is involved.
  const { choices, rights } = pageSlots(form);
  const arrangeFor = (learner) => {
    if (LEARNER.test(learner)) applyOrder(form, arrange(choices, rights, streamFor(data.id, learner.toLowerCase()), false));
  };
  arrangeFor(state.learner);

  // What the grader would not read, said before the file leaves: nothing here knows the key.
  const unreadable = (li, q, r) => {
    if (q.type !== "numeric" || typeof r !== "string" || !r.trim()) return null;
    const problem = numberProblem(r, data.numeric_bounds);  // coursekit.limits, written in by the build
    if (problem) return problem;
    const unit = li.querySelector(".ck-unit")?.textContent || null;
    return parseNumber(r, unit) === null
      ? "Not a number the grader can read: use digits, a point for decimals (16.3, not 16,3)." : null;
  };
  const flag = (li, message) => {
    const input = li.querySelector("input[type=text]");
    let note = li.querySelector(".ck-assess__flag");
    if (!message) {
      note?.remove();
      input?.removeAttribute("aria-invalid");
      input?.removeAttribute("aria-describedby");
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "ck-assess__flag";
      note.id = `${input.id}-flag`;
      li.querySelector(".ck-answer").append(note);
    }
    note.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", note.id);
  };
  const check = (li) => {
    const q = byId.get(li.dataset.question);
    const message = unreadable(li, q, readResponse(li, q));
    flag(li, message);
    return message;
  };
  const isBlank = (r) => r === null || r === undefined || (typeof r === "string" && !r.trim()) ||
    (Array.isArray(r) && !r.length) || (typeof r === "object" && !Array.isArray(r) && !Object.keys(r).length);

  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("input", (ev) => {
    if (ev.target === learnerInput) { state.learner = learnerInput.value.trim(); save(); arrangeFor(state.learner); return; }
    const li = ev.target.closest(".ck-question");
    if (li) { state.responses[li.dataset.question] = readResponse(li, byId.get(li.dataset.question)); save(); }
  });
  form.addEventListener("change", (ev) => {
    const li = ev.target.closest(".ck-question");
    if (li) { state.responses[li.dataset.question] = readResponse(li, byId.get(li.dataset.question)); save(); check(li); }
  });

  form.querySelector(".ck-assess__download").addEventListener("click", () => {
    const learner = learnerInput.value.trim();
    if (!LEARNER.test(learner)) {
      learnerInput.setAttribute("aria-invalid", "true");
      status.textContent = `Enter your learner id first: ${form.dataset.learnerRule}.`;
      learnerInput.focus();
      return;
    }
    learnerInput.removeAttribute("aria-invalid");
    const flagged = lis.filter((li) => check(li));
    if (flagged.length) {
      const numbers = flagged.map((li) => lis.indexOf(li) + 1).join(", ");
      status.textContent = `Fix the answer${flagged.length > 1 ? "s" : ""} to question${flagged.length > 1 ? "s" : ""} ${numbers} first: the grader could not read ${flagged.length > 1 ? "them" : "it"}.`;
      flagged[0].querySelector("input[type=text]").focus();
      return;
    }
    const responses = {};
    for (const li of lis) responses[li.dataset.question] = readResponse(li, byId.get(li.dataset.question));
    const submission = {
      format: "coursekit-submission", version: 1, learner, quiz: data.id, attempt: 1,
      pool: state.pool, started_at: state.started_at, submitted_at: new Date().toISOString(),
      responses, client: { name: "coursekit-site", page: location.pathname },
    };
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([JSON.stringify(submission, null, 2)], { type: "application/json" }));
    a.download = `${data.id}-${learner}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    const missing = lis.filter((li) => isBlank(responses[li.dataset.question])).map((li) => lis.indexOf(li) + 1);
    status.textContent = `Submission file saved (${lis.length - missing.length} of ${lis.length} answered` +
      (missing.length ? `; not answered: question${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` : "") +
      "). Hand it in as your instructor asked.";
  });
  form.querySelector(".ck-assess__clear").addEventListener("click", () => {
    if (!window.confirm("Clear all your answers and your learner id on this page?")) return;
    for (const li of lis) { clearInputs(li); flag(li, null); }
    learnerInput.value = "";
    learnerInput.removeAttribute("aria-invalid");
    state = { learner: "", pool: state.pool, responses: {}, started_at: new Date().toISOString() };
    save();
    status.textContent = "Answers and learner id cleared.";
  });
}

startWidgets("form.ck-assessment", attach, "ckAssess");
