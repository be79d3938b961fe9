// Parse GIFT texts with the npm gift-pegjs parser (an independent checker, not our code).
// stdin: a JSON array of strings. stdout: a JSON array, one entry per text:
//   {"ok": true, "questions": [...]}  or  {"ok": false, "message": "...", "line": N, "column": N}
"use strict";
const { parse } = require("gift-pegjs");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const texts = JSON.parse(input);
  const results = texts.map((text) => {
    try {
      return { ok: true, questions: parse(text) };
    } catch (e) {
      const loc = e.location ? e.location.start : { line: 0, column: 0 };
      return { ok: false, message: String(e.message), line: loc.line, column: loc.column };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
