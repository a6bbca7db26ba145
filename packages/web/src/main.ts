import { isKubepkiError, KUBEADM_KEY_ALGORITHMS } from "@kubepki/core/names";
import { type ClusterPlan, planCluster, resolveClusterConfig } from "@kubepki/k8s-profiles";
import { type AuditResult, auditTree } from "./audit.js";
import { type PickedFile, pickedFromEntry, pickedFromInput, pickedFromZip, treeFromPicked } from "./audit-input.js";
import { configFromForm, configFromYaml, controlForField } from "./config-input.js";
import { FORM_FIELDS, type FormField, type FormValues } from "./fields.js";
import { generateZip, type Layout } from "./generate.js";
import { auditGraphSvg, planGraphSvg } from "./graph.js";
import { planRows } from "./plan-table.js";
import "./style.css";

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const form = byId<HTMLFormElement>("plan-form");
const value = (id: string) => byId<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(id).value;

/** One labelled control from its table row, with the paragraph its error goes to. */
function renderField(field: FormField): HTMLElement {
  const wrapper = document.createElement("div");
  wrapper.className = "field";
  const label = document.createElement("label");
  label.htmlFor = field.id;
  label.textContent = field.label;
  const control =
    field.kind === "textarea"
      ? Object.assign(document.createElement("textarea"), { rows: 3, spellcheck: false })
      : field.kind === "select"
        ? document.createElement("select")
        : Object.assign(document.createElement("input"), { autocomplete: "off" });
  if (control instanceof HTMLSelectElement) {
    for (const algorithm of KUBEADM_KEY_ALGORITHMS) control.append(new Option(algorithm, algorithm));
  }
  if (control instanceof HTMLInputElement && field.kind === "number")
    Object.assign(control, { type: "number", min: "1" });
  control.id = field.id;
  control.name = field.name;
  control.value = field.value;
  control.setAttribute("aria-describedby", `${field.id}-error`);
  const error = document.createElement("p");
  error.id = `${field.id}-error`;
  error.className = "error";
  error.hidden = true;
  wrapper.append(label, control, error);
  return wrapper;
}
byId("form-fields").append(...FORM_FIELDS.map(renderField));

/** The ids of the controls that can carry an error, each with a `<id>-error` paragraph. */
const ERROR_CONTROLS = [...FORM_FIELDS.map((field) => field.id), "yaml"];

const yamlMode = () => (form.elements.namedItem("mode") as RadioNodeList).value === "yaml";

function formValues(): FormValues {
  return Object.fromEntries(FORM_FIELDS.map((field) => [field.name, value(field.id)])) as unknown as FormValues;
}

function clearErrors(): void {
  for (const id of ERROR_CONTROLS) {
    byId(id).removeAttribute("aria-invalid");
    const message = byId(`${id}-error`);
    message.hidden = true;
    message.textContent = "";
  }
  byId("form-error").hidden = true;
}

/** An error at its field (`details.field` → the input: aria-invalid, the message it describes itself by). */
function showError(error: unknown): void {
  const field = isKubepkiError(error) && typeof error.details?.field === "string" ? error.details.field : undefined;
  const controlPlaneCount = value("control-planes")
    .split("\n")
    .filter((line) => line.trim() !== "").length;
  const id = yamlMode() ? "yaml" : controlForField(field, controlPlaneCount);
  const text = isKubepkiError(error) ? `${error.code}: ${error.message}` : String(error);
  if (id === undefined) {
    byId("form-error").textContent = text;
    byId("form-error").hidden = false;
    return;
  }
  byId(id).setAttribute("aria-invalid", "true");
  byId(`${id}-error`).textContent = text;
  byId(`${id}-error`).hidden = false;
}

/** The current plan, or undefined while the input does not validate (the error is at its field). */
let currentPlan: ClusterPlan | undefined;
/** Which update is the latest: an older graph rendering that finishes late is dropped. */
let planGeneration = 0;

async function updatePlan(): Promise<void> {
  const generation = ++planGeneration;
  clearErrors();
  byId("form-fields").hidden = yamlMode();
  byId("yaml-fields").hidden = !yamlMode();
  const body = byId<HTMLTableElement>("plan-table").tBodies[0]!;
  try {
    const config = resolveClusterConfig(yamlMode() ? configFromYaml(value("yaml")) : configFromForm(formValues()));
    currentPlan = planCluster(config);
  } catch (error) {
    currentPlan = undefined;
    showError(error);
    body.replaceChildren();
    byId("plan-summary").textContent = "No plan: correct the input marked above.";
    byId<HTMLButtonElement>("generate").disabled = true;
    return;
  }
  byId<HTMLButtonElement>("generate").disabled = false;
  const plan = currentPlan;
  const { config } = plan;
  byId("plan-summary").textContent =
    `Cluster "${config.clusterName}": ${config.nodes.length} node(s), ${config.keyAlgorithm}, services ${config.serviceSubnets.join(",")}, domain ${config.dnsDomain}; ${currentPlan.certificates.length} certificates` +
    currentPlan.warnings.map((warning) => `. Warning: ${warning.message}`).join("");
  body.replaceChildren(
    ...planRows(currentPlan).map((row) => {
      const tr = document.createElement("tr");
      for (const [index, text] of [row.name, row.subject, row.signer, row.usages, row.sans, row.files].entries()) {
        const cell = document.createElement(index === 0 ? "th" : "td");
        if (index === 0) cell.setAttribute("scope", "row");
        cell.textContent = text;
        tr.append(cell);
      }
      return tr;
    }),
  );
  await showGraph(
    "plan-graph",
    () => planGraphSvg(plan),
    () => generation === planGeneration,
  );
}

/**
 * Draws a graph into its pane, unless a newer update came meanwhile (`current`). A graph that
 * cannot be drawn says why in the pane; the table and findings above it stand on their own.
 */
async function showGraph(id: string, draw: () => Promise<string>, current: () => boolean = () => true): Promise<void> {
  let svg: string;
  try {
    svg = await draw();
  } catch (error) {
    if (current())
      byId(id).textContent = `The trust graph could not be drawn: ${String((error as Error).message ?? error)}`;
    return;
  }
  // Graphviz's own SVG, made in this page from the plan or the dropped files' names (escaped by graphToDot).
  if (current()) byId(id).innerHTML = svg;
}

let typing: ReturnType<typeof setTimeout> | undefined;
form.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => void updatePlan(), 250);
});
form.addEventListener("change", () => void updatePlan());
form.addEventListener("submit", (event) => event.preventDefault());

// ---- Generate -------------------------------------------------------------------------------

async function generate(): Promise<void> {
  clearTimeout(typing);
  await updatePlan();
  const plan = currentPlan;
  if (plan === undefined) return;
  const button = byId<HTMLButtonElement>("generate");
  const progress = byId<HTMLProgressElement>("progress");
  const status = byId("generate-status");
  const layout = value("layout") as Layout;
  button.disabled = true;
  progress.value = 0;
  status.textContent = `Generating ${plan.certificates.length} certificates (${plan.config.keyAlgorithm})…`;
  const started = performance.now();
  try {
    const zip = await generateZip(plan, layout, ({ done, total }) => {
      progress.max = total;
      progress.value = done;
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const name = `${plan.config.clusterName}-pki${layout === "per-node" ? "-per-node" : ""}.zip`;
    // A Blob and an object URL: the zip goes from this page's memory to the download, no request.
    const url = URL.createObjectURL(new Blob([zip as Uint8Array<ArrayBuffer>], { type: "application/zip" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = `Done in ${seconds} s: ${name} (${zip.length} bytes) is downloading. It holds private keys: keep it safe.`;
  } catch (error) {
    status.textContent = `Generation failed: ${isKubepkiError(error) ? `${error.code}: ${error.message}` : String(error)}`;
  } finally {
    button.disabled = false;
  }
}
byId("generate").addEventListener("click", () => void generate());

// ---- Audit ----------------------------------------------------------------------------------

async function audit(read: () => Promise<{ picked: PickedFile[]; folder: boolean }>): Promise<void> {
  const status = byId("audit-status");
  const results = byId("audit-results");
  status.textContent = "Auditing…";
  results.replaceChildren();
  try {
    const { picked, folder } = await read();
    const files = treeFromPicked(picked, folder ? "always" : "single-folder");
    const result = await auditTree(files);
    showFindings(result);
    const errors = result.findings.filter((finding) => finding.severity === "error").length;
    status.textContent = `${result.certificates} certificate(s) read, ${result.findings.length} finding(s), ${errors} error(s).`;
    await showGraph("audit-graph", () => auditGraphSvg(files, result.findings));
  } catch (error) {
    status.textContent = `Audit failed: ${isKubepkiError(error) ? `${error.code}: ${error.message}` : String(error)}`;
  }
}

function showFindings(result: AuditResult): void {
  const results = byId("audit-results");
  if (result.byFile.length === 0) {
    results.textContent = "No findings: the tree passes every check.";
    return;
  }
  for (const group of result.byFile) {
    const section = document.createElement("section");
    section.className = "file-findings";
    const heading = document.createElement("h3");
    heading.textContent = group.file;
    const list = document.createElement("ul");
    for (const finding of group.findings) {
      const item = document.createElement("li");
      item.className = `finding ${finding.severity}`;
      const severity = document.createElement("strong");
      // The severity in words, not only a colour.
      severity.textContent = `${finding.severity.toUpperCase()} ${finding.code}`;
      const message = document.createElement("span");
      message.textContent = `: ${finding.message}`;
      const fix = document.createElement("p");
      fix.className = "fix";
      fix.textContent = `Fix: ${finding.fix}`;
      item.append(severity, message, fix);
      list.append(item);
    }
    section.append(heading, list);
    results.append(section);
  }
}

byId<HTMLInputElement>("audit-folder").addEventListener("change", (event) => {
  const input = event.target as HTMLInputElement;
  void audit(async () => ({ picked: await pickedFromInput(input.files ?? []), folder: true }));
});
byId<HTMLInputElement>("audit-zip").addEventListener("change", (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file)
    void audit(async () => ({
      picked: pickedFromZip(file.name, new Uint8Array(await file.arrayBuffer())),
      folder: false,
    }));
});

const dropZone = byId("drop-zone");
dropZone.addEventListener("dragover", (event) => {
  event.preventDefault();
  dropZone.classList.add("over");
});
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("over"));
dropZone.addEventListener("drop", (event) => {
  event.preventDefault();
  dropZone.classList.remove("over");
  // The entries are taken now: a DataTransfer is emptied once the event handler returns.
  const items = Array.from(event.dataTransfer?.items ?? []);
  const entries = items.map((item) => item.webkitGetAsEntry()).filter((entry) => entry !== null);
  const files = Array.from(event.dataTransfer?.files ?? []);
  void audit(async () => {
    const [single] = entries;
    if (entries.length === 1 && single?.isDirectory) return { picked: await pickedFromEntry(single), folder: true };
    const zip = files.length === 1 && files[0]!.name.toLowerCase().endsWith(".zip") ? files[0] : undefined;
    if (zip) return { picked: pickedFromZip(zip.name, new Uint8Array(await zip.arrayBuffer())), folder: false };
    const picked = (await Promise.all(entries.map((entry) => pickedFromEntry(entry)))).flat();
    return { picked, folder: false };
  });
});

void updatePlan();
