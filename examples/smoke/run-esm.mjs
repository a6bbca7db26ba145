// ESM runner for Node, Deno and Bun: the packages as a user's `import` resolves them.
import * as core from "@kubepki/core";
import * as profiles from "@kubepki/k8s-profiles";
import * as archive from "@kubepki/k8s-profiles/archive";
import * as renderers from "@kubepki/renderers";
import { smoke } from "./smoke.mjs";

const lines = await smoke({ core, profiles, renderers, archive });
console.log(lines.join("\n"));
