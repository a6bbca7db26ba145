/**
 * The tutorial's way, made correct: per certificate, `openssl genrsa` (or `ecparam -genkey`),
 * `openssl req -new -subj`, `openssl x509 -req` with an `-extfile` carrying the SANs, key usages,
 * extended key usages and basicConstraints that `x509 -req` would otherwise drop (the tutorial's
 * mistake). One process per step. The scripts are written before timing; the timed part is bash
 * running them, sequentially or two at a time (xargs -P 2, CAs first).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;

function extfile(spec) {
  const lines = [
    spec.isCa ? "basicConstraints=critical,CA:TRUE" : "basicConstraints=critical,CA:FALSE",
    `keyUsage=critical,${spec.keyUsages.join(",")}`,
  ];
  if (spec.extKeyUsages.length > 0) lines.push(`extendedKeyUsage=${spec.extKeyUsages.join(",")}`);
  if (spec.isCa) lines.push("subjectKeyIdentifier=hash");
  else lines.push("authorityKeyIdentifier=keyid");
  const sans = [...spec.dns.map((value) => `DNS:${value}`), ...spec.ip.map((value) => `IP:${value}`)];
  if (sans.length > 0) lines.push(`subjectAltName=${sans.join(",")}`);
  return `${lines.join("\n")}\n`;
}

function keyCommand(keyAlgorithm, keyFile) {
  if (keyAlgorithm.startsWith("RSA")) return `openssl genrsa -out ${keyFile} ${keyAlgorithm.slice(4)} 2>/dev/null`;
  const curve = keyAlgorithm === "ECDSA-P384" ? "secp384r1" : "prime256v1";
  return `openssl ecparam -name ${curve} -genkey -noout -out ${keyFile}`;
}

/** Writes one script per certificate and the two drivers; returns the drivers' paths. */
export function writeOpensslScripts(workload, dir) {
  const steps = join(dir, "steps");
  const out = join(dir, "out");
  mkdirSync(steps, { recursive: true });
  mkdirSync(out, { recursive: true });
  const cas = [];
  const leaves = [];
  for (const spec of workload.certificates) {
    const base = join(out, spec.file);
    const subject = spec.subject.map(([type, value]) => `/${type}=${value}`).join("");
    writeFileSync(`${base}.ext`, extfile(spec));
    const ca = join(out, workload.certificates.find((candidate) => candidate.id === spec.signer)?.file ?? "");
    const sign = spec.isCa
      ? `openssl x509 -req -in ${base}.csr -signkey ${base}.key -days ${spec.validityDays} -extfile ${base}.ext -out ${base}.crt 2>/dev/null`
      : `openssl x509 -req -in ${base}.csr -CA ${ca}.crt -CAkey ${ca}.key -days ${spec.validityDays} -extfile ${base}.ext -out ${base}.crt 2>/dev/null`;
    const script = join(steps, `${spec.file}.sh`);
    writeFileSync(
      script,
      [
        "set -e",
        keyCommand(workload.keyAlgorithm, `${base}.key`),
        `openssl req -new -key ${base}.key -subj ${quote(subject)} -out ${base}.csr`,
        sign,
        "",
      ].join("\n"),
    );
    (spec.isCa ? cas : leaves).push(script);
  }
  const sa = join(steps, "sa.sh");
  writeFileSync(
    sa,
    `set -e\n${keyCommand(workload.keyAlgorithm, join(out, "sa.key"))}\nopenssl pkey -in ${join(out, "sa.key")} -pubout -out ${join(out, "sa.pub")}\n`,
  );
  leaves.push(sa);
  const list = (name, scripts) => {
    const file = join(dir, name);
    writeFileSync(file, `${scripts.join("\n")}\n`);
    return file;
  };
  const caList = list("cas.txt", cas);
  const leafList = list("leaves.txt", leaves);
  const sequential = join(dir, "sequential.sh");
  writeFileSync(sequential, `set -e\n${[...cas, ...leaves].map((script) => `bash ${script}`).join("\n")}\n`);
  const parallel = join(dir, "parallel.sh");
  writeFileSync(parallel, `set -e\nxargs -P 2 -n 1 bash < ${caList}\nxargs -P 2 -n 1 bash < ${leafList}\n`);
  return { sequential, parallel, out };
}
