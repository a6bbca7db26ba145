// `--endpoint`: check-expiration and audit against real TLS servers on 127.0.0.1 (Node's tls with
// a tree's files), and the errors of endpoints that are not one, each bounded in time.

import { readFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type Server as NetServer, type Socket } from "node:net";
import { join } from "node:path";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import { parseCertificate } from "@kubepki/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EndpointReport, endpointVerdict, verdictExitCode } from "../src/commands/endpoints.js";
import { freePort } from "./helpers/etcd.js";
import { kubepki, tempDir } from "./helpers/run.js";

type AnyServer = TlsServer | HttpServer | NetServer;

/** Each running server and its open connections (closing waits for those: they are destroyed first). */
const servers = new Map<AnyServer, Set<Socket>>();

/** Starts `server` on 127.0.0.1 at a free port; every server is closed in afterAll. */
async function listen(server: AnyServer): Promise<number> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  servers.set(server, sockets);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return port;
}

function close(server: AnyServer): Promise<void> {
  for (const socket of servers.get(server) ?? []) socket.destroy();
  servers.delete(server);
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A TLS server presenting `pki/apiserver.crt` (+ key) of `tree`; with `clientCa`, it requires a client certificate. */
async function apiserverLike(
  tree: string,
  clientCa?: string,
): Promise<{ server: TlsServer; port: number; clients: string[] }> {
  // The CN of each client certificate the server received (to prove it was sent).
  const clients: string[] = [];
  const server = createTlsServer(
    {
      cert: await readFile(join(tree, "pki/apiserver.crt")),
      key: await readFile(join(tree, "pki/apiserver.key")),
      // TLS 1.2, where the server judges the client certificate inside the handshake (as etcd's
      // Go server does for TLS 1.2 clients): a missing one fails the handshake the client sees.
      ...(clientCa
        ? { requestCert: true, rejectUnauthorized: true, ca: await readFile(clientCa), maxVersion: "TLSv1.2" as const }
        : {}),
    },
    (socket) => {
      const cn = socket.getPeerCertificate().subject?.CN;
      if (cn) clients.push(String(cn));
      socket.end("ok");
    },
  );
  server.on("tlsClientError", () => {});
  return { server, port: await listen(server), clients };
}

let dir: { path: string; cleanup: () => Promise<void> };
let tree: string;
let otherTree: string;

beforeAll(async () => {
  dir = await tempDir();
  tree = join(dir.path, "tree");
  otherTree = join(dir.path, "other");
  for (const out of [tree, otherTree]) {
    const init = await kubepki([
      "init",
      "--out",
      out,
      "--key-algorithm",
      "ECDSA-P256",
      "--control-plane",
      "cp-1=127.0.0.1",
    ]);
    expect(init.code, init.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([...servers.keys()].map(close));
  await dir?.cleanup();
});

describe("check-expiration --endpoint", () => {
  it("reports what the server presents: CN, SANs, issuer, the file's expiry, chain; verified against DIR", async () => {
    const { server, port } = await apiserverLike(tree);
    const endpoint = `https://127.0.0.1:${port}`;
    const disk = parseCertificate(await readFile(join(tree, "pki/apiserver.crt"), "utf8"));
    const json = await kubepki(["check-expiration", tree, "--endpoint", endpoint, "--json"], { timeoutMs: 30_000 });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout).endpoints[0];
    expect(report).toMatchObject({
      endpoint,
      commonName: "kube-apiserver",
      issuer: "/CN=kubernetes",
      notAfter: disk.notAfter.toISOString(),
      notBefore: disk.notBefore.toISOString(),
      chainLength: 1,
      verifies: true,
    });
    expect(report.sans).toEqual(expect.arrayContaining(["DNS:kubernetes", "IP:127.0.0.1", "IP:10.96.0.1"]));
    expect(report.residual).toMatch(/^36[45]d$/);
    // The table: kubeadm's two, then the endpoint's row, its residual as the file row's.
    const text = await kubepki(["check-expiration", tree, "--endpoint", endpoint], {
      timeoutMs: 30_000,
      env: { COLUMNS: "250" },
    });
    expect(text.code, text.stderr).toBe(0);
    const row = text.stdout.split("\n").find((line) => line.startsWith(endpoint)) as string;
    expect(row.split(/\s{3,}/).slice(0, 4)).toEqual([
      endpoint,
      "kube-apiserver",
      expect.stringMatching(/ UTC$/),
      report.residual,
    ]);
    const fileRow = text.stdout.split("\n").find((line) => line.startsWith("apiserver ")) as string;
    expect(fileRow.split(/\s{3,}/)[1]).toBe(row.split(/\s{3,}/)[2]);
    // ISSUER and SANS go under the row when it would be wider than the terminal (here, the SANs).
    expect(text.stdout).toMatch(/^ENDPOINT\s+SUBJECT CN\s+EXPIRES\s+RESIDUAL TIME\s+CHAIN\s+VERIFIES$/m);
    expect(text.stdout).toMatch(/^ {4}issuer: \/CN=kubernetes$/m);
    expect(text.stdout).toMatch(/^ {4}sans: +DNS:cp-1, .*IP:127\.0\.0\.1$/m);
    expect(row.split(/\s{3,}/).slice(4)).toEqual(["1", "yes"]);
    // DIR is optional with --endpoint; without a tree nothing is verified.
    const alone = await kubepki(["check-expiration", "--endpoint", endpoint, "--json"], { timeoutMs: 30_000 });
    expect(alone.code, alone.stderr).toBe(0);
    const aloneReport = JSON.parse(alone.stdout);
    expect(aloneReport.dir).toBeUndefined();
    expect(aloneReport.endpoints[0].commonName).toBe("kube-apiserver");
    expect(aloneReport.endpoints[0].verifies).toBeUndefined();
    await close(server);
  }, 60_000);

  it("gives the client certificate to a server that requires one", async () => {
    const { server, port, clients } = await apiserverLike(tree, join(tree, "pki/ca.crt"));
    const endpoint = `https://127.0.0.1:${port}`;
    const result = await kubepki(
      [
        "check-expiration",
        "--endpoint",
        endpoint,
        "--endpoint-cert",
        join(tree, "pki/apiserver-kubelet-client.crt"),
        "--endpoint-key",
        join(tree, "pki/apiserver-kubelet-client.key"),
        "--json",
      ],
      { timeoutMs: 30_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).endpoints[0].commonName).toBe("kube-apiserver");
    expect(clients).toEqual(["kube-apiserver-kubelet-client"]);
    // Without one, the handshake fails: a clear error, exit 1.
    const without = await kubepki(["check-expiration", "--endpoint", endpoint, "--json"], { timeoutMs: 30_000 });
    expect(without.code).toBe(1);
    expect(JSON.parse(without.stdout).endpoints[0].error.code).toBe("ENDPOINT_TLS_FAILED");
    expect(JSON.parse(without.stdout).endpoints[0].error.message).toContain(
      `TLS handshake with 127.0.0.1:${port} failed`,
    );
    // Half a pair is a usage error.
    const half = await kubepki([
      "check-expiration",
      "--endpoint",
      endpoint,
      "--endpoint-cert",
      join(tree, "pki/ca.crt"),
    ]);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain("--endpoint-cert and --endpoint-key go together");
    await close(server);
  }, 60_000);

  it("refuses a URL that is not https://HOST[:PORT] (exit 2), and asks for DIR or --endpoint", async () => {
    for (const [url, message] of [
      ["http://127.0.0.1:6443", "the scheme must be https"],
      ["https://127.0.0.1:6443/healthz", "without a path"],
      ["127.0.0.1:6443", "--endpoint takes https://HOST:PORT"],
      ["https://user:pw@127.0.0.1:6443", "no credentials"],
    ] as const) {
      const result = await kubepki(["check-expiration", "--endpoint", url]);
      expect(result.code, url).toBe(2);
      expect(result.stderr, url).toContain(message);
    }
    const none = await kubepki(["check-expiration"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Missing DIR");
    const timeout = await kubepki([
      "check-expiration",
      "--endpoint",
      "https://127.0.0.1:1",
      "--endpoint-timeout",
      "soon",
    ]);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain("--endpoint-timeout takes a whole number with a unit");
    // kubeadm's CertificateExpirationInfo and the textfile metrics describe files: no place for endpoints.
    for (const format of ["json", "yaml", "prometheus"]) {
      const result = await kubepki(["check-expiration", tree, "-o", format, "--endpoint", "https://127.0.0.1:1"]);
      expect(result.code, format).toBe(2);
      expect(result.stderr, format).toContain("--endpoint is reported in the table and in --json");
    }
  });

  it("--warn-within weighs the served certificate too: exit 1 inside the window, 0 outside", async () => {
    const { server, port } = await apiserverLike(tree);
    const endpoint = `https://127.0.0.1:${port}`;
    // Without DIR only the served leaf (365 days) counts.
    const inside = await kubepki(["check-expiration", "--endpoint", endpoint, "--warn-within", "400d"], {
      timeoutMs: 30_000,
    });
    expect(inside.code, inside.stderr).toBe(1);
    const outside = await kubepki(["check-expiration", "--endpoint", endpoint, "--warn-within", "30d"], {
      timeoutMs: 30_000,
    });
    expect(outside.code, outside.stderr).toBe(0);
    // With DIR: the files' verdict and the endpoint's, the worse of the two.
    const both = await kubepki(["check-expiration", tree, "--endpoint", endpoint, "--warn-within", "30d"], {
      timeoutMs: 30_000,
    });
    expect(both.code, both.stderr).toBe(0);
    await close(server);
  }, 60_000);

  it("a closed port, a plain-HTTP port and a silent port: a clear error each, bounded in time; the others still reported", async () => {
    const closed = await freePort();
    const http = createHttpServer((_request, response) => response.end("hello"));
    const httpPort = await listen(http);
    const silent = createTcpServer(() => {}); // accepts TCP, never answers
    const silentPort = await listen(silent);
    const { server, port } = await apiserverLike(tree);
    const started = Date.now();
    const result = await kubepki(
      [
        "check-expiration",
        "--endpoint",
        `https://127.0.0.1:${closed}`,
        "--endpoint",
        `https://127.0.0.1:${httpPort}`,
        "--endpoint",
        `https://127.0.0.1:${silentPort}`,
        "--endpoint",
        `https://127.0.0.1:${port}`,
        "--endpoint-timeout",
        "1s",
        "--json",
      ],
      { timeoutMs: 20_000 },
    );
    // Bounded: the endpoints are fetched at once, the silent one gives up after 1 s (generous bound
    // for a loaded machine: the point is that it does not wait for the default 10 s).
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(result.code, result.stderr).toBe(1);
    const endpoints = JSON.parse(result.stdout).endpoints;
    expect(endpoints.map((item: { error?: { code: string } }) => item.error?.code)).toEqual([
      "ENDPOINT_UNREACHABLE",
      "ENDPOINT_NOT_TLS",
      "ENDPOINT_TIMEOUT",
      undefined,
    ]);
    expect(endpoints[0].error.message).toBe(`Connection refused by 127.0.0.1:${closed}: nothing listens there`);
    expect(endpoints[1].error.message).toContain(`127.0.0.1:${httpPort} is not a TLS server`);
    expect(endpoints[2].error.message).toBe(
      `127.0.0.1:${silentPort}: no TLS handshake within 1 s (--endpoint-timeout)`,
    );
    expect(endpoints[3].commonName).toBe("kube-apiserver");
    // The same as stderr lines with their codes in the text output.
    const text = await kubepki(["check-expiration", "--endpoint", `https://127.0.0.1:${closed}`], {
      timeoutMs: 20_000,
    });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(
      `kubepki check-expiration: Connection refused by 127.0.0.1:${closed}: nothing listens there [ENDPOINT_UNREACHABLE]`,
    );
    await Promise.all([close(http), close(silent), close(server)]);
  }, 60_000);
});

describe("audit --endpoint", () => {
  const auditCodes = async (endpoint: string) => {
    const result = await kubepki(["audit", tree, "--endpoint", endpoint, "--json"], { timeoutMs: 60_000 });
    const report = JSON.parse(result.stdout);
    return {
      code: result.code,
      served: (report.findings as { code: string; file: string; message: string; fix: string }[]).filter((finding) =>
        finding.code.startsWith("SERVED_"),
      ),
    };
  };

  it("no finding while the server presents the file; stale after renew until it restarts; untrusted for another tree's", async () => {
    let { server, port } = await apiserverLike(tree);
    const endpoint = () => `https://127.0.0.1:${port}`;
    const before = await auditCodes(endpoint());
    expect(before.served).toEqual([]);
    expect(before.code).toBe(0);

    const renew = await kubepki(["renew", tree, "apiserver"], { timeoutMs: 60_000 });
    expect(renew.code, renew.stderr).toBe(0);
    const stale = await auditCodes(endpoint());
    expect(stale.served.map((finding) => [finding.code, finding.file])).toEqual([
      ["SERVED_CERT_STALE", "pki/apiserver.crt"],
    ]);
    expect(stale.served[0]?.fix).toMatch(/^Restart kube-apiserver so that it loads pki\/apiserver.crt/);
    expect(stale.code).toBe(1);
    // The text output names the file and the restart too.
    const text = await kubepki(["audit", tree, "--endpoint", endpoint()], {
      timeoutMs: 60_000,
      env: { COLUMNS: "200" },
    });
    expect(text.stdout).toContain("pki/apiserver.crt");
    expect(text.stdout).toContain("SERVED_CERT_STALE");
    expect(text.stdout).toContain("Restart kube-apiserver");

    await close(server);
    ({ server, port } = await apiserverLike(tree));
    const restarted = await auditCodes(endpoint());
    expect(restarted.served).toEqual([]);
    expect(restarted.code).toBe(0);
    await close(server);

    ({ server, port } = await apiserverLike(otherTree));
    const other = await auditCodes(endpoint());
    expect(other.served.map((finding) => finding.code)).toEqual(["SERVED_CERT_STALE", "SERVED_CERT_UNTRUSTED"]);
    expect(other.code).toBe(1);
    // check-expiration says the same chain does not verify against the tree.
    const check = await kubepki(["check-expiration", tree, "--endpoint", endpoint(), "--json"], { timeoutMs: 30_000 });
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).endpoints[0].verifies).toBe(false);
    await close(server);
  }, 180_000);

  it("an endpoint that cannot be fetched is an error finding, the tree still audited", async () => {
    const closed = await freePort();
    const result = await auditCodes(`https://127.0.0.1:${closed}`);
    expect(result.served.map((finding) => finding.code)).toEqual(["SERVED_CERT_UNAVAILABLE"]);
    expect(result.served[0]?.message).toContain(`Connection refused by 127.0.0.1:${closed}`);
    expect(result.code).toBe(1);
  }, 60_000);
});

describe("endpointVerdict (the endpoints' part of the exit code)", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const served = (notBefore: string, notAfter: string): EndpointReport => ({
    endpoint: "https://10.0.0.11:6443",
    subject: "/CN=kube-apiserver",
    commonName: "kube-apiserver",
    sans: [],
    issuer: "/CN=kubernetes",
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    residual: "",
    expires: "",
    chainLength: 1,
  });
  const fine = served("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
  const soon = served("2026-01-01T00:00:00Z", "2026-06-10T00:00:00Z");
  const expired = served("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
  const notYet = served("2026-07-01T00:00:00Z", "2027-07-01T00:00:00Z");
  const failed: EndpointReport = {
    endpoint: "https://10.0.0.11:2379",
    error: { code: "ENDPOINT_TIMEOUT", message: "…" },
  };
  const DAY = 86_400_000;

  it("is the worst endpoint: expired or not yet valid (3) over failed (1) over expiring (1) over ok (0)", () => {
    expect(endpointVerdict([fine], now)).toBe("ok");
    expect(endpointVerdict([fine, soon], now)).toBe("ok");
    expect(endpointVerdict([fine, soon], now, 30 * DAY)).toBe("expiring");
    expect(endpointVerdict([soon, failed], now, 30 * DAY)).toBe("failed");
    expect(endpointVerdict([failed, expired], now)).toBe("expired");
    expect(endpointVerdict([notYet], now)).toBe("expired");
    expect([fine, soon, expired].map((report) => verdictExitCode(endpointVerdict([report], now, 30 * DAY)))).toEqual([
      0, 1, 3,
    ]);
    expect(verdictExitCode(endpointVerdict([failed], now))).toBe(1);
  });
});
