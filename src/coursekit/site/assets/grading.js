// Grading rules for instant practice feedback: a mirror of coursekit/quiz/grading.py.
// Both are run against tests/grading_vectors.json, so they cannot drift. Scores are
// exact fractions [numerator, denominator]; numbers compare as exact decimals (BigInt).
// The bounds on an answer's length come with each question's data (max_chars, max_exponent:
// coursekit/limits.py, written in by the build), never as a copy here.

import {
  WS_RUN, normaliseText, numberProblem, parseDecimal, parseNumber, tooLong, trim,
} from "./numbers.js";

export { normaliseText, parseDecimal, parseNumber } from "./numbers.js";
export const NO_ANSWER = "No answer given.";

// --- exact decimals: value = m * 10^e (parseDecimal: numbers.js) -----------------------
const align = (a, b) => {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e)];
};
const sub = (a, b) => { const [x, y] = align(a, b); return { m: x - y, e: Math.min(a.e, b.e) }; };
const abs = (a) => ({ m: a.m < 0n ? -a.m : a.m, e: a.e });
const mul = (a, b) => ({ m: a.m * b.m, e: a.e + b.e });
const le = (a, b) => { const [x, y] = align(a, b); return x <= y; };

// Round half away from zero to `figures` significant figures, exactly.
export function roundSig(a, figures) {
  if (a.m === 0n) return { m: 0n, e: 0 };
  const neg = a.m < 0n;
  const mag = neg ? -a.m : a.m;
  const adjusted = mag.toString().length - 1 + a.e;
  const exp = adjusted - figures + 1;
  if (exp <= a.e) return a;
  const p = 10n ** BigInt(exp - a.e);
  let q = mag / p;
  if (2n * (mag % p) >= p) q += 1n;
  return { m: neg ? -q : q, e: exp };
}
const eq = (a, b) => { const [x, y] = align(a, b); return x === y; };

export function within(value, target, tolerance, relative = false) {
  const allowed = relative ? mul(tolerance, abs(target)) : tolerance;
  return le(abs(sub(value, target)), allowed);
}

// --- fractions -------------------------------------------------------------------------
const gcd = (a, b) => (b === 0 ? Math.abs(a) : gcd(b, a % b));
export function frac(n, d = 1) { const g = gcd(n, d) || 1; return [n / g, d / g]; }
export const addFrac = (a, b) => frac(a[0] * b[1] + b[0] * a[1], a[1] * b[1]);

function blank(response) {
  if (typeof response === "string") return !trim(response);
  if (response === null || response === undefined) return true;
  if (Array.isArray(response)) return response.length === 0;
  if (typeof response === "object") return Object.keys(response).length === 0;
  return false;
}

export const words = (text) => text.split(WS_RUN).filter(Boolean).length;

function kendallFraction(order, right) {
  const rank = new Map(order.map((item, i) => [item, i]));
  let good = 0, total = 0;
  for (let i = 0; i < right.length; i++)
    for (let j = i + 1; j < right.length; j++) { total++; if (rank.get(right[i]) < rank.get(right[j])) good++; }
  return frac(good, total);
}

function gradeChoice(q, response) {
  let chosen;
  if (q.type === "single") chosen = typeof response === "string" ? [response] : [];
  else chosen = Array.isArray(response) ? [...new Set(response.filter((r) => typeof r === "string"))] : [];
  const byId = new Map(q.options.map((o) => [o.id, o]));
  chosen = chosen.filter((c) => byId.has(c));
  if (!chosen.length) return [frac(0), ["That is not one of the options."], []];
  const right = new Set(q.options.filter((o) => o.correct).map((o) => o.id));
  const feedback = chosen.map((c) => byId.get(c).feedback);
  const misconceptions = chosen.map((c) => byId.get(c).misconception).filter(Boolean);
  let f;
  if (q.type === "single") f = right.has(chosen[0]) ? frac(1) : frac(0);
  else {
    const hits = chosen.filter((c) => right.has(c)).length;
    const misses = chosen.length - hits;
    f = hits - misses > 0 ? frac(hits - misses, right.size) : frac(0);
  }
  return [f, feedback, misconceptions];
}

function asBool(response) {
  if (typeof response === "boolean") return response;
  if (typeof response === "string") {
    const t = trim(response).toLowerCase();
    if (t === "true" || t === "false") return t === "true";
  }
  return null;
}

export function gradeQuestion(q, response) {
  const points = q.points ?? 1;
  const result = (f, feedback, misconceptions, answered = true) => ({
    question_id: q.id,
    score: frac(f[0] * points, f[1]),
    max_score: points,
    correct: f[0] === f[1],
    answered,
    feedback,
    misconceptions,
  });
  if (blank(response)) return result(frac(0), [NO_ANSWER], [], false);
  if (q.type === "reflection") {
    if (typeof response !== "string") return result(frac(0), ["Answer with text."], []);
    if (response.length > q.max_chars) return result(frac(0), [tooLong(q.max_chars)], []);
    const feedback = ["Saved for your instructor to read; reflections are not scored."];
    const n = words(response);
    if (q.min_words && n < q.min_words) feedback.push(`Aim for at least ${q.min_words} words (you wrote ${n}).`);
    return result(frac(0), feedback, []);
  }
  if (q.type === "single" || q.type === "multiple") return result(...gradeChoice(q, response));
  if (q.type === "true_false") {
    const v = asBool(response);
    if (v === null) return result(frac(0), ["Answer true or false."], []);
    const fb = v ? q.feedback_true : q.feedback_false;
    return v === q.answer ? result(frac(1), [fb], []) : result(frac(0), [fb], [q.misconception]);
  }
  if (q.type === "numeric") {
    const problem = numberProblem(response, q);
    if (problem) return result(frac(0), [problem], []);
    const v = parseNumber(response, q.unit);
    if (v === null) return result(frac(0), ["That is not a number."], []);
    const dec = (x) => parseDecimal(String(x));
    const right = q.sig_figs
      ? eq(roundSig(v, q.sig_figs), roundSig(dec(q.answer), q.sig_figs))
      : within(v, dec(q.answer), dec(q.tolerance ?? "0"), q.tolerance_mode === "relative");
    if (right) return result(frac(1), [q.correct_feedback], []);
    for (const m of q.mistakes || [])
      if (within(v, dec(m.value), dec(m.tolerance ?? "0"))) return result(frac(0), [m.feedback], [m.misconception]);
    return result(frac(0), [q.wrong_feedback], []);
  }
  if (q.type === "short_text") {
    if (typeof response !== "string") return result(frac(0), ["Answer with text."], []);
    if (response.length > q.max_chars) return result(frac(0), [tooLong(q.max_chars)], []);
    const cs = !!q.case_sensitive;
    const given = normaliseText(response, cs);
    // "u" and no "i": ASCII \w \d \b, no case folding by the engine, as Python's re.ASCII (grading.py).
    const matches = q.pattern != null && new RegExp(`^(?:${q.pattern})$`, "u").test(given);
    if ((q.accept || []).some((a) => normaliseText(a, cs) === given) || matches)
      return result(frac(1), [q.correct_feedback], []);
    for (const m of q.mistakes || [])
      if (m.answers.some((a) => normaliseText(a, cs) === given)) return result(frac(0), [m.feedback], [m.misconception]);
    return result(frac(0), [q.wrong_feedback], []);
  }
  if (q.type === "ordering") {
    const right = q.items.map((i) => i.id);
    const ok = Array.isArray(response) && response.length === right.length &&
      JSON.stringify(response.filter((r) => typeof r === "string").sort()) === JSON.stringify([...right].sort());
    if (!ok) return result(frac(0), ["Put every item in order, each once."], []);
    if (response.every((r, i) => r === right[i])) return result(frac(1), [q.correct_feedback], []);
    const f = q.partial ? kendallFraction(response, right) : frac(0);
    for (const m of q.mistakes || [])
      if (m.order.length === response.length && m.order.every((r, i) => r === response[i]))
        return result(f, [m.feedback], [m.misconception]);
    return result(f, [q.wrong_feedback], []);
  }
  if (q.type === "matching") {
    if (typeof response !== "object" || Array.isArray(response)) return result(frac(0), ["Match each item."], []);
    const distractors = new Map((q.distractors || []).map((d) => [d.id, d]));
    const chosen = q.pairs.map((p) => response[p.id]);
    const hits = q.pairs.filter((p) => response[p.id] === p.id).length;
    const misconceptions = [...new Set(chosen.filter((c) => typeof c === "string" && distractors.has(c))
      .map((c) => distractors.get(c).misconception))];
    const f = frac(hits, q.pairs.length);
    return result(f, [f[0] === f[1] ? q.correct_feedback : q.wrong_feedback], misconceptions);
  }
  throw new Error(`no grading rule for ${q.type}`);
}

// A score as a person reads it: coursekit/scores.py fmt_score, which a test checks this against.
export function fmtScore([n, d]) {
  if (d === 1) return String(n);
  const hundredths = Math.floor((200 * Math.abs(n) + d) / (2 * d)); // exact: half up
  const text = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
  return (n < 0 && hundredths > 0 ? "-" : "") + text.replace(/0+$/, "").replace(/\.$/, "");
}
