// Runs the page's own grader and option order (src/coursekit/site/assets/*.js) under Node on the
// shared vectors, read as JSON from stdin; writes the results as JSON to stdout.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const assets = process.argv[2];
const { gradeQuestion } = await import(pathToFileURL(`${assets}/grading.js`).href);
const order = await import(pathToFileURL(`${assets}/order.js`).href);
const input = JSON.parse(readFileSync(0, "utf-8"));

const out = {};
if (input.grading) {
  const { questions, cases } = input.grading;
  out.grading = cases.map((c) => {
    const start = performance.now();
    const r = gradeQuestion(questions[c.question], c.response);
    return { score: r.score, correct: r.correct, answered: r.answered, feedback: r.feedback,
             misconceptions: r.misconceptions, ms: performance.now() - start };
  });
}
if (input.order) {
  out.fnv1a32 = input.order.fnv1a32.map(([text]) => order.fnv1a32(text));
  out.mulberry32 = input.order.mulberry32.map(([seed, values]) => {
    const next = order.mulberry32(seed);
    return values.map(() => next());
  });
  out.arrange = input.order.arrange.map((c) => order.arrange(c.choices, c.rights, c.stream, c.balance));
}
if (input.quizzes) {
  // Whole quizzes as the practice page serialises them: the order each learner would see.
  out.quizzes = input.quizzes.map(({ id, questions, learners }) => {
    const choices = {}, rights = {};
    for (const q of questions) {
      if (q.type === "single" || q.type === "multiple")
        choices[q.id] = { ids: q.options.map((o) => o.id), fixed: q.options.map((o) => !!o.fixed),
                          correct: q.options.map((o) => !!o.correct) };
      else if (q.type === "matching") {
        const ids = [...q.pairs.map((p) => p.id), ...(q.distractors || []).map((d) => d.id)];
        rights[q.id] = { ids, fixed: ids.map(() => false) };
      }
    }
    return learners.map((l) => order.arrange(choices, rights, order.streamFor(id, l)));
  });
}
process.stdout.write(JSON.stringify(out));
