// ts-jest's ESM preset (run with NODE_OPTIONS=--experimental-vm-modules); the mapper lets
// TypeScript's NodeNext-style ".js" imports resolve to the .ts sources.
const common = {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }] },
};

export default {
  testTimeout: 60_000,
  globalSetup: "<rootDir>/test/support/require-node.js",
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    {
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
      // The real stack (moto + three MLflow servers) starts once per run, for every file.
      globalSetup: "<rootDir>/test/integration/setup/global-setup.js",
      globalTeardown: "<rootDir>/test/integration/setup/global-teardown.js",
    },
  ],
};
