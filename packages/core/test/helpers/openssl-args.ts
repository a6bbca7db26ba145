// The openssl command lines the packages' interop tests run, written once (argv arrays: never
// through a shell). Each names its files by a stem: `<stem>.key`, `<stem>.csr`, `<stem>.crt`.

/** `openssl req -x509 -newkey … -nodes`: a self-signed certificate `<stem>.crt` and its key `<stem>.key`. */
function selfSignedArgs(stem: string, subject: string, newkey: readonly string[], extra: readonly string[]): string[] {
  return [
    "req",
    "-x509",
    "-newkey",
    ...newkey,
    "-nodes",
    "-keyout",
    `${stem}.key`,
    "-out",
    `${stem}.crt`,
    "-subj",
    subject,
    ...extra,
  ];
}

/** `openssl req -x509 -newkey rsa:2048 -nodes`: a self-signed certificate `<stem>.crt` and its key `<stem>.key`. */
export function selfSignedRsaArgs(stem: string, subject: string, extra: readonly string[] = []): string[] {
  return selfSignedArgs(stem, subject, ["rsa:2048"], extra);
}

/** `openssl req -new -newkey ec (P-256) -nodes`: a CSR `<stem>.csr` and its new key `<stem>.key`. */
export function ecCsrArgs(stem: string, subject: string, extra: readonly string[] = []): string[] {
  return [
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    `${stem}.key`,
    "-out",
    `${stem}.csr`,
    "-subj",
    subject,
    ...extra,
  ];
}

/**
 * `openssl x509 -req`: signs the CSR `csr` with the CA `<ca>.crt`/`<ca>.key` into `out`, for
 * `days` (365 unless given), with the extensions of `extfile` when given, then `extra`.
 */
export function signCsrArgs(options: {
  csr: string;
  ca: string;
  out: string;
  days?: number;
  extfile?: string;
  extra?: readonly string[];
}): string[] {
  const { csr, ca, out, days = 365, extfile, extra = [] } = options;
  return [
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-days",
    String(days),
    ...(extfile === undefined ? [] : ["-extfile", extfile]),
    ...extra,
    "-out",
    out,
  ];
}

/**
 * `openssl req -x509`: an offline root CA `<stem>.crt`/`<stem>.key` (RSA 2048 or P-256), with
 * `basicConstraints=critical,CA:TRUE[,pathlen:N]` and `keyUsage=critical,keyCertSign,cRLSign`.
 */
export function rootCaArgs(
  stem: string,
  subject: string,
  options: { ec?: boolean; pathlen?: number; days?: number } = {},
): string[] {
  const { ec = false, pathlen, days = 3650 } = options;
  return selfSignedArgs(stem, subject, ec ? ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["rsa:2048"], [
    "-days",
    String(days),
    "-addext",
    `basicConstraints=critical,CA:TRUE${pathlen === undefined ? "" : `,pathlen:${pathlen}`}`,
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
}

/** The extfile text of an intermediate CA signed with {@link signCsrArgs}. */
export function intermediateCaExt(pathlen?: number): string {
  return `basicConstraints=critical,CA:TRUE${pathlen === undefined ? "" : `,pathlen:${pathlen}`}\nkeyUsage=critical,keyCertSign,cRLSign\n`;
}
