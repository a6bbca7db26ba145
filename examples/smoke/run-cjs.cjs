// CommonJS runner for Node: the packages through `require` (their `require` export, dist/*.cjs).
// The shared suite is ESM, so it comes in through `import()`; only kubepki goes through require.
const core = require("@kubepki/core");
const profiles = require("@kubepki/k8s-profiles");
const archive = require("@kubepki/k8s-profiles/archive");
const renderers = require("@kubepki/renderers");

for (const name of ["@kubepki/core", "@kubepki/k8s-profiles", "@kubepki/renderers"]) {
  const resolved = require.resolve(name);
  if (!resolved.endsWith(".cjs")) throw new Error(`require("${name}") resolved to ${resolved}, not the CJS build`);
}

import("./smoke.mjs")
  .then(({ smoke }) => smoke({ core, profiles, renderers, archive }))
  .then((lines) => console.log(lines.join("\n")))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
