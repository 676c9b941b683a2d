import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

/*
 * Layer boundaries (docs/architecture.md). Each folder's block lists every import it refuses: when
 * several blocks match a file, the last one's no-restricted-imports replaces the others', so a
 * block repeats the patterns of the folders it sits inside. `~/` is the app/ alias.
 */
/** An import of one of app/'s top-level folders, relative (from app/ or from beside it) or through `~/`. */
const appFolder = (folders) => `^(?:(?:\\.\\./)+(?:app/)?|~/)(?:${folders})(?:/|$)`;
const noServerFromApp = { regex: "^(\\.\\./)+server/", message: "app/ never imports server/ (see docs/architecture.md)." };
const noReactOrRemix = (who) => ({ regex: "^(react|react-dom|@remix-run/.*)$", message: `${who} never imports React or Remix.` });
const noClientCode = (who) => ({
  regex: appFolder("routes|routes-support|components|blocks|editor|collab|root|entry\\.client|entry\\.server"),
  message: `${who} never imports routes or browser code (routes, routes-support, components, blocks, editor, collab).`,
});

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
            { regex: appFolder("services|routes-support"), message: "app/domain is pure: it never imports services (use cases) or route helpers." },
            noReactOrRemix("app/domain"),
            { regex: "^(node:)?(fs|net|http|https|child_process|worker_threads|stream|zlib|sqlite3)(/.*)?$", message: "app/domain does no I/O." },
            { regex: "^(kysely|exceljs|yauzl)(/.*)?$", message: "app/domain does no I/O: queries live in db/, workbooks in app/services/excel." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/services/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [noServerFromApp, noClientCode("app/services"), { regex: "^(react|react-dom)(/.*)?$", message: "app/services never imports React." }] },
      ],
    },
  },
  {
    // Browser code: what the client bundle is built from.
    files: ["app/components/**", "app/blocks/**", "app/editor/**", "app/collab/**"],
    ignores: ["**/*.server.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            noServerFromApp,
            { regex: appFolder("routes-support"), message: "Browser code never imports route helpers: a route's loader or action calls them." },
            { regex: "^(\\.\\./)+db/", message: "Browser code never imports db/." },
          ],
        },
      ],
      // A component may name the shape a service returns (types vanish from the bundle), never call it.
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: appFolder("services"),
              allowTypeImports: true,
              message: "Browser code never imports services (only their types, with `import type`): a route's loader or action calls them.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["server/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?:(?:\\.\\./)+app/|~/)(?!(?:services|domain|i18n)/)",
              message: "server/ imports from app/ only app/services, app/domain and app/i18n: never routes or browser code (see docs/architecture.md).",
            },
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
            { regex: "^(?:(?:\\.\\./)+app/|~/)(?!domain/)", message: "db/ imports only app/domain (types and pure helpers) from app/: never services, routes or browser code." },
            noReactOrRemix("db/"),
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
    files: ["app/domain/money.ts", "app/domain/budget.ts", "app/domain/plan-rows.ts", "app/blocks/budget-*.ts", "app/blocks/budget-*.tsx", "app/blocks/use-budget-*.ts"],
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
