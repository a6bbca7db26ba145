import { KubepkiError, type KubepkiErrorCode } from "@kubepki/core/vocabulary";
import type { Kubeconfig, PemOrPath } from "./types.js";

// The checks kubectl applies when it loads and uses a kubeconfig:
// - duplicate names are refused while converting the v1 lists to maps
//   (client-go tools/clientcmd/api/v1/conversion.go: `duplicate name "x" in list`);
// - the rest mirrors client-go tools/clientcmd/validation.go (`validateAuthInfo`,
//   `validateClusterInfo`, `validateContext`, current-context lookup).
// `code` is INVALID_ARGUMENT when we are rendering caller data and INVALID_KUBECONFIG when we are
// reading a file, so that each side reports the problem as its own.

function fail(code: KubepkiErrorCode, message: string, details: Record<string, unknown>): never {
  throw new KubepkiError(code, message, { details });
}

function checkPemOrPath(value: PemOrPath | undefined, what: string, code: KubepkiErrorCode): void {
  if (value === undefined) return;
  const hasPem = "pem" in value && value.pem !== undefined;
  const hasPath = "path" in value && value.path !== undefined;
  if (hasPem === hasPath) {
    fail(code, `${what} must be either {pem} (embedded *-data) or {path} (file), not ${hasPem ? "both" : "neither"}`, {
      field: what,
    });
  }
  const text = hasPem ? (value as { pem: unknown }).pem : (value as { path: unknown }).path;
  if (typeof text !== "string" || text === "") fail(code, `${what} must be a non-empty string`, { field: what });
}

function checkUnique(names: readonly string[], list: string, code: KubepkiErrorCode): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== "string") fail(code, `every entry of ${list} needs a string name`, { list });
    if (seen.has(name)) fail(code, `duplicate name "${name}" in ${list}: names must be unique`, { list, name });
    seen.add(name);
  }
}

/**
 * Validates a {@link Kubeconfig} the way kubectl would before using it. With `references: false`
 * only the per-entry checks run (a file kubectl writes step by step may name a cluster before it
 * exists).
 */
export function validateKubeconfig(config: Kubeconfig, code: KubepkiErrorCode, references = true): void {
  checkUnique(
    config.clusters.map((c) => c.name),
    "clusters",
    code,
  );
  checkUnique(
    config.users.map((u) => u.name),
    "users",
    code,
  );
  checkUnique(
    config.contexts.map((c) => c.name),
    "contexts",
    code,
  );
  for (const cluster of config.clusters) {
    checkPemOrPath(cluster.certificateAuthority, `cluster "${cluster.name}" certificateAuthority`, code);
    if (cluster.insecureSkipTlsVerify === true && cluster.certificateAuthority !== undefined) {
      // validation.go: "specifying a root certificates file with the insecure flag is not allowed".
      fail(
        code,
        `cluster "${cluster.name}": a certificate authority together with insecure-skip-tls-verify is not allowed; drop one`,
        {
          cluster: cluster.name,
        },
      );
    }
  }
  for (const user of config.users) {
    const where = `user "${user.name}"`;
    checkPemOrPath(user.clientCertificate, `${where} clientCertificate`, code);
    checkPemOrPath(user.clientKey, `${where} clientKey`, code);
    if ((user.clientCertificate === undefined) !== (user.clientKey === undefined)) {
      fail(code, `${where}: a client certificate needs a client key and vice versa; give both or neither`, {
        user: user.name,
      });
    }
    const methods: string[] = [];
    if (user.token !== undefined || user.tokenFile !== undefined) methods.push("token");
    if (user.username !== undefined || user.password !== undefined) methods.push("basicAuth");
    if (methods.length > 1) {
      fail(code, `${where}: more than one authentication method found (${methods.join(", ")}); keep only one`, {
        user: user.name,
      });
    }
    if (user.exec !== undefined && user.authProvider !== undefined) {
      fail(code, `${where}: exec and auth-provider cannot both be set; keep only one`, { user: user.name });
    }
  }
  if (!references) return;
  const clusters = new Set(config.clusters.map((c) => c.name));
  const users = new Set(config.users.map((u) => u.name));
  for (const context of config.contexts) {
    if (!clusters.has(context.cluster)) {
      fail(
        code,
        `context "${context.name}" names cluster "${context.cluster}", which is not in clusters; add it or fix the name`,
        {
          context: context.name,
          cluster: context.cluster,
        },
      );
    }
    if (context.user !== "" && !users.has(context.user)) {
      fail(
        code,
        `context "${context.name}" names user "${context.user}", which is not in users; add it or fix the name`,
        {
          context: context.name,
          user: context.user,
        },
      );
    }
  }
  if (config.currentContext !== undefined && !config.contexts.some((c) => c.name === config.currentContext)) {
    fail(
      code,
      `current-context "${config.currentContext}" is not in contexts; add that context or change current-context`,
      {
        currentContext: config.currentContext,
      },
    );
  }
}
