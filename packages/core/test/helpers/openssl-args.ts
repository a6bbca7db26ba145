// The openssl command lines the packages' interop tests run, written once (argv arrays: never
// through a shell). Each names its files by a stem: `<stem>.key`, `<stem>.csr`, `<stem>.crt`.

/** `openssl req -x509 -newkey rsa:2048 -nodes`: a self-signed certificate `<stem>.crt` and its key `<stem>.key`. */
export function selfSignedRsaArgs(stem: string, subject: string, extra: readonly string[] = []): string[] {
  return [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
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
