// Browser runner: bundled by esbuild (platform "browser") from the installed tarballs and loaded by
// index.html. No polyfills: if a package needed Buffer, process or a Node built-in, the bundle or
// this page would fail. The lines go into <pre id="out">; body[data-status] says when it is done.
import * as core from "@kubepki/core";
import * as profiles from "@kubepki/k8s-profiles";
import * as archive from "@kubepki/k8s-profiles/archive";
import * as renderers from "@kubepki/renderers";
import { smoke } from "../smoke.mjs";

const out = document.getElementById("out");
smoke({ core, profiles, renderers, archive }).then(
  (lines) => {
    out.textContent = lines.join("\n");
    document.body.dataset.status = "done";
  },
  (error) => {
    out.textContent = `FAILED: ${error?.stack ?? error}`;
    document.body.dataset.status = "failed";
  },
);
