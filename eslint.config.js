import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The layers of src/, bottom first. A file may import its own layer and the layers below it,
 * never one above (ARCHITECTURE.md): server → graph → registry → events → loaders → sources →
 * telemetry → config.
 */
const LAYERS = [
  "config",
  "telemetry",
  "sources",
  "loaders",
  "events",
  "registry",
  "graph",
  "server",
  "cli",
];

/** An import of `layer` from a file in another src/ folder: `../layer/…`, `../../layer/…`. */
const importOf = (layer) => `^(\\.\\./)+${layer}/`;

const layerRules = LAYERS.map((layer, index) => {
  const above = LAYERS.slice(index + 1);
  const patterns = above.map((upper) => ({
    regex: importOf(upper),
    message: `${layer}/ is below ${upper}/: it may not import it (ARCHITECTURE.md).`,
  }));
  if (layer === "graph") {
    // The graph speaks to the registry; sources' types (domain objects) may still be named.
    patterns.push({
      regex: importOf("sources"),
      allowTypeImports: true,
      message: "graph/ reaches sources/ through the registry; it may import only their types.",
    });
  }
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns }] },
  };
});

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "test/generated/", "node_modules/", ".stack/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "no-console": "off",
    },
  },
  ...layerRules,
);
