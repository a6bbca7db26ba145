// The chain a TLS server presents, fetched with node:tls. We report, we do not trust: the
// handshake accepts any certificate (rejectUnauthorized: false) and the caller judges the chain.
import { isIP } from "node:net";
import { connect, type DetailedPeerCertificate } from "node:tls";
import { CliError, UsageError } from "./cli-error.js";

/** An `--endpoint` after validation: `https://HOST[:PORT]`, port 443 when none is given (as in a kubeconfig's `server:`). */
export interface Endpoint {
  /** As printed: `https://HOST:PORT` (IPv6 in brackets). */
  readonly url: string;
  /** The host without brackets. */
  readonly host: string;
  readonly port: number;
}

/**
 * Validates an `--endpoint` value: an `https://` URL with a host, an optional port (default 443,
 * what a kubeconfig's `server: https://HOST` means) and no path, query or credentials.
 */
export function parseEndpoint(text: string): Endpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint takes https://HOST:PORT, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "https:") {
    throw new UsageError(`--endpoint ${text}: the scheme must be https (the endpoint is a TLS server)`);
  }
  if (url.hostname === "" || url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new UsageError(`--endpoint ${text}: give only https://HOST:PORT (no credentials, query or fragment)`);
  }
  if (url.pathname !== "/" && url.pathname !== "") {
    throw new UsageError(`--endpoint ${text}: give only https://HOST:PORT, without a path`);
  }
  const port = url.port === "" ? 443 : Number(url.port);
  return {
    url: `https://${url.host}${url.port === "" ? ":443" : ""}`,
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
  };
}

/** What `fetchServedChain` needs besides the endpoint. */
export interface FetchOptions {
  /** The whole connection (TCP, handshake) must finish within this many milliseconds. */
  readonly timeoutMs: number;
  /** A client certificate chain and key (PEM), for servers that require one (etcd's `--client-cert-auth`). */
  readonly clientCert?: string;
  readonly clientKey?: string;
}

/** The certificates the server presented, leaf first, as DER. */
export interface ServedCertificates {
  readonly chainDer: readonly Uint8Array[];
  /** The negotiated protocol (`TLSv1.3`), for the report. */
  readonly protocol: string | null;
}

/** The presented chain: the leaf, then each `issuerCertificate` until it repeats (Node links a self-signed root to itself). */
function presentedChain(peer: DetailedPeerCertificate): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new Uint8Array(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

// OpenSSL's reasons when the bytes that came back are not a TLS record (an HTTP server's answer).
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|record layer failure|http request/i;

/** A socket error as one line with a stable code. */
function endpointError(endpoint: Endpoint, error: NodeJS.ErrnoException, handshakeStarted: boolean): CliError {
  const where = `${endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
  switch (error.code) {
    case "ECONNREFUSED":
      return new CliError("ENDPOINT_UNREACHABLE", `Connection refused by ${where}: nothing listens there`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new CliError(
        "ENDPOINT_UNREACHABLE",
        `Cannot resolve the host ${endpoint.host} (${error.code}) of ${endpoint.url}`,
      );
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return new CliError("ENDPOINT_UNREACHABLE", `Cannot reach ${where}: ${error.code}`);
    default:
      break;
  }
  // OpenSSL's short reason ("wrong version number") rather than its whole error line.
  const reason = (error as { reason?: unknown }).reason;
  const cause = typeof reason === "string" && reason !== "" ? reason : error.message.trim();
  if (NOT_TLS.test(cause)) {
    return new CliError(
      "ENDPOINT_NOT_TLS",
      `${where} is not a TLS server (its answer is not a TLS handshake: ${cause})`,
    );
  }
  if (!handshakeStarted || error.code === "ECONNRESET" || error.code === "EPIPE") {
    return new CliError(
      "ENDPOINT_UNREACHABLE",
      `${where} closed the connection before a TLS handshake (${error.code ?? error.message}): is it a TLS server?`,
    );
  }
  return new CliError("ENDPOINT_TLS_FAILED", `TLS handshake with ${where} failed: ${cause}`);
}

/**
 * Connects to `endpoint` with TLS (SNI = the host when it is a name, none for an IP, as Go's
 * client does), takes the chain the server presents and closes. Rejects with a `CliError`:
 * `ENDPOINT_UNREACHABLE`, `ENDPOINT_NOT_TLS`, `ENDPOINT_TLS_FAILED` or `ENDPOINT_TIMEOUT`, each
 * naming host:port; never waits longer than `timeoutMs`.
 */
export function fetchServedChain(endpoint: Endpoint, options: FetchOptions): Promise<ServedCertificates> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let connected = false;
    const socket = connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(isIP(endpoint.host) === 0 ? { servername: endpoint.host } : {}),
      rejectUnauthorized: false,
      ...(options.clientCert === undefined ? {} : { cert: options.clientCert }),
      ...(options.clientKey === undefined ? {} : { key: options.clientKey }),
    });
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(() => {
      const where = `${endpoint.url.replace(/^https:\/\//, "")}`;
      const stage = connected ? "no TLS handshake" : "no TCP connection";
      finish(() =>
        reject(
          new CliError(
            "ENDPOINT_TIMEOUT",
            `${where}: ${stage} within ${options.timeoutMs / 1000} s (--endpoint-timeout)`,
          ),
        ),
      );
    }, options.timeoutMs);
    socket.once("connect", () => {
      connected = true;
    });
    socket.once("secureConnect", () => {
      const peer = socket.getPeerCertificate(true);
      const chainDer = presentedChain(peer);
      const protocol = socket.getProtocol();
      finish(() =>
        chainDer.length === 0
          ? reject(new CliError("ENDPOINT_TLS_FAILED", `${endpoint.url} completed a handshake without a certificate`))
          : resolve({ chainDer, protocol }),
      );
    });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish(() => reject(endpointError(endpoint, error, connected))),
    );
    socket.once("close", () =>
      finish(() =>
        reject(
          new CliError(
            connected ? "ENDPOINT_NOT_TLS" : "ENDPOINT_UNREACHABLE",
            `${endpoint.url.replace(/^https:\/\//, "")} closed the connection before a TLS handshake${connected ? ": it is not a TLS server" : ""}`,
          ),
        ),
      ),
    );
  });
}
