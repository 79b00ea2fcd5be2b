// The widgets' JavaScript (quiz, assessment, exercise runtime): ESLint's recommended rules, run
// by `make test` (`npx eslint`). Browser and worker globals, ES modules.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["src/coursekit/site/assets/**/*.{js,mjs}", "tests/**/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.worker, ...globals.node, loadPyodide: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
    },
  },
];
