import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

const noServerFromApp = { regex: "^(\\.\\./)+server/", message: "app/ never imports server/ (see STYLE.md)." };

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "data/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "off",
      // Remix loaders and Kysely driver hooks are async by contract even when they do not await.
      "@typescript-eslint/require-await": "off",
      // Yjs XML types print their content with toString().
      "@typescript-eslint/no-base-to-string": ["error", { ignoredTypeNames: ["YXmlFragment", "YXmlElement", "YXmlText", "Error", "RegExp", "URL", "URLSearchParams"] }],
      "@typescript-eslint/ban-ts-comment": ["error", { "ts-ignore": true, "ts-expect-error": "allow-with-description" }],
    },
  },
  {
    files: ["app/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [noServerFromApp] }] },
  },
  {
    files: ["app/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            noServerFromApp,
            { regex: "^(\\.\\./)+db/", message: "app/domain is pure: no database access." },
            { regex: "^(react|react-dom|@remix-run/.*)$", message: "app/domain never imports React or Remix." },
            { regex: "^(node:)?(fs|net|http|https|child_process|worker_threads)(/.*)?$", message: "app/domain does no I/O." },
          ],
        },
      ],
    },
  },
  {
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^(\\.\\./)+server/", message: "db/ never imports server/." },
            { regex: "^(react|react-dom|@remix-run/.*)$", message: "db/ never imports React or Remix." },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Money and quantities are parsed digit by digit (money.ts parseDigits), never by float or lenient parsers.
    files: ["app/domain/money.ts", "app/domain/budget.ts", "app/domain/plan-rows.ts", "app/blocks/budget-*.ts", "app/blocks/budget-*.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "Identifier[name=/^parse(Float|Int)$/]", message: "No parseFloat/parseInt in money code: use parseDigits." },
        { selector: "CallExpression[callee.name='Number']", message: "No Number(...) in money code: use parseDigits." },
        { selector: "NewExpression[callee.name='Number']", message: "No Number objects in money code." },
        { selector: "UnaryExpression[operator='+']", message: "No unary + (a float parse) in money code." },
      ],
    },
  },
);
