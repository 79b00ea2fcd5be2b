// The assessment widget: the quiz form with no key in the page. It keeps the learner's
// answers in localStorage and exports them as a coursekit-submission file, which the
// instructor grades with `coursekit grade quiz`. It never scores anything itself.
import { applyOrder, arrange, pageSlots, streamFor } from "./order.js";
import { clearInputs, readResponse, startWidgets, wireOrdering, writeResponse } from "./responses.js";

const STORE = "coursekit:assess:v1:";
const LEARNER = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

function attach(form) {
  if (form.dataset.ckAttached) return;
  form.dataset.ckAttached = "1";
  const data = JSON.parse(form.dataset.ckAssessment);
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

  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("input", (ev) => {
    if (ev.target === learnerInput) { state.learner = learnerInput.value.trim(); save(); return; }
    const li = ev.target.closest(".ck-question");
    if (li) { state.responses[li.dataset.question] = readResponse(li, byId.get(li.dataset.question)); save(); }
  });
  form.addEventListener("change", (ev) => {
    const li = ev.target.closest(".ck-question");
    if (li) { state.responses[li.dataset.question] = readResponse(li, byId.get(li.dataset.question)); save(); }
  });

  form.querySelector(".ck-assess__download").addEventListener("click", () => {
    const learner = learnerInput.value.trim();
    if (!LEARNER.test(learner)) {
      learnerInput.setAttribute("aria-invalid", "true");
      status.textContent = "Enter your learner id first: letters, digits and . _ @ + - only.";
      learnerInput.focus();
      return;
    }
    learnerInput.removeAttribute("aria-invalid");
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
    const answered = Object.values(responses).filter((r) => r !== null && r !== "" &&
      !(Array.isArray(r) && !r.length) && !(typeof r === "object" && !Array.isArray(r) && !Object.keys(r).length)).length;
    status.textContent = `Submission file saved (${answered} of ${lis.length} answered). Hand it in as your instructor asked.`;
  });
  form.querySelector(".ck-assess__clear").addEventListener("click", () => {
    if (!window.confirm("Clear all your answers on this page?")) return;
    for (const li of lis) clearInputs(li);
    state.responses = {};
    save();
    status.textContent = "Answers cleared.";
  });
}

startWidgets("form.ck-assessment", attach, "ckAssess");
