// Runs the compiled unit tests. tsc emits CommonJS into .test-out (the sources import without file
// extensions, which Node's ES module loader refuses), so that folder is marked as CommonJS first.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { readdirSync } from "node:fs";

writeFileSync(".test-out/package.json", '{ "type": "commonjs" }\n');
const files = readdirSync(".test-out/test").filter((f) => f.endsWith(".test.js")).map((f) => `.test-out/test/${f}`);
const result = spawnSync(process.execPath, ["--test", ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
