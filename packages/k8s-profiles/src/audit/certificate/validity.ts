// Validity: expired, not yet valid, expiring soon, openssl's 30-day default, outliving its CA
// (reference §1.2, §1.4, §7 item 2, §8.2).
import { isCaRole } from "../../files/read-files.js";
import type { CertificateRule } from "./context.js";

const DAY_MS = 24 * 60 * 60 * 1000;
// `openssl x509 -req` without -days gives 30 days (reference §7 item 2); anything this short
// in a cluster PKI is almost always that default.
const SHORT_VALIDITY_DAYS = 31;

/** The validity window against now, the warning horizon and the issuer's. */
export const checkValidity: CertificateRule = (ctx, add) => {
  const { match } = ctx;
  const cert = ctx.entry.certificate;
  // Validity (reference §1.2; §7 item 2 for openssl's 30-day default).
  const lifetimeDays = (cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY_MS;
  const left = cert.notAfter.getTime() - ctx.now.getTime();
  if (left < 0) {
    add(
      "error",
      "EXPIRED",
      `expired on ${cert.notAfter.toISOString()}`,
      match && !isCaRole(match.role)
        ? "renew it: kubeadm certs renew <name> (or kubepki renewCertificates)"
        : "re-create the CA and re-issue everything it signed",
      "§8.2",
    );
  } else if (ctx.now.getTime() < cert.notBefore.getTime()) {
    add(
      "error",
      "NOT_YET_VALID",
      `not valid before ${cert.notBefore.toISOString()}`,
      "check the clocks of the machine that issued it",
      "§1.2",
    );
  } else if (left <= ctx.expiringWithinDays * DAY_MS) {
    add(
      "warning",
      "EXPIRES_SOON",
      `expires on ${cert.notAfter.toISOString()}, within ${ctx.expiringWithinDays} days`,
      "renew it: kubeadm certs renew <name> (or kubepki renewCertificates)",
      "§8.2",
    );
  }
  if (lifetimeDays <= SHORT_VALIDITY_DAYS) {
    const isCa = match ? isCaRole(match.role) : cert.isCa;
    add(
      "warning",
      "SHORT_VALIDITY",
      `valid for only ${Math.round(lifetimeDays)} days: openssl's default when -days is omitted`,
      `pass -days ${isCa ? "3650" : "365"} (kubeadm: CA 10 years, leaves 1 year)`,
      "§7 item 2",
    );
  }
  if (
    ctx.issuer &&
    ctx.issuer.certificate !== cert &&
    cert.notAfter.getTime() > ctx.issuer.certificate.notAfter.getTime()
  ) {
    add(
      "warning",
      "VALIDITY_EXCEEDS_CA",
      `valid until ${cert.notAfter.toISOString()}, after its CA ${ctx.issuer.file} expires (${ctx.issuer.certificate.notAfter.toISOString()}): it stops verifying then`,
      "issue it with a validity that ends before the CA's, or renew the CA first",
      "§1.4",
    );
  }
};
