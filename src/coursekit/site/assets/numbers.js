// Reading numbers and text the way coursekit/quiz/grading.py does: shared by the practice grader
// (grading.js) and the assessment page, which flags an answer the grader would not read before it
// is handed in. Holds no key, no feedback and no grading rule, and no copy of the bounds on an
// answer (coursekit/limits.py): the build writes them into the page's data, and they come in
// as `bounds` ({ max_chars, max_exponent }: a numeric question's data, or the assessment's).
export const tooLong = (limit) => `That answer is too long to read here (at most ${limit} characters).`;
export const OUT_OF_RANGE = "That number is too large or too small to read.";
const WS = "[ \\t\\n\\r\\f\\v\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
export const WS_RUN = new RegExp(WS + "+", "g");
const WS_EDGES = new RegExp(`^${WS}+|${WS}+$`, "g");
const THOUSANDS = /^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$/;
const NUMBER = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

export const trim = (text) => text.replace(WS_EDGES, "");

// exact decimals: value = m * 10^e
export function parseDecimal(text) {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m) return null;
  const frac = m[3] || "";
  const digits = (m[2] || "") + frac;
  if (!digits) return null;
  const mant = BigInt(digits) * (m[1] === "-" ? -1n : 1n);
  return { m: mant, e: (m[4] ? parseInt(m[4], 10) : 0) - frac.length };
}

// Why a numeric answer is not read at all (too long, too large), or null.
export function numberProblem(response, bounds) {
  const text = typeof response === "string" ? response : typeof response === "number" ? String(response) : "";
  if (text.length > bounds.max_chars) return tooLong(bounds.max_chars);
  const m = /[eE]([+-]?[0-9]+)/.exec(text);
  if (m && Math.abs(parseInt(m[1], 10)) > bounds.max_exponent) return OUT_OF_RANGE;
  return null;
}

export function parseNumber(response, unit = null) {
  if (typeof response === "number") return Number.isFinite(response) ? parseDecimal(String(response)) : null;
  if (typeof response !== "string") return null;
  let text = trim(response.normalize("NFKC")).replaceAll("\u2212", "-");
  const suffix = unit ? trim(unit).toLowerCase() : "";
  if (suffix && text.toLowerCase().endsWith(suffix)) text = trim(text.slice(0, text.length - suffix.length));
  if (THOUSANDS.test(text)) text = text.replaceAll(",", "");
  if (!NUMBER.test(text)) return null;
  return parseDecimal(text);
}

export function normaliseText(text, caseSensitive = false) {
  const t = trim(text.normalize("NFC").replace(WS_RUN, " "));
  return caseSensitive ? t : t.toLowerCase();
}
