// `--endpoint` for check-expiration and audit: the flags validated once, the chains fetched, each
// endpoint reported like a file row (CN, SANs, issuer, expiry, residual time), and its part of
// the exit decision.
import { readFile } from "node:fs/promises";
import { type Certificate, parseCertificate } from "@kubepki/core";
import {
  type ClusterFiles,
  compareServedCertificates,
  expiryStatus,
  formatExpirationDate,
  type ServedChain,
  shortHumanDuration,
} from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { parseDuration } from "../io/duration.js";
import { formatTable } from "../io/table.js";
import { type Endpoint, fetchServedChain, parseEndpoint } from "../io/tls-endpoint.js";

/** `--endpoint-timeout` when not given: long enough for a loaded apiserver, short enough for a script. */
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 10 * 60_000;

/** What the `--endpoint*` flags ask for, validated. */
export interface EndpointRequest {
  readonly endpoints: readonly Endpoint[];
  readonly timeoutMs: number;
  readonly clientCert?: string;
  readonly clientKey?: string;
}

/** `--endpoint-timeout`: `10s`, `1500ms`, `1m`, or a plain number of seconds; more than 0, at most 10m. */
export function parseTimeout(text: string): number {
  const ms = parseDuration("endpoint-timeout", text, "s");
  if (!(ms > 0 && ms <= MAX_TIMEOUT_MS)) {
    throw new UsageError(
      `--endpoint-timeout takes a duration up to 10m such as 10s or 500ms, got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

async function readPem(flag: string, file: string): Promise<string> {
  return readFile(file, "utf8").catch((error: Error) => {
    throw new CliError("FILE_UNREADABLE", `Cannot read --${flag} ${file}: ${error.message}`);
  });
}

/** The `--endpoint*` flags of `args`: undefined when no `--endpoint` is given (the other flags then are usage errors). */
export async function endpointRequest(args: ParsedArgs): Promise<EndpointRequest | undefined> {
  const urls = (args.flags.endpoint as string[] | undefined) ?? [];
  const cert = args.flags["endpoint-cert"] as string | undefined;
  const key = args.flags["endpoint-key"] as string | undefined;
  const timeout = args.flags["endpoint-timeout"] as string | undefined;
  if (urls.length === 0) {
    const stray = [cert && "--endpoint-cert", key && "--endpoint-key", timeout && "--endpoint-timeout"].filter(Boolean);
    if (stray.length > 0) throw new UsageError(`${stray.join(", ")} apply to --endpoint, and none is given`);
    return undefined;
  }
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError("--endpoint-cert and --endpoint-key go together (the client certificate and its key)");
  }
  const endpoints = urls.map(parseEndpoint);
  return {
    endpoints,
    timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(timeout),
    ...(cert === undefined ? {} : { clientCert: await readPem("endpoint-cert", cert) }),
    ...(key === undefined ? {} : { clientKey: await readPem("endpoint-key", key) }),
  };
}

/** One endpoint fetched: its chain (leaf first), or the error that stopped it. */
export type FetchedEndpoint =
  | { readonly endpoint: Endpoint; readonly chain: readonly Certificate[]; readonly chainPem: string }
  | { readonly endpoint: Endpoint; readonly error: CliError };

/** Fetches every endpoint at once; one failing does not stop the others. */
export function fetchEndpoints(request: EndpointRequest): Promise<FetchedEndpoint[]> {
  return Promise.all(
    request.endpoints.map(async (endpoint): Promise<FetchedEndpoint> => {
      try {
        const served = await fetchServedChain(endpoint, request);
        const chain = served.chainDer.map((der) => parseCertificate(der));
        return { endpoint, chain, chainPem: chain.map((certificate) => certificate.pem).join("") };
      } catch (error) {
        if (error instanceof CliError) return { endpoint, error };
        return { endpoint, error: new CliError("ENDPOINT_TLS_FAILED", `${endpoint.url}: ${(error as Error).message}`) };
      }
    }),
  );
}

/** What the audit compares: the chains as PEM, failures as their messages. */
export function servedChains(fetched: readonly FetchedEndpoint[]): ServedChain[] {
  return fetched.map((item) =>
    "error" in item
      ? { endpoint: item.endpoint.url, error: `${item.error.message} [${item.error.code}]` }
      : { endpoint: item.endpoint.url, chainPem: item.chainPem },
  );
}

/** One endpoint as check-expiration reports it. */
export type EndpointReport =
  | {
      readonly endpoint: string;
      readonly subject: string;
      readonly commonName: string;
      readonly sans: readonly string[];
      readonly issuer: string;
      readonly notBefore: Date;
      readonly notAfter: Date;
      /** kubeadm's residual time, as the file rows: `364d`, `<invalid>` once expired. */
      readonly residual: string;
      /** The EXPIRES cell, as the file rows. */
      readonly expires: string;
      readonly chainLength: number;
      /** With a tree: whether the served chain verifies up to one of its CAs (undefined without one). */
      readonly verifies?: boolean;
      /** With a tree: why it does not. */
      readonly verifyProblem?: string;
    }
  | { readonly endpoint: string; readonly error: { readonly code: string; readonly message: string } };

/**
 * The report of each fetched endpoint. Residual time and date are formatted as kubeadm's rows
 * (`shortHumanDuration`, `formatExpirationDate`), so they read exactly as the file rows do; `files` (the tree, when a DIR is
 * given) decides whether the chain verifies against the tree's CAs.
 */
export async function endpointReports(
  fetched: readonly FetchedEndpoint[],
  files: ClusterFiles | undefined,
  now: Date,
): Promise<EndpointReport[]> {
  return Promise.all(
    fetched.map(async (item): Promise<EndpointReport> => {
      if ("error" in item)
        return { endpoint: item.endpoint.url, error: { code: item.error.code, message: item.error.message } };
      const leaf = item.chain[0] as Certificate;
      let trust: { verifies?: boolean; verifyProblem?: string } = {};
      if (files !== undefined) {
        const untrusted = (
          await compareServedCertificates(files, [{ endpoint: item.endpoint.url, chainPem: item.chainPem }], { now })
        ).find((finding) => finding.code === "SERVED_CERT_UNTRUSTED");
        trust = untrusted ? { verifies: false, verifyProblem: untrusted.message } : { verifies: true };
      }
      return {
        endpoint: item.endpoint.url,
        subject: leaf.subjectText,
        commonName: leaf.subject.commonName ?? "",
        sans: leaf.subjectAltNames.map((san) => `${san.type.toUpperCase()}:${san.value}`),
        issuer: leaf.issuerText,
        notBefore: leaf.notBefore,
        notAfter: leaf.notAfter,
        residual: shortHumanDuration(leaf.notAfter.getTime() - now.getTime()),
        expires: formatExpirationDate(leaf.notAfter),
        chainLength: item.chain.length,
        ...trust,
      };
    }),
  );
}

/** The third table: one row per endpoint that answered (failures go to stderr). */
export function formatEndpointTable(reports: readonly EndpointReport[], width: number): string {
  const rows = reports.flatMap((report) =>
    "error" in report
      ? []
      : [
          [
            report.endpoint,
            report.commonName,
            report.expires,
            report.residual,
            String(report.chainLength),
            report.verifies === undefined ? "-" : report.verifies ? "yes" : "no",
            report.issuer,
            report.sans.join(", "),
          ],
        ],
  );
  if (rows.length === 0) return "";
  return formatTable(
    [
      "ENDPOINT",
      "SUBJECT CN",
      "EXPIRES",
      "RESIDUAL TIME",
      "CHAIN",
      "VERIFIES",
      { header: "ISSUER", under: true },
      { header: "SANS", under: true },
    ],
    rows,
    width,
  );
}

/** How the endpoints weigh in the exit code: the worst of them. */
export type EndpointVerdict = "ok" | "expiring" | "failed" | "expired";

/**
 * The endpoints' part of the exit decision, pure: `expired` when a served leaf is expired or not
 * yet valid, else `failed` when an endpoint could not be fetched, else `expiring` when one
 * expires within `warnWithinMs`, else `ok`. Expired and expiring are decided by `expiryStatus`,
 * as for the files. Trust does not change it (audit reports that).
 */
export function endpointVerdict(reports: readonly EndpointReport[], now: Date, warnWithinMs?: number): EndpointVerdict {
  const served = reports.flatMap((report) =>
    "error" in report
      ? []
      : [
          {
            name: report.endpoint,
            file: report.endpoint,
            commonName: report.commonName,
            issuer: report.issuer,
            role: "",
            notBefore: report.notBefore,
            notAfter: report.notAfter,
          },
        ],
  );
  const { invalid, expiring } = expiryStatus(served, { now, ...(warnWithinMs === undefined ? {} : { warnWithinMs }) });
  if (invalid.length > 0) return "expired";
  if (reports.some((report) => "error" in report)) return "failed";
  return expiring.length > 0 ? "expiring" : "ok";
}

/** The exit code of a verdict: 3 for an expired served certificate, 1 for a failed or expiring endpoint. */
export function verdictExitCode(verdict: EndpointVerdict): number {
  if (verdict === "expired") return ExitCode.expired;
  return verdict === "ok" ? ExitCode.ok : ExitCode.failure;
}

/** One stderr line per endpoint that failed, with its stable code. */
export function endpointFailures(reports: readonly EndpointReport[], command: string): string {
  return reports
    .map((report) => ("error" in report ? `kubepki ${command}: ${report.error.message} [${report.error.code}]\n` : ""))
    .join("");
}
