// What counts as a secret in a message: the value of a kubeconfig credential field, a PEM private
// key block, and any long base64 run (the only way a parser echoes file content back is by quoting
// it, and in a kubeconfig or key file the long base64 runs are the keys).

const REDACTED = "[redacted]";

// kubeconfig credential fields (clientcmd's AuthInfo: client-key-data, token, password, and the
// auth-provider / exec secrets), as YAML `field: value` or JSON `"field": "value"`.
const SECRET_FIELD =
  /(\b(?:[\w-]*key-data|token|id-token|refresh-token|access-token|password|client-secret|secret)["']?[ \t]*[:=][ \t]*)("[^"\n]*"?|'[^'\n]*'?|[^\s,}\]]+)/gi;

// A PEM private key block (PKCS#1, SEC1, PKCS#8, encrypted), also when its END line was cut off.
const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

// Base64 (standard or URL alphabet) of 40 characters or more.
const LONG_BASE64 = /[A-Za-z0-9+/_-]{40,}={0,2}/g;

/**
 * A run that looks like encoded data rather than a word or a path: upper and lower case letters
 * and digits mixed, in one base64 alphabet. A run with `/` or `+` (standard alphabet) and `-` or
 * `_` (URL alphabet) is no base64: it is a path such as `/tmp/kubepki-cli-3azHpd/pki`, whose
 * random part mixes cases and digits too, and which an error must keep to be of use.
 */
function looksEncoded(run: string): boolean {
  if (/[/+]/.test(run) && /[-_]/.test(run)) return false;
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
}

/**
 * Removes key material from a message before anyone prints it: values of `*-key-data`, `token`,
 * `password` and other credential fields, PEM `PRIVATE KEY` blocks, and long base64 runs (a YAML
 * or PEM error that quotes the text around it quotes the key). Every message kubepki builds from
 * file contents goes through this one function: parse errors, audit findings, the CLI's errors.
 *
 * @example
 * ```ts
 * import { redactSecrets } from "@kubepki/renderers";
 *
 * const message = "Unresolved alias: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUJ";
 * console.log(redactSecrets(message)); // "Unresolved alias: [redacted]"
 * console.log(redactSecrets("line 3: client-key-data: *LS0tLS1:")); // "line 3: client-key-data: [redacted]"
 * ```
 */
export function redactSecrets(text: string): string {
  return String(text)
    .replace(PRIVATE_KEY_BLOCK, (_, label: string) => `-----BEGIN ${label}PRIVATE KEY----- ${REDACTED}`)
    .replace(SECRET_FIELD, (_, field: string) => `${field}${REDACTED}`)
    .replace(LONG_BASE64, (run) => (looksEncoded(run) ? REDACTED : run));
}
