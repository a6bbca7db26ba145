// Deno runner: the suite against the built ESM of @kubepki/core, resolved like a user's import.
import * as core from "../../dist/index.js";
import { formatResult, runCoreSuite } from "./suite.ts";

const result = await runCoreSuite(core, ["RSA-2048", "ECDSA-P256", "ECDSA-P384", "Ed25519"]);
console.log(formatResult(`deno ${Deno.version.deno}`, result));
Deno.exit(result.failed === 0 ? 0 : 1);
